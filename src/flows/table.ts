/**
 * The conversation table of one node: TCP and UDP flows keyed by the 5-tuple
 * in canonical order, plus ARP and ICMP echo bookkeeping. Fed one decoded
 * packet at a time; bounded (idle flows and the least recently used flows
 * beyond `maxFlows` are summarised and evicted).
 *
 * TCP conversations follow tshark's `tcp.stream`: a SYN (without ACK) whose
 * sequence number differs from the first sequence number seen in that
 * direction starts a new conversation on the same 5-tuple (port reuse).
 *
 * Hot path: no per-packet allocation except notable events (the first packets
 * of each flow go to a typed-array store, ladder.ts); keys are numbers (address
 * words and ports), looked up by a 32-bit hash in an open-addressing table.
 */
import { DecodedPacket, IPPROTO, TCP } from '../../parsers/layers/packet.js';
import {
  alertLevelName,
  alertName,
  isTls13,
  TLS_CT,
  type TlsListener,
  TlsSession,
  TlsStream,
  tlsRecordLabel,
  tlsVersionName,
} from '../../parsers/layers/tls.js';
import { displayText } from '../util/sanitize.js';
import { epochString } from '../util/time.js';
import { Flow, type FlowDir, type FlowNote } from './flow.js';
import { formatIp, formatMac } from './format.js';
import { LadderStore } from './ladder.js';

/** Options of a flow table. */
export interface FlowTableOptions {
  /** Node label stamped on every flow (per-node tables). */
  node?: string;
  /** Prefix of flow ids (default: `<node>/` when a node is set). */
  idPrefix?: string;
  /** Evict a flow after this many seconds of capture time without packets (default 900; Infinity disables). */
  idleTimeout?: number;
  /** Maximum live flows; the least recently used is evicted beyond it (default 50 000). */
  maxFlows?: number;
  /** First packets of each flow kept for the ladder diagram (default 10). */
  ladderSize?: number;
  /** Notable events kept in the table-wide event list (default 20 000). */
  maxEvents?: number;
  /**
   * Called when a flow leaves the table (evicted, superseded by port reuse, or at
   * `finish()`). Its ladder can be read until the callback returns: the ladder's slot
   * is then reused (summarise the flow in the callback, as analyzeCapture does).
   */
  onFlowDone?: (f: Flow) => void;
  /** Parse TLS on TCP payloads (default true). */
  tls?: boolean;
}

/**
 * A notable event with its flow (for the timeline): retransmissions, resets, zero
 * windows, TLS alerts, ICMP errors. Routine steps (SYN, FIN, hellos) are not events:
 * the flow's counters and ladder describe them, and they would crowd the bounded list.
 */
export interface TableEvent extends FlowNote {
  /** The flow, or null for events outside any flow (ICMP error without a known flow). */
  flow: Flow | null;
}

/**
 * What the table knows about one address from neighbour resolution: ARP for IPv4,
 * neighbour discovery for IPv6 (a solicitation is the request, an advertisement the reply).
 */
export interface ArpEntry {
  ip: string;
  /** who-has requests (neighbour solicitations) for this address. */
  requests: number;
  /** is-at replies (neighbour advertisements) for this address. */
  replies: number;
  /** MACs that answered for this address (replies), in first-seen order. */
  replyMacs: string[];
  /** MACs that used this address as sender (requests, replies, gratuitous). */
  senderMacs: string[];
  /** Who asked (sender IPs), capped. */
  askedBy: string[];
  firstRequest: string | null;
  lastRequest: string | null;
  firstReply: string | null;
  firstRequestPacket: number;
  firstReplyPacket: number;
  /** Interfaces the ARP packets for this address were seen on. */
  ifaces: string[];
}

/** ICMP / ICMPv6 echo between two addresses (src → dst of the requests). */
export interface EchoEntry {
  src: string;
  dst: string;
  requests: number;
  replies: number;
  first: string;
  last: string;
  firstPacket: number;
  ifaces: string[];
}

/** Table-wide counters. */
export interface TableStats {
  packets: number;
  bytes: number;
  tcp: number;
  udp: number;
  icmp: number;
  arp: number;
  other: number;
  /** Packets the decoders flagged with an issue. */
  decodeIssues: number;
  flowsCreated: number;
  flowsEvicted: number;
  eventsDropped: number;
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
}

const MAX_ALERTS = 32;
/** Bit set in a hash-table tag of an occupied slot (hashes are 30 bits). */
const TAG_USED = 0x40000000;
const MAX_ASKED_BY = 16;

/**
 * Seconds of capture time a closed conversation (RST, or FIN both ways) stays in the
 * table for late packets (a retransmitted FIN, the last ACK) before it is summarised.
 * Zeek's tcp_close_delay and tcp_reset_delay are the same 5 s. A packet after that
 * starts a new (midstream) conversation, as in Zeek.
 */
