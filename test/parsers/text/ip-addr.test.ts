import { describe, expect, it } from 'vitest';
import { ipAddr } from '../../../parsers/text/ip-addr.js';
import type { AddressRecord, LinkRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixture, fixtureLines, parseFixture } from './netstate/fixture.js';

describe('ip-addr', () => {
  it('reads the captured `ip addr`: a link per block, an address per inet line', async () => {
    const { records, issues, counts } = await parseFixture(ipAddr, 'addr.txt');
    const lines = fixtureLines('addr.txt');
    expect(issues).toEqual([]);
    const links = records.filter((r) => r.type === 'link') as LinkRecord[];
    const addrs = records.filter((r) => r.type === 'address') as AddressRecord[];
    expect(links.length).toBe(lines.filter((l) => /^\d+: /.test(l)).length);
    expect(addrs.length).toBe(lines.filter((l) => /^\s+inet6? /.test(l)).length);
    expect(counts.skipped).toBe(lines.filter((l) => /valid_lft/.test(l)).length);
    // interfaces without addresses are known too
    expect(links.map((l) => l.ifname)).toContain('veth-x');
    // every address carries its interface's index and MAC
    for (const a of addrs) {
      const l = links.find((x) => x.ifname === a.ifname);
      expect(a.ifindex).toBe(l?.ifindex);
      expect(a.mac).toBe(l?.mac);
    }
    // records come in file order: a link before its addresses
    const lineNos = records.map((r) => r.line ?? 0);
    expect([...lineNos].sort((a, b) => a - b)).toEqual(lineNos);
  });

  it('reads ip -6 addr, ip -o addr and ip -br addr to the same addresses', async () => {
    const full = (await parseFixture(ipAddr, 'addr.txt')).records.filter((r) => r.type === 'address');
    const key = (r: unknown) => {
      const a = r as AddressRecord;
      return `${a.ifname} ${a.ip}/${a.prefix}`;
    };
    const all = full.map(key).sort();
    for (const f of ['addr-o.txt', 'addr-br.txt']) {
      const { records, issues } = await parseFixture(ipAddr, f);
      expect(issues, f).toEqual([]);
      expect(
        records
          .filter((r) => r.type === 'address')
          .map(key)
          .sort(),
        f,
      ).toEqual(all);
    }
    const v6 = await parseFixture(ipAddr, 'addr6.txt');
    expect(v6.issues).toEqual([]);
    expect(
      v6.records
        .filter((r) => r.type === 'address')
        .map(key)
        .sort(),
    ).toEqual(
      full
        .filter((r) => (r as AddressRecord).family === 'inet6')
        .map(key)
        .sort(),
    );
  });

  it('point-to-point peers, tentative/deprecated flags and unknown address flags', async () => {
    const { records, issues } = await parseString(
      ipAddr,
      [
        '7: ppp0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1492 qdisc fq_codel state UNKNOWN group default qlen 3',
        '    link/ppp ',
        '    inet 203.0.113.77 peer 203.0.113.1/32 scope global ppp0',
        '       valid_lft forever preferred_lft forever',
        '    inet6 2001:db8::77/64 scope global tentative deprecated shiny ',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(records[0]).toMatchObject({ type: 'link', ifname: 'ppp0', linkType: 'ppp' });
    expect((records[0] as LinkRecord).mac).toBeUndefined();
    expect(records[1]).toMatchObject({ ip: '203.0.113.77', prefix: 32, peer: '203.0.113.1/32' });
    expect(records[2]).toMatchObject({ ip: '2001:db8::77', flags: ['tentative', 'deprecated', 'shiny'] });
  });

  it('a block pasted with extra indentation is still read', async () => {
    const { records, issues } = await parseString(
      ipAddr,
      [
        '  2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        '      link/ether 52:54:00:ab:cd:ef brd ff:ff:ff:ff:ff:ff',
        '      inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { type: 'link', ifname: 'eth0', mac: '52:54:00:ab:cd:ef' },
      { type: 'address', ip: '10.0.2.15', mac: '52:54:00:ab:cd:ef' },
    ]);
  });

  it('an unreadable address line is an issue and the block goes on', async () => {
    const { records, issues } = await parseString(
      ipAddr,
      [
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        '    link/ether 52:54:00:ab:cd:ef brd ff:ff:ff:ff:ff:ff',
        '    inet not-an-address scope global eth0',
        '    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0',
      ].join('\n'),
    );
    expect(issues.length).toBe(1);
    expect(records.map((r) => r.type)).toEqual(['link', 'address']);
  });

  it('prefers ip-addr for ip addr output and leaves ip link output alone', () => {
    expect(ipAddr.sniff(fixtureLines('addr.txt'), 'x')).toBeGreaterThan(0.9);
    expect(ipAddr.sniff(fixtureLines('link.txt'), 'x')).toBe(0);
    expect(ipAddr.sniff(fixtureLines('link-br.txt'), 'x')).toBe(0);
    expect(ipAddr.sniff(fixture('jaddr.json').split('\n'), 'x')).toBe(0);
  });
});
