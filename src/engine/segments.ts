/**
 * Two-point segment comparison: the same TCP conversation captured at two (or
 * more) points of the path — e.g. on the client and on the node — is matched by
 * 5-tuple and sequence number, and the payload bytes present in both captures
 * are compared byte by byte. The first differing byte names where the path
 * altered the payload, with the packet that holds it on each side.
 *
 *   const r = await compareFlowPayloads(
 *     [{ file: 'client/c.pcapng', abs: '/b/client/c.pcapng' }, { file: 'node1/eth1.pcap', abs: '/b/node1/eth1.pcap' }],
 *     [{ client: { ip: '192.0.2.10', port: 40000 }, server: { ip: '203.0.113.5', port: 443 } }],
 *   );
 *   r[0].status                         // 'differs'
 *   r[0].pairs[0].toServer.firstDiff    // { seq, streamOffset: 517, a: { byte: 0x17, packet: 4 }, b: { byte: 0x97, packet: 9 } }
 *
 * Matching is by the exact 5-tuple: a conversation seen through NAT (addresses
 * or ports rewritten) does not match across the captures ('single-capture' /
 * 'not-found'). Bytes are aligned by sequence number; when both captures hold the
 * SYN and the ISNs differ (a hop that randomises sequence numbers) they are
 * aligned by offset from the ISN instead ('alignedBy'). Only captured bytes are
 * compared (a snaplen-truncated segment contributes what was captured). Memory is
 * bounded: at most `maxBytesPerDirection` payload bytes per flow, direction and
 * file are copied (default 256 KiB); bytes beyond it are not compared.
 */
import { ipString } from '../../parsers/layers/format.js';
import { IPPROTO, TCP } from '../../parsers/layers/packet.js';
import { analyzeCapture } from '../flows/analyze.js';
import type { FlowSummary } from '../model/analysis.js';

/** A capture file taken at one point of the path (the shape of the analyzer's capture tasks). */
export interface CapturePoint {
  /** Bundle-relative name used in the result. */
  file: string;
  /** Path to read. */
  abs: string;
  node?: string;
  /** Interface the whole file was captured on (`-i eth1`). */
  iface?: string;
  /** SLL2 ifindex → interface name. */
  ifindexNames?: Record<string, string>;
}

/** A conversation to compare (client → server orientation as in FlowSummary). */
export interface FlowEndpoints {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
}

/** Options of compareFlowPayloads. */
export interface CompareOptions {
  /** Payload bytes kept per flow, direction and file (default 256 KiB). */
  maxBytesPerDirection?: number;
  /** Payload bytes kept over all flows and files (default 64 MiB). */
  maxTotalBytes?: number;
  /** Differing byte ranges listed per direction (default 8). */
  maxRanges?: number;
}

/** One side of a byte position: its value and where it was captured. */
export interface ByteAt {
  byte: number;
  /** Raw 32-bit sequence number of the byte in this file. */
  seq: number;
  /** 1-based packet number in that side's file. */
  packet: number;
  interface: string | null;
}

/** A run of differing bytes. */
export interface DiffRange {
  /** Raw 32-bit sequence number of the first differing byte. */
  seq: number;
  /** Offset from the first payload byte of the stream (ISN + 1), null when no SYN was captured. */
  streamOffset: number | null;
  length: number;
  packets: { a: number; b: number };
}

/** A retransmission whose bytes differ from the first transmission within one file. */
export interface RetransmissionMismatch {
  file: string;
  seq: number;
  /** Packet kept (first transmission) and the differing retransmission. */
  firstPacket: number;
  packet: number;
  /** Differing bytes in the overlap. */
  differing: number;
}

