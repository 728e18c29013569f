/**
 * Flows view: the conversation table, sortable, asymmetric flows marked
 * `ASYM` with their in/out interfaces highlighted, stalled ones (a segment sent
 * again and again, never acknowledged: FlowSummary.stall) marked `LOST`.
 *
 *   !    NODE          PROTO CLIENT             SERVER             IN   OUT  STATE         RETX      PKTS TLS
 *   ASYM node1         tcp   203.0.113.50:51514 192.0.2.240:443    eth1 eth0 reset            6       7/9 bad_record_mac
 *        client-remote tcp   203.0.113.50:51514 192.0.2.240:443    -    -    reset            6       7/9 bad_record_mac
 *
 * NODE only when the flows come from more than one node.
 */
import type { FlowSummary } from '../../model/analysis.js';
import type { Filter } from '../filter.js';
import type { TuiModel } from '../model.js';
import { arraySource, type Row, type RowSource, type Seg } from '../rows.js';
import { cell, cellRight, endpoint, safe } from '../text.js';
import type { ViewEnv } from './common.js';

/** Sort keys of the flow table, in the order `s` cycles through them. */
export const FLOW_SORTS = ['first', 'problems', 'client', 'server', 'state', 'packets', 'retx'] as const;
/** A flow sort key. */
export type FlowSort = (typeof FLOW_SORTS)[number];

/** A score of how wrong a flow looks (asymmetry, TLS alerts, a stall, resets, retransmissions). */
export function problemScore(f: FlowSummary): number {
  return (
    (f.asymmetric ? 1000 : 0) +
    (f.tls?.alerts.length ? 500 : 0) +
    (f.stall ? 300 : 0) +
    (f.resets ?? 0) * 50 +
    (f.retransmissions ?? 0) +
    (f.synRetransmits ?? 0) +
    (f.synAckRetransmits ?? 0) +
    (f.icmpErrors ?? 0)
  );
}

/** Whether a flow is an "error" row for `e`/`E`. */
export function flowHasProblem(f: FlowSummary): boolean {
  return problemScore(f) >= 50 || (f.retransmissions ?? 0) > 0;
}

const cmp: Record<FlowSort, (a: FlowSummary, b: FlowSummary) => number> = {
  first: (a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0),
  problems: (a, b) => problemScore(b) - problemScore(a),
  client: (a, b) => a.client.ip.localeCompare(b.client.ip) || a.client.port - b.client.port,
  server: (a, b) => a.server.ip.localeCompare(b.server.ip) || a.server.port - b.server.port,
  state: (a, b) => a.state.localeCompare(b.state),
  packets: (a, b) => b.packets.toServer + b.packets.toClient - (a.packets.toServer + a.packets.toClient),
  retx: (a, b) => (b.retransmissions ?? 0) - (a.retransmissions ?? 0),
};

/** Short forms of long TCP states for the table. */
const STATE_ABBR: Record<string, string> = { 'syn-received': 'syn-rcvd', established: 'estab' };

/** TLS column text: the first alert, else version/SNI. */
function tlsText(f: FlowSummary): string {
  if (!f.tls) return '';
  const al = f.tls.alerts[0];
  if (al) return `${al.description}${f.tls.alerts.length > 1 ? ` +${f.tls.alerts.length - 1}` : ''}`;
  return f.tls.version ?? (f.tls.sni ? `SNI ${f.tls.sni}` : 'tls');
}

/** The flows (filtered by node) in table order. */
export function sortedFlows(m: TuiModel, sort: FlowSort, desc: boolean, filter: Filter): FlowSummary[] {
  let list = m.a.flows;
  if (filter.nodes.length) list = list.filter((f) => f.node && filter.nodes.includes(f.node));
  const sorted = [...list].sort(cmp[sort]);
  return desc ? sorted.reverse() : sorted;
}

/** A table column: heading, fixed width, priority (lower survives narrow terminals), cell text. */
interface Col {
  title: string;
  sort?: FlowSort;
  w: number;
  prio: number;
  right?: boolean;
  flex?: boolean;
  cell(f: FlowSummary): Seg;
}

