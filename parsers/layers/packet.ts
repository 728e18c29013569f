/**
 * The decoded view of one packet. One instance is reused for every packet on the
 * hot path: decoders fill fields in place and record offsets into the frame
 * instead of copying (addresses are `*Off` offsets into `buf`). Call `reset()`
 * before decoding the next frame (decodeFrame does). Formatting helpers
 * (parsers/layers/format.ts) turn offsets into strings only when something needs
 * to outlive the packet.
 *
 * Issue rule: a decoder that finds a malformed or truncated header sets
 * `issueCode`/`issueMessage` (the message names the layer and the byte offset
 * within the frame) and decoding stops. When the fixed part of a header was bad
 * the layer is not listed in `layers` and its fields keep their defaults; when
 * only a variable part was bad (IPv4/TCP options, a UDP length) the layer is
 * listed and its fixed fields are valid.
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

/** Bits of `ipv6Ext`: which IPv6 extension headers were walked. */
export const IPV6_EXT = {
  HOP_BY_HOP: 0x01,
  ROUTING: 0x02,
  FRAGMENT: 0x04,
  DEST_OPTS: 0x08,
  AH: 0x10,
  OTHER: 0x20,
} as const;

/** What selects the next decoder (`DecodedPacket.nextKind`); see registry.ts. */
export const NEXT = {
  /** Nothing follows (or nothing we decode). */
  NONE: 0,
  /** `nextId` is an EtherType (also used by SLL, NULL/LOOP, raw IP). */
  ETHERTYPE: 1,
  /** `nextId` is an IP protocol number. */
  IPPROTO: 2,
  /** `nextId` is the transport protocol whose payload follows (payload decoders, e.g. TLS). */
  PAYLOAD: 3,
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
  /** IPv4 identification of the quoted datagram (-1 for IPv6). */
  ipId = -1;
  reset(): void {
    this.valid = false;
    this.ipVersion = 0;
    this.srcOff = this.dstOff = this.proto = this.sport = this.dport = this.seq = this.ipId = -1;
  }
}

/** Mutable, reused decode result. */
export class DecodedPacket {
  /** The frame bytes; offsets below index into this buffer. */
  buf: Buffer = Buffer.alloc(0);
  /**
   * Layer ids in order (e.g. ['sll2','ipv4','tcp','tls']). The array is reused and
   * only valid after decodeFrame returns; decoders add to it with `addLayer`.
   */
  readonly layers: string[] = [];
  /** Number of layers added so far (decodeFrame trims `layers` to it at the end). */
  layerCount = 0;
  /** Offset of the first frame byte in `buf` (issue messages report offsets relative to it). */
  frameOff = 0;
  /** End of the captured bytes (frameOff + caplen). */
  capEnd = 0;
  /** End of the bytes the current layer may read: capEnd narrowed by IP length fields (drops padding). */
  limit = 0;

  /**
   * Decoded layers by role (LayerDecoder.role): `link` is the outermost link layer
   * (the capture's link type), `network`/`transport` the innermost; null when none.
   */
  link: string | null = null;
  network: string | null = null;
  transport: string | null = null;

  // --- chain state (set by each decoder, read by decodeFrame) ---
  /** How `nextId` is interpreted (NEXT.*). */
  nextKind = 0;
  /** Id of the next header within `nextKind`'s table. */
  nextId = -1;

  // --- link ---
  /** Offset of destination / source MAC (6 bytes), -1 when the link has none. */
  macDstOff = -1;
  macSrcOff = -1;
  /** 802.3 length field when the frame is a length (LLC) frame, -1 for Ethernet II. */
  ethLength = -1;
  /** Outermost and innermost VLAN ids, -1 when untagged (equal when there is one tag). */
  vlanOuter = -1;
  vlanInner = -1;
  /** Number of VLAN tags (802.1Q / 802.1ad) walked. */
  vlanCount = 0;
  /** Priority code point and drop-eligible bit of the outermost tag (-1 / false when untagged). */
  vlanPcp = -1;
  vlanDei = false;
  /** Same for the innermost tag. */
  vlanInnerPcp = -1;
  vlanInnerDei = false;
  /** Linux SLL/SLL2 packet type (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing), -1 unknown. */
  pktType = -1;
  /** Direction from the link header (SLL packet type 4 → 'out', 0..3 → 'in'), null unknown. */
  direction: 'in' | 'out' | null = null;
  /** SLL/SLL2 ARPHRD type, -1 unknown. */
  hatype = -1;
  /** SLL2 interface index, -1 unknown. */
  ifindex = -1;
  /** EtherType (or SLL protocol, or mapped NULL/LOOP address family) of the link payload, -1 unknown. */
  etherType = -1;
  /** NULL/LOOP address family as found in the header, -1 unknown. */
  addressFamily = -1;

