/**
 * Merge the conversations of one node seen in several capture files — one pcap
 * per interface is common, and then a request is in eth1.pcap while its reply is
 * in eth0.pcap. Same node, same endpoints, overlapping time → one flow whose
 * interface sets, counters and ladder combine both files. Flow ids are then
 * re-assigned so they are unique across the bundle; events are re-pointed.
 */
import type { FlowSummary } from '../model/analysis.js';
import { isoDiffSeconds } from '../util/time.js';
import type { PacketEvent } from './evidence.js';

/** Gap (seconds) beyond which two captures of the same 5-tuple are different conversations. */
export const MERGE_GAP_S = 120;

const STATE_RANK: Record<string, number> = {
  midstream: 0,
  udp: 0,
  'syn-sent': 1,
  'syn-received': 2,
  established: 3,
  closing: 4,
  closed: 5,
  reset: 6,
};

/** A flow as a capture file reported it, before merging. */
export interface FileFlow {
  file: string;
  flow: FlowSummary;
}

/** Result: merged flows, and where each came from (`file` + per-file id) for evidence export. */
export interface MergedFlows {
  flows: FlowSummary[];
  /** merged id → the per-file flows it combines. */
  sources: Map<string, readonly FileFlow[]>;
}

function swap(f: FlowSummary): FlowSummary {
  return {
    ...f,
    client: f.server,
    server: f.client,
    packets: { toServer: f.packets.toClient, toClient: f.packets.toServer },
    bytes: { toServer: f.bytes.toClient, toClient: f.bytes.toServer },
    interfaces: { toServer: f.interfaces.toClient, toClient: f.interfaces.toServer },
    ladder: f.ladder?.map((s) => ({
      ...s,
      dir: s.dir === 'toServer' ? ('toClient' as const) : ('toServer' as const),
    })),
    tls: f.tls && {
      ...f.tls,
      alerts: f.tls.alerts.map((a) => ({
        ...a,
        from: a.from === 'client' ? ('server' as const) : ('client' as const),
      })),
    },
    maxPayload: f.maxPayload && { toServer: f.maxPayload.toClient, toClient: f.maxPayload.toServer },
    stall: f.stall && { ...f.stall, dir: f.stall.dir === 'toServer' ? 'toClient' : 'toServer' },
  };
}

/** `a` then the members of `b` not in it (the lists are sets already: interfaces, files). */
function union(a: string[], b: string[]): string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = a.slice();
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

const sum = (a?: number, b?: number) =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/** Counters that add up when two halves of a conversation combine (in output order). */
const COUNTERS = ['retransmissions', 'synRetransmits', 'synAckRetransmits', 'resets', 'icmpErrors'] as const;

function combine(a: FlowSummary, bIn: FlowSummary): FlowSummary {
  // Orient b like a (a is the one whose client/server came from a handshake when possible).
  const b = a.client.ip === bIn.client.ip && a.client.port === bIn.client.port ? bIn : swap(bIn);
  const out: FlowSummary = {
    ...a,
    packets: {
      toServer: a.packets.toServer + b.packets.toServer,
      toClient: a.packets.toClient + b.packets.toClient,
    },
    bytes: { toServer: a.bytes.toServer + b.bytes.toServer, toClient: a.bytes.toClient + b.bytes.toClient },
    interfaces: {
      toServer: union(a.interfaces.toServer, b.interfaces.toServer),
      toClient: union(a.interfaces.toClient, b.interfaces.toClient),
    },
    state: (STATE_RANK[b.state] ?? 0) > (STATE_RANK[a.state] ?? 0) ? b.state : a.state,
    first: a.first < b.first ? a.first : b.first,
    last: a.last > b.last ? a.last : b.last,
    files: union(a.files ?? [], b.files ?? []),
  };
  for (const k of COUNTERS) {
    const v = sum(a[k], b[k]);
    if (v !== undefined) out[k] = v;
  }
  if (a.tls || b.tls) {
    const tls = {} as NonNullable<FlowSummary['tls']>;
    const sni = a.tls?.sni ?? b.tls?.sni;
    if (sni) tls.sni = sni;
    const version = a.tls?.version ?? b.tls?.version;
    if (version) tls.version = version;
    tls.alerts = (a.tls?.alerts ?? []).concat(b.tls?.alerts ?? []);
    out.tls = tls;
  }
  if (a.ladder || b.ladder) out.ladder = mergeLadders(a.ladder ?? [], b.ladder ?? []);
  if (a.maxPayload || b.maxPayload)
    out.maxPayload = {
      toServer: Math.max(a.maxPayload?.toServer ?? 0, b.maxPayload?.toServer ?? 0),
      toClient: Math.max(a.maxPayload?.toClient ?? 0, b.maxPayload?.toClient ?? 0),
    };
  // A half that saw the segment retransmitted and never acknowledged speaks for the conversation.
  const stall = a.stall ?? b.stall;
  if (stall) out.stall = stall;
  const ts = out.interfaces.toServer.filter((i) => i !== 'any');
  const tc = out.interfaces.toClient.filter((i) => i !== 'any');
  if (ts.length && tc.length) out.asymmetric = !ts.some((i) => tc.includes(i));
  return out;
}

