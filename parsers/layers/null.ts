/**
 * BSD loopback encapsulation: LINKTYPE_NULL (0) and LINKTYPE_LOOP (108).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              address family (AF_xxx), 4 bytes                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * NULL stores the family in the capturing host's byte order (unknown to us), and
 * some systems put a 16-bit family (IRIX) or an EtherType there instead; the
 * value is untangled as tshark does (reading it as little-endian first). LOOP
 * stores the family in network order.
 * AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD/BSDi),
 * 28 (FreeBSD), 30 (Darwin). The family is mapped to an EtherType.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { type DecodedPacket, NEXT } from './packet.js';

/** EtherType for a BSD address family, -1 when not IP. */
export function afToEtherType(af: number): number {
  if (af === 2) return 0x0800;
  if (af === 10 || af === 24 || af === 28 || af === 30) return 0x86dd;
  return -1;
}

function decodeAf(pkt: DecodedPacket, _buf: Buffer, off: number, af: number): number {
  pkt.addressFamily = af;
  const type = afToEtherType(af);
  if (type < 0) return STOP; // other families (e.g. OSI, IPX) not decoded
  pkt.etherType = type;
  pkt.nextKind = NEXT.ETHERTYPE;
  pkt.nextId = type;
  return off + 4;
}

/** LINKTYPE_NULL decoder (host byte order family). */
export const nullLink: LayerDecoder = {
  id: 'null',
  role: 'link',
  provides: {},
  decode(pkt, buf, off) {
    if (off + 4 > pkt.limit) {
      pkt.setIssue('null-truncated', 'null', off, `header needs 4 bytes, ${pkt.limit - off} captured`);
      return FAIL;
    }
    let v = buf.readUInt32LE(off);
    if (v > 0xffff) {
      // 16-bit family in the first 2 bytes (IRIX), else the other byte order.
      v = (v & 0xff000000) === 0 && (v & 0x00ff0000) < 0x00060000 ? v >>> 16 : buf.readUInt32BE(off);
    } else if ((v & 0xff) === 0 && (v & 0xff00) < 0x0600) {
      v = v >> 8; // byte-swapped 16-bit family
    }
    if (v > 1500) {
      // An EtherType in the low 16 bits (as tshark treats it).
      pkt.etherType = v & 0xffff;
      pkt.nextKind = NEXT.ETHERTYPE;
      pkt.nextId = pkt.etherType;
      return off + 4;
    }
    return decodeAf(pkt, buf, off, v);
  },
};

/** LINKTYPE_LOOP decoder (network byte order family). */
export const loop: LayerDecoder = {
  id: 'loop',
  role: 'link',
  provides: {},
  decode(pkt, buf, off) {
    if (off + 4 > pkt.limit) {
      pkt.setIssue('loop-truncated', 'loop', off, `header needs 4 bytes, ${pkt.limit - off} captured`);
      return FAIL;
    }
    return decodeAf(pkt, buf, off, buf.readUInt32BE(off));
  },
};
