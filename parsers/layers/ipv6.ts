/**
 * IPv6 (RFC 8200) and its extension header chain.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |              Flow Label               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 Source Address (16 bytes)                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              Destination Address (16 bytes)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extension headers (hop-by-hop 0, routing 43, destination options 60, mobility
 * 135, HIP 139, shim6 140): next header(1), length in 8-byte units not counting
 * the first 8 (1), data. AH (51): length in 4-byte units minus 2. Fragment (44),
 * 8 bytes:
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Identification                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * A payload length of 0 with a hop-by-hop header is a jumbogram: the captured
 * length is used.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { quoteTransport } from './ipv4.js';
import { IPV6_EXT, NEXT, type QuotedHeader } from './packet.js';

/** IPV6_EXT bit for a generic extension header type, 0 when `nh` is not one. */
function extBit(nh: number): number {
  switch (nh) {
    case 0:
      return IPV6_EXT.HOP_BY_HOP;
    case 43:
      return IPV6_EXT.ROUTING;
    case 60:
      return IPV6_EXT.DEST_OPTS;
    case 135:
    case 139:
    case 140:
      return IPV6_EXT.OTHER;
    default:
      return 0;
  }
}

/**
 * Decode the IPv6 header quoted in an ICMPv6 error at `off` (bytes below `end`),
 * walking extension headers, plus the first 8 transport bytes into `q`.
 */
export function quoteIpv6(q: QuotedHeader, buf: Buffer, off: number, end: number): boolean {
  if (off + 40 > end || buf[off] >> 4 !== 6) return false;
  q.valid = true;
  q.ipVersion = 6;
  q.srcOff = off + 8;
  q.dstOff = off + 24;
  let nh = buf[off + 6];
  let p = off + 40;
  for (;;) {
    if (extBit(nh) !== 0 || nh === 51 || nh === 44) {
      if (p + 8 > end) return true; // chain cut off: addresses only
      const len = nh === 44 ? 8 : nh === 51 ? (buf[p + 1] + 2) * 4 : (buf[p + 1] + 1) * 8;
      if (nh === 44 && buf.readUInt16BE(p + 2) & 0xfff8) {
        q.proto = buf[p];
        return true; // non-first fragment
      }
      nh = buf[p];
      p += len;
      continue;
    }
    break;
  }
  q.proto = nh;
  quoteTransport(q, buf, p, end);
  return true;
}

/** IPv6 decoder. */
export const ipv6: LayerDecoder = {
  id: 'ipv6',
  role: 'network',
  provides: { endpoints: 'ip' },
  decode(pkt, buf, off) {
    let end = pkt.limit;
    if (off + 40 > end) {
      pkt.setIssue('ipv6-truncated', 'ipv6', off, `header needs 40 bytes, ${end - off} captured`);
      return FAIL;
    }
    if (buf[off] >> 4 !== 6) {
      pkt.setIssue('ipv6-bad-version', 'ipv6', off, `version ${buf[off] >> 4}`);
      return FAIL;
    }
    const plen = (buf[off + 4] << 8) | buf[off + 5];
    let nh = buf[off + 6];
    const total = plen === 0 && nh === 0 ? end - off : 40 + plen;
    const declEnd = off + total;
    if (declEnd < end) pkt.limit = end = declEnd;
    pkt.ipVersion = 6;
    pkt.ipOff = off;
    // An outer IPv4 header (6in4) may have set these.
    pkt.fragment = pkt.moreFragments = false;
    pkt.fragOffset = 0;
    pkt.ipId = -1;
    pkt.ipOptionsLen = 0;
    pkt.ipTotalLen = total;
    pkt.tos = ((buf[off] & 0x0f) << 4) | (buf[off + 1] >> 4);
    pkt.ttl = buf[off + 7];
    pkt.srcOff = off + 8;
    pkt.dstOff = off + 24;
    let p = off + 40;
    for (;;) {
      const bit = extBit(nh);
      if (bit === 0 && nh !== 44 && nh !== 51) break;
      // Every extension header starts with next header + length.
      if (p + 2 > end) {
        pkt.ipHeaderLen = p - off;
        const cut = p + 2 <= declEnd;
        pkt.setIssue(
          cut ? 'ipv6-truncated' : 'ipv6-bad-ext-length',
          'ipv6',
          p,
          `extension header ${nh} cut off`,
        );
        return STOP;
      }
      const len = nh === 44 ? 8 : nh === 51 ? (buf[p + 1] + 2) * 4 : (buf[p + 1] + 1) * 8;
      if (p + len > end) {
        pkt.ipHeaderLen = p - off;
        const cut = p + len <= declEnd;
        pkt.setIssue(
          cut ? 'ipv6-truncated' : 'ipv6-bad-ext-length',
          'ipv6',
          p,
          `extension header ${nh} of ${len} bytes runs past the ${cut ? 'capture' : 'packet'}`,
        );
        return STOP;
      }
      if (nh === 44) {
        const fo = (buf[p + 2] << 8) | buf[p + 3];
        pkt.ipv6Ext |= IPV6_EXT.FRAGMENT;
        pkt.fragOffset = fo & 0xfff8;
        pkt.moreFragments = (fo & 1) !== 0;
        pkt.fragment = pkt.moreFragments || pkt.fragOffset > 0; // else an atomic fragment
        pkt.ipId = buf.readUInt32BE(p + 4);
      } else pkt.ipv6Ext |= nh === 51 ? IPV6_EXT.AH : bit;
      nh = buf[p];
      p += len;
    }
    pkt.ipProto = nh;
    pkt.ipHeaderLen = p - off;
    if (pkt.fragOffset > 0) return STOP; // non-first fragment: no transport header
    pkt.nextKind = NEXT.IPPROTO;
    pkt.nextId = nh;
    return p;
  },
};
