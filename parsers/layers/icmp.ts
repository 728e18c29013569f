/**
 * ICMP for IPv4 (RFC 792).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  echo: Identifier | Sequence  ·  frag-needed: unused | next-hop MTU |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  errors: original IP header + first 8 bytes of its payload    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Errors quoting the original datagram: 3 destination unreachable, 4 source
 * quench, 5 redirect, 11 time exceeded, 12 parameter problem. The quote goes to
 * `pkt.quoted` so the error can be joined to the flow it reports on.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { quoteIpv4 } from './ipv4.js';

/** ICMP decoder. */
export const icmp: LayerDecoder = {
  id: 'icmp',
  role: 'transport',
  provides: { quoted: true },
  decode(pkt, buf, off) {
    const end = pkt.limit;
    if (off + 8 > end) {
      pkt.setIssue('icmp-truncated', 'icmp', off, `header needs 8 bytes, ${end - off} captured`);
      return FAIL;
    }
    pkt.l4Off = off;
    const type = buf[off];
    pkt.icmpType = type;
    pkt.icmpCode = buf[off + 1];
    if (type === 0 || type === 8) {
      pkt.icmpId = (buf[off + 4] << 8) | buf[off + 5];
      pkt.icmpSeq = (buf[off + 6] << 8) | buf[off + 7];
    } else if (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) {
      if (type === 3 && pkt.icmpCode === 4) pkt.icmpMtu = (buf[off + 6] << 8) | buf[off + 7];
      if (!quoteIpv4(pkt.quoted, buf, off + 8, end)) {
        pkt.setIssue('icmp-bad-quote', 'icmp', off + 8, 'quoted IPv4 header missing or malformed');
      }
    }
    pkt.payloadOff = off + 8;
    pkt.payloadLen = end - off - 8;
    pkt.payloadWireLen = pkt.ipOff >= 0 ? pkt.ipOff + pkt.ipTotalLen - off - 8 : pkt.payloadLen;
    return STOP;
  },
};
