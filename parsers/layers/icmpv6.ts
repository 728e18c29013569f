/**
 * ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | echo: Identifier | Sequence · packet-too-big: MTU · errors: unused/pointer |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | errors: as much of the invoking packet as fits (IPv6 header first) |
 *   | NS (135) / NA (136): target address (16), options (type, len*8, data) |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Errors: 1 destination unreachable, 2 packet too big, 3 time exceeded,
 * 4 parameter problem; the quote goes to `pkt.quoted`. ND option 1 / 2 is the
 * source / target link-layer address.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { quoteIpv6 } from './ipv6.js';

/** ICMPv6 decoder. */
export const icmpv6: LayerDecoder = {
  id: 'icmpv6',
  role: 'transport',
  provides: { quoted: true },
  decode(pkt, buf, off) {
    const end = pkt.limit;
    if (off + 8 > end) {
      // NS/NA etc. all have at least 8 bytes; RFC 4443 header is 4 + message body.
      pkt.setIssue('icmpv6-truncated', 'icmpv6', off, `header needs 8 bytes, ${end - off} captured`);
      return FAIL;
    }
    pkt.l4Off = off;
    const type = buf[off];
    pkt.icmpType = type;
    pkt.icmpCode = buf[off + 1];
    if (type === 128 || type === 129) {
      pkt.icmpId = (buf[off + 4] << 8) | buf[off + 5];
      pkt.icmpSeq = (buf[off + 6] << 8) | buf[off + 7];
    } else if (type >= 1 && type <= 4) {
      if (type === 2) pkt.icmpMtu = buf.readUInt32BE(off + 4);
      if (!quoteIpv6(pkt.quoted, buf, off + 8, end)) {
        pkt.setIssue('icmpv6-bad-quote', 'icmpv6', off + 8, 'quoted IPv6 header missing or malformed');
      }
    } else if (type === 135 || type === 136) {
      if (off + 24 > end) {
        pkt.setIssue('icmpv6-truncated', 'icmpv6', off + 8, 'neighbour discovery target address cut off');
        return STOP;
      }
      pkt.ndTargetOff = off + 8;
      for (let p = off + 24; p + 2 <= end; ) {
        const len = buf[p + 1] * 8;
        if (len === 0 || p + len > end) {
          pkt.setIssue('icmpv6-bad-option', 'icmpv6', p, `ND option ${buf[p]} length ${len} is invalid`);
          return STOP;
        }
        if ((buf[p] === 1 || buf[p] === 2) && len === 8) pkt.ndLinkAddrOff = p + 2;
        p += len;
      }
    }
    pkt.payloadOff = off + 8;
    pkt.payloadLen = end - off - 8;
    pkt.payloadWireLen = pkt.ipOff >= 0 ? pkt.ipOff + pkt.ipTotalLen - off - 8 : pkt.payloadLen;
    return STOP;
  },
};
