/**
 * Hostile input: every netstate format survives long, repetitive and binary-ish
 * lines without throwing (no `parser-error`), without super-linear regex time, and
 * accounts for every line.
 */
import { describe, expect, it } from 'vitest';
import { arp } from '../../../../parsers/text/arp.js';
import { arping } from '../../../../parsers/text/arping.js';
import { ipAddr } from '../../../../parsers/text/ip-addr.js';
import { ipJson } from '../../../../parsers/text/ip-json.js';
import { ipLink } from '../../../../parsers/text/ip-link.js';
import { ipNeigh } from '../../../../parsers/text/ip-neigh.js';
import { ipRoute } from '../../../../parsers/text/ip-route.js';
import { ipRule } from '../../../../parsers/text/ip-rule.js';
import { routeN } from '../../../../parsers/text/route-n.js';
import { parseString } from '../../../helpers/text.js';

const N = 200_000;
const hostile = [
  'a@'.repeat(N),
  `${'a'.repeat(N)}@${'b'.repeat(N)}`,
  `? (${'1'.repeat(N)}) at ${':'.repeat(N)}`,
  `1: ${'x'.repeat(N)}: <${','.repeat(N)}`,
  `Interface: ${'1.'.repeat(N)} --- 0x`,
  `${'0:'.repeat(N)}`,
  `default via ${'via '.repeat(N / 4)}`,
  `10.0.0.0/8 ${'nexthop '.repeat(N / 8)}`,
  '\u001b['.repeat(N),
  `ARPING ${'1'.repeat(N)} from`,
  `  ${'1.1.1.1 '.repeat(N / 8)}`,
  `[${'{"dst":'.repeat(N / 8)}`,
  '\u0000\u0001\u0002\ufffd\ud800',
  `${'Destination Gateway '.repeat(N / 20)}`,
].join('\n');

describe('netstate parsers on hostile input', () => {
  it.each(
    [ipRoute, ipRule, ipAddr, ipLink, ipNeigh, ipJson, routeN, arp, arping].map((f) => [f.id, f] as const),
  )('%s', async (_id, format) => {
    const t0 = performance.now();
    const { issues, counts } = await parseString(format, hostile);
    const ms = performance.now() - t0;
    expect(issues.filter((i) => (i as { code: string }).code === 'parser-error')).toEqual([]);
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
    expect(ms).toBeLessThan(5000);
    const t1 = performance.now();
    format.sniff(hostile.split('\n'), 'x');
    expect(performance.now() - t1).toBeLessThan(2000);
  });
});
