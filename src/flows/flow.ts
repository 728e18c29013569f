/**
 * Per-conversation state kept by the flow table. Endpoints are stored in
 * canonical order (A ≤ B by address words, then port); direction 0 is A→B and
 * direction 1 is B→A. Numbers only on the hot path; strings are made when the
 * flow is summarised.
 */
import type { TlsSession, TlsStream } from '../../parsers/layers/tls.js';
import type { LadderStep, LadderStore } from './ladder.js';

/** A notable packet (retransmission, reset, zero window, TLS alert, ICMP error). */
export interface FlowNote {
  kind: string;
  packet: number;
  sec: number;
  nsec: number;
  /** 0 = A→B, 1 = B→A, -1 not directional (ICMP error from a third party). */
  dir: number;
  iface: string | null;
  file: string;
  text: string;
}

/** A TLS alert seen on a flow. */
export interface FlowAlert {
  /** 1 warning, 2 fatal, -1 unknown (encrypted). */
  level: number;
  /** Description code, -1 when encrypted. */
  desc: number;
  dir: number;
  packet: number;
  iface: string | null;
}

/** Per-direction counters and TCP tracking. */
export class FlowDir {
  // Fields a packet touches come first (declaration order is the object layout).
  packets = 0;
  bytes = 0;
  /** Transport payload bytes on the wire. */
  payload = 0;
  lastIface: string | null | undefined = undefined;
  /** Previous packet of this direction (cross-interface duplicate detection). */
  prevSeq = -1;
  prevLen = -1;
  prevFlags = -1;
  prevIface: string | null = null;
  prevSec = 0;
  prevNsec = 0;
  /** TCP: first sequence number seen in this direction (tshark base_seq). Sequence numbers are int32. */
  baseSeq = 0;
  baseSet = false;
  /** TCP: next expected sequence number. */
  nxt = 0;
  nxtSet = false;
  tls: TlsStream | null = null;
  /** Packets seen without an interface name. */
  noIface = 0;
  /** Interfaces this direction was seen on (interned names). */
  ifaces: string[] = [];
  /** SYN (from A→B side means SYN; a SYN-ACK is counted on its own fields). */
  syn = 0;
  synSeq = 0;
  synAck = 0;
  synAckSeq = 0;
  synRetrans = 0;
  synAckRetrans = 0;
  fin = 0;
  rst = 0;
  firstFinPacket = 0;
  firstRstPacket = 0;
  retrans = 0;
  zeroWindow = 0;
  /** Bytes skipped because they were not captured or lost (gaps). */
  gapBytes = 0;
  /** Packets that were the previous one captured again on another interface. */
  dupCaptures = 0;
  /** TCP: largest segment payload sent in this direction. */
  maxSeg = 0;
  /** TCP: acknowledgment number of this direction's last ACK (int32), when `ackSet`. */
  lastAck = 0;
  ackSet = false;
  /** TCP: MSS this direction's SYN or SYN-ACK advertised, -1 when not seen. */
  mss = -1;
  /**
   * TCP: the last segment this direction retransmitted (sequence number, payload, IP
   * packet length, DF bit) and how often it was sent in all; 0 sends when none was.
   * With the peer's `lastAck` it tells whether the data ever got through (summary.ts).
   */
  stallSeq = 0;
  stallLen = 0;
  stallIpLen = 0;
  stallDf = false;
  stallSends = 0;
  /** The peer's packet count when the segment was first retransmitted (did it speak since?). */
  stallPeerPackets = 0;
}

