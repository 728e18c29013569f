/**
 * `ip addr` / `ip -6 addr` / `ip -o addr` / `ip -br addr` (iproute2 text).
 *
 *   8: eth1@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
 *       link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns fx-br
 *       inet 192.0.2.11/24 scope global secondary eth1
 *          valid_lft forever preferred_lft forever
 *
 * Emits a `link` record per interface (so interfaces without addresses are known)
 * and an `address` record per address; parsing is shared with `ip-link`
 * (parsers/text/netstate/iface.ts).
 */
import type { FormatSample, TextFormat } from '../types.js';
import { looksLikeJson } from './netstate/common.js';
import { IfaceParser, ifaceStats } from './netstate/iface.js';

const samples: FormatSample[] = [
  {
    note: 'ip addr (iproute2 6.1, captured in a namespace): secondary, label, brd, interface without addresses',
    input: [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      '       valid_lft forever preferred_lft forever',
      '    inet6 ::1/128 scope host ',
      '       valid_lft forever preferred_lft forever',
      '3: veth-x@eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000',
      '    link/ether 52:62:a8:0c:ed:d0 brd ff:ff:ff:ff:ff:ff',
      '8: eth1@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
      '    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns fx-br',
      '    inet 192.0.2.10/24 scope global eth1',
      '       valid_lft forever preferred_lft forever',
      '    inet 198.51.100.5/24 brd 198.51.100.255 scope global eth1:vip',
      '       valid_lft forever preferred_lft forever',
      '    inet 192.0.2.11/24 scope global secondary eth1',
      '       valid_lft forever preferred_lft forever',
      '    inet6 2001:db8::10/64 scope global nodad ',
      '       valid_lft forever preferred_lft forever',
    ].join('\n'),
    records: [
      {
        type: 'link',
        line: 1,
        ifindex: 1,
        ifname: 'lo',
        mac: '00:00:00:00:00:00',
        linkType: 'loopback',
        mtu: 65536,
      },
      { type: 'address', line: 3, ifindex: 1, ifname: 'lo', ip: '127.0.0.1', prefix: 8, scope: 'host' },
      { type: 'address', ifname: 'lo', ip: '::1', prefix: 128, family: 'inet6' },
      {
        type: 'link',
        line: 7,
        ifindex: 3,
        ifname: 'veth-x',
        parent: 'eth0',
        state: 'DOWN',
        mac: '52:62:a8:0c:ed:d0',
      },
      {
        type: 'link',
        ifindex: 8,
        ifname: 'eth1',
        parent: 'if7',
        state: 'UP',
        flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      },
      { type: 'address', ifindex: 8, ifname: 'eth1', mac: '02:00:00:00:01:01', ip: '192.0.2.10', prefix: 24 },
      { type: 'address', ip: '198.51.100.5', label: 'eth1:vip', broadcast: '198.51.100.255' },
      { type: 'address', ip: '192.0.2.11', prefix: 24, secondary: true, label: undefined },
      { type: 'address', ip: '2001:db8::10', prefix: 64, family: 'inet6', flags: ['nodad'] },
    ],
  },
  {
    note: 'Vagrant VM with altname, dynamic address, master; ip -o addr line',
    input: [
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
      '    link/ether 52:54:00:ab:cd:ef brd ff:ff:ff:ff:ff:ff',
      '    altname enp0s3',
      '    inet 10.0.2.15/24 metric 100 brd 10.0.2.255 scope global dynamic eth0',
      '       valid_lft 86313sec preferred_lft 86313sec',
      '5: vx0@vx1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue master br1 state LOWERLAYERDOWN group default qlen 1000',
      '    link/ether 62:44:9a:11:ec:89 brd ff:ff:ff:ff:ff:ff',
      '8: eth1    inet 192.0.2.11/24 scope global secondary eth1\\       valid_lft forever preferred_lft forever',
    ].join('\n'),
    records: [
      { type: 'link', ifname: 'eth0', altnames: ['enp0s3'] },
      { type: 'address', ifname: 'eth0', ip: '10.0.2.15', prefix: 24, flags: ['dynamic'] },
      { type: 'link', ifname: 'vx0', master: 'br1', state: 'LOWERLAYERDOWN' },
      { type: 'link', line: 8, ifindex: 8, ifname: 'eth1' },
      { type: 'address', line: 8, ifindex: 8, ip: '192.0.2.11', secondary: true },
    ],
  },
  {
    note: 'ip -br addr',
    input: [
      'lo               UNKNOWN        127.0.0.1/8 ::1/128 ',
      'veth-x@eth0      DOWN           ',
      'eth1@if7         UP             192.0.2.10/24 2001:db8::10/64 ',
    ].join('\n'),
    records: [
      { type: 'link', ifname: 'lo', state: 'UNKNOWN' },
      { type: 'address', ifname: 'lo', ip: '127.0.0.1', prefix: 8 },
      { type: 'address', ifname: 'lo', ip: '::1', prefix: 128, family: 'inet6' },
      { type: 'link', ifname: 'veth-x', parent: 'eth0', state: 'DOWN' },
      { type: 'link', ifname: 'eth1' },
      { type: 'address', ifname: 'eth1', ip: '192.0.2.10', prefix: 24 },
      { type: 'address', ifname: 'eth1', ip: '2001:db8::10', prefix: 64 },
    ],
  },
  {
    note: 'a garbage line is an issue',
    input: [
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
      '    link/ether 52:54:00:ab:cd:ef brd ff:ff:ff:ff:ff:ff',
      '    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0',
      'Device "eth9" does not exist.',
    ].join('\n'),
    records: [{ type: 'link' }, { type: 'address', ip: '10.0.2.15' }],
    issues: 1,
  },
];

/** The `ip addr` text format. */
export const ipAddr: TextFormat = {
  id: 'ip-addr',
  title: 'iproute2 `ip addr` (also -o and -br): interfaces and their addresses',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    const s = ifaceStats(lines);
    const content = s.headers + s.inet + s.lft + s.briefAddr + s.briefLink + s.other;
    if (content === 0) return 0;
    if (s.inet + s.lft > 0 && s.headers > 0) return 0.95;
    if (s.briefAddr > 0 && s.briefAddr >= s.other) return 0.5 + (0.4 * s.briefAddr) / content;
    if (s.headers > 0 && s.modeHeaders === 0) return 0.6; // ip addr of interfaces without addresses
    return 0;
  },
  create: (ctx) => new IfaceParser(ctx),
  samples,
};
