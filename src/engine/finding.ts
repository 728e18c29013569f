/** Helpers rules use to build findings and evidence references. */
import type { EvidenceRef, Finding, FlowSummary } from '../model/analysis.js';
import { hostPort, sameAddr } from '../netstate/ip.js';
import type { PacketEvent } from './evidence.js';

/** Finding id: `rule#node` (or `rule#bundle`), with an optional qualifier. */
export function findingId(rule: string, node?: string, qualifier?: string): string {
  return `${rule}#${node ?? 'bundle'}${qualifier ? `/${qualifier}` : ''}`;
}

/** One-line description of a flow (`?`: packets seen, their interface not known). */
export function flowText(f: FlowSummary): string {
  const side = (l: string[], packets: number, one: string, many: string) =>
    packets === 0 ? `no ${one} captured` : `${many} on ${l.length ? l.join(',') : '?'}`;
  return `${hostPort(f.client.ip, f.client.port)} → ${hostPort(f.server.ip, f.server.port)} ${f.state}; ${side(f.interfaces.toServer, f.packets.toServer, 'request', 'requests')}, ${side(f.interfaces.toClient, f.packets.toClient, 'reply', 'replies')}`;
}

/**
 * What a stalled flow's lost segment was (FlowSummary.stall): `1500-byte packet (1448 bytes
 * of data, DF set) sent 5×, never acknowledged (peer's MSS 1460)`.
 */
export function stallText(st: NonNullable<FlowSummary['stall']>): string {
  const mss = st.peerMss !== undefined ? ` (peer's MSS ${st.peerMss})` : '';
  return `${st.ipLen}-byte packet (${st.payload} bytes of data${st.df ? ', DF set' : ''}) sent ${st.sends}×, never acknowledged${mss}`;
}

/** `stalled to the client: ` + stallText: a stalled flow in a table or heading. */
export function stalledLine(st: NonNullable<FlowSummary['stall']>): string {
  return `stalled ${st.dir === 'toClient' ? 'to the client' : 'to the server'}: ${stallText(st)}`;
}

/** Evidence reference for a flow (its first capture file). */
export function flowRef(f: FlowSummary, text?: string): EvidenceRef {
  const first = f.ladder?.[0];
  const [file, packet] = first?.ref.split('#') ?? [f.files?.[0] ?? '(capture)', undefined];
  return {
    file: file ?? '(capture)',
    ...(packet ? { packet: Number(packet) } : {}),
    ...(first?.interface ? { interface: first.interface } : {}),
    ...(f.node ? { node: f.node } : {}),
    ts: f.first,
    flow: f.id,
    text: text ?? flowText(f),
  };
}

/** Evidence reference for a packet event. */
export function eventRef(e: PacketEvent): EvidenceRef {
  return {
    file: e.file,
    packet: e.packet,
    ...(e.iface ? { interface: e.iface } : {}),
    ...(e.node ? { node: e.node } : {}),
    ts: e.ts,
    ...(e.flow ? { flow: e.flow } : {}),
    text: e.text,
  };
}

/** Group items by key, keeping their order within each group (linear: no array copy per item). */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/**
 * The entries of a grouping in the order `[...groups.entries()].sort()` gives — that
 * sort compares `String([key, list])`, i.e. `key,` then every member's string — without
 * stringifying every member: the keys decide unless one `key,` begins the other.
 */
export function sortedGroups<T>(groups: ReadonlyMap<string, T[]>): Array<[string, T[]]> {
  return [...groups.entries()].sort((a, b) => {
    const x = `${a[0]},`;
    const y = `${b[0]},`;
    if (!x.startsWith(y) && !y.startsWith(x)) return x < y ? -1 : 1;
    const sx = String(a);
    const sy = String(b);
    return sx < sy ? -1 : sx > sy ? 1 : 0;
  });
}

/** Keep the first `n` evidence references (findings cite examples, facts carry totals). */
export function cap<T>(list: T[], n = 12): T[] {
  return list.slice(0, n);
}

/** Findings of given rules among the prior ones. */
export function priorOf(prior: readonly Finding[], ...rules: string[]): Finding[] {
  return prior.filter((f) => rules.includes(f.rule));
}

/**
 * True when a symptom's facts name one of `flows` (its `flows` or `joinedFlows`) or one of
 * `clients` (its `clients`): the conversations or clients a cause is about.
 */
export function namesAny(f: Finding, flows: ReadonlySet<string>, clients: ReadonlySet<string>): boolean {
  const has = (v: unknown, set: ReadonlySet<string>) => Array.isArray(v) && v.some((x) => set.has(String(x)));
  const facts = f.facts ?? {};
  return has(facts.flows, flows) || has(facts.joinedFlows, flows) || has(facts.clients, clients);
}

/** The host part of a client target: a bare address, `host:port`, `[v6]:port` or a URL. */
export function targetHost(target: string): string {
  let h = target.trim();
  const scheme = h.indexOf('://');
  if (scheme >= 0) h = h.slice(scheme + 3);
  h = h.split('/')[0];
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') >>> 0);
  const parts = h.split(':');
  return parts.length === 2 ? parts[0] : h;
}

/** True when a symptom's `targets` name `ip` as a whole address (not as a prefix of a longer one). */
export function targetsName(targets: unknown, ip: string): boolean {
  return Array.isArray(targets) && targets.some((t) => typeof t === 'string' && sameAddr(targetHost(t), ip));
}
