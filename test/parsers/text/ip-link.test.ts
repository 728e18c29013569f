import { describe, expect, it } from 'vitest';
import { ipLink } from '../../../parsers/text/ip-link.js';
import type { LinkRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixtureLines, parseFixture } from './netstate/fixture.js';

describe('ip-link', () => {
  it('reads captured `ip link` and `ip -br link` into the same interfaces', async () => {
    const full = await parseFixture(ipLink, 'link.txt');
    const brief = await parseFixture(ipLink, 'link-br.txt');
    expect(full.issues).toEqual([]);
    expect(brief.issues).toEqual([]);
    const k = (r: unknown) => {
      const l = r as LinkRecord;
      return `${l.ifname} ${l.mac} ${l.state} ${l.flags.join(',')}`;
    };
    expect(full.records.length).toBe(fixtureLines('link.txt').filter((l) => /^\d+: /.test(l)).length);
    expect(brief.records.map(k).sort()).toEqual(full.records.map(k).sort());
    expect(full.records.find((r) => (r as LinkRecord).ifname === 'vx0')).toMatchObject({
      master: 'br1',
      parent: 'vx1',
      state: 'LOWERLAYERDOWN',
    });
  });

  it('bond slaves with permaddr, ip -d details and -s counters are read or skipped', async () => {
    const { records, issues, counts } = await parseString(
      ipLink,
      [
        '3: eth1: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc fq_codel master bond0 state UP mode DEFAULT group default qlen 1000',
        '    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff permaddr 52:54:00:65:43:21',
        '    RX:  bytes packets errors dropped  missed   mcast           ',
        '          4642      61      0       0       0       0 ',
        '    altname enp0s8',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ master: 'bond0', mac: '52:54:00:12:34:56', altnames: ['enp0s8'] });
    expect(counts).toMatchObject({ parsed: 3, skipped: 2 });
  });

  it('garbage between blocks is an issue', async () => {
    const { records, issues } = await parseString(
      ipLink,
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\nCannot find device "eth9"\n',
    );
    expect(records).toHaveLength(1);
    expect(issues).toHaveLength(1);
  });

  it('does not claim ip addr output', () => {
    expect(ipLink.sniff(fixtureLines('addr.txt'), 'x')).toBe(0);
    expect(ipLink.sniff(fixtureLines('addr-br.txt'), 'x')).toBe(0);
  });
});
