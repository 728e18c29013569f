/**
 * The unified timeline: notable packets, log records and client errors from every
 * source, merged by time, each with node, layer and a reference back to file +
 * line or packet. Repeats of the same event within a window are aggregated
 * into one entry with `count` and `until` (renderers show `42× SYN-ACK retransmitted …`)
 * so a 1 GB capture yields a readable timeline.
 */
import type { FlowSummary, Layer, Severity, TimelineEntry } from '../model/analysis.js';
import { clientNetwork, hostPort } from '../netstate/ip.js';
import { clip, displayText } from '../util/sanitize.js';
import { epochFromIso } from '../util/time.js';
import type { Evidence, NodeRecord, PacketEvent } from './evidence.js';

/** Events of the same key closer than this (seconds) are aggregated. */
export const AGGREGATE_WINDOW_S = 60;

/** A timeline entry before aggregation, with the key repeats are grouped by. */
export interface RawEntry extends TimelineEntry {
  key: string;
  /** Text for an aggregate whose members differ in detail (e.g. the client port as `*`). */
  groupText?: string;
  /** Who the event is about (e.g. the client address); with `subjectText`, used when all members share it. */
  subject?: string;
  /** Text for an aggregate whose members differ in detail but share the subject. */
  subjectText?: string;
}

const NOTABLE_LOG_LEVEL = /^(warn|warning|error|err|fatal|panic|crit|critical|e|w|f)$/i;
const ERROR_LOG_LEVEL = /^(e|err|error|fatal|panic|crit|critical|f)$/i;

/** Bound of the memo tables below (each is cleared when full). */
const MEMO_MAX = 65_536;
/**
 * Strings that repeat across a log, built once: client address → network, text → its
 * digit-folded form, and the parts of group keys. A repeated string is also one object,
 * whose hash V8 keeps, so the lookups keyed by it stay cheap.
 */
const networks = new Map<string, string>();
const folded = new Map<string, string>();
const logKeys = new Map<string, string>();
const tlsKinds = new Map<string, string>();
const statusClasses = new Map<number, string>();
const pairKeys = new Map<string, Map<string, Map<string, string>>>();
const memoTables: Array<Map<unknown, unknown>> = [
  networks,
  folded,
  logKeys,
  tlsKinds,
  statusClasses,
  pairKeys,
];

function memo<K>(table: Map<K, string>, k: K, make: (k: K) => string): string {
  let v = table.get(k);
  if (v === undefined) {
    v = make(k);
    if (table.size >= MEMO_MAX) table.clear();
    table.set(k, v);
  }
  return v;
}

/** `${prefix}|${a}|${b}`, one string per distinct triple. */
function pairKey(prefix: string, a: string, b: string): string {
  return memo(nested(nested(pairKeys, prefix), a), b, () => `${prefix}|${a}|${b}`);
}

/** The table under `k` of a table of tables (made when missing). */
function nested<V>(table: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let m = table.get(k);
  if (!m) {
    if (table.size >= MEMO_MAX) table.clear();
    m = new Map();
    table.set(k, m);
  }
  return m;
}

const netOf = (ip: string | null | undefined): string => (ip ? memo(networks, ip, clientNetwork) : '?');
const foldDigits = (text: string): string => memo(folded, text, (t) => t.replace(/\d+/g, '#'));

/** A text record that is a timeline event (has a timestamp, and is notable for its type). */
type EventRecord = NodeRecord & { ts: string };

function isEvent(r: NodeRecord): r is EventRecord {
  const ts = (r as { ts?: unknown }).ts;
  if (!ts || typeof ts !== 'string') return false;
  switch (r.type) {
    case 'tls-handshake-error':
    case 'client-error':
    case 'access':
      return true;
    case 'log':
      return !!r.level && NOTABLE_LOG_LEVEL.test(r.level);
    default:
      return !!otherText(r);
  }
}

/** The text of a record of another family (MetalLB, cert-manager events…). */
function otherText(r: NodeRecord): unknown {
  const any = r as unknown as { message?: string; text?: string; event?: string };
  return any.message ?? any.event ?? any.text;
}

/**
 * The timeline entry of one text record. Most records only join a group, so
 * its texts are built when read (an aggregate reads the first member's, and the
 * others' until the group turns out mixed); only the reference is kept built,
 * for sorting.
 */
