import { describe, expect, it } from 'vitest';
import { ipNeigh } from '../../../parsers/text/ip-neigh.js';
import type { NeighborRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixtureLines, parseFixture } from './netstate/fixture.js';

describe('ip-neigh', () => {
  it('reads captured `ip neigh show nud all`: every state, mac null exactly when FAILED/INCOMPLETE', async () => {
    const { records, issues } = await parseFixture(ipNeigh, 'neigh-all.txt');
    const lines = fixtureLines('neigh-all.txt');
    expect(issues).toEqual([]);
    const ns = records as NeighborRecord[];
    expect(ns.length).toBe(lines.length);
    ns.forEach((n, i) => {
      const words = lines[i].trim().split(/\s+/);
      expect(n.state).toBe(words[words.length - 1]);
      expect(n.mac === null).toBe(n.state === 'FAILED' || n.state === 'INCOMPLETE');
    });
    expect(ns.filter((n) => n.router).map((n) => n.ip)).toEqual(['2001:db8::1']);
  });

  it('ip monitor prefixes, proxy entries and a missing state', async () => {
    const { records, issues } = await parseString(
      ipNeigh,
      [
        'Deleted 192.0.2.40 dev eth1 lladdr 02:00:00:00:00:40 STALE',
        '192.0.2.41 dev eth1 proxy',
        '192.0.2.42 dev eth1 lladdr 02:00:00:00:00:42',
        '192.0.2.43 dev eth1 lladdr zz:zz STALE',
      ].join('\n'),
    );
    expect(records).toMatchObject([
      { ip: '192.0.2.40', state: 'STALE' },
      { ip: '192.0.2.41', mac: null },
      { ip: '192.0.2.42', mac: '02:00:00:00:00:42' },
    ]);
    expect((records[1] as NeighborRecord).state).toBeUndefined();
    expect(issues).toHaveLength(1);
  });

  it('is not claimed for arp -a or ip route output, and arp/route formats leave it alone', () => {
    expect(ipNeigh.sniff(fixtureLines('arp-a.txt'), 'x')).toBe(0);
    expect(ipNeigh.sniff(fixtureLines('route.txt'), 'x')).toBe(0);
    expect(ipNeigh.sniff(fixtureLines('neigh.txt'), 'x')).toBeGreaterThan(0.9);
  });
});
