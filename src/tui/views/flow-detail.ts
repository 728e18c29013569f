/**
 * Flow detail view: a ladder diagram of the flow's representative packets,
 * each labelled with the interface it crossed (an interface that differs from
 * the request's is marked `≠`), then the log lines and timeline events joined
 * to the flow.
 *
 *   tcp 203.0.113.50:51514 → 192.0.2.240:443 on node1 · reset · ASYMMETRIC in eth1, out eth0
 *   TIME          203.0.113.50:51514                              192.0.2.240:443 (node1)  IFACE
 *   10:14:02.010  │───────────────── SYN seq=0 ────────────────▶│  eth1
 *   10:14:02.010  │◀──────────────── SYN-ACK ───────────────────│  eth0 ≠
 */
import { stalledLine } from '../../engine/finding.js';
import type { FlowSummary } from '../../model/analysis.js';
import type { TuiModel } from '../model.js';
import { arraySource, type Row, type RowSource, type Seg } from '../rows.js';
import { cell, clock, endpoint, safe } from '../text.js';
import { BLANK, heading, sevSeg, type ViewEnv } from './common.js';
import { isErrorEntry } from './timeline.js';

/** An arrow `│──── label ───▶│` (or reversed) exactly `w` columns wide. */
export function arrow(label: string, toServer: boolean, w: number): string {
  const inner = w - 2;
  const text = label.length > inner - 6 ? `${label.slice(0, Math.max(0, inner - 7))}…` : label;
  const body = inner - 1;
  const l = Math.max(1, Math.floor((body - text.length - 2) / 2));
  const r = Math.max(1, body - text.length - 2 - l);
  const line = `${'─'.repeat(l)} ${text} ${'─'.repeat(r)}`;
  return toServer ? `│${line}▶│` : `│◀${line}│`;
}

/** Build the flow detail rows for one flow. */
export function flowDetailView(m: TuiModel, id: string | null, env: ViewEnv): RowSource {
  const { pal, width } = env;
  const f: FlowSummary | undefined = id ? m.flowById.get(id) : undefined;
  if (!f) return arraySource([[{ t: ' no flow selected — open one from Flows (3)', c: pal.muted }]], []);
  const inI = f.interfaces.toServer.join(',') || '?';
  const outI = f.interfaces.toClient.join(',') || '?';
  const title: Seg[] = [
    { t: ` ${f.proto} ` },
    { t: safe(`${endpoint(f.client)} → ${endpoint(f.server)}`), b: true },
    { t: safe(`${f.node ? ` on ${f.node}` : ''} · ${f.state}`) },
  ];
  const paths: Seg[] = f.asymmetric
    ? [{ t: ' ' }, { t: safe(`ASYMMETRIC: requests in ${inI}, replies out ${outI}`), c: pal.bad, b: true }]
    : [{ t: safe(` symmetric: requests in ${inI}, replies out ${outI}`) }];
  const retx = (f.retransmissions ?? 0) + (f.synRetransmits ?? 0) + (f.synAckRetransmits ?? 0);
  const facts = [
    `packets ${f.packets.toServer}/${f.packets.toClient}`,
    `bytes ${f.bytes.toServer}/${f.bytes.toClient}`,
    `retx ${retx}`,
    f.resets ? `resets ${f.resets}` : '',
    f.tls
      ? `${f.tls.version?.startsWith('TLS') ? f.tls.version : `TLS ${f.tls.version ?? ''}`}${f.tls.sni ? ` SNI ${f.tls.sni}` : ''}`
      : '',
    ...(f.tls?.alerts ?? []).map((a) => `alert ${a.level} ${a.description} (${a.from})`),
    `${clock(f.first)}–${clock(f.last)}`,
  ].filter(Boolean);
  const timeW = 13;
  const ifW = 8;
  const ladderW = Math.max(20, width - 2 - timeW - ifW - 2);
  const client = safe(endpoint(f.client));
  const server = safe(`${endpoint(f.server)}${f.node ? ` (${f.node})` : ''}`);
  const lanes = client + ' '.repeat(Math.max(1, ladderW - client.length - server.length)) + server;
  const header: Seg[][] = [
    title,
    paths,
    ...(f.stall
      ? [[{ t: ' ' }, { t: safe(stalledLine(f.stall).replace('stalled', 'STALLED')), c: pal.bad, b: true }]]
      : []),
    [{ t: ` ${cell(facts.map(safe).join(' · '), width - 2)}`, c: pal.muted }],
    [
      { t: ' ' },
      { t: cell('TIME', timeW), b: true },
      { t: cell(lanes, ladderW), b: true },
      { t: '  ' },
      { t: cell('IFACE', ifW), b: true },
    ],
  ];
  const rows: Row[] = [];
  const reqIf = f.interfaces.toServer[0];
  for (const p of f.ladder ?? []) {
    const toServer = p.dir === 'toServer';
    const differs = !toServer && p.interface !== null && reqIf !== undefined && p.interface !== reqIf;
    rows.push({
      segs: [
        { t: ' ' },
        { t: cell(clock(p.ts), timeW), c: pal.muted },
        { t: arrow(safe(p.summary), toServer, ladderW), c: toServer ? undefined : pal.accent },
        { t: '  ' },
        {
          t: cell(safe(p.interface ?? '?') + (differs ? ' ≠' : ''), ifW),
          c: differs ? pal.bad : undefined,
          b: differs,
        },
      ],
      jump: { ts: p.ts, ref: p.ref },
    });
  }
  if (!f.ladder?.length)
    rows.push({ segs: [{ t: ' (no packets kept for the ladder diagram)', c: pal.muted }] });
  const events = m.eventsOfFlow(f.id);
  const logRefs = new Set(f.logs ?? []);
  const logs = events.filter((k) => logRefs.has(m.entry(k).ref));
  rows.push(BLANK);
  rows.push(heading('LOG LINES', env, `joined to this flow (${f.logs?.length ?? 0})`));
  const eventRow = (k: number): Row => {
    const e = m.entry(k);
    const src = `${e.ref}`;
    const srcW = Math.min(30, Math.max(12, src.length));
    return {
      segs: [
        { t: '  ' },
        { t: cell(clock(e.ts), timeW), c: pal.muted },
        sevSeg(e.severity, pal),
        { t: ' ' },
        { t: cell(safe(src), srcW), c: pal.accent },
        { t: ' ' },
        {
          t: cell(safe(e.text), Math.max(0, width - 2 - timeW - 4 - 1 - srcW - 2)),
          c: pal.severity(e.severity),
        },
      ],
      jump: { ts: e.ts, ref: e.ref },
      entry: k,
    };
  };
  for (const k of logs) rows.push(eventRow(k));
  const missing = (f.logs ?? []).filter((r) => !logs.some((k) => m.entry(k).ref === r));
  for (const r of missing)
    rows.push({ segs: [{ t: '  ' }, { t: cell(safe(r), width - 3), c: pal.accent }], jump: { ref: r } });
  if (!f.logs?.length) rows.push({ segs: [{ t: '  none', c: pal.muted }] });
  const others = events.filter((k) => !logRefs.has(m.entry(k).ref));
  rows.push(BLANK);
  rows.push(heading('EVENTS', env, `on the timeline for this flow (${others.length})`));
  for (const k of others) rows.push(eventRow(k));
  return arraySource(header, rows, (r) => r.entry !== undefined && isErrorEntry(m.entry(r.entry)));
}