class RecordEntry implements RawEntry {
  // What the sort and the grouping read first is kept as fields (one shape, where a record's varies by type).
  readonly ts: string;
  readonly source: string;
  readonly node: string | undefined;
  /** What follows the source in the reference (see TailKind). */
  readonly tailKind: TailKind;
  readonly tailNumber: number;

  /** `ts` and `source` are the record's (passed in so that runs of equal ones can share one string). */
  constructor(
    private readonly r: EventRecord,
    ts: string,
    source: string,
  ) {
    this.ts = ts;
    this.source = source;
    this.tailKind = r.line !== undefined ? TAIL_LINE : TAIL_NONE;
    this.tailNumber = r.line ?? 0;
    this.node = r.node;
  }

  get ref(): string {
    return this.tailKind === TAIL_LINE ? `${this.source}:${this.tailNumber}` : this.source;
  }

  get layer(): Layer {
    switch (this.r.type) {
      case 'tls-handshake-error':
      case 'client-error':
      case 'access':
      case 'log':
        return 'L7';
      case 'martian':
        return 'L3';
      default:
        return 'config';
    }
  }

  get severity(): Severity {
    const r = this.r;
    switch (r.type) {
      case 'tls-handshake-error':
        return r.cause === 'bad-record-mac' ? 'high' : 'medium';
      case 'client-error':
        return 'high';
      case 'access':
        return r.status === null || r.status >= 500 || r.status === 0 ? 'medium' : 'info';
      case 'log':
        return ERROR_LOG_LEVEL.test(r.level ?? '') ? 'medium' : 'low';
      case 'martian':
        return 'medium';
      default:
        return 'info';
    }
  }

  get kind(): string {
    const r = this.r;
    switch (r.type) {
      case 'tls-handshake-error':
        return memo(tlsKinds, r.cause, (c) => `tls-${c}`);
      case 'client-error':
        return `${r.tool}-error`;
      default:
        return r.type;
    }
  }

  get text(): string {
    const r = this.r;
    switch (r.type) {
      case 'tls-handshake-error':
        return `TLS handshake error from ${hostPort(r.client.ip ?? '?', r.client.port ?? '?')}: ${r.cause}`;
      case 'client-error':
        return `${r.tool}: ${r.text}`;
      case 'access':
        return `${r.client.ip ?? '?'} ${r.method ?? ''} ${r.path ?? ''} → ${r.status ?? '?'}${r.durationMs !== null ? ` ${r.durationMs}ms` : ''}`;
      case 'log':
        return r.message;
      case 'martian':
        return `kernel dropped a martian ${r.kind}: ${r.src} → ${r.dst} on ${r.dev}`;
      default:
        return String(otherText(r));
    }
  }

  get key(): string {
    const r = this.r;
    switch (r.type) {
      case 'tls-handshake-error':
        // Repeats fold per client network: a log of thousands of clients stays a readable timeline.
        return pairKey('tls', r.cause, netOf(r.client.ip));
      case 'client-error':
        return `client|${r.tool}|${r.code}|${r.target}`;
      case 'access':
        return pairKey('access', netOf(r.client.ip), statusClass(r.status));
      case 'log':
        return memo(logKeys, r.message, (m) => `log|${foldDigits(m)}`);
      case 'martian':
        return `martian|${r.kind}|${r.dev}|${r.dst}|${netOf(r.src)}`;
      default:
        return `${r.type}|${foldDigits(String(otherText(r)))}`;
    }
  }

  get groupText(): string | undefined {
    const r = this.r;
    switch (r.type) {
      case 'tls-handshake-error':
        return `TLS handshake errors from ${netOf(r.client.ip)}: ${r.cause}`;
      case 'access':
        return `requests from ${netOf(r.client.ip)} → ${statusClass(r.status)}`;
      case 'martian':
        return `kernel dropped martian ${r.kind}s from ${netOf(r.src)} → ${r.dst} on ${r.dev}`;
      default:
        return undefined;
    }
  }

  get subject(): string | undefined {
    const r = this.r;
    return r.type === 'tls-handshake-error' || r.type === 'access' ? (r.client.ip ?? undefined) : undefined;
  }

