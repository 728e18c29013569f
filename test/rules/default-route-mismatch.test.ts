/**
 * default-route-mismatch on bundles with no manifest and no capture: the node's state
 * and its proxy's TLS errors alone, which name the address the proxy serves on
 * (`read tcp VIP:443->client`). IPv4 behind Vagrant's NAT default, and IPv6 with the
 * default learnt from a router advertisement on the management NIC and the LAN router
 * known only by its link-local address.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('forensic-drm-');

function bundle(files: Record<string, string>): string {
  const d = tmp();
  mkdirSync(join(d, 'node1'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, 'node1', name), text);
  return d;
}

const link = (n: number, name: string, mac: string, addrs: string[]) =>
  [
    `${n}: ${name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000`,
    `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`,
    ...addrs.flatMap((a) => [`    ${a}`, '       valid_lft forever preferred_lft forever']),
  ].join('\n');

const traefik = (client: string, server: string) =>
  [
    `time="2026-11-26T10:00:01Z" level=debug msg="http: TLS handshake error from ${client}:41234: read tcp ${server}:443->${client}:41234: i/o timeout"`,
    `time="2026-11-26T10:00:05Z" level=debug msg="http: TLS handshake error from ${client}:41236: EOF"`,
    '',
  ].join('\n');

describe('default-route-mismatch from node state and proxy errors alone', () => {
  it('IPv4: the VIP named by the proxy error, replies via the VirtualBox NAT gateway', async () => {
    const a = await analyzeBundle(
      bundle({
        'ip-addr.txt': `${[
          link(2, 'eth0', '52:54:00:12:34:56', [
            'inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic eth0',
          ]),
          link(3, 'eth1', '52:54:00:ab:cd:ef', [
            'inet 192.0.2.10/24 brd 192.0.2.255 scope global eth1',
            'inet 192.0.2.240/32 scope global eth1',
          ]),
        ].join('\n')}\n`,
        'ip-route.txt': [
          'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
          '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
          '192.0.2.0/24 dev eth1 proto kernel scope link src 192.0.2.10',
          '',
        ].join('\n'),
        'traefik.log': traefik('203.0.113.50', '192.0.2.240'),
      }),
      { workers: 0 },
    );
    const f = a.findings.find((x) => x.rule === 'default-route-mismatch');
    expect(f?.id).toBe('default-route-mismatch#node1/192.0.2.240');
    expect(f?.summary).toMatch(
      /^node1 routes replies from 192\.0\.2\.240 to 1 off-LAN client\(s\) via 10\.0\.2\.2 dev eth0/,
    );
    expect(a.rootCause?.finding).toBe(f?.id);
  });

  it('IPv6: the LAN gateway is the router-flagged link-local neighbour on the service interface', async () => {
    const vip = '2001:db8:0:2::240';
    const a = await analyzeBundle(
      bundle({
        'ip-addr.txt': `${[
          link(2, 'eth0', '52:54:00:12:34:56', [
            'inet6 fd00:10::15/64 scope global dynamic mngtmpaddr',
            'inet6 fe80::5054:ff:fe12:3456/64 scope link',
          ]),
          link(3, 'eth1', '52:54:00:ab:cd:ef', [
            'inet6 2001:db8:0:2::10/64 scope global',
            `inet6 ${vip}/128 scope global`,
            'inet6 fe80::5054:ff:feab:cdef/64 scope link',
          ]),
        ].join('\n')}\n`,
        'ip6-route.txt': [
          `${vip} dev eth1 proto kernel metric 256 pref medium`,
          '2001:db8:0:2::/64 dev eth1 proto kernel metric 256 pref medium',
          'fd00:10::/64 dev eth0 proto ra metric 100 pref medium',
          'fe80::/64 dev eth0 proto kernel metric 256 pref medium',
          'fe80::/64 dev eth1 proto kernel metric 256 pref medium',
          'default via fe80::2 dev eth0 proto ra metric 100 expires 1796sec pref medium',
          '',
        ].join('\n'),
        'ip-neigh.txt': [
          'fe80::2 dev eth0 lladdr 52:55:0a:00:02:02 router REACHABLE',
          'fe80::1 dev eth1 lladdr 02:00:00:00:02:01 router STALE',
          '2001:db8:0:2::50 dev eth1 lladdr 02:00:00:00:03:01 REACHABLE',
          '',
        ].join('\n'),
        'traefik.log': traefik('[2001:db8:0:113::50]', `[${vip}]`),
      }),
      { workers: 0 },
    );
    const f = a.findings.find((x) => x.rule === 'default-route-mismatch');
    expect(f?.id).toBe(`default-route-mismatch#node1/${vip}`);
    expect(f?.summary).toContain('via fe80::2 dev eth0');
    expect(f?.summary).toContain('the LAN gateway is fe80::1');
    expect(f?.remediation?.commands).toEqual(['ip -6 route replace default via fe80::1 dev eth1']);
    expect(f?.remediation?.persistent).toContain('ipv6.gateway fe80::1');
    // IPv6 addresses before a port are bracketed on the timeline, as Go writes them.
    expect(a.timeline.map((t) => t.text)).toContain(
      'TLS handshake error from [2001:db8:0:113::50]:41234: timeout',
    );
  });
});
