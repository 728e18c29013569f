/**
 * The decoded view of one packet. One instance is reused for every packet on the
 * hot path: decoders fill fields in place and record offsets into the frame
 * instead of copying (addresses are `*Off` offsets into `buf`). Call `reset()`
 * before decoding the next frame. Formatting helpers turn offsets into strings
 * only when something needs to outlive the packet.
 */

/** Transport protocol numbers used in `ipProto`. */
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/** TCP flag bits as in the header. */
export const TCP = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** Header fields of the IP packet quoted inside an ICMP error, joined to the flow it reports on. */
export class QuotedHeader {
  valid = false;
  ipVersion: 0 | 4 | 6 = 0;
  srcOff = -1;
  dstOff = -1;
  proto = -1;
  sport = -1;
  dport = -1;
  /** TCP sequence number of the quoted segment (-1 when not TCP or not present). */
  seq = -1;
  reset(): void {
    this.valid = false;
    this.ipVersion = 0;
    this.srcOff = this.dstOff = this.proto = this.sport = this.dport = this.seq = -1;
  }
}

/** Mutable, reused decode result. */
export class DecodedPacket {
  /** The frame bytes; offsets below index into this buffer. */
  buf: Buffer = Buffer.alloc(0);
  /** Layer ids in order (e.g. ['sll2','ipv4','tcp','tls']); the array is reused. */
  readonly layers: string[] = [];

  // --- link ---
  /** Offset of destination / source MAC (6 bytes), -1 when the link has none. */
  macDstOff = -1;
  macSrcOff = -1;
  /** Outermost and innermost VLAN ids, -1 when untagged. */
  vlanOuter = -1;
  vlanInner = -1;
  /** Linux SLL/SLL2 packet type (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing), -1 unknown. */
  pktType = -1;
  /** SLL2 interface index, -1 unknown. */
  ifindex = -1;
  /** EtherType (or SLL protocol) of the payload carried by the link layer, -1 unknown. */
  etherType = -1;

  // --- network ---
  ipVersion: 0 | 4 | 6 = 0;
  /** Offsets of source and destination addresses (4 or 16 bytes). */
  srcOff = -1;
  dstOff = -1;
  ttl = -1;
  /** Upper-layer protocol after walking IPv6 extension headers (IPPROTO), -1 unknown. */
  ipProto = -1;
  /** IPv4 identification / IPv6 fragment id, -1 when none. */
  ipId = -1;
  /** True for any fragment (MF set or offset > 0). Non-first fragments carry no transport header. */
  fragment = false;
  /** Fragment offset in bytes. */
  fragOffset = 0;
  moreFragments = false;
  /** Total length of the IP datagram as declared by its header (IPv4 total length, IPv6 40 + payload length). */
  ipTotalLen = 0;

  // --- transport ---
  sport = -1;
  dport = -1;
  /** TCP flags byte, -1 when not TCP. */
  tcpFlags = -1;
  seq = 0;
  ack = 0;
  window = 0;
  /** TCP options of interest (-1 / false when absent). */
  mss = -1;
  wscale = -1;
  sackPermitted = false;
  /** Number of SACK blocks in this segment. */
  sackBlocks = 0;
  tsVal = -1;
  tsEcr = -1;
  /** Offset and length of the transport payload (TCP/UDP data) within `buf`, bounded by caplen. */
  payloadOff = -1;
  payloadLen = 0;
  /** Payload length the headers declare (may exceed payloadLen when the capture was truncated by snaplen). */
  payloadWireLen = 0;

  // --- icmp / icmpv6 ---
  icmpType = -1;
  icmpCode = -1;
  readonly quoted = new QuotedHeader();

  // --- arp ---
  /** ARP opcode (1 request, 2 reply), -1 when not ARP. */
  arpOp = -1;
  arpSenderMacOff = -1;
  arpSenderIpOff = -1;
  arpTargetMacOff = -1;
  arpTargetIpOff = -1;

  // --- problems ---
  /** Set when a decoder stopped on a malformed header: a short code and a message with the offset. */
  issueCode: string | null = null;
  issueMessage: string | null = null;

  /** Prepare for the next frame. */
  reset(buf: Buffer): void {
    this.buf = buf;
    this.layers.length = 0;
    this.macDstOff =
      this.macSrcOff =
      this.vlanOuter =
      this.vlanInner =
      this.pktType =
      this.ifindex =
      this.etherType =
        -1;
    this.ipVersion = 0;
    this.srcOff = this.dstOff = this.ttl = this.ipProto = this.ipId = -1;
    this.fragment = false;
    this.fragOffset = 0;
    this.moreFragments = false;
    this.ipTotalLen = 0;
    this.sport = this.dport = this.tcpFlags = -1;
    this.seq = this.ack = this.window = 0;
    this.mss = this.wscale = this.tsVal = this.tsEcr = -1;
    this.sackPermitted = false;
    this.sackBlocks = 0;
    this.payloadOff = -1;
    this.payloadLen = this.payloadWireLen = 0;
    this.icmpType = this.icmpCode = -1;
    this.quoted.reset();
    this.arpOp = this.arpSenderMacOff = this.arpSenderIpOff = this.arpTargetMacOff = this.arpTargetIpOff = -1;
    this.issueCode = this.issueMessage = null;
  }
}
