/**
 * TCP (RFC 9293) with the options the analyzer uses.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options (data offset*4 - 20)               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Options: 0 EOL, 1 NOP, 2 MSS (len 4), 3 window scale (3), 4 SACK permitted (2),
 * 5 SACK (2 + 8n), 8 timestamps (10). The payload is bounded by the IP length and
 * by the capture; `payloadWireLen` is what the IP header declares.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { NEXT } from './packet.js';

/** Unsigned 32-bit big-endian read; the caller has checked the bounds. */
function u32(buf: Buffer, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

/** Expected length of the options decoded here (0: any). */
function optLenOk(kind: number, len: number): boolean {
  switch (kind) {
    case 2:
      return len === 4;
    case 3:
      return len === 3;
    case 4:
      return len === 2;
    case 5:
      return len >= 10 && (len - 2) % 8 === 0;
    case 8:
      return len === 10;
    default:
      return true;
  }
}

/** TCP decoder. */
export const tcp: LayerDecoder = {
  id: 'tcp',
  role: 'transport',
  provides: { endpoints: 'port', payload: true },
  decode(pkt, buf, off) {
    const end = pkt.limit;
    // Declared end of the segment (IP length); `end` is that bounded by the capture.
    const segEnd = pkt.ipOff >= 0 ? pkt.ipOff + pkt.ipTotalLen : end;
    if (off + 20 > end) {
      const code = off + 20 > segEnd ? 'tcp-bad-length' : 'tcp-truncated';
      pkt.setIssue(
        code,
        'tcp',
        off,
        `header needs 20 bytes, ${end - off} ${code === 'tcp-truncated' ? 'captured' : 'in packet'}`,
      );
      return FAIL;
    }
    const doff = (buf[off + 12] >> 4) * 4;
    if (doff < 20) {
      pkt.setIssue('tcp-bad-data-offset', 'tcp', off + 12, `data offset ${doff} bytes < 20`);
      return FAIL;
    }
    if (off + doff > segEnd && !pkt.fragment) {
      pkt.setIssue('tcp-bad-data-offset', 'tcp', off + 12, `data offset ${doff} bytes runs past the segment`);
      return FAIL;
    }
    pkt.l4Off = off;
    pkt.sport = (buf[off] << 8) | buf[off + 1];
    pkt.dport = (buf[off + 2] << 8) | buf[off + 3];
    pkt.seq = u32(buf, off + 4);
    pkt.ack = u32(buf, off + 8);
    pkt.tcpFlags = buf[off + 13];
    pkt.window = (buf[off + 14] << 8) | buf[off + 15];
    pkt.tcpHeaderLen = doff;
    if (off + doff > end) {
      pkt.setIssue(
        'tcp-truncated',
        'tcp',
        off + 20,
        `options cut off (header ${doff} bytes, ${end - off} captured)`,
      );
      return STOP;
    }
    const payload = off + doff;
    pkt.payloadOff = payload;
    pkt.payloadLen = end - payload;
    pkt.payloadWireLen = segEnd > payload ? segEnd - payload : 0;
    for (let p = off + 20; p < payload; ) {
      const kind = buf[p];
      if (kind === 0) break;
      if (kind === 1) {
        p++;
        continue;
      }
      const len = p + 1 < payload ? buf[p + 1] : 0;
      if (len < 2 || p + len > payload || !optLenOk(kind, len)) {
        pkt.setIssue('tcp-bad-option', 'tcp', p, `option ${kind} length ${len} is invalid`);
        return STOP;
      }
      if (kind === 2) pkt.mss = (buf[p + 2] << 8) | buf[p + 3];
      else if (kind === 3) pkt.wscale = buf[p + 2];
      else if (kind === 4) pkt.sackPermitted = true;
      else if (kind === 5) {
        pkt.sackBlocks = (len - 2) >> 3;
        pkt.sackOff = p + 2;
      } else if (kind === 8) {
        pkt.tsVal = u32(buf, p + 2);
        pkt.tsEcr = u32(buf, p + 6);
      }
      p += len;
    }
    if (pkt.payloadLen === 0) return STOP;
    pkt.nextKind = NEXT.PAYLOAD;
    pkt.nextId = 6;
    return payload;
  },
};
