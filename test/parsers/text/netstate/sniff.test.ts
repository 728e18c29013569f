/** Content sniffing picks the right netstate format for real captured output. */
import { describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../../parsers/sniff.js';
import { textFormats } from '../../../../parsers/text/registry.js';
import { bestFormat } from './fixture.js';

const expected: Array<[string, string]> = [
  ['route-all.txt', 'ip-route'],
  ['route.txt', 'ip-route'],
  ['route6.txt', 'ip-route'],
  ['rule.txt', 'ip-rule'],
  ['addr.txt', 'ip-addr'],
  ['addr6.txt', 'ip-addr'],
  ['addr-o.txt', 'ip-addr'],
  ['addr-br.txt', 'ip-addr'],
  ['link.txt', 'ip-link'],
  ['link-br.txt', 'ip-link'],
  ['neigh.txt', 'ip-neigh'],
  ['neigh-all.txt', 'ip-neigh'],
  ['route-n.txt', 'route-n'],
  ['route-n6.txt', 'route-n'],
  ['netstat-rn.txt', 'route-n'],
  ['arp-a.txt', 'arp'],
  ['arp-an.txt', 'arp'],
  ['arp-n.txt', 'arp'],
  ['arping-habets.txt', 'arping'],
  ['arping-habets-none.txt', 'arping'],
  ['jroute-all.json', 'ip-json'],
  ['jroute-p.json', 'ip-json'],
  ['jroute6.json', 'ip-json'],
  ['jaddr.json', 'ip-json'],
  ['jaddr-p.json', 'ip-json'],
  ['jlink.json', 'ip-json'],
  ['jlink-p.json', 'ip-json'],
  ['jneigh.json', 'ip-json'],
  ['jneigh-p.json', 'ip-json'],
  ['jrule.json', 'ip-json'],
  ['jrule-p.json', 'ip-json'],
];

describe('netstate sniffing on captured output', () => {
  it.each(expected)('%s → %s', (file, id) => {
    expect(bestFormat(file)).toBe(id);
  });
});

const MINE = ['ip-route', 'ip-rule', 'ip-addr', 'ip-link', 'ip-neigh', 'ip-json', 'route-n', 'arp', 'arping'];

describe('netstate sniff competition (against every registered format)', () => {
  it('all netstate formats are registered', () => {
    for (const id of MINE) expect(textFormats.has(id), id).toBe(true);
  });
  const own = MINE.flatMap((id) => (textFormats.get(id)?.samples ?? []).map((s, i) => ({ id, i, s })));
  it.each(own)('$id sample $i is claimed by $id', ({ id, s }) => {
    expect(rankTextFormats(s.input.split('\n'), 'sample.txt')[0]?.format.id).toBe(id);
  });
  const others = [...textFormats.values()]
    .filter((f) => !MINE.includes(f.id))
    .flatMap((f) => f.samples.map((s, i) => ({ id: f.id, i, s })));
  it.each(others)('$id sample $i is not claimed by a netstate format', ({ s }) => {
    const top = rankTextFormats(s.input.split('\n'), 'sample.txt')[0];
    if (top) expect(MINE.includes(top.format.id) && top.confidence >= 0.3, top.format.id).toBe(false);
  });
});