/** Comparison of one direction of one conversation between two files. */
export interface DirectionComparison {
  /** 'identical': bytes compared and all equal; 'differs'; 'no-overlap': nothing in common to compare. */
  status: 'identical' | 'differs' | 'no-overlap';
  /** 'seq': same sequence numbers; 'isn': ISNs differ, aligned by offset from each ISN; null: a side has no data. */
  alignedBy: 'seq' | 'isn' | null;
  /** ISN of the direction in each file (null when its SYN was not captured). */
  isn: { a: number | null; b: number | null };
  /** Bytes present in both captures and compared. */
  compared: number;
  /** Of those, bytes that differ. */
  differing: number;
  /** The lowest-sequence differing byte, null when none. */
  firstDiff: {
    seq: number;
    streamOffset: number | null;
    a: ByteAt;
    b: ByteAt;
  } | null;
  /** Differing runs in stream order (first `maxRanges`). */
  ranges: DiffRange[];
  /** Payload bytes kept from each side. */
  bytes: { a: number; b: number };
  /** Segments whose capture was cut by snaplen (only their captured bytes count). */
  truncatedSegments: { a: number; b: number };
  /** True when a side had more payload than `maxBytesPerDirection` (later bytes not compared). */
  budgetExceeded: boolean;
  /** Retransmissions that differ from the original in the same file (either side). */
  retransmissionMismatches: RetransmissionMismatch[];
}

/** Two files that both saw the conversation. */
export interface PairComparison {
  a: { file: string; node?: string; iface?: string };
  b: { file: string; node?: string; iface?: string };
  toServer: DirectionComparison;
  toClient: DirectionComparison;
}

/** Result for one requested conversation. */
export interface FlowPayloadComparison {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  /** Files with at least one TCP packet of the conversation, in `points` order. */
  seenIn: string[];
  /**
   * 'differs' if any pair/direction differs; else 'identical' if any compared
   * bytes; else 'no-overlap' (seen in ≥ 2 files, nothing comparable); 'single-capture'
   * (seen in one file); 'not-found' (in none — e.g. NAT rewrote the 5-tuple).
   */
  status: 'differs' | 'identical' | 'no-overlap' | 'single-capture' | 'not-found';
  /** Every pair of files in `seenIn` (a before b in `points` order). */
  pairs: PairComparison[];
}

/** A stored run of payload bytes, at `start` bytes from the direction's reference seq. */
interface Seg {
  start: number;
  end: number;
  data: Buffer;
  packet: number;
  iface: string | null;
}

/** Bytes of one direction of one flow in one file. */
class DirStore {
  /** Raw seq that offset 0 refers to (ISN + 1, else the first seq seen), -1 before any packet. */
  ref = -1;
  /** ISN from a SYN, -1 when none captured. */
  isn = -1;
  segs: Seg[] = [];
  kept = 0;
  truncated = 0;
  budgetExceeded = false;
  /** A later connection reused the 5-tuple (new ISN): its packets are ignored. */
  closed = false;
  mismatches: RetransmissionMismatch[] = [];

  constructor(
    private readonly file: string,
    private readonly budget: number,
    /** Bytes left over all stores (shared). */
    private readonly total: { left: number },
  ) {}

  /** Note a SYN (or SYN-ACK) with sequence `seq`. */
  syn(seq: number): void {
    if (this.isn === -1 && this.segs.length === 0) {
      this.isn = seq;
      this.ref = (seq + 1) >>> 0;
    } else if (seq !== this.isn) this.closed = true; // a new connection reusing the 5-tuple
  }

