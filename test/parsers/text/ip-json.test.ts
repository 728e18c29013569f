import { describe, expect, it } from 'vitest';
import { ipAddr } from '../../../parsers/text/ip-addr.js';
import { ipJson } from '../../../parsers/text/ip-json.js';
import { ipLink } from '../../../parsers/text/ip-link.js';
import { ipNeigh } from '../../../parsers/text/ip-neigh.js';
import { ipRoute } from '../../../parsers/text/ip-route.js';
import { ipRule } from '../../../parsers/text/ip-rule.js';
import type { TextFormat } from '../../../parsers/types.js';
import type { AnyRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixture, parseFixture } from './netstate/fixture.js';

/** Records without location/display fields, for comparing text and JSON readings. */
const strip = (rs: AnyRecord[]) =>
  rs.map((r) => {
    const { file: _f, line: _l, text: _t, extra: _e, ...rest } = r as AnyRecord & { extra?: unknown };
    return JSON.parse(JSON.stringify(rest));
  });

describe('ip-json', () => {
  // jroute-p.json holds `ip -j -p route` (main table, IPv4), captured with route-all.txt
  const mainV4 = (r: AnyRecord) =>
    (r as { table: string }).table === 'main' && (r as { family: string }).family === 'inet';
  const pairs: Array<[string, string, TextFormat, ((r: AnyRecord) => boolean)?]> = [
    ['jroute-all.json', 'route-all.txt', ipRoute],
    ['jroute-p.json', 'route-all.txt', ipRoute, mainV4],
    ['jrule.json', 'rule.txt', ipRule],
    ['jrule-p.json', 'rule.txt', ipRule],
    ['jneigh.json', 'neigh.txt', ipNeigh],
    ['jlink.json', 'link.txt', ipLink],
    ['jlink-p.json', 'link.txt', ipLink],
    ['jaddr.json', 'addr.txt', ipAddr],
  ];
  it.each(pairs)('%s gives the same records as %s', async (json, text, textFormat, only) => {
    const j = await parseFixture(ipJson, json);
    const t = await parseFixture(textFormat, text);
    if (only) t.records = t.records.filter(only);
    expect(j.issues).toEqual([]);
    expect(j.counts.issues).toBe(0);
    const norm = (rs: AnyRecord[]) =>
      strip(rs)
        .map((r) => {
          // fields only one of the two sources has
          delete r.flags;
          delete r.label;
          delete r.parent;
          delete r.linkType;
          delete r.state;
          return JSON.stringify(r, Object.keys(r).sort());
        })
        .sort();
    // neighbor tables were captured seconds apart; compare only what cannot change
    if (json.startsWith('jneigh')) {
      const ips = (rs: AnyRecord[]) => rs.map((r) => (r as { ip: string }).ip).sort();
      expect(ips(j.records).filter((ip) => ips(t.records).includes(ip)).length).toBeGreaterThan(5);
      return;
    }
    expect(norm(j.records)).toEqual(norm(t.records));
  });

  it('pretty-printed records point at the line where their object starts', async () => {
    const { records, counts } = await parseFixture(ipJson, 'jaddr-p.json');
    const lines = fixture('jaddr-p.json').split('\n');
    for (const r of records) {
      if (r.type !== 'link') continue;
      // the object opens on this line and its "ifindex" is the next line
      expect(lines[(r.line ?? 0) - 1]).toMatch(/\{\s*$/);
      expect(lines[r.line ?? 0]).toContain(`"ifindex": ${(r as { ifindex: number }).ifindex}`);
    }
    expect(counts.parsed).toBe(lines.filter((l) => l.trim() !== '').length);
    // addresses point at their own object inside addr_info
    for (const r of records) {
      if (r.type !== 'address') continue;
      expect(lines[(r.line ?? 0) - 1]).toMatch(/\{\s*$/);
      expect(lines.slice(r.line ?? 0, (r.line ?? 0) + 3).join('\n')).toContain(
        `"local": "${(r as { ip: string }).ip}"`,
      );
    }
  });

  it('several documents in one file with echoed commands between them', async () => {
    const input = [
      '$ ip -j route',
      '[{"dst":"default","gateway":"192.0.2.1","dev":"eth1","flags":[]}]',
      '',
      '$ ip -j neigh',
      '[{"dst":"192.0.2.1","dev":"eth1","lladdr":"02:00:00:00:00:01","state":["REACHABLE"]}]',
    ].join('\n');
    const { records, issues, counts } = await parseString(ipJson, input);
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.type, r.line])).toEqual([
      ['route', 2],
      ['neighbor', 5],
    ]);
    expect(counts).toMatchObject({ parsed: 2, skipped: 3, issues: 0 });
  });

  it('text outside the document, unknown objects and truncated documents are issues', async () => {
    const { records, issues, counts } = await parseString(
      ipJson,
      [
        '[{"dst":"default","gateway":"192.0.2.1","flags":[]},{"foo":1},42]',
        'Error: something',
        '[{"dst":"10.0.0.0/8",',
      ].join('\n'),
    );
    expect(records).toHaveLength(1);
    expect(issues.map((i) => (i as { code: string }).code).sort()).toEqual([
      'bad-json',
      'not-json',
      'unknown-object',
      'unknown-object',
    ]);
    expect(counts).toMatchObject({ parsed: 1, issues: 2 });
  });

  it('is not claimed for text output or other JSON', () => {
    expect(ipJson.sniff(fixture('route.txt').split('\n'), 'x')).toBe(0);
    expect(ipJson.sniff(['{"level":"info","msg":"hello"}'], 'x')).toBe(0);
    expect(ipJson.sniff(['[{"name":"x","kind":"Pod"}]'], 'x')).toBe(0);
  });
});