  // --- network ---
  ipVersion: 0 | 4 | 6 = 0;
  /** Offset of the IP header. */
  ipOff = -1;
  /** IP header length (IPv4 IHL*4; IPv6 40 + extension headers walked). */
  ipHeaderLen = 0;
  /** Offsets of source and destination addresses (4 or 16 bytes). */
  srcOff = -1;
  dstOff = -1;
  /** IPv4 TTL / IPv6 hop limit. */
  ttl = -1;
  /** IPv4 DSCP+ECN byte / IPv6 traffic class, -1 unknown. */
  tos = -1;
  /** IPv4 don't-fragment bit. */
  dontFragment = false;
  /** Length of IPv4 options (IHL*4 - 20). */
  ipOptionsLen = 0;
  /** IPv6 extension headers walked (IPV6_EXT bits). */
  ipv6Ext = 0;
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
  /** Offset of the transport header, -1 when none decoded. */
  l4Off = -1;
  sport = -1;
  dport = -1;
  /** TCP flags byte, -1 when not TCP. */
  tcpFlags = -1;
  seq = 0;
  ack = 0;
  window = 0;
  /** TCP data offset in bytes (header length), 0 when not TCP. */
  tcpHeaderLen = 0;
  /** TCP options of interest (-1 / false when absent). */
  mss = -1;
  wscale = -1;
  sackPermitted = false;
  /** Number of SACK blocks in this segment; block i is at sackOff + 8*i (left edge, right edge; u32 each). */
  sackBlocks = 0;
  sackOff = -1;
  tsVal = -1;
  tsEcr = -1;
  /** UDP length field, -1 when not UDP. */
  udpLength = -1;
  /** Offset and length of the transport payload (TCP/UDP data) within `buf`, bounded by caplen. */
  payloadOff = -1;
  payloadLen = 0;
  /** Payload length the headers declare (may exceed payloadLen when the capture was truncated by snaplen). */
  payloadWireLen = 0;

  // --- icmp / icmpv6 ---
  icmpType = -1;
  icmpCode = -1;
  /** Echo request/reply identifier and sequence, -1 otherwise. */
  icmpId = -1;
  icmpSeq = -1;
  /** ICMP "next-hop MTU" (frag needed) / ICMPv6 packet-too-big MTU, -1 otherwise. */
  icmpMtu = -1;
  /** ICMPv6 neighbour solicitation/advertisement target address offset (16 bytes), -1 otherwise. */
  ndTargetOff = -1;
  /** ICMPv6 NS/NA source/target link-layer address option offset (6 bytes), -1 otherwise. */
  ndLinkAddrOff = -1;
  readonly quoted = new QuotedHeader();

  // --- arp ---
  /** ARP opcode (1 request, 2 reply; RARP 3 request, 4 reply), -1 when not ARP. */
  arpOp = -1;
  arpSenderMacOff = -1;
  arpSenderIpOff = -1;
  arpTargetMacOff = -1;
  arpTargetIpOff = -1;
  /** Sender IP equals target IP (gratuitous ARP / announcement). */
  arpGratuitous = false;

  // --- problems ---
  /** Set when a decoder stopped on a malformed header: a short code and a message with the offset. */
  issueCode: string | null = null;
  issueMessage: string | null = null;

  /** Prepare for the next frame (decodeFrame calls this). */
  reset(buf: Buffer): void {
    this.buf = buf;
    // `layers` is trimmed by decodeFrame: shrinking it to 0 here would free and
    // reallocate its backing store for every packet.
    this.layerCount = 0;
    this.frameOff = this.capEnd = this.limit = 0;
    this.link = this.network = this.transport = null;
    this.nextKind = 0;
    this.nextId = -1;
    this.macDstOff =
      this.macSrcOff =
      this.ethLength =
      this.vlanOuter =
      this.vlanInner =
      this.vlanPcp =
      this.vlanInnerPcp =
      this.pktType =
      this.hatype =
      this.ifindex =
      this.etherType =
      this.addressFamily =
        -1;
    this.vlanCount = 0;
    this.vlanDei = this.vlanInnerDei = false;
    this.direction = null;
    this.ipVersion = 0;
    this.ipOff = this.srcOff = this.dstOff = this.ttl = this.tos = this.ipProto = this.ipId = -1;
    this.ipHeaderLen = this.ipOptionsLen = this.ipv6Ext = 0;
    this.dontFragment = false;
    this.fragment = false;
    this.fragOffset = 0;
    this.moreFragments = false;
    this.ipTotalLen = 0;
    this.l4Off = this.sport = this.dport = this.tcpFlags = this.udpLength = -1;
    this.seq = this.ack = this.window = this.tcpHeaderLen = 0;
    this.mss = this.wscale = this.tsVal = this.tsEcr = this.sackOff = -1;
    this.sackPermitted = false;
    this.sackBlocks = 0;
    this.payloadOff = -1;
    this.payloadLen = this.payloadWireLen = 0;
    this.icmpType = this.icmpCode = this.icmpId = this.icmpSeq = this.icmpMtu = -1;
    this.ndTargetOff = this.ndLinkAddrOff = -1;
    this.quoted.reset();
    this.arpOp = this.arpSenderMacOff = this.arpSenderIpOff = this.arpTargetMacOff = this.arpTargetIpOff = -1;
    this.arpGratuitous = false;
    this.issueCode = this.issueMessage = null;
  }

  /** Append a layer id (overwrites in place: no allocation once the array has grown). */
  addLayer(id: string): void {
    this.layers[this.layerCount++] = id;
  }

  /** Make `layers` exactly the ids added (call once decoding is done). */
  finishLayers(): void {
    if (this.layers.length !== this.layerCount) this.layers.length = this.layerCount;
  }

  /** Record a problem at `off` (an offset into `buf`) in `layer`; decoders then return STOP or FAIL. */
  setIssue(code: string, layer: string, off: number, what: string): void {
    this.issueCode = code;
    this.issueMessage = `${layer}: ${what} at frame offset ${off - this.frameOff}`;
  }
}
