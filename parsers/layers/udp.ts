/**
 * UDP (RFC 768).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            Length             |           Checksum            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Length covers header + data (>= 8). In a first IP fragment it describes the
 * whole datagram, so it may exceed the fragment. 0 is allowed in IPv6 jumbograms.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { NEXT } from './packet.js';

/** UDP decoder. */
export const udp: LayerDecoder = {
  id: 'udp',
  role: 'transport',
  provides: { endpoints: 'port', payload: true },
  decode(pkt, buf, off) {
    const end = pkt.limit;
    const segEnd = pkt.ipOff >= 0 ? pkt.ipOff + pkt.ipTotalLen : end;
    if (off + 8 > end) {
      const code = off + 8 > segEnd ? 'udp-bad-length' : 'udp-truncated';
      pkt.setIssue(
        code,
        'udp',
        off,
        `header needs 8 bytes, ${end - off} ${code === 'udp-truncated' ? 'captured' : 'in packet'}`,
      );
      return FAIL;
    }
    pkt.l4Off = off;
    pkt.sport = (buf[off] << 8) | buf[off + 1];
    pkt.dport = (buf[off + 2] << 8) | buf[off + 3];
    let ulen = (buf[off + 4] << 8) | buf[off + 5];
    pkt.udpLength = ulen;
    if (ulen === 0 && pkt.ipVersion === 6) ulen = segEnd - off; // jumbogram
    if (ulen < 8) {
      pkt.setIssue('udp-bad-length', 'udp', off + 4, `length ${ulen} < 8`);
      return STOP;
    }
    if (off + ulen > segEnd && !pkt.fragment) {
      pkt.setIssue(
        'udp-bad-length',
        'udp',
        off + 4,
        `length ${ulen} exceeds the IP payload (${segEnd - off})`,
      );
      return STOP;
    }
    const payload = off + 8;
    const dataEnd = Math.min(off + ulen, end);
    pkt.payloadOff = payload;
    pkt.payloadLen = dataEnd - payload;
    pkt.payloadWireLen = ulen - 8;
    if (pkt.payloadLen <= 0) {
      pkt.payloadLen = 0;
      return STOP;
    }
    pkt.nextKind = NEXT.PAYLOAD;
    pkt.nextId = 17;
    return payload;
  },
};
