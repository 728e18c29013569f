/**
 * The Evidence store: everything the parsers found, per node, in the shared
 * field vocabulary. Rules read it; nothing mutates it after it is built.
 */
import { kindKey } from '../bundle/keep.js';
import type { Manifest } from '../bundle/manifest.js';
import type { FileCoverage, FlowSummary, Layer, Severity } from '../model/analysis.js';
import type { AnyRecord } from '../model/records/index.js';
import { groupBy } from './finding.js';
import type { FlowPayloadComparison } from './segments.js';

/** A record with the node it was attributed to. */
export type NodeRecord = AnyRecord & { node?: string };

/** A notable packet (handshake, retransmission, reset, TLS alert, ICMP error, ARP). */
export interface PacketEvent {
  ts: string;
  file: string;
  packet: number;
  node?: string;
  iface?: string;
  direction?: 'in' | 'out';
  /** e.g. `syn`, `syn-retransmit`, `syn-ack-retransmit`, `rst`, `tls-alert`, `icmp-error`, `arp-request`, `arp-reply`. */
  kind: string;
  layer: Layer;
  severity: Severity;
  text: string;
  flow?: string;
}

/** What the captures say about one IP address at L2. */
export interface ArpObservation {
  ip: string;
  node?: string;
  file: string;
  requests: number;
  replies: number;
  /** MACs that answered for the IP (is-at), or sent with it as sender. */
  macs: string[];
  firstTs?: string;
  lastTs?: string;
  ifaces: string[];
  /** Example packet numbers (requests first). */
  packets: number[];
}

/** One capture file's contribution. */
export interface CaptureEvidence {
  file: string;
  node?: string;
  packets: number;
  /** Interface names seen (resolved). */
  interfaces: string[];
  firstTs?: string;
  lastTs?: string;
}

/** Per-node state derived from network-state dumps. */
export interface NodeState {
  name: string;
  role?: string;
  files: string[];
}

/** The whole store. */
export interface Evidence {
  bundle: string;
  manifest: Manifest | null;
  nodes: ReadonlyMap<string, NodeState>;
  /** All text records (and issues), attributed. */
  records: readonly NodeRecord[];
  /** Records grouped by `type`. */
  byType: ReadonlyMap<string, readonly NodeRecord[]>;
  flows: readonly FlowSummary[];
  events: readonly PacketEvent[];
  arp: readonly ArpObservation[];
  captures: readonly CaptureEvidence[];
  coverage: readonly FileCoverage[];
  /** Two-point payload comparisons of conversations captured in several files. */
  comparisons: readonly PayloadComparison[];
}

/** A conversation compared between capture points (see src/engine/segments.ts). */
export interface PayloadComparison {
  /** Merged flow ids of this 5-tuple (one per node that captured it). */
  flowIds: string[];
  result: FlowPayloadComparison;
  /** One-line description of the first divergence, or null when identical/not comparable. */
  text: string | null;
}

/** Records of one type, typed by the caller. */
export function recordsOf<T extends NodeRecord['type']>(
  ev: Evidence,
  type: T,
): ReadonlyArray<Extract<NodeRecord, { type: T }> & { node?: string }> {
  return (ev.byType.get(type) ?? []) as ReadonlyArray<Extract<NodeRecord, { type: T }> & { node?: string }>;
}

/**
 * Records of a type and sub-kind (cause, level, status class: see src/bundle/keep.ts)
 * that were counted but not kept (logs beyond their record cap), from the coverage;
 * `node` limits it to one node's files. Added to the kept records, it gives exact totals.
 */
export function notKeptOf(ev: Evidence, type: string, sub: string | number, node?: string): number {
  const kind = kindKey(type, sub);
  let n = 0;
  for (const c of ev.coverage)
    if (c.notKeptByKind && (node === undefined || c.node === node)) n += c.notKeptByKind[kind] ?? 0;
  return n;
}

/** Assemble an Evidence store (groups records by type). */
export function makeEvidence(parts: {
  bundle?: string;
  manifest?: Manifest | null;
  nodes?: Map<string, NodeState>;
  records?: NodeRecord[];
  flows?: FlowSummary[];
  events?: PacketEvent[];
  arp?: ArpObservation[];
  captures?: CaptureEvidence[];
  coverage?: FileCoverage[];
  comparisons?: PayloadComparison[];
}): Evidence {
  const records = parts.records ?? [];
  const byType: Map<string, NodeRecord[]> = groupBy(records, (r) => r.type);
  const nodes = parts.nodes ?? new Map<string, NodeState>();
  if (!parts.nodes)
    for (const r of records) if (r.node && !nodes.has(r.node)) nodes.set(r.node, { name: r.node, files: [] });
  return {
    bundle: parts.bundle ?? '(test)',
    manifest: parts.manifest ?? null,
    nodes,
    records,
    byType,
    flows: parts.flows ?? [],
    events: parts.events ?? [],
    arp: parts.arp ?? [],
    captures: parts.captures ?? [],
    coverage: parts.coverage ?? [],
    comparisons: parts.comparisons ?? [],
  };
}