/** One conversation (TCP stream in tshark's sense, or a UDP 5-tuple). */
export class Flow {
  // Fields a packet touches come first: the key compared on lookup, then the per-packet
  // state. Declaration order is the object layout, so they share few cache lines.
  hash = 0;
  /** Address words as int32 (IPv4: a0 only; `>>> 0` for the unsigned value) and ports, in canonical order. */
  readonly a0: number;
  readonly b0: number;
  readonly pa: number;
  readonly pb: number;
  readonly proto: number;
  readonly ipVersion: 4 | 6;
  readonly a1: number;
  readonly a2: number;
  readonly a3: number;
  readonly b1: number;
  readonly b2: number;
  readonly b3: number;
  readonly d0 = new FlowDir();
  readonly d1 = new FlowDir();
  lastSec = 0;
  lastNsec = 0;
  lastPacket = 0;
  /** File of the previous packet (saves a look into `files` per packet). */
  lastFile = '';
  /** Ladder steps recorded (written by the table into the store, see ladderSlotIn). */
  ladderN = 0;
  /** RST, or FIN both ways, was seen: the table keeps it only CLOSED_LINGER seconds more. */
  closed = false;
  tls: TlsSession | null = null;
  /** Client's ACK completing the handshake was seen. */
  handshakeAck = false;
  /** Sequential index per protocol in creation order (tshark's tcp.stream numbering). */
  readonly index: number;
  readonly id: string;
  /** Activity list links (owned by the table). */
  lruPrev: Flow | null = null;
  lruNext: Flow | null = null;
  /** Capture time (seconds) it was last placed at the tail of the table's list. */
  listedT = 0;
  /** Direction of the first packet (tshark's A). */
  firstDir = 0;
  /** 1 when A is the client, 0 when B is the client, -1 undecided (then heuristics). */
  clientIsA = -1;
  firstSec = 0;
  firstNsec = 0;
  firstPacket = 0;
  alerts: FlowAlert[] = [];
  alertsDropped = 0;
  icmpErrors = 0;
  /** Where the first packets are kept (see ladderSlotIn): the table's store and this flow's slot there. */
  private ladderStore: LadderStore | null = null;
  private ladderSlot = -1;
  files: string[] = [];
  /** Text of the address of A and B, made lazily. */
  aText: string | null = null;
  bText: string | null = null;

  constructor(
    index: number,
    id: string,
    proto: number,
    ipVersion: 4 | 6,
    a: readonly number[],
    b: readonly number[],
    pa: number,
    pb: number,
  ) {
    this.index = index;
    this.id = id;
    this.proto = proto;
    this.ipVersion = ipVersion;
    this.a0 = a[0];
    this.a1 = a[1];
    this.a2 = a[2];
    this.a3 = a[3];
    this.b0 = b[0];
    this.b1 = b[1];
    this.b2 = b[2];
    this.b3 = b[3];
    this.pa = pa;
    this.pb = pb;
  }

  /** This flow's slot in `store`, taken when its first packet is recorded (the table writes the steps). */
  ladderSlotIn(store: LadderStore): number {
    if (this.ladderStore === null) {
      this.ladderStore = store;
      this.ladderSlot = store.alloc();
    }
    return this.ladderSlot;
  }

  /** The recorded ladder steps, in packet order. */
  ladder(): LadderStep[] {
    if (this.ladderStore === null) return [];
    if (this.ladderSlot < 0) throw new Error(`flow ${this.id}: ladder read after the flow was handed out`);
    return this.ladderStore.read(this.ladderSlot, this.ladderN);
  }

  /** Give the ladder's slot back to the store; the ladder can no longer be read. */
  releaseLadder(): void {
    if (this.ladderStore !== null && this.ladderSlot >= 0) {
      this.ladderStore.release(this.ladderSlot);
      this.ladderSlot = -1;
    }
  }

  /** The direction object for 0 (A→B) or 1 (B→A). */
  dir(d: number): FlowDir {
    return d === 0 ? this.d0 : this.d1;
  }

  /** 1 when A is the client (decided by SYN/SYN-ACK, else by the port heuristic). */
  aIsClient(): boolean {
    if (this.clientIsA >= 0) return this.clientIsA === 1;
    return portHeuristicAIsClient(this.pa, this.pb, this.firstDir);
  }
}

/** Ports of common services above 1023, treated as server ports by the heuristic. */
export const SERVICE_PORTS: ReadonlySet<number> = new Set([
  1080, 1194, 1433, 1521, 1883, 2049, 2379, 2380, 3000, 3128, 3306, 3389, 4433, 5000, 5044, 5060, 5201, 5432,
  5601, 5672, 5900, 6379, 6443, 7443, 8000, 8008, 8080, 8081, 8088, 8443, 8888, 9000, 9090, 9092, 9100, 9200,
  9300, 9443, 10250, 10255, 10256, 11211, 15672, 27017,
]);

/**
 * Client/server when no SYN or SYN-ACK was seen: the side with a well-known port
 * (< 1024) is the server; else the side with a listed service port; else the
 * lower port; on a tie the sender of the first packet is the client.
 */
export function portHeuristicAIsClient(pa: number, pb: number, firstDir: number): boolean {
  const wa = pa < 1024;
  const wb = pb < 1024;
  if (wa !== wb) return wb;
  const sa = SERVICE_PORTS.has(pa);
  const sb = SERVICE_PORTS.has(pb);
  if (sa !== sb) return sb;
  if (pa !== pb) return pb < pa;
  return firstDir === 0;
}
