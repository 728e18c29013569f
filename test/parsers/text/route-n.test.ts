import { describe, expect, it } from 'vitest';
import { routeN } from '../../../parsers/text/route-n.js';
import type { RouteRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixtureLines, parseFixture } from './netstate/fixture.js';

describe('route-n', () => {
  it('route -n and netstat -rn (captured, same kernel table) give the same routes', async () => {
    const a = await parseFixture(routeN, 'route-n.txt');
    const b = await parseFixture(routeN, 'netstat-rn.txt');
    expect(a.issues).toEqual([]);
    expect(b.issues).toEqual([]);
    expect(a.records.length).toBe(fixtureLines('route-n.txt').length - 2);
    const k = (r: unknown) => {
      const x = r as RouteRecord;
      return `${x.dst} ${x.gateway} ${x.dev} ${x.routeType}`;
    };
    expect(b.records.map(k)).toEqual(a.records.map(k));
    // the same default routes as `ip route`
    expect(
      (a.records as RouteRecord[])
        .filter((r) => r.dst === 'default')
        .map((r) => [r.gateway, r.dev, r.metric]),
    ).toEqual([
      ['203.0.113.1', 'eth0', 0],
      ['192.0.2.1', 'eth1', 200],
    ]);
  });

  it('route -n -A inet6 (captured)', async () => {
    const { records, issues } = await parseFixture(routeN, 'route-n6.txt');
    expect(issues).toEqual([]);
    const rs = records as RouteRecord[];
    expect(rs.every((r) => r.family === 'inet6')).toBe(true);
    expect(rs.filter((r) => r.table === 'local').map((r) => r.dst)).toEqual([
      '::1/128',
      '2001:db8::10/128',
      'fe80::60ba:43ff:fecd:f94c/128',
      'fe80::78ef:a9ff:fe21:7e9d/128',
    ]);
  });

  it('older macOS netstat with Refs/Use columns; route -ee extra columns', async () => {
    const { records, issues } = await parseString(
      routeN,
      [
        'Routing tables',
        '',
        'Internet:',
        'Destination        Gateway            Flags        Refs      Use   Netif Expire',
        'default            10.0.1.1           UGSc           23        0     en1',
        '10.0.1/24          link#5             UCS             2        0     en1',
        '10.0.1.1           0:1e:c2:a:b:c      UHLWIi         24      367     en1   1187',
        'Kernel IP routing table',
        'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt',
        '0.0.0.0         10.0.2.2        0.0.0.0         UG    100    0        0 eth0     0     0      0',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { dst: 'default', gateway: '10.0.1.1', dev: 'en1' },
      { dst: '10.0.1.0/24', dev: 'en1' },
      { dst: '10.0.1.1/32', dev: 'en1', flags: 'UHLWIi' },
      { dst: 'default', gateway: '10.0.2.2', dev: 'eth0', metric: 100 },
    ]);
    expect((records[2] as RouteRecord).gateway).toBeUndefined();
  });

  it('OpenBSD netstat -rn (Iface column, Mtu/Prio)', async () => {
    const { records, issues } = await parseString(
      routeN,
      [
        'Routing tables',
        '',
        'Internet:',
        'Destination        Gateway            Flags   Refs      Use   Mtu  Prio Iface',
        'default            192.0.2.1          UGS        5     1234     -     8 vio0 ',
        '192.0.2/24         192.0.2.15         UCn        2        0     -     4 vio0 ',
        '192.0.2.1          52:54:00:12:35:02  UHLch      1        8     -     3 vio0 ',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect((records[1] as RouteRecord).gateway).toBeUndefined();
    expect(records).toMatchObject([
      { dst: 'default', gateway: '192.0.2.1', dev: 'vio0' },
      { dst: '192.0.2.0/24', dev: 'vio0' },
      { dst: '192.0.2.1/32', dev: 'vio0' },
    ]);
  });

  it('a non-contiguous genmask, a short row and rows before any header are issues', async () => {
    const { records, issues } = await parseString(
      routeN,
      [
        '10.0.0.0        0.0.0.0         255.0.0.0       U     0      0        0 eth0',
        'Kernel IP routing table',
        'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
        '10.0.0.0        0.0.0.0         255.0.255.0     U     0      0        0 eth0',
        '10.0.0.0',
        '10.1.0.0        0.0.0.0         255.255.0.0     U     0      0        0 eth0',
      ].join('\n'),
    );
    expect(issues).toHaveLength(3);
    expect(records).toMatchObject([{ dst: '10.1.0.0/16' }]);
  });

  it('Windows route print: a row with a non-contiguous mask is an issue, prose is skipped', async () => {
    const { records, issues, counts } = await parseString(
      routeN,
      [
        'IPv4 Route Table',
        'Active Routes:',
        'Network Destination        Netmask          Gateway       Interface  Metric',
        '         10.0.0.0      255.0.255.0         On-link         10.0.0.5    281',
        '         10.1.0.0      255.255.0.0         On-link         10.0.0.5    281',
        'Default Gateway:       10.0.0.1',
      ].join('\r\n'),
    );
    expect(records).toMatchObject([{ dst: '10.1.0.0/16', src: '10.0.0.5' }]);
    expect(issues).toHaveLength(1);
    expect(counts).toMatchObject({ parsed: 1, issues: 1, skipped: 4 });
  });

  it('does not claim ip route output', () => {
    expect(routeN.sniff(fixtureLines('route-all.txt'), 'route.txt')).toBe(0);
    expect(routeN.sniff(fixtureLines('arp-n.txt'), 'x')).toBe(0);
  });
});