  get subjectText(): string | undefined {
    const r = this.r;
    switch (r.type) {
      case 'tls-handshake-error':
        return `TLS handshake errors from ${hostPort(r.client.ip ?? '?', '*')}: ${r.cause}`;
      case 'access':
        return `requests from ${r.client.ip} → ${statusClass(r.status)}`;
      default:
        return undefined;
    }
  }
}

function statusClass(status: number | null): string {
  if (status === null) return '?';
  return memo(statusClasses, status, (s) => (s === 0 ? '0' : `${Math.floor(s / 100)}xx`));
}

/** Turn one text record into a timeline entry, or null when it is not an event. */
export function recordEntry(r: NodeRecord): RawEntry | null {
  return isEvent(r) ? new RecordEntry(r, r.ts, r.file) : null;
}

type GroupKeys = Map<string, Map<string, Map<string, Map<string, Map<string, string>>>>>;

/**
 * `${node}|${source}|${layer}|${kind}|${key}`, one string per distinct parts: the parts
 * repeat as the same strings, so five lookups of them cost less than building and hashing
 * a new key string per entry.
 */
function groupKey(keys: GroupKeys, node: string, source: string, layer: string, kind: string, key: string) {
  const byLayer = nested(nested(nested(nested(keys, key), kind), source), node);
  let k = byLayer.get(layer);
  if (k === undefined) {
    k = `${node}|${source}|${layer}|${kind}|${key}`;
    byLayer.set(layer, k);
  }
  return k;
}

/**
 * What follows the source in an entry's reference — nothing, `#packet` or `:line` — in
 * the order of those texts (`''` < `#` < `:`). Entries keep it as a kind and a number so
 * that the sort needs no reference string (built only for the entries that head a group).
 */
type TailKind = 0 | 1 | 2;
const TAIL_NONE = 0;
const TAIL_PACKET = 1;
const TAIL_LINE = 2;

/** `a.ref` vs `b.ref` as strings, without building them when both entries know their tail. */
function compareRefs(a: RawEntry, b: RawEntry): number {
  if (
    (a instanceof RecordEntry || a instanceof PacketEntry) &&
    (b instanceof RecordEntry || b instanceof PacketEntry) &&
    a.source === b.source
  ) {
    if (a.tailKind !== b.tailKind) return a.tailKind - b.tailKind;
    if (a.tailKind === TAIL_NONE) return 0;
    const c = compareDecimal(a.tailNumber, b.tailNumber);
    if (c !== undefined) return c;
  }
  const x = a.ref;
  const y = b.ref;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `String(x)` vs `String(y)` as text, for integers 0 ≤ x, y < 2^31 (undefined otherwise):
 * the leading digits they share in length decide, else the shorter (a prefix) comes first.
 */
export function compareDecimal(x: number, y: number): number | undefined {
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x > 0x7fffffff || y > 0x7fffffff)
    return undefined;
  if (x === y) return 0;
  let dx = decimalDigits(x);
  let dy = decimalDigits(y);
  if (dx === dy) return x < y ? -1 : 1;
  const shorter = dx < dy ? -1 : 1;
  let px = x;
  let py = y;
  for (; dx > dy; dx--) px = Math.floor(px / 10);
  for (; dy > dx; dy--) py = Math.floor(py / 10);
  return px !== py ? (px < py ? -1 : 1) : shorter;
}

function decimalDigits(x: number): number {
  let n = 1;
  for (let p = 10; p <= x; p *= 10) n++;
  return n;
}

