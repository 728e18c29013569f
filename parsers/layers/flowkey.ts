/**
 * Flow keys for the flow table: one key for both directions of a conversation.
 *
 * The two endpoints (address, port) are put in canonical order — the smaller
 * address first, bytewise, then the smaller port — so A→B and B→A give the same
 * key; `flowForward` says whether a packet goes from the first (A) to the second
 * (B). The key is a short string of 16-bit code units (not printable; only a Map
 * key): [version<<8 | protocol, A address units, A port, B address units, B port],
 * 7 units for IPv4 and 19 for IPv6. It covers the 5-tuple only: the flow table
 * adds interface/VLAN scope if it needs it. `flowHash` is the matching symmetric
 * 32-bit number for sharding. Ports are 0 for protocols without ports.
 *
 * The same functions work on the header quoted in an ICMP error (`quotedFlowKey`),
 * so the error joins the flow it reports on.
 */
import type { DecodedPacket } from './packet.js';

/** -1 / 0 / 1 comparing endpoint (a, ap) with (b, bp). */
function cmpEndpoints(buf: Buffer, len: number, a: number, ap: number, b: number, bp: number): number {
  for (let i = 0; i < len; i++) {
    const d = buf[a + i] - buf[b + i];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ap < bp ? -1 : ap > bp ? 1 : 0;
}

function u16(buf: Buffer, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

function key(buf: Buffer, v: number, proto: number, a: number, ap: number, b: number, bp: number): string {
  const head = (v << 8) | (proto & 0xff);
  if (v === 4) {
    return String.fromCharCode(head, u16(buf, a), u16(buf, a + 2), ap, u16(buf, b), u16(buf, b + 2), bp);
  }
  return String.fromCharCode(
    head,
    u16(buf, a),
    u16(buf, a + 2),
    u16(buf, a + 4),
    u16(buf, a + 6),
    u16(buf, a + 8),
    u16(buf, a + 10),
    u16(buf, a + 12),
    u16(buf, a + 14),
    ap,
    u16(buf, b),
    u16(buf, b + 2),
    u16(buf, b + 4),
    u16(buf, b + 6),
    u16(buf, b + 8),
    u16(buf, b + 10),
    u16(buf, b + 12),
    u16(buf, b + 14),
    bp,
  );
}

function keyOf(
  buf: Buffer,
  v: number,
  proto: number,
  s: number,
  sp: number,
  d: number,
  dp: number,
): string | null {
  if ((v !== 4 && v !== 6) || s < 0 || d < 0) return null;
  const len = v === 4 ? 4 : 16;
  sp = Math.max(sp, 0);
  dp = Math.max(dp, 0);
  return cmpEndpoints(buf, len, s, sp, d, dp) <= 0
    ? key(buf, v, proto, s, sp, d, dp)
    : key(buf, v, proto, d, dp, s, sp);
}

/** Canonical flow key of the packet's IP 5-tuple, or null without IP endpoints. */
export function flowKey(pkt: DecodedPacket): string | null {
  return keyOf(pkt.buf, pkt.ipVersion, pkt.ipProto, pkt.srcOff, pkt.sport, pkt.dstOff, pkt.dport);
}

/** Flow key of the datagram quoted in an ICMP error (same format as flowKey), or null. */
export function quotedFlowKey(pkt: DecodedPacket): string | null {
  const q = pkt.quoted;
  if (!q.valid) return null;
  return keyOf(pkt.buf, q.ipVersion, q.proto, q.srcOff, q.sport, q.dstOff, q.dport);
}

/** True when the packet travels from the key's first endpoint (A) to the second (B). */
export function flowForward(pkt: DecodedPacket): boolean {
  if (pkt.srcOff < 0 || pkt.dstOff < 0) return true;
  const len = pkt.ipVersion === 4 ? 4 : 16;
  const sp = Math.max(pkt.sport, 0);
  const dp = Math.max(pkt.dport, 0);
  return cmpEndpoints(pkt.buf, len, pkt.srcOff, sp, pkt.dstOff, dp) <= 0;
}

/** Symmetric 32-bit hash of the 5-tuple (same for both directions), 0 without IP endpoints. */
export function flowHash(pkt: DecodedPacket): number {
  const v = pkt.ipVersion;
  if ((v !== 4 && v !== 6) || pkt.srcOff < 0 || pkt.dstOff < 0) return 0;
  const len = v === 4 ? 4 : 16;
  const buf = pkt.buf;
  let hs = 0x811c9dc5;
  let hd = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    hs = Math.imul(hs ^ buf[pkt.srcOff + i], 0x01000193);
    hd = Math.imul(hd ^ buf[pkt.dstOff + i], 0x01000193);
  }
  hs = Math.imul(hs ^ Math.max(pkt.sport, 0), 0x01000193);
  hd = Math.imul(hd ^ Math.max(pkt.dport, 0), 0x01000193);
  // Order-independent combination, then mix in the protocol.
  return Math.imul((hs ^ hd) + (hs & hd), 0x9e3779b1) ^ pkt.ipProto;
}
