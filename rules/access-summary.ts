/**
 * access-summary (L7): request success and error rates per client network from
 * the access logs — which networks get answers and which do not. A network whose
 * requests mostly fail is a finding; the table is always in the facts.
 */
import { recordsOf } from '../src/engine/evidence.js';
import { recordRef } from '../src/engine/facts.js';
import { cap, findingId, groupBy, sortedGroups } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/model/analysis.js';
import type { AccessRecord } from '../src/model/records/index.js';
import { clientNetwork } from '../src/netstate/ip.js';

type AccessList = Array<AccessRecord & { node?: string }>;

/** The upper median of durations: `d.sort((a, b) => a - b)[⌊n/2⌋]`. */
function median(d: number[]): number {
  // Plain numbers sort as a typed array, without a comparator call per step; anything a typed
  // array would order differently (NaN, -0, non-numbers) takes the comparator.
  if (d.every((x) => typeof x === 'number' && !Number.isNaN(x) && !Object.is(x, -0)))
    return Float64Array.from(d).sort()[Math.floor(d.length / 2)];
  return d.sort((a, b) => a - b)[Math.floor(d.length / 2)];
}

export const rule: Rule = {
  meta: {
    id: 'access-summary',
    title: 'Request outcomes per client network',
    layer: 'L7',
    severity: 'info',
    needs: ['access'],
    description:
      'Counts access-log requests per client network (/24 or /64) and node with their status classes and median ' +
      'duration. A network whose requests mostly end in 5xx or status 0 is reported at medium severity; a healthy table ' +
      'is evidence too (for instance: LAN clients succeed while remote ones never reach the proxy).',
  },
  evaluate(ev) {
    const acc = recordsOf(ev, 'access');
    if (acc.length === 0) return [];
    // Grouped by node, then network (a key string per record cost more than the rest of the rule).
    const nets = new Map<string, string>();
    const byNode = new Map<string, Map<string, AccessList>>();
    const accessFiles = new Set<string>();
    let lastFile: string | undefined;
    for (const r of acc) {
      if (r.file !== lastFile) {
        lastFile = r.file;
        accessFiles.add(r.file);
      }
      const node = r.node ?? '';
      let net = 'unknown';
      if (r.client.ip) {
        const n = nets.get(r.client.ip);
        net = n ?? clientNetwork(r.client.ip);
        if (n === undefined) nets.set(r.client.ip, net);
      }
      let m = byNode.get(node);
      if (!m) {
        m = new Map();
        byNode.set(node, m);
      }
      const list = m.get(net);
      if (list) list.push(r);
      else m.set(net, [r]);
    }
    let groups = new Map<string, AccessList>();
    for (const [node, m] of byNode) for (const [net, list] of m) groups.set(`${node}|${net}`, list);
    // A `|` inside a node name or address can make two pairs one key: group by the key itself then.
    let pairs = 0;
    for (const m of byNode.values()) pairs += m.size;
    if (groups.size !== pairs)
      groups = groupBy(acc, (r) => `${r.node ?? ''}|${r.client.ip ? clientNetwork(r.client.ip) : 'unknown'}`);
    const table: Array<Record<string, unknown>> = [];
    const out: Finding[] = [];
    for (const [k, list] of sortedGroups(groups)) {
      const [node, net] = k.split('|');
      const failed: AccessList = [];
      let ok = 0;
      const d: number[] = [];
      for (const r of list) {
        if (r.status === null || r.status === 0 || r.status >= 500) failed.push(r);
        if (r.status !== null && r.status >= 200 && r.status < 400) ok++;
        if (r.durationMs !== null) d.push(r.durationMs);
      }
      const row = {
        node,
        network: net,
        requests: list.length,
        ok,
        failed: failed.length,
        medianMs: d.length ? median(d) : null,
      };
      table.push(row);
      if (list.length >= 3 && failed.length / list.length >= 0.5)
        out.push({
          id: findingId('access-summary', node || undefined, net),
          rule: 'access-summary',
          title: `Requests from ${net} mostly fail`,
          layer: 'L7',
          severity: 'medium',
          ...(node ? { node } : {}),
          summary: `${failed.length} of ${list.length} requests from ${net}${node ? ` to ${node}` : ''} failed (5xx or no status).`,
          evidence: cap(failed).map((r) => recordRef(r, r.text ?? `${r.method} ${r.path} → ${r.status}`)),
          facts: row,
        });
    }
    const total = acc.length;
    const okAll = table.reduce((n, r) => n + Number(r.ok), 0);
    // Beyond the per-file record cap lines are counted but not kept (src/bundle/keep.ts).
    const notKept = ev.coverage.reduce((n, c) => n + (accessFiles.has(c.path) ? (c.notKept ?? 0) : 0), 0);
    const more = notKept
      ? ` (${notKept} more line(s) of these logs were counted but not kept: see coverage)`
      : '';
    out.unshift({
      id: findingId('access-summary', undefined, 'table'),
      rule: 'access-summary',
      title: 'Request outcomes per client network',
      layer: 'L7',
      severity: 'info',
      summary: `${total} request(s) in access logs, ${okAll} answered 2xx/3xx: ${table.map((r) => `${r.network}${r.node ? `@${r.node}` : ''} ${r.ok}/${r.requests} ok`).join('; ')}${more}.`,
      evidence: [],
      facts: notKept ? { table, notKept } : { table },
    });
    return out;
  },
};