/** Merge raw entries by time and aggregate repeats. Output is sorted and deterministic. */
export function aggregate(entries: RawEntry[]): TimelineEntry[] {
  entries.sort(
    (a, b) =>
      (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0) ||
      (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
      compareRefs(a, b),
  );
  interface Group {
    entry: TimelineEntry;
    text: string;
    raw: RawEntry;
    mixed: boolean;
    sameSubject: boolean;
    /** The last member's time, parsed (each member is compared with it). */
    sec: number;
    nsec: number;
  }
  const open = new Map<string, Group>();
  const groups: Group[] = [];
  const out: TimelineEntry[] = [];
  // Group key `node|source|layer|kind|key`, found through its parts (see groupKey).
  const keys: GroupKeys = new Map();
  let parsedTs: string | undefined;
  let sec = 0;
  let nsec = 0;
  for (const e of entries) {
    const ts = e.ts;
    // In time order, a run of equal times is parsed once.
    if (ts !== parsedTs) {
      [sec, nsec] = epochFromIso(ts);
      parsedTs = ts;
    }
    const k = groupKey(keys, e.node ?? '', e.source, e.layer, e.kind ?? '', e.key);
    const cur = open.get(k);
    if (cur) {
      // isoDiffSeconds(ts, last), on the parsed times.
      if (sec - cur.sec + (nsec - cur.nsec) / 1e9 <= AGGREGATE_WINDOW_S) {
        cur.entry.count = (cur.entry.count ?? 1) + 1;
        cur.entry.until = ts;
        cur.sec = sec;
        cur.nsec = nsec;
        // Texts are compared only until the group is known to be mixed.
        if (!cur.mixed && e.text !== cur.text) cur.mixed = true;
        if (cur.sameSubject && e.subject !== cur.raw.subject) cur.sameSubject = false;
        continue;
      }
    }
    const text = e.text;
    const clean: TimelineEntry = {
      ts,
      node: e.node,
      source: e.source,
      ref: e.ref,
      layer: e.layer,
      severity: e.severity,
      kind: e.kind,
      text: clip(displayText(text), 400),
      flow: e.flow,
      interface: e.interface,
    };
    const g: Group = { entry: clean, text, raw: e, mixed: false, sameSubject: true, sec, nsec };
    open.set(k, g);
    groups.push(g);
    out.push(clean);
  }
  // An aggregate of events that differ in detail shows the shared form: the subject's when all
  // members share it (one client), else the group's (a client network).
  for (const g of groups) {
    if (!g.mixed) continue;
    const text = g.sameSubject && g.raw.subjectText ? g.raw.subjectText : g.raw.groupText;
    if (text) g.entry.text = clip(displayText(text), 400);
  }
  return out;
}

/** The timeline entry of one notable packet; its key and group text are built when read. */
class PacketEntry implements RawEntry {
  readonly ts: string;
  readonly source: string;
  readonly tailKind: TailKind = TAIL_PACKET;
  readonly tailNumber: number;

  constructor(
    private readonly p: PacketEvent,
    private readonly f: FlowSummary | undefined,
  ) {
    this.ts = p.ts;
    this.source = p.file;
    this.tailNumber = p.packet;
  }

  get ref(): string {
    return `${this.p.file}#${this.p.packet}`;
  }

  get node(): string | undefined {
    return this.p.node;
  }

  get layer(): Layer {
    return this.p.layer;
  }

  get severity(): Severity {
    return this.p.severity;
  }

  get kind(): string {
    return this.p.kind;
  }

  get text(): string {
    return this.p.text;
  }

  get flow(): string | undefined {
    return this.p.flow;
  }

  get interface(): string | undefined {
    return this.p.iface;
  }

  get key(): string {
    const { p, f } = this;
    // Repeats of one kind of event between one client and one service on one interface fold
    // together. Events outside a flow fold only when their text is the same: theirs names
    // what differs (the ARP target, the ICMP type and code), and folding its digits showed
    // one address for several.
    return f
      ? `${p.kind}|${f.client.ip}|${f.server.ip}:${f.server.port}|${p.iface ?? ''}`
      : `${p.kind}|${p.text}`;
  }

  get groupText(): string | undefined {
    const { p, f } = this;
    return f
      ? p.text.split(hostPort(f.client.ip, f.client.port)).join(hostPort(f.client.ip, '*'))
      : undefined;
  }
}

/** Build the timeline from the evidence. */
export function buildTimeline(ev: Evidence): TimelineEntry[] {
  const raw: RawEntry[] = [];
  // Neighbouring records mostly share their time and file: equal ones are passed on as one string
  // object, which the sort and the group lookups then compare and hash at no cost.
  let ts = '';
  let file = '';
  for (const r of ev.records) {
    if (!isEvent(r)) continue;
    if (r.ts !== ts) ts = r.ts;
    if (r.file !== file) file = r.file;
    raw.push(new RecordEntry(r, ts, file));
  }
  const flows = new Map(ev.flows.map((f) => [f.id, f]));
  for (const p of ev.events) raw.push(new PacketEntry(p, p.flow ? flows.get(p.flow) : undefined));
  const out = aggregate(raw);
  // The memo tables would otherwise keep this bundle's strings alive.
  for (const t of memoTables) t.clear();
  return out;
}