/** Build the flow table; columns drop by priority until the row fits the width. */
export function flowsView(
  m: TuiModel,
  sort: FlowSort,
  desc: boolean,
  filter: Filter,
  env: ViewEnv,
): RowSource {
  const { pal, width } = env;
  const flows = sortedFlows(m, sort, desc, filter);
  const maxLen = (xs: string[], lo: number, hi: number) =>
    Math.min(hi, Math.max(lo, ...xs.map((x) => x.length)));
  const cliW = maxLen(
    flows.map((f) => endpoint(f.client)),
    12,
    26,
  );
  const srvW = maxLen(
    flows.map((f) => endpoint(f.server)),
    12,
    26,
  );
  const ifW = maxLen(
    flows.flatMap((f) => [f.interfaces.toServer.join(','), f.interfaces.toClient.join(',')]),
    3,
    10,
  );
  const retx = (f: FlowSummary) =>
    (f.retransmissions ?? 0) + (f.synRetransmits ?? 0) + (f.synAckRetransmits ?? 0);
  // Whose capture a flow is from, when the bundle has several (one conversation is then often
  // seen by a client and by the node, on two rows).
  const nodes = new Set(m.a.flows.map((f) => f.node ?? '-'));
  const nodeW = maxLen([...nodes], 4, 14);
  const all: Col[] = [
    {
      title: '!',
      w: 4,
      prio: 0,
      cell: (f) => ({ t: f.asymmetric ? 'ASYM' : f.stall ? 'LOST' : '', c: pal.bad, b: true }),
    },
    ...(nodes.size > 1
      ? [
          {
            title: 'NODE',
            w: nodeW,
            prio: 2,
            cell: (f: FlowSummary) => ({ t: safe(f.node ?? '-'), c: pal.muted }),
          },
        ]
      : []),
    { title: 'PROTO', w: 5, prio: 5, cell: (f) => ({ t: f.proto, c: pal.muted }) },
    { title: 'CLIENT', sort: 'client', w: cliW, prio: 0, cell: (f) => ({ t: safe(endpoint(f.client)) }) },
    { title: 'SERVER', sort: 'server', w: srvW, prio: 0, cell: (f) => ({ t: safe(endpoint(f.server)) }) },
    {
      title: 'IN',
      w: ifW,
      prio: 0,
      cell: (f) => ({
        t: safe(f.interfaces.toServer.join(',') || '-'),
        c: f.asymmetric ? pal.bad : undefined,
        b: !!f.asymmetric,
      }),
    },
    {
      title: 'OUT',
      w: ifW,
      prio: 0,
      cell: (f) => ({
        t: safe(f.interfaces.toClient.join(',') || '-'),
        c: f.asymmetric ? pal.bad : undefined,
        b: !!f.asymmetric,
      }),
    },
    {
      title: 'STATE',
      sort: 'state',
      w: 10,
      prio: 1,
      cell: (f) => ({
        t: safe(STATE_ABBR[f.state] ?? f.state),
        c: /reset|syn/.test(f.state) ? pal.severity('medium') : undefined,
      }),
    },
    {
      title: 'RETX',
      sort: 'retx',
      w: 4,
      prio: 2,
      right: true,
      cell: (f) => ({ t: String(retx(f)), c: retx(f) ? pal.severity('medium') : undefined }),
    },
    {
      title: 'PKTS',
      sort: 'packets',
      w: 9,
      prio: 3,
      right: true,
      cell: (f) => ({ t: `${f.packets.toServer}/${f.packets.toClient}` }),
    },
    {
      title: 'TLS',
      w: 14,
      prio: 1,
      flex: true,
      cell: (f) => ({ t: safe(tlsText(f)), c: f.tls?.alerts.length ? pal.bad : undefined }),
    },
  ];
  // Drop the least important columns until the minimum widths fit (1 margin + 1 gap per column + 1 spare).
  let cols = all;
  const need = (cs: Col[]) => 2 + cs.reduce((s, c) => s + c.w + 1, 0);
  for (let p = 5; p > 0 && need(cols) > width; p--) cols = cols.filter((c) => c.prio < p);
  const spare = Math.max(0, width - need(cols));
  const widthOf = (c: Col) => (c.flex ? c.w + spare : c.w);
  const arrow = (c: Col) => (c.sort === sort ? (desc ? '▲' : '▼') : '');
  const header: Seg[] = [
    {
      t: ` ${cols.map((c) => (c.right ? cellRight(c.title + arrow(c), widthOf(c)) : cell(c.title + arrow(c), widthOf(c)))).join(' ')}`,
      b: true,
    },
  ];
  const rows: Row[] = flows.map((f) => {
    const segs: Seg[] = [{ t: ' ' }];
    for (const c of cols) {
      const v = c.cell(f);
      segs.push({ ...v, t: c.right ? cellRight(v.t, widthOf(c)) : cell(v.t, widthOf(c)) }, { t: ' ' });
    }
    return { segs, flow: f.id, jump: { ts: f.first } };
  });
  if (rows.length === 0)
    rows.push({ segs: [{ t: ' no flows (captures absent, or filtered by node)', c: pal.muted }] });
  return arraySource([header], rows, (r, i) => !!r.flow && flowHasProblem(flows[i]));
}
