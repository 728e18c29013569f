/**
 * IPv4 (RFC 791).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |    DSCP/ECN   |          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |0|D|M|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options (IHL*4 - 20 bytes)                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * IHL is in 32-bit words (>= 5). Fragment offset is in 8-byte units; a fragment
 * with offset > 0 carries no transport header. A total length of 0 is what
 * TCP segmentation offload leaves in locally captured packets: like tshark, the
 * captured length is used instead.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { NEXT, type QuotedHeader } from './packet.js';

/**
 * Decode the IPv4 header quoted in an ICMP error at `off` (bytes below `end`) plus
 * the first 8 bytes of its transport header into `q`. Returns false when the quoted
 * IP header itself is unusable.
 */
export function quoteIpv4(q: QuotedHeader, buf: Buffer, off: number, end: number): boolean {
  if (off + 20 > end || buf[off] >> 4 !== 4) return false;
  const ihl = (buf[off] & 0x0f) * 4;
  if (ihl < 20 || off + ihl > end) return false;
  q.valid = true;
  q.ipVersion = 4;
  q.ipId = buf.readUInt16BE(off + 4);
  q.proto = buf[off + 9];
  q.srcOff = off + 12;
  q.dstOff = off + 16;
  if ((buf.readUInt16BE(off + 6) & 0x1fff) === 0) quoteTransport(q, buf, off + ihl, end);
  return true;
}

/** Ports (TCP/UDP/SCTP/UDP-Lite) and TCP sequence from the first 8 quoted transport bytes. */
export function quoteTransport(q: QuotedHeader, buf: Buffer, off: number, end: number): void {
  const p = q.proto;
  if (p !== 6 && p !== 17 && p !== 132 && p !== 136) return;
  if (off + 4 > end) return;
  q.sport = buf.readUInt16BE(off);
  q.dport = buf.readUInt16BE(off + 2);
  if (p === 6 && off + 8 <= end) q.seq = buf.readUInt32BE(off + 4);
}

/** IPv4 decoder. */
export const ipv4: LayerDecoder = {
  id: 'ipv4',
  role: 'network',
  provides: { endpoints: 'ip' },
  decode(pkt, buf, off) {
    let end = pkt.limit;
    if (off + 20 > end) {
      pkt.setIssue('ipv4-truncated', 'ipv4', off, `header needs 20 bytes, ${end - off} captured`);
      return FAIL;
    }
    const b0 = buf[off];
    if (b0 >> 4 !== 4) {
      pkt.setIssue('ipv4-bad-version', 'ipv4', off, `version ${b0 >> 4}`);
      return FAIL;
    }
    const ihl = (b0 & 0x0f) * 4;
    if (ihl < 20) {
      pkt.setIssue('ipv4-bad-ihl', 'ipv4', off, `header length ${ihl} < 20`);
      return FAIL;
    }
    if (off + ihl > end) {
      pkt.setIssue(
        'ipv4-truncated',
        'ipv4',
        off,
        `header with options needs ${ihl} bytes, ${end - off} captured`,
      );
      return FAIL;
    }
    let total = (buf[off + 2] << 8) | buf[off + 3];
    if (total === 0)
      total = end - off; // TSO
    else if (total < ihl) {
      pkt.setIssue('ipv4-bad-total-length', 'ipv4', off + 2, `total length ${total} < header length ${ihl}`);
      return FAIL;
    }
    if (off + total < end) pkt.limit = end = off + total; // drop link padding
    const frag = (buf[off + 6] << 8) | buf[off + 7];
    pkt.ipVersion = 4;
    pkt.ipOff = off;
    pkt.ipHeaderLen = ihl;
    pkt.ipOptionsLen = ihl - 20;
    pkt.ipTotalLen = total;
    pkt.tos = buf[off + 1];
    pkt.ipId = (buf[off + 4] << 8) | buf[off + 5];
    pkt.dontFragment = (frag & 0x4000) !== 0;
    pkt.moreFragments = (frag & 0x2000) !== 0;
    pkt.fragOffset = (frag & 0x1fff) * 8;
    pkt.fragment = pkt.moreFragments || pkt.fragOffset > 0;
    pkt.ttl = buf[off + 8];
    pkt.ipProto = buf[off + 9];
    pkt.srcOff = off + 12;
    pkt.dstOff = off + 16;
    // Options: EOL (0) and NOP (1) are single bytes; others are type, length (>= 2), data.
    const optEnd = off + ihl;
    for (let p = off + 20; p < optEnd; ) {
      const t = buf[p];
      if (t === 0) break;
      if (t === 1) {
        p++;
        continue;
      }
      const len = p + 1 < optEnd ? buf[p + 1] : 0;
      if (len < 2 || p + len > optEnd) {
        pkt.setIssue('ipv4-bad-option', 'ipv4', p, `option ${t} length ${len} runs past the header`);
        return STOP;
      }
      p += len;
    }
    if (pkt.fragOffset > 0) return STOP; // non-first fragment: no transport header
    pkt.nextKind = NEXT.IPPROTO;
    pkt.nextId = pkt.ipProto;
    return off + ihl;
  },
};