  /** Keep captured payload `buf[off, off+len)` at raw sequence `seq`. */
  add(seq: number, buf: Buffer, off: number, len: number, packet: number, iface: string | null): void {
    if (this.closed || len <= 0) return;
    if (this.ref === -1) this.ref = seq;
    const s = signed32(seq - this.ref);
    const e = s + len;
    // Compare against what is stored (retransmissions), store the gaps.
    let i = firstEndingAfter(this.segs, s);
    let at = s;
    let diff = 0;
    let firstPacket = 0;
    const pieces: Seg[] = [];
    while (at < e) {
      const cur = i < this.segs.length ? this.segs[i] : null;
      if (cur && cur.start <= at) {
        const stop = Math.min(e, cur.end);
        for (let k = at; k < stop; k++)
          if (buf[off + (k - s)] !== cur.data[k - cur.start]) {
            if (diff === 0) firstPacket = cur.packet;
            diff++;
          }
        at = stop;
        i++;
        continue;
      }
      const stop = Math.min(e, cur ? cur.start : e);
      const room =
        this.segs.length + pieces.length < MAX_SEGMENTS
          ? Math.min(this.budget - this.kept, this.total.left)
          : 0;
      const take = Math.max(0, Math.min(stop - at, room));
      if (take < stop - at) this.budgetExceeded = true;
      if (take > 0) {
        const data = Buffer.allocUnsafe(take);
        buf.copy(data, 0, off + (at - s), off + (at - s) + take);
        pieces.push({ start: at, end: at + take, data, packet, iface });
        this.kept += take;
        this.total.left -= take;
      }
      at = stop;
    }
    if (diff > 0 && this.mismatches.length < 16)
      this.mismatches.push({ file: this.file, seq: seq >>> 0, firstPacket, packet, differing: diff });
    for (const p of pieces) this.segs.splice(firstEndingAfter(this.segs, p.start), 0, p);
  }
}

/** Stored runs per direction and file (bounds bookkeeping for tiny segments). */
const MAX_SEGMENTS = 8192;

/** Interpret a 32-bit difference as signed (handles sequence wraparound). */
function signed32(d: number): number {
  return d | 0;
}

