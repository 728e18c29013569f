/**
 * ARP (RFC 826), and RARP (RFC 903: EtherType 0x8035, same header, opcodes
 * 3 request / 4 reply). Only Ethernet/IPv4 ARP is decoded (hardware type 1 or 6 with
 * 6-byte addresses, protocol 0x0800 with 4-byte addresses); anything else is
 * flagged with `arp-unsupported`.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |        Hardware type          |        Protocol type          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  HW addr len  | Proto addr len|  Opcode (1 req, 2 rep, 3/4 RARP)|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   Sender MAC (6)  |  Sender IP (4)  |  Target MAC (6)  |  Target IP (4)  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Gratuitous ARP (announcement): sender IP equals target IP.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';

/** ARP decoder. */
export const arp: LayerDecoder = {
  id: 'arp',
  role: 'network',
  provides: {},
  decode(pkt, buf, off) {
    const end = pkt.limit;
    if (off + 8 > end) {
      pkt.setIssue('arp-truncated', 'arp', off, `header needs 8 bytes, ${end - off} captured`);
      return FAIL;
    }
    const htype = (buf[off] << 8) | buf[off + 1];
    const ptype = (buf[off + 2] << 8) | buf[off + 3];
    const hlen = buf[off + 4];
    const plen = buf[off + 5];
    const op = (buf[off + 6] << 8) | buf[off + 7];
    if ((htype !== 1 && htype !== 6) || ptype !== 0x0800 || hlen !== 6 || plen !== 4) {
      pkt.arpOp = op;
      pkt.setIssue(
        'arp-unsupported',
        'arp',
        off,
        `hardware ${htype}/${hlen}, protocol 0x${ptype.toString(16)}/${plen} not decoded`,
      );
      return STOP;
    }
    if (off + 28 > end) {
      pkt.setIssue('arp-truncated', 'arp', off + 8, `addresses need 20 bytes, ${end - off - 8} captured`);
      return FAIL;
    }
    pkt.arpOp = op;
    pkt.arpSenderMacOff = off + 8;
    pkt.arpSenderIpOff = off + 14;
    pkt.arpTargetMacOff = off + 18;
    pkt.arpTargetIpOff = off + 24;
    pkt.arpGratuitous = buf.readUInt32BE(off + 14) === buf.readUInt32BE(off + 24);
    return STOP;
  },
};