export const CLOSED_LINGER = 5;

/**
 * Flows in the order they were listed (created, closed, or found still active by a
 * sweep), earliest at the head; intrusive through lruPrev/lruNext. A packet does not
 * move its flow (that would touch two neighbours per packet): a sweep re-lists a head
 * that turns out to have been active since, and a packet reaching a flow past its
 * timeout starts a new one, so expiry is exact whatever the sweep cadence.
 */
interface FlowList {
  head: Flow | null;
  tail: Flow | null;
}

/** Conversation table for one node. */
export class FlowTable implements TlsListener {
  readonly node: string | undefined;
  readonly events: TableEvent[] = [];
  readonly arp = new Map<number, ArpEntry>();
  /** The same for IPv6 addresses, from neighbour solicitations and advertisements. */
  readonly nd = new Map<string, ArpEntry>();
  readonly echo = new Map<string, EchoEntry>();
  readonly stats: TableStats = {
    packets: 0,
    bytes: 0,
    tcp: 0,
    udp: 0,
    icmp: 0,
    arp: 0,
    other: 0,
    decodeIssues: 0,
    flowsCreated: 0,
    flowsEvicted: 0,
    eventsDropped: 0,
    firstSec: 0,
    firstNsec: 0,
    lastSec: 0,
    lastNsec: 0,
  };
  /** File name stamped on events and ladder steps (set by the caller per capture). */
  file = '';

  // --- per-packet outputs (valid until the next packet) ---
  /** Flow of the last packet (null when not TCP/UDP). */
  flow: Flow | null = null;
  /** Direction of the last packet within `flow` (0 = A→B). */
  flowDir = 0;
  /** TLS records completed by the last packet (labels in `tlsLabels()`). */
  pktTlsN = 0;
  /** TLS 1.3 opaque records among them. */
  pktTlsOpaque = 0;
  /** SNI of a ClientHello completed by the last packet, else null. */
  pktSni: string | null = null;
  /** Last packet was a TCP retransmission. */
  pktRetrans = false;

  // Per-packet TLS outputs: reused arrays with counts (no allocation per packet).
  private readonly labels: string[] = [];
  private readonly types: number[] = [];
  private typesN = 0;
  private readonly alerts: number[] = [];
  private alertsN = 0;
  /**
   * Open-addressing hash table of live flows (linear probing, backward-shift deletion):
   * one array load per probe instead of a Map's bucket and entry lookups. `tags` holds
   * each slot's hash with bit 30 set (0: empty), so a probe walks one dense array and
   * reaches a Flow, a cache miss, only when its hash matches.
   */
  private slots: Array<Flow | null> = new Array<Flow | null>(1024).fill(null);
  private tags = new Int32Array(1024);
  private mask = 1023;
  /** Flow of the previous TCP/UDP packet (lookup shortcut). */
  private last: Flow | null = null;
  private live = 0;
  /** Open conversations, and closed ones waiting out the linger: each list in listing order. */
  private readonly open: FlowList = { head: null, tail: null };
  private readonly closed: FlowList = { head: null, tail: null };
  private nextIndex = { tcp: 0, udp: 0 };
  private readonly idPrefix: string;
  private readonly idle: number;
  /** Seconds a closed conversation stays: CLOSED_LINGER, or the idle timeout when shorter. */
  private readonly linger: number;
  private readonly maxFlows: number;
  /** First packets of the live flows (off the GC heap). */
  private readonly ladders: LadderStore;
  private readonly maxEvents: number;
  private readonly onFlowDone: ((f: Flow) => void) | undefined;
  private readonly doTls: boolean;
  private readonly done: Flow[] = [];
  // scratch key (no allocation per packet)
  private readonly ka = [0, 0, 0, 0];
  private readonly kb = [0, 0, 0, 0];
  private kpa = 0;
  private kpb = 0;
  /** Packet context for TLS callbacks. */
  private cur = { packet: 0, sec: 0, nsec: 0, iface: null as string | null };
  private sweepCountdown = 4096;

  constructor(opts: FlowTableOptions = {}) {
    this.node = opts.node;
    this.idPrefix = opts.idPrefix ?? (opts.node ? `${opts.node}/` : '');
    this.idle = opts.idleTimeout ?? 900;
    this.linger = Math.min(this.idle, CLOSED_LINGER);
    this.maxFlows = opts.maxFlows ?? 50_000;
    this.ladders = new LadderStore(opts.ladderSize ?? 10);
    this.maxEvents = opts.maxEvents ?? 20_000;
    this.onFlowDone = opts.onFlowDone;
    this.doTls = opts.tls ?? true;
  }

  /** Number of flows currently in the table. */
  get size(): number {
    return this.live;
  }

