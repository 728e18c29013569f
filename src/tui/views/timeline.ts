/**
 * Timeline view: every event merged in time order, one row each, coloured by
 * layer and severity; aggregated repeats (`×6`) expand into their span, ref,
 * interface and flow. Rows are built on demand from index arrays, so the view
 * over 1,000,000 events costs only the visible window.
 *
 *   TIME          NODE    LAYER SEV   SOURCE            ×N  EVENT
 *   10:14:06.400  node1   L7    HIGH  capture-any.pcapng     TLS alert fatal bad_record_mac …
 *   10:14:03.050  node1   L4    MED   capture-any.pcapng  ×6 retransmission 192.0.2.240:443 …
 *       first 10:14:03.050 · last 10:14:06.210 · span 3.160s · node1/capture-any.pcapng#15 [eth0]
 */
import type { TimelineEntry } from '../../model/analysis.js';
import { SEVERITY_RANK } from '../../model/levels.js';
import type { TuiModel } from '../model.js';
import type { Row, RowSource, Seg } from '../rows.js';
import { cell, cellRight, clock, safe, span } from '../text.js';
import type { ViewEnv } from './common.js';

/** Expansion key of a timeline entry (its position in time order). */
export const entryKey = (k: number): string => `ev:${k}`;

/** Column widths for a terminal width. */
function columns(m: TuiModel, width: number) {
  const time = m.multiDay ? 24 : 12;
  // Node names whole on a wide terminal (client-remote), cut at 10 on a narrow one.
  const node = Math.min(width >= 120 ? 16 : 10, Math.max(4, ...m.a.bundle.nodes.map((n) => n.name.length)));
  const source = width >= 110 ? 20 : 0;
  const text = Math.max(10, width - 1 - time - 2 - node - 1 - 7 - 6 - (source ? source + 1 : 0) - 5 - 1);
  return { time, node, source, text };
}

/** Whether an entry counts as an error for `e`/`E` (severity high or critical). */
export function isErrorEntry(e: TimelineEntry): boolean {
  return e.severity !== undefined && SEVERITY_RANK[e.severity] >= SEVERITY_RANK.high;
}

/** Detail lines of an expanded entry. */
function details(e: TimelineEntry): { text: string; flow?: string }[] {
  const out: { text: string; flow?: string }[] = [];
  if (e.count && e.count > 1 && e.until)
    out.push({
      text: `${e.count} repeats · first ${clock(e.ts)} · last ${clock(e.until)} · span ${span(e.ts, e.until)}`,
    });
  out.push({
    text: `${e.ts}${e.node ? ` · node ${e.node}` : ''}${e.interface ? ` · iface ${e.interface}` : ''}${e.kind ? ` · ${e.kind}` : ''}`,
  });
  out.push({ text: `ref ${e.ref}` });
  if (e.flow) out.push({ text: `flow ${e.flow}  (Enter opens the flow)`, flow: e.flow });
  return out;
}