/** Index of the first segment with end > pos (segments sorted and disjoint). */
function firstEndingAfter(segs: readonly Seg[], pos: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segs[mid].end > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Per requested flow, per file: toServer and toClient stores (null when not seen). */
type FileStores = Array<Array<[DirStore, DirStore] | null>>;

/**
 * Re-read `points` and compare the payload of each conversation in `flows`
 * between every two files that saw it. Files are read one after another, each
 * once for all flows; results come in `flows` order.
 */
export async function compareFlowPayloads(
  points: readonly CapturePoint[],
  flows: readonly FlowEndpoints[],
  opts: CompareOptions = {},
): Promise<FlowPayloadComparison[]> {
  const budget = opts.maxBytesPerDirection ?? 256 * 1024;
  const maxRanges = opts.maxRanges ?? 8;
  const total = { left: opts.maxTotalBytes ?? 64 * 1024 * 1024 };
  // Lookup: ports first (numbers, no allocation), then the address strings.
  const portPairs = new Set<number>();
  const byKey = new Map<string, { flow: number; toServer: boolean }>();
  flows.forEach((f, i) => {
    portPairs.add(f.client.port * 65536 + f.server.port);
    portPairs.add(f.server.port * 65536 + f.client.port);
    byKey.set(`${f.client.ip}|${f.client.port}|${f.server.ip}|${f.server.port}`, { flow: i, toServer: true });
    byKey.set(`${f.server.ip}|${f.server.port}|${f.client.ip}|${f.client.port}`, {
      flow: i,
      toServer: false,
    });
  });
  const stores: FileStores = flows.map(() => points.map(() => null));
  for (let p = 0; p < points.length; p++) {
    const pt = points[p];
    const names = pt.ifindexNames;
    await analyzeCapture(pt.abs, {
      file: pt.file,
      node: pt.node,
      decodeOnly: true,
      ...(pt.iface ? { interfaceName: pt.iface } : {}),
      ...(names ? { ifindexName: (n: number) => names[String(n)] } : {}),
      onIssue: () => {},
      onPacket: (pkt, fr, iface) => {
        if (pkt.ipProto !== IPPROTO.TCP || pkt.tcpFlags < 0 || pkt.fragment) return;
        if (!portPairs.has(pkt.sport * 65536 + pkt.dport)) return;
        const key = `${ipString(pkt.buf, pkt.srcOff, pkt.ipVersion)}|${pkt.sport}|${ipString(pkt.buf, pkt.dstOff, pkt.ipVersion)}|${pkt.dport}`;
        const hit = byKey.get(key);
        if (!hit) return;
        let st = stores[hit.flow][p];
        if (!st) {
          st = [new DirStore(pt.file, budget, total), new DirStore(pt.file, budget, total)];
          stores[hit.flow][p] = st;
        }
        const d = hit.toServer ? st[0] : st[1];
        if (pkt.tcpFlags & TCP.SYN) d.syn(pkt.seq >>> 0);
        // RST payload is diagnostic text, not stream data.
        if (pkt.payloadLen > 0 && !(pkt.tcpFlags & TCP.RST)) {
          if (pkt.payloadWireLen > pkt.payloadLen) d.truncated++;
          const seq = pkt.tcpFlags & TCP.SYN ? (pkt.seq + 1) >>> 0 : pkt.seq >>> 0;
          d.add(seq, pkt.buf, pkt.payloadOff, pkt.payloadLen, fr.packet, iface);
        }
      },
    });
  }
  return flows.map((f, i) => {
    const seen = points.map((_, p) => p).filter((p) => stores[i][p] !== null);
    const pairs: PairComparison[] = [];
    for (let x = 0; x < seen.length; x++)
      for (let y = x + 1; y < seen.length; y++) {
        const a = stores[i][seen[x]] as [DirStore, DirStore];
        const b = stores[i][seen[y]] as [DirStore, DirStore];
        pairs.push({
          a: pointRef(points[seen[x]]),
          b: pointRef(points[seen[y]]),
          toServer: compareDir(a[0], b[0], maxRanges),
          toClient: compareDir(a[1], b[1], maxRanges),
        });
      }
    const dirs = pairs.flatMap((q) => [q.toServer, q.toClient]);
    const status: FlowPayloadComparison['status'] =
      seen.length === 0
        ? 'not-found'
        : seen.length === 1
          ? 'single-capture'
          : dirs.some((d) => d.status === 'differs')
            ? 'differs'
            : dirs.some((d) => d.status === 'identical')
              ? 'identical'
              : 'no-overlap';
    return {
      client: { ...f.client },
      server: { ...f.server },
      seenIn: seen.map((p) => points[p].file),
      status,
      pairs,
    };
  });
}

function pointRef(p: CapturePoint): { file: string; node?: string; iface?: string } {
  return { file: p.file, ...(p.node ? { node: p.node } : {}), ...(p.iface ? { iface: p.iface } : {}) };
}

/** Compare one direction: positions are in a's frame (b shifted by the difference of references). */
function compareDir(a: DirStore, b: DirStore, maxRanges: number): DirectionComparison {
  const out: DirectionComparison = {
    status: 'no-overlap',
    alignedBy: null,
    isn: { a: a.isn === -1 ? null : a.isn, b: b.isn === -1 ? null : b.isn },
    compared: 0,
    differing: 0,
    firstDiff: null,
    ranges: [],
    bytes: { a: a.kept, b: b.kept },
    truncatedSegments: { a: a.truncated, b: b.truncated },
    budgetExceeded: a.budgetExceeded || b.budgetExceeded,
    retransmissionMismatches: [...a.mismatches, ...b.mismatches],
  };
  if (a.ref === -1 || b.ref === -1) return out;
  // Both SYNs captured with different ISNs: a hop rewrote sequence numbers; align by ISN.
  const byIsn = a.isn !== -1 && b.isn !== -1 && a.isn !== b.isn;
  out.alignedBy = byIsn ? 'isn' : 'seq';
  const shift = byIsn ? 0 : signed32(b.ref - a.ref);
  // ISN + 1 in a's frame, from whichever side captured the SYN.
  const base = a.isn !== -1 ? 0 : b.isn !== -1 ? shift : null;
  let run: DiffRange | null = null;
  let runEnd = Number.NaN;
  let i = 0;
  let j = 0;
  while (i < a.segs.length && j < b.segs.length) {
    const sa = a.segs[i];
    const sb = b.segs[j];
    const bs = sb.start + shift;
    const be = sb.end + shift;
    const lo = Math.max(sa.start, bs);
    const hi = Math.min(sa.end, be);
    for (let k = lo; k < hi; k++) {
      const va = sa.data[k - sa.start];
      const vb = sb.data[k - bs];
      out.compared++;
      if (va === vb) continue;
      out.differing++;
      if (!out.firstDiff)
        out.firstDiff = {
          seq: (a.ref + k) >>> 0,
          streamOffset: base === null ? null : k - base,
          a: { byte: va, seq: (a.ref + k) >>> 0, packet: sa.packet, interface: sa.iface },
          b: { byte: vb, seq: (b.ref + k - shift) >>> 0, packet: sb.packet, interface: sb.iface },
        };
      if (run && runEnd === k) {
        run.length++;
        runEnd++;
      } else if (out.ranges.length < maxRanges) {
        run = {
          seq: (a.ref + k) >>> 0,
          streamOffset: base === null ? null : k - base,
          length: 1,
          packets: { a: sa.packet, b: sb.packet },
        };
        out.ranges.push(run);
        runEnd = k + 1;
      } else run = null;
    }
    if (sa.end <= be) i++;
    else j++;
  }
  if (out.compared > 0) out.status = out.differing > 0 ? 'differs' : 'identical';
  return out;
}

/** A conversation seen in two or more capture files, ready for compareFlowPayloads. */
export interface ComparisonCandidate {
  endpoints: FlowEndpoints;
  /** Ids of the (merged) flows with this 5-tuple, e.g. one per node. */
  flowIds: string[];
  /** Capture files that saw it (sorted). */
  files: string[];
}

/**
 * TCP conversations of `flows` (merged, from several nodes) whose exact 5-tuple
 * was captured in at least two files; `only` restricts to flows with those ids
 * (e.g. the flows joined to bad-record-MAC errors). At most `max`, in `flows` order.
 */
export function comparisonCandidates(
  flows: readonly FlowSummary[],
  only?: ReadonlySet<string>,
  max = 32,
): ComparisonCandidate[] {
  const by = new Map<string, ComparisonCandidate & { wanted: boolean }>();
  for (const f of flows) {
    if (f.proto !== 'tcp') continue;
    const a = `${f.client.ip}|${f.client.port}`;
    const b = `${f.server.ip}|${f.server.port}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = by.get(key);
    if (!c) {
      c = {
        endpoints: { client: { ...f.client }, server: { ...f.server } },
        flowIds: [],
        files: [],
        wanted: false,
      };
      by.set(key, c);
    }
    c.flowIds.push(f.id);
    for (const file of f.files ?? []) if (!c.files.includes(file)) c.files.push(file);
    if (!only || only.has(f.id)) c.wanted = true;
  }
  const out: ComparisonCandidate[] = [];
  for (const c of by.values()) {
    if (out.length >= max) break;
    if (!c.wanted || c.files.length < 2) continue;
    out.push({ endpoints: c.endpoints, flowIds: c.flowIds, files: c.files.sort() });
  }
  return out;
}

/**
 * One line for a finding: where the payload first differs, e.g.
 * `client→server payload differs from stream offset 537 (seq 3682016662): 0x1c in
 * client-lan/laptop.pcapng #22, 0xbe in node1/eth1.pcap #22; 2 of 699 bytes compared differ`.
 * Null when no direction of any pair differs.
 */
export function describeDivergence(r: FlowPayloadComparison): string | null {
  for (const p of r.pairs)
    for (const [name, d] of [
      ['client→server', p.toServer],
      ['server→client', p.toClient],
    ] as const) {
      const x = d.firstDiff;
      if (!x) continue;
      const hex = (v: number) => `0x${v.toString(16).padStart(2, '0')}`;
      const at = x.streamOffset === null ? `seq ${x.seq}` : `stream offset ${x.streamOffset} (seq ${x.seq})`;
      const aligned =
        d.alignedBy === 'isn' ? ' (sequence numbers rewritten on the path; aligned by ISN)' : '';
      return `${name} payload differs from ${at}: ${hex(x.a.byte)} in ${p.a.file} #${x.a.packet}, ${hex(x.b.byte)} in ${p.b.file} #${x.b.packet}; ${d.differing} of ${d.compared} bytes compared differ${aligned}`;
    }
  return null;
}