  /** Flows that left the table (when no `onFlowDone` callback was given). */
  get finished(): readonly Flow[] {
    return this.done;
  }

  /**
   * Account one decoded packet. `len` is the frame length on the wire (tshark's
   * frame.len), `iface` the interface name it was seen on (interned, or null).
   */
  packet(
    p: DecodedPacket,
    packetNo: number,
    sec: number,
    nsec: number,
    len: number,
    iface: string | null,
  ): void {
    const st = this.stats;
    if (st.packets === 0) {
      st.firstSec = sec;
      st.firstNsec = nsec;
    }
    st.packets++;
    st.bytes += len;
    st.lastSec = sec;
    st.lastNsec = nsec;
    if (p.issueCode !== null) st.decodeIssues++;
    this.flow = null;
    this.pktTlsN = this.typesN = this.alertsN = 0;
    this.pktTlsOpaque = 0;
    this.pktSni = null;
    this.pktRetrans = false;
    if (--this.sweepCountdown <= 0) {
      this.sweepCountdown = 4096;
      this.evictIdle(sec + nsec / 1e9);
    }
    const proto = p.ipProto;
    if (p.ipVersion !== 0 && (proto === IPPROTO.TCP || proto === IPPROTO.UDP) && p.sport >= 0) {
      if (proto === IPPROTO.TCP) {
        if (p.tcpFlags < 0) {
          st.other++;
          return;
        }
        st.tcp++;
      } else st.udp++;
      this.transport(p, packetNo, sec, nsec, len, iface);
      return;
    }
    if (proto === IPPROTO.ICMP || proto === IPPROTO.ICMPV6) {
      st.icmp++;
      this.icmp(p, packetNo, sec, nsec, iface);
      return;
    }
    if (p.arpOp > 0) {
      st.arp++;
      this.arpPacket(p, packetNo, sec, nsec, iface);
      return;
    }
    st.other++;
  }

  /** Labels of the TLS records completed by the last packet (`handshake:client_hello`, `alert:bad_record_mac`, …). */
  tlsLabels(): string[] {
    return this.pktTlsN === 0 ? [] : this.labels.slice(0, this.pktTlsN);
  }

  /** Content types of the non-opaque TLS records completed by the last packet. */
  tlsTypes(): number[] {
    return this.types.slice(0, this.typesN);
  }

  /** Plaintext alert descriptions in the last packet. */
  tlsAlerts(): number[] {
    return this.alerts.slice(0, this.alertsN);
  }

  /** Move every remaining flow out of the table (call at end of input). */
  finish(): void {
    for (const list of [this.closed, this.open]) {
      let f = list.head;
      while (f) {
        const n = f.lruNext;
        this.remove(f);
        f = n;
      }
    }
  }

  /** Live flows (for inspection and tests): closed ones first, each list earliest listed first. */
  *liveFlows(): IterableIterator<Flow> {
    for (const list of [this.closed, this.open]) for (let f = list.head; f; f = f.lruNext) yield f;
  }

  // ------------------------------------------------------------------ keys

  /** Load the canonical key of (src, sport) → (dst, dport); returns true when src is B. */
  private loadKey(
    buf: Buffer,
    ver: number,
    srcOff: number,
    dstOff: number,
    sport: number,
    dport: number,
  ): boolean {
    const ka = this.ka;
    const kb = this.kb;
    if (ver === 4) {
      ka[0] = i32(buf, srcOff);
      kb[0] = i32(buf, dstOff);
      ka[1] = ka[2] = ka[3] = kb[1] = kb[2] = kb[3] = 0;
    } else {
      for (let i = 0; i < 4; i++) {
        ka[i] = i32(buf, srcOff + 4 * i);
        kb[i] = i32(buf, dstOff + 4 * i);
      }
    }
    let cmp = 0;
    // Words are kept as int32 (small integers, stored unboxed); order them as unsigned.
    for (let i = 0; i < 4 && cmp === 0; i++) cmp = (ka[i] >>> 0) - (kb[i] >>> 0);
    if (cmp === 0) cmp = sport - dport;
    if (cmp <= 0) {
      this.kpa = sport;
      this.kpb = dport;
      return false;
    }
    for (let i = 0; i < 4; i++) {
      const x = ka[i];
      ka[i] = kb[i];
      kb[i] = x;
    }
    this.kpa = dport;
    this.kpb = sport;
    return true;
  }

