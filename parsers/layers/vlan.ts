/**
 * IEEE 802.1Q VLAN tag (TPID 0x8100) and 802.1ad / QinQ service tag (TPID 0x88A8,
 * legacy 0x9100/0x9200). The TPID is the EtherType that selected this decoder;
 * the 4 bytes decoded here follow it.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | PCP |D|        VLAN id        |  EtherType / length of payload |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    D = DEI (drop eligible)
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { decodeLlc } from './ethernet.js';
import { NEXT } from './packet.js';

/** VLAN tag decoder; one 'vlan' layer per tag, outermost first. */
export const vlan: LayerDecoder = {
  id: 'vlan',
  role: 'link',
  provides: {},
  decode(pkt, buf, off) {
    if (off + 4 > pkt.limit) {
      pkt.setIssue('vlan-truncated', 'vlan', off, `tag needs 4 bytes, ${pkt.limit - off} captured`);
      return FAIL;
    }
    const tci = (buf[off] << 8) | buf[off + 1];
    const pcp = tci >> 13;
    const dei = (tci & 0x1000) !== 0;
    const vid = tci & 0x0fff;
    if (pkt.vlanCount === 0) {
      pkt.vlanOuter = vid;
      pkt.vlanPcp = pcp;
      pkt.vlanDei = dei;
    }
    pkt.vlanInner = vid;
    pkt.vlanInnerPcp = pcp;
    pkt.vlanInnerDei = dei;
    pkt.vlanCount++;
    const type = (buf[off + 2] << 8) | buf[off + 3];
    if (type >= 0x0600) {
      pkt.etherType = type;
      pkt.nextKind = NEXT.ETHERTYPE;
      pkt.nextId = type;
      return off + 4;
    }
    if (type > 1500) {
      pkt.setIssue('vlan-bad-type', 'vlan', off + 2, `type/length 0x${type.toString(16)} is neither`);
      return STOP;
    }
    const end = off + 4 + type;
    if (end < pkt.limit) pkt.limit = end;
    return decodeLlc(pkt, buf, off + 4, 'vlan');
  },
};
