/**
 * BSD loopback encapsulation: LINKTYPE_NULL (0) and LINKTYPE_LOOP (108).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              address family (AF_xxx), 4 bytes                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * NULL stores the family in the capturing host's byte order (unknown to us: the
 * byte order that yields a small value wins); LOOP stores it in network order.
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
    const le = buf.readUInt32LE(off);
    return decodeAf(pkt, buf, off, le <= 0xffff ? le : buf.readUInt32BE(off));
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