  private hashKey(proto: number, ver: number): number {
    const ka = this.ka;
    const kb = this.kb;
    let h = Math.imul(proto + ver * 256, 0x9e3779b1);
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ ka[i], 0x85ebca6b);
      h = Math.imul(h ^ kb[i], 0xc2b2ae35);
    }
    h = Math.imul(h ^ ((this.kpa << 16) | this.kpb), 0x27d4eb2f);
    return (h ^ (h >>> 15)) & 0x3fffffff; // a Smi: Map keys stay unboxed
  }

  private find(h: number, proto: number, ver: number): Flow | null {
    // Consecutive packets usually belong to the same flow: try it before the Map.
    const last = this.last;
    if (last !== null && last.hash === h && this.same(last, proto, ver)) return last;
    const tags = this.tags;
    const mask = this.mask;
    const tag = h | TAG_USED;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const t = tags[i];
      if (t === 0) return null;
      if (t === tag) {
        const f = this.slots[i] as Flow;
        if (this.same(f, proto, ver)) return f;
      }
    }
  }

  private same(f: Flow, proto: number, ver: number): boolean {
    const ka = this.ka;
    const kb = this.kb;
    return (
      f.pa === this.kpa &&
      f.pb === this.kpb &&
      f.a0 === ka[0] &&
      f.b0 === kb[0] &&
      f.proto === proto &&
      f.ipVersion === ver &&
      f.a1 === ka[1] &&
      f.a2 === ka[2] &&
      f.a3 === ka[3] &&
      f.b1 === kb[1] &&
      f.b2 === kb[2] &&
      f.b3 === kb[3]
    );
  }

  private create(h: number, proto: number, ver: 4 | 6, packetNo: number, t: number): Flow {
    const isTcp = proto === IPPROTO.TCP;
    const index = isTcp ? this.nextIndex.tcp++ : this.nextIndex.udp++;
    const f = new Flow(
      index,
      `${this.idPrefix}${isTcp ? 'tcp' : 'udp'}/${index}`,
      proto,
      ver,
      this.ka,
      this.kb,
      this.kpa,
      this.kpb,
    );
    f.hash = h;
    f.firstPacket = packetNo;
    this.live++;
    // Keep the load factor at most 1/2.
    if (this.live * 2 > this.slots.length) this.grow();
    this.insert(f);
    this.stats.flowsCreated++;
    append(this.open, f);
    f.listedT = t;
    if (this.live > this.maxFlows) {
      // Beyond the bound the earliest listed flow goes, closed ones first.
      const old = this.closed.head ?? this.open.head;
      if (old && old !== f) this.evict(old);
    }
    return f;
  }

  private insert(f: Flow): void {
    const tags = this.tags;
    let i = f.hash & this.mask;
    while (tags[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = f;
    tags[i] = f.hash | TAG_USED;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<Flow | null>(old.length * 2).fill(null);
    this.tags = new Int32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const f of old) if (f !== null) this.insert(f);
  }

  /** Delete a flow from the hash table, shifting later members of its probe run back. */
  private unslot(f: Flow): void {
    const slots = this.slots;
    const tags = this.tags;
    const mask = this.mask;
    let i = f.hash & mask;
    while (slots[i] !== f) {
      if (slots[i] === null) return;
      i = (i + 1) & mask;
    }
    slots[i] = null;
    tags[i] = 0;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const g = slots[j];
      if (g === null) return;
      const home = g.hash & mask;
      // g may move into the hole at i when its home slot is not in the run (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = g;
        tags[i] = tags[j];
        slots[j] = null;
        tags[j] = 0;
        i = j;
      }
    }
  }

  /** Move a conversation that just closed (RST, or FIN both ways) to the closed list. */
  private markClosed(f: Flow, t: number): void {
    unlink(this.open, f);
    f.closed = true;
    append(this.closed, f);
    f.listedT = t;
  }

  /** Seconds a flow may stay quiet before it leaves: the linger once closed, else the idle timeout. */
  private timeout(f: Flow): number {
    return f.closed ? this.linger : this.idle;
  }

  /** Unlink a flow from the hash table and its list and hand it out. */
  private remove(f: Flow): void {
    this.unslot(f);
    if (this.last === f) this.last = null;
    unlink(f.closed ? this.closed : this.open, f);
    this.live--;
    if (this.onFlowDone) {
      this.onFlowDone(f);
      f.releaseLadder();
    } else this.done.push(f);
  }

  private evict(f: Flow): void {
    this.stats.flowsEvicted++;
    this.remove(f);
  }

  /** Evict flows idle for more than `idleTimeout` at capture time `now` (seconds); done every 4096 packets. */
  expire(now: number): void {
    this.evictIdle(now);
  }

  private evictIdle(now: number): void {
    if (!(this.idle < Number.POSITIVE_INFINITY)) return;
    // Closed conversations leave after CLOSED_LINGER, so memory follows the open connections,
    // not the capture length; open ones after the idle timeout.
    this.sweep(this.closed, now, this.linger);
    this.sweep(this.open, now, this.idle);
  }

  /** Evict from the head of `list` while listed longer than `limit` ago; re-list the ones active since. */
  private sweep(list: FlowList, now: number, limit: number): void {
    for (let f = list.head; f && now - f.listedT > limit; f = list.head) {
      if (quiet(f, now) > limit) {
        this.evict(f);
      } else {
        unlink(list, f);
        append(list, f);
        f.listedT = now;
      }
    }
  }

  // ------------------------------------------------------------ transport

  private transport(
    p: DecodedPacket,
    packetNo: number,
    sec: number,
    nsec: number,
    len: number,
    iface: string | null,
  ): void {
    const proto = p.ipProto;
    const ver = p.ipVersion as 4 | 6;
    const swapped = this.loadKey(p.buf, ver, p.srcOff, p.dstOff, p.sport, p.dport);
    const dir = swapped ? 1 : 0;
    const h = this.hashKey(proto, ver);
    let f = this.find(h, proto, ver);
    const t = sec + nsec * 1e-9;
    if (f && quiet(f, t) > this.timeout(f)) {
      // Past its timeout but not swept yet: it ends here, and this packet starts a new flow.
      this.evict(f);
      f = null;
    }
    const isTcp = proto === IPPROTO.TCP;
    const flags = isTcp ? p.tcpFlags : 0;
    if (f && isTcp && (flags & (TCP.SYN | TCP.ACK)) === TCP.SYN) {
      // tshark: a SYN whose seq differs from the direction's base seq starts a new stream.
      const d = f.dir(dir);
      if (d.baseSet && d.baseSeq !== (p.seq | 0)) {
        this.remove(f);
        f = null;
      }
    }
    if (!f) {
      f = this.create(h, proto, ver, packetNo, t);
      f.firstDir = dir;
      f.firstSec = sec;
      f.firstNsec = nsec;
      if (this.file) {
        f.files.push(this.file);
        f.lastFile = this.file;
      }
    } else {
      if (f.lastFile !== this.file && this.file) {
        f.lastFile = this.file;
        if (!f.files.includes(this.file)) f.files.push(this.file);
      }
    }
    f.lastSec = sec;
    f.lastNsec = nsec;
    f.lastPacket = packetNo;
    this.flow = f;
    this.last = f;
    this.flowDir = dir;
    const d = dir === 0 ? f.d0 : f.d1;
    d.packets++;
    d.bytes += len;
    d.payload += p.payloadWireLen;
    if (iface !== d.lastIface) {
      d.lastIface = iface;
      if (iface !== null && !d.ifaces.includes(iface)) d.ifaces.push(iface);
    }
    if (iface === null) d.noIface++;
    this.cur.packet = packetNo;
    this.cur.sec = sec;
    this.cur.nsec = nsec;
    this.cur.iface = iface;
    if (f.ladderN < this.ladders.steps)
      this.ladders.put(
        f.ladderSlotIn(this.ladders),
        f.ladderN++,
        packetNo,
        sec,
        nsec,
        dir,
        isTcp ? flags : -1,
        p.seq,
        p.ack,
        p.payloadWireLen,
        iface,
        this.file,
      );
    if (isTcp) {
      this.tcp(f, d, dir, p, flags);
      // Only a RST or FIN can close it (checking only then spares a look at the other direction).
      if (
        flags & (TCP.RST | TCP.FIN) &&
        !f.closed &&
        (f.d0.rst + f.d1.rst > 0 || (f.d0.fin > 0 && f.d1.fin > 0))
      )
        this.markClosed(f, t);
    }
  }

  private tcp(f: Flow, d: FlowDir, dir: number, p: DecodedPacket, flags: number): void {
    // Sequence numbers as int32: small integers are stored unboxed; `| 0` arithmetic wraps.
    const seq = p.seq | 0;
    // The same segment seen again on another interface within 50 ms is one packet captured
    // twice (`-i any` on a forwarding node, bridge + veth), not a retransmission.
    const iface = this.cur.iface;
    const wireLen = p.payloadWireLen;
    const dup =
      iface !== null &&
      d.prevIface !== null &&
      iface !== d.prevIface &&
      d.prevSeq === seq &&
      d.prevLen === wireLen &&
      d.prevFlags === flags &&
      f.lastSec - d.prevSec + (f.lastNsec - d.prevNsec) * 1e-9 < 0.05;
    d.prevSeq = seq;
    d.prevLen = wireLen;
    d.prevFlags = flags;
    d.prevIface = iface;
    d.prevSec = f.lastSec;
    d.prevNsec = f.lastNsec;
    if (dup) {
      d.dupCaptures++;
      return;
    }
    if (!d.baseSet) {
      d.baseSet = true;
      d.baseSeq = seq;
    }
    if (flags & TCP.ACK) {
      d.lastAck = p.ack | 0;
      d.ackSet = true;
    }
    if (flags & TCP.SYN) {
      if (flags & TCP.ACK) {
        if (d.synAck > 0 && d.synAckSeq === seq) {
          d.synAckRetrans++;
          this.note(f, 'syn-ack-retransmit', dir, 'SYN-ACK retransmitted');
        } else {
          d.synAckSeq = seq;
        }
        d.synAck++;
        if (f.clientIsA < 0) f.clientIsA = dir === 0 ? 0 : 1;
      } else {
        if (d.syn > 0 && d.synSeq === seq) {
          d.synRetrans++;
          this.note(f, 'syn-retransmit', dir, 'SYN retransmitted');
        } else {
          d.synSeq = seq;
        }
        d.syn++;
        f.clientIsA = dir === 0 ? 1 : 0;
      }
      d.nxt = (seq + 1) | 0;
      d.nxtSet = true;
      if (p.mss >= 0) d.mss = p.mss;
    } else if (flags & TCP.ACK && !f.handshakeAck) {
      const o = dir === 0 ? f.d1 : f.d0;
      if (o.synAck > 0 && d.syn > 0) f.handshakeAck = true;
    }
    if (flags & TCP.RST) {
      if (d.rst === 0) {
        d.firstRstPacket = this.cur.packet;
        this.note(f, 'rst', dir, 'RST');
      }
      d.rst++;
    }
    if (p.window === 0 && !(flags & (TCP.RST | TCP.SYN))) {
      if (d.zeroWindow === 0) this.note(f, 'zero-window', dir, 'zero window');
      d.zeroWindow++;
    }
    const wire = p.payloadWireLen;
    if (wire > 0) {
      if (wire > d.maxSeg) d.maxSeg = wire;
      let delivered = wire;
      let skip = 0;
      if (d.nxtSet) {
        const diff = (seq - d.nxt) | 0;
        if (diff < 0) {
          if (diff + wire <= 0) {
            d.retrans++;
            this.pktRetrans = true;
            if (d.stallSends > 0 && d.stallSeq === seq) d.stallSends++;
            else {
              d.stallSeq = seq;
              d.stallLen = wire;
              d.stallIpLen = p.ipTotalLen;
              d.stallDf = p.dontFragment;
              d.stallSends = 2;
              d.stallPeerPackets = (dir === 0 ? f.d1 : f.d0).packets;
            }
            if (d.retrans <= 3 || (d.retrans & (d.retrans - 1)) === 0)
              this.note(f, 'retransmit', dir, `retransmission (${d.retrans})`);
            delivered = 0;
          } else {
            skip = -diff;
            delivered = wire + diff;
          }
        } else if (diff > 0) {
          d.gapBytes += diff;
          if (d.tls) d.tls.gap(diff);
        }
      }
      if (delivered > 0) {
        if (this.doTls) this.tlsFeed(f, d, dir, p, skip, delivered);
        d.nxt = (seq + skip + delivered) | 0;
        d.nxtSet = true;
      }
    }
    if (flags & TCP.FIN) {
      if (d.fin === 0) d.firstFinPacket = this.cur.packet;
      d.fin++;
      if (d.nxtSet && ((seq + wire - d.nxt) | 0) >= 0) d.nxt = (seq + wire + 1) | 0;
    }
  }

  private tlsFeed(f: Flow, d: FlowDir, dir: number, p: DecodedPacket, skip: number, delivered: number): void {
    let s = d.tls;
    if (!s) {
      if (!f.tls) f.tls = new TlsSession();
      s = d.tls = new TlsStream(f.tls, this, dir);
    }
    if (s.notTls) return;
    const captured = p.payloadLen - skip;
    if (captured > 0) s.feed(p.buf, p.payloadOff + skip, Math.min(captured, delivered));
    if (captured < delivered) {
      const missing = delivered - Math.max(0, captured);
      d.gapBytes += missing;
      s.gap(missing);
    }
  }

  // ------------------------------------------------------------------ TLS

  /** TlsListener: a complete record in the current packet. */
  onTlsRecord(s: TlsStream, ct: number, detail: number, level: number, opaque: boolean): void {
    this.labels[this.pktTlsN++] = tlsRecordLabel(ct, detail);
    if (opaque) this.pktTlsOpaque++;
    else this.types[this.typesN++] = ct;
    if (ct !== TLS_CT.ALERT) return;
    if (detail >= 0) this.alerts[this.alertsN++] = detail;
    const f = this.flow;
    if (!f) return;
    if (f.alerts.length < MAX_ALERTS)
      f.alerts.push({ level, desc: detail, dir: s.dir, packet: this.cur.packet, iface: this.cur.iface });
    else f.alertsDropped++;
    const text =
      detail >= 0
        ? `TLS alert ${alertLevelName(level)} ${alertName(detail)} (${detail})`
        : 'TLS encrypted alert';
    this.note(f, 'tls-alert', s.dir, text);
  }

  /** TlsListener: a hello was parsed. */
  onTlsHello(s: TlsStream, type: number): void {
    if (type === 1) this.pktSni = s.session.sni;
  }

  // ---------------------------------------------------------------- events

  private note(f: Flow | null, kind: string, dir: number, text: string): void {
    if (this.events.length >= this.maxEvents) {
      this.stats.eventsDropped++;
      return;
    }
    const c = this.cur;
    this.events.push({
      kind,
      packet: c.packet,
      sec: c.sec,
      nsec: c.nsec,
      dir,
      iface: c.iface,
      file: this.file,
      text,
      flow: f,
    });
  }

  // ------------------------------------------------------------------ ICMP

  private icmp(p: DecodedPacket, packetNo: number, sec: number, nsec: number, iface: string | null): void {
    const v6 = p.ipProto === IPPROTO.ICMPV6;
    const type = p.icmpType;
    const isReq = v6 ? type === 128 : type === 8;
    const isRep = v6 ? type === 129 : type === 0;
    if (v6 && (type === 135 || type === 136)) {
      this.ndPacket(p, packetNo, sec, nsec, iface);
      return;
    }
    if ((isReq || isRep) && p.srcOff >= 0) {
      const src = formatIp(p.buf, p.srcOff, p.ipVersion);
      const dst = formatIp(p.buf, p.dstOff, p.ipVersion);
      const key = isReq ? `${src}>${dst}` : `${dst}>${src}`;
      let e = this.echo.get(key);
      const ts = epochString(sec, nsec);
      if (!e) {
        e = {
          src: isReq ? src : dst,
          dst: isReq ? dst : src,
          requests: 0,
          replies: 0,
          first: ts,
          last: ts,
          firstPacket: packetNo,
          ifaces: [],
        };
        this.echo.set(key, e);
      }
      if (isReq) e.requests++;
      else e.replies++;
      e.last = ts;
      if (iface !== null && !e.ifaces.includes(iface)) e.ifaces.push(iface);
      return;
    }
    const q = p.quoted;
    if (!q.valid || q.srcOff < 0 || q.dstOff + (q.ipVersion === 6 ? 16 : 4) > p.buf.length) return;
    // Fragmentation needed / packet too big carry the next hop's MTU: the size that gets through.
    const mtu = p.icmpMtu > 0 ? ` (next-hop MTU ${p.icmpMtu})` : '';
    const errText = `ICMP${v6 ? 'v6' : ''} error type ${type} code ${p.icmpCode}${mtu}`;
    this.cur.packet = packetNo;
    this.cur.sec = sec;
    this.cur.nsec = nsec;
    this.cur.iface = iface;
    let f: Flow | null = null;
    if (
      (q.proto === IPPROTO.TCP || q.proto === IPPROTO.UDP) &&
      q.sport >= 0 &&
      q.srcOff >= 0 &&
      q.ipVersion
    ) {
      const swapped = this.loadKey(p.buf, q.ipVersion, q.srcOff, q.dstOff, q.sport, q.dport);
      f = this.find(this.hashKey(q.proto, q.ipVersion), q.proto, q.ipVersion);
      if (f) {
        f.icmpErrors++;
        this.note(f, 'icmp-error', swapped ? 1 : 0, errText);
        return;
      }
    }
    this.note(null, 'icmp-error', -1, errText);
  }

  // ------------------------------------------------------------------- ARP

  private arpEntry(ip: number, buf: Buffer, off: number): ArpEntry {
    let e = this.arp.get(ip);
    if (!e) {
      e = newArpEntry(formatIp(buf, off, 4));
      this.arp.set(ip, e);
    }
    return e;
  }

  /** A request for `e`'s address by `asker` (its IP text). */
  private request(e: ArpEntry, asker: string, ts: string, packetNo: number, iface: string | null): void {
    e.requests++;
    if (e.firstRequest === null) {
      e.firstRequest = ts;
      e.firstRequestPacket = packetNo;
    }
    e.lastRequest = ts;
    if (e.askedBy.length < MAX_ASKED_BY && !e.askedBy.includes(asker)) e.askedBy.push(asker);
    if (iface !== null && !e.ifaces.includes(iface)) e.ifaces.push(iface);
  }

  /** A reply for `e`'s address from `mac` (null when the packet does not say). */
  private reply(e: ArpEntry, mac: string | null, ts: string, packetNo: number): void {
    e.replies++;
    if (e.firstReply === null) {
      e.firstReply = ts;
      e.firstReplyPacket = packetNo;
    }
    if (mac && !e.replyMacs.includes(mac)) e.replyMacs.push(mac);
  }

  /**
   * IPv6 neighbour discovery: a solicitation (135) asks for its target address, an
   * advertisement (136) answers for it with the target link-layer address option (else
   * the frame's source MAC). A solicitation from :: is duplicate address detection, a
   * node probing its own new address, where silence is the good outcome: not a request.
   */
  private ndPacket(
    p: DecodedPacket,
    packetNo: number,
    sec: number,
    nsec: number,
    iface: string | null,
  ): void {
    const b = p.buf;
    if (p.ndTargetOff < 0 || p.srcOff < 0 || p.ndTargetOff + 16 > b.length) return;
    const ip = formatIp(b, p.ndTargetOff, 6);
    let e = this.nd.get(ip);
    if (!e) {
      e = newArpEntry(ip);
      this.nd.set(ip, e);
    }
    const ts = epochString(sec, nsec);
    if (p.icmpType === 135) {
      const src = formatIp(b, p.srcOff, 6);
      if (src !== '::') this.request(e, src, ts, packetNo, iface);
      return;
    }
    if (iface !== null && !e.ifaces.includes(iface)) e.ifaces.push(iface);
    const macOff = p.ndLinkAddrOff >= 0 ? p.ndLinkAddrOff : p.macSrcOff;
    this.reply(e, macOff >= 0 && macOff + 6 <= b.length ? formatMac(b, macOff) : null, ts, packetNo);
  }

  private arpPacket(
    p: DecodedPacket,
    packetNo: number,
    sec: number,
    nsec: number,
    iface: string | null,
  ): void {
    const b = p.buf;
    if (
      p.arpSenderIpOff < 0 ||
      p.arpTargetIpOff < 0 ||
      Math.max(p.arpSenderIpOff, p.arpTargetIpOff) + 4 > b.length
    )
      return;
    const sip = b.readUInt32BE(p.arpSenderIpOff);
    const tip = b.readUInt32BE(p.arpTargetIpOff);
    const smac = p.arpSenderMacOff >= 0 ? formatMac(b, p.arpSenderMacOff) : null;
    const ts = epochString(sec, nsec);
    const sender = this.arpEntry(sip, b, p.arpSenderIpOff);
    if (smac && sip !== 0 && !sender.senderMacs.includes(smac)) sender.senderMacs.push(smac);
    if (iface !== null && !sender.ifaces.includes(iface)) sender.ifaces.push(iface);
    if (p.arpOp === 1) {
      if (sip === tip) return; // gratuitous announcement
      this.request(this.arpEntry(tip, b, p.arpTargetIpOff), sender.ip, ts, packetNo, iface);
    } else if (p.arpOp === 2) this.reply(sender, smac, ts, packetNo);
  }

  /** ARP and neighbour discovery entries with requests and no reply (candidates for an unresolved address). */
  arpUnanswered(): ArpEntry[] {
    return [...this.arp.values(), ...this.nd.values()].filter((e) => e.requests > 0 && e.replies === 0);
  }

  /** TLS facts of a flow for summaries (`undefined` when no TLS was seen). */
  static tlsFacts(f: Flow): { sni?: string; version?: string; tls13: boolean } | undefined {
    const s = f.tls;
    const records = (f.d0.tls?.records ?? 0) + (f.d1.tls?.records ?? 0);
    if (!s || (s.clientHellos === 0 && s.serverHellos === 0 && records === 0)) return undefined;
    const out: { sni?: string; version?: string; tls13: boolean } = { tls13: isTls13(s.version) };
    if (s.sni !== null) out.sni = displayText(s.sni);
    if (s.version >= 0) out.version = tlsVersionName(s.version);
    return out;
  }
}

