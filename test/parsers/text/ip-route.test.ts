import { describe, expect, it } from 'vitest';
import { ipRoute } from '../../../parsers/text/ip-route.js';
import type { RouteRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixture, parseFixture } from './netstate/fixture.js';

const routes = async (input: string) => {
  const r = await parseString(ipRoute, input);
  return { ...r, routes: r.records as RouteRecord[] };
};

describe('ip-route', () => {
  it('reads a whole captured `ip route show table all` (v4 + v6, all tables)', async () => {
    const { records, issues, counts } = await parseFixture(ipRoute, 'route-all.txt');
    const lines = fixture('route-all.txt')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const nexthopLines = lines.filter((l) => l.startsWith('\t'));
    expect(issues).toEqual([]);
    expect(records.length).toBe(lines.length - nexthopLines.length);
    expect(counts.parsed).toBe(lines.length);
    const rs = records as RouteRecord[];
    // every local/broadcast route is in table local, every unnamed one in main
    for (const r of rs) {
      if (r.text?.includes('table local')) expect(r.table).toBe('local');
      else if (r.text?.includes('table 100')) expect(r.table).toBe('100');
      else expect(r.table).toBe('main');
      expect(r.family).toBe(r.dst.includes(':') || r.gateway?.includes(':') ? 'inet6' : 'inet');
    }
    expect(rs.filter((r) => r.nexthops).map((r) => [r.dst, r.nexthops?.length])).toEqual([
      ['198.18.0.0/15', 2],
      ['2001:db8:1::/48', 2],
    ]);
    const linkdown = lines.filter((l) => !l.startsWith('\t') && / linkdown /.test(l));
    expect(rs.filter((r) => r.linkdown).map((r) => r.line)).toEqual(
      linkdown.map((l) => fixture('route-all.txt').split('\n').indexOf(l) + 1),
    );
    expect(rs[2]).toMatchObject({ dst: 'default', gateway: '203.0.113.1', onlink: true, linkdown: true });
    expect(new Set(rs.map((r) => r.routeType))).toEqual(
      new Set([
        'unicast',
        'throw',
        'prohibit',
        'unreachable',
        'blackhole',
        'local',
        'broadcast',
        'multicast',
      ]),
    );
    // the IPv6 default route and its family
    expect(rs.find((r) => r.dst === 'default' && r.family === 'inet6')).toMatchObject({
      gateway: '2001:db8::1',
      pref: 'high',
      metric: 1024,
    });
  });

  it('ip route show table local prints no table: local/broadcast types default to local', async () => {
    const { routes: rs } = await routes(
      'local 10.88.0.1 dev br1 proto kernel scope host src 10.88.0.1 \n' +
        'broadcast 10.88.255.255 dev br1 proto kernel scope link src 10.88.0.1 linkdown \n' +
        '10.88.0.0/16 dev br1 proto kernel scope link src 10.88.0.1 \n',
    );
    expect(rs.map((r) => r.table)).toEqual(['local', 'local', 'main']);
  });

  it('keeps nexthop flags per path and RFC 5549 `via inet6` gateways', async () => {
    const { routes: rs, issues } = await routes(
      [
        '203.0.113.0/24 proto bird metric 32 ',
        '\tnexthop via 192.0.2.1 dev eth1 weight 1 dead linkdown ',
        '\tnexthop via 192.0.2.2 dev eth2 weight 3 onlink ',
        '198.51.100.0/24 via inet6 fe80::1 dev eth1 proto bgp metric 20 ',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(rs[0].nexthops).toEqual([
      { gateway: '192.0.2.1', dev: 'eth1', weight: 1, flags: ['dead', 'linkdown'] },
      { gateway: '192.0.2.2', dev: 'eth2', weight: 3, flags: ['onlink'] },
    ]);
    expect(rs[0].linkdown).toBeUndefined();
    expect(rs[1]).toMatchObject({ dst: '198.51.100.0/24', gateway: 'fe80::1', family: 'inet', proto: 'bgp' });
  });

  it('ip -o route puts multipath paths on the route line, joined by backslashes', async () => {
    const { routes: rs, issues } = await routes(
      '198.18.0.0/15 proto static \\\tnexthop via 192.0.2.1 dev eth1 weight 1 \\\tnexthop via 192.0.2.2 dev eth1 weight 2 ',
    );
    expect(issues).toEqual([]);
    expect(rs[0].nexthops?.map((n) => n.gateway)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(rs[0].extra).toBeUndefined();
  });

  it('old-kernel IPv6 multipath (one line per path) stays one route per line', async () => {
    const { routes: rs } = await routes(
      '2001:db8:1::/48 via 2001:db8::1 dev eth1 metric 1024 pref medium\n' +
        '2001:db8:1::/48 via 2001:db8::2 dev eth1 metric 1024 pref medium\n',
    );
    expect(rs.map((r) => r.gateway)).toEqual(['2001:db8::1', '2001:db8::2']);
  });

  it('unknown tokens are kept in `extra`, known metrics are skipped with their argument', async () => {
    const { routes: rs, issues } = await routes(
      '10.1.0.0/16 via 192.0.2.1 dev eth1 proto static metric 5 mtu lock 1400 advmss 1360 rtt 10ms hoplimit 64 frobnicate \n' +
        '10.2.0.0/16 encap mpls 100/200 via 192.0.2.1 dev eth1 \n',
    );
    expect(issues).toEqual([]);
    expect(rs[0]).toMatchObject({ metric: 5, mtu: 1400, extra: ['frobnicate'] });
    expect(rs[1]).toMatchObject({ gateway: '192.0.2.1', dev: 'eth1', extra: ['encap', 'mpls', '100/200'] });
  });

  it('a keyword without argument or a line that is not a route is an issue; parsing goes on', async () => {
    const {
      routes: rs,
      issues,
      counts,
    } = await routes(
      'default via\nError: ipv4: FIB table does not exist.\nDump terminated\n10.0.0.0/8 dev eth0 scope link\n',
    );
    expect(issues.map((i) => (i as { code: string }).code)).toEqual(['bad-route', 'bad-route', 'bad-route']);
    expect(rs.map((r) => r.dst)).toEqual(['10.0.0.0/8']);
    expect(counts).toMatchObject({ parsed: 1, issues: 3 });
  });

  it('echoed commands and banners are skipped and scope the table and family', async () => {
    const { routes: rs, counts } = await routes(
      [
        '=== ip -6 route show table 200 ===',
        'default dev wg0 metric 1024 pref medium',
        '$ ip route',
        'default via 192.0.2.1 dev eth1',
        'unreachable default',
      ].join('\n'),
    );
    expect(rs.map((r) => [r.table, r.family])).toEqual([
      ['200', 'inet6'],
      ['main', 'inet'],
      ['main', 'inet'],
    ]);
    expect(counts.skipped).toBe(2);
  });

  it('indented routes (pasted into a report) are routes, not continuations', async () => {
    const { routes: rs } = await routes(
      '  default via 192.0.2.1 dev eth1\n  10.0.0.0/8 dev eth0 scope link\n',
    );
    expect(rs.map((r) => [r.dst, r.dev])).toEqual([
      ['default', 'eth1'],
      ['10.0.0.0/8', 'eth0'],
    ]);
  });

  it('CRLF input parses the same', async () => {
    const { routes: rs } = await routes(
      'default via 192.0.2.1 dev eth1 \r\n192.0.2.0/24 dev eth1 scope link\r\n',
    );
    expect(rs.map((r) => r.dev)).toEqual(['eth1', 'eth1']);
  });

  it('does not sniff route -n, ip neigh or JSON', () => {
    expect(ipRoute.sniff(fixture('route-n.txt').split('\n'), 'route.txt')).toBe(0);
    expect(ipRoute.sniff(fixture('neigh.txt').split('\n'), 'x')).toBe(0);
    expect(ipRoute.sniff(fixture('jroute-all.json').split('\n'), 'route.json')).toBe(0);
    expect(ipRoute.sniff(fixture('route.txt').split('\n'), 'x')).toBeGreaterThan(0.9);
  });
});