type Step = NonNullable<FlowSummary['ladder']>[number];
const stepOrder = (x: Step, y: Step) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : x.ref.localeCompare(y.ref));
const MAX_LADDER = 64;

/**
 * The steps of both ladders by time (then reference), the first MAX_LADDER. Each file's
 * ladder is in packet order, which is time order unless the capture's clock stepped back:
 * two ordered ladders are merged, others sorted (the same result, a stable sort of a, b).
 */
function mergeLadders(a: readonly Step[], b: readonly Step[]): Step[] {
  const ordered = (l: readonly Step[]) => l.every((s, i) => i === 0 || stepOrder(l[i - 1], s) <= 0);
  if (!ordered(a) || !ordered(b)) return [...a, ...b].sort(stepOrder).slice(0, MAX_LADDER);
  const out: Step[] = [];
  let i = 0;
  let j = 0;
  while (out.length < MAX_LADDER && (i < a.length || j < b.length))
    out.push(j >= b.length || (i < a.length && stepOrder(a[i], b[j]) <= 0) ? a[i++] : b[j++]);
  return out;
}

function pairKey(f: FlowSummary): string {
  const a = `${f.client.ip}|${f.client.port}`;
  const b = `${f.server.ip}|${f.server.port}`;
  return `${f.node ?? ''}|${f.proto}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
}

/** Order of per-file flows: first packet time, then file. */
const byFirst = (x: FileFlow, y: FileFlow) =>
  x.flow.first < y.flow.first ? -1 : x.flow.first > y.flow.first ? 1 : x.file.localeCompare(y.file);

/** Merge per-file flows; output sorted by first packet time, ids `node/proto/N`. */
export function mergeFlows(input: readonly FileFlow[]): MergedFlows {
  // The flows of each endpoint pair (`key`), then their conversations. Only flows of one
  // pair can merge, so each pair is taken by itself, its flows in time order.
  const pairs = new Map<string, FileFlow[]>();
  for (const ff of input) {
    const k = pairKey(ff.flow);
    const list = pairs.get(k);
    if (list === undefined) pairs.set(k, [ff]);
    else list.push(ff);
  }
  const all: Array<{ key: string; merged: FlowSummary; parts: FileFlow[] }> = [];
  for (const [key, list] of pairs) {
    if (list.length === 1) {
      all.push({ key, merged: { ...list[0].flow }, parts: list });
      continue;
    }
    list.sort(byFirst);
    const convs: typeof all = [];
    for (const ff of list) {
      // Join a conversation of another file when the time ranges touch.
      const hit = convs.find(
        (g) =>
          !g.parts.some((p) => p.file === ff.file) &&
          isoDiffSeconds(ff.flow.first, g.merged.last) <= MERGE_GAP_S &&
          isoDiffSeconds(g.merged.first, ff.flow.last) <= MERGE_GAP_S,
      );
      if (hit) {
        const preferNew = hit.merged.state === 'midstream' && ff.flow.state !== 'midstream';
        hit.merged = preferNew ? combine(ff.flow, hit.merged) : combine(hit.merged, ff.flow);
        hit.parts.push(ff);
      } else convs.push({ key, merged: { ...ff.flow }, parts: [ff] });
    }
    for (const g of convs) all.push(g);
  }
  all.sort((x, y) =>
    x.merged.first < y.merged.first ? -1 : x.merged.first > y.merged.first ? 1 : x.key.localeCompare(y.key),
  );
  const counters = new Map<string, number>();
  const flows: FlowSummary[] = [];
  const sources = new Map<string, readonly FileFlow[]>();
  for (const g of all) {
    const prefix = `${g.merged.node ?? '-'}/${g.merged.proto}`;
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    const id = `${prefix}/${n}`;
    // g.merged is this group's own object (a copy or a combination): stamp the id in place.
    g.merged.id = id;
    flows.push(g.merged);
    sources.set(id, g.parts);
  }
  return { flows, sources };
}

/** Point events at the merged flow ids (`sources` from mergeFlows). */
export function repointEvents(
  events: PacketEvent[],
  sources: ReadonlyMap<string, readonly FileFlow[]>,
): PacketEvent[] {
  // file → per-file id → merged id, for the flows events name only (events are few, flows many).
  const idOf = new Map<string, Map<string, string>>();
  for (const e of events) {
    if (!e.flow) continue;
    let m = idOf.get(e.file);
    if (m === undefined) {
      m = new Map();
      idOf.set(e.file, m);
    }
    m.set(e.flow, e.flow);
  }
  if (idOf.size === 0) return events;
  for (const [id, parts] of sources)
    for (const p of parts) {
      const m = idOf.get(p.file);
      if (m?.has(p.flow.id)) m.set(p.flow.id, id);
    }
  return events.map((e) => (e.flow ? { ...e, flow: idOf.get(e.file)?.get(e.flow) ?? e.flow } : e));
}