function newArpEntry(ip: string): ArpEntry {
  return {
    ip,
    requests: 0,
    replies: 0,
    replyMacs: [],
    senderMacs: [],
    askedBy: [],
    firstRequest: null,
    lastRequest: null,
    firstReply: null,
    firstRequestPacket: 0,
    firstReplyPacket: 0,
    ifaces: [],
  };
}

/** A fresh decode result (convenience for callers and tests). */
export function newPacket(): DecodedPacket {
  return new DecodedPacket();
}

/** Big-endian int32 at `off` (the caller checked the bounds); Buffer#readInt32BE is not inlined. */
function i32(buf: Buffer, off: number): number {
  return (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
}

/** Seconds of capture time since the flow's last packet at `now`. */
function quiet(f: Flow, now: number): number {
  return now - f.lastSec - f.lastNsec * 1e-9;
}

function append(list: FlowList, f: Flow): void {
  f.lruPrev = list.tail;
  f.lruNext = null;
  if (list.tail) list.tail.lruNext = f;
  else list.head = f;
  list.tail = f;
}

function unlink(list: FlowList, f: Flow): void {
  if (f.lruPrev) f.lruPrev.lruNext = f.lruNext;
  else list.head = f.lruNext;
  if (f.lruNext) f.lruNext.lruPrev = f.lruPrev;
  else list.tail = f.lruPrev;
  f.lruPrev = f.lruNext = null;
}