/** Build the timeline rows over the filtered positions (null = all) with some entries expanded. */
export function timelineView(
  m: TuiModel,
  filtered: Int32Array | null,
  expanded: ReadonlySet<string>,
  env: ViewEnv,
): RowSource {
  const { pal, width } = env;
  const col = columns(m, width);
  const base = filtered ? filtered.length : m.size;
  const at = (p: number) => (filtered ? filtered[p] : p);
  // Expanded entries visible under the filter, in list order, with their detail row counts.
  const exps: { pos: number; k: number; n: number }[] = [];
  for (const key of expanded) {
    const k = Number(key.slice(3));
    let pos = k;
    if (filtered) {
      let lo = 0;
      let hi = filtered.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (filtered[mid] < k) lo = mid + 1;
        else hi = mid;
      }
      if (filtered[lo] !== k) continue;
      pos = lo;
    }
    if (pos < base) exps.push({ pos, k, n: details(m.entry(k)).length });
  }
  exps.sort((x, y) => x.pos - y.pos);
  const extra = exps.reduce((s, x) => s + x.n, 0);

  /** Map a row to an entry position or to a detail line of an expanded entry. */
  const resolve = (i: number): { pos: number; detail: number } => {
    let off = 0;
    for (const x of exps) {
      const r = x.pos + off;
      if (i <= r) break;
      if (i <= r + x.n) return { pos: x.pos, detail: i - r - 1 };
      off += x.n;
    }
    return { pos: i - off, detail: -1 };
  };

  const header: Seg[] = [
    {
      t:
        ' ' +
        cell('TIME', col.time) +
        '  ' +
        cell('NODE', col.node) +
        ' ' +
        cell('LAYER', 7) +
        cell('SEV', 6) +
        (col.source ? cell('SOURCE', col.source) + ' ' : '') +
        cellRight('×N', 4) +
        ' ' +
        cell(
          `EVENT  (${base.toLocaleString('en-US')}${filtered ? ` of ${m.size.toLocaleString('en-US')}` : ''} events)`,
          col.text,
        ),
      b: true,
    },
  ];

  const entryRow = (k: number): Row => {
    const e = m.entry(k);
    const sev = e.severity ?? 'info';
    const src = e.source.slice(e.source.lastIndexOf('/') + 1);
    const time = m.multiDay ? e.ts.slice(0, 10) + ' ' + clock(e.ts) : clock(e.ts);
    const rep = e.count && e.count > 1 ? `×${e.count}` : '';
    const mark = expanded.has(entryKey(k)) ? '▾' : rep ? '▸' : ' ';
    return {
      segs: [
        { t: mark },
        { t: cell(time, col.time), c: pal.muted },
        { t: '  ' },
        { t: cell(safe(e.node ?? '-'), col.node) },
        { t: ' ' },
        { t: cell(e.layer, 7), c: pal.layer(e.layer) },
        {
          t: cell(sev === 'critical' ? 'CRIT' : sev === 'high' ? 'HIGH' : sev === 'medium' ? 'MED' : sev, 6),
          c: pal.severity(sev),
          b: SEVERITY_RANK[sev] >= 3,
        },
        { t: col.source ? cell(safe(src), col.source) + ' ' : '', c: pal.muted },
        { t: cellRight(rep, 4), c: pal.accent, b: true },
        { t: ' ' },
        { t: cell(safe(e.text), col.text), c: pal.severity(sev) },
      ],
      toggle: entryKey(k),
      flow: undefined,
      jump: { ts: e.ts, ref: e.ref },
      entry: k,
    };
  };

  return {
    header: [header],
    count: base + extra,
    row(i) {
      const { pos, detail } = resolve(i);
      const k = at(pos);
      if (detail < 0) return entryRow(k);
      const e = m.entry(k);
      const d = details(e)[detail];
      return {
        segs: [
          { t: ' '.repeat(col.time + 4) },
          { t: '└ ', c: pal.muted },
          { t: cell(safe(d.text), width - col.time - 7), c: d.flow ? pal.accent : undefined },
        ],
        flow: d.flow,
        jump: { ts: e.ts, ref: e.ref },
        entry: k,
      };
    },
    text(i) {
      const { pos, detail } = resolve(i);
      const e = m.entry(at(pos));
      return detail < 0 ? `${e.ts} ${e.node ?? ''} ${e.source} ${e.text}` : details(e)[detail].text;
    },
    matches(i, re) {
      const { pos, detail } = resolve(i);
      const e = m.entry(at(pos));
      if (detail >= 0) return re.test(details(e)[detail].text);
      return (
        re.test(e.text) || re.test(e.source) || (e.node !== undefined && re.test(e.node)) || re.test(e.ts)
      );
    },
    isError(i) {
      const { pos, detail } = resolve(i);
      return detail < 0 && isErrorEntry(m.entry(at(pos)));
    },
  };
}

/** Row index of an entry position (time order) under a filter and expansions; -1 when filtered out. */
export function rowOfEntry(
  m: TuiModel,
  filtered: Int32Array | null,
  expanded: ReadonlySet<string>,
  k: number,
): number {
  let pos = k;
  if (filtered) {
    let lo = 0;
    let hi = filtered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (filtered[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    if (filtered[lo] !== k) return -1;
    pos = lo;
  }
  let row = pos;
  for (const key of expanded) {
    const x = Number(key.slice(3));
    if (x < k && (!filtered || rowOfEntry(m, filtered, new Set(), x) >= 0)) row += details(m.entry(x)).length;
  }
  return row;
}
