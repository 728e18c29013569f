/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276), 20 bytes.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     protocol (EtherType)      |       reserved (MBZ)          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       interface index                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         ARPHRD type           |  packet type  | LL addr len   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            link-layer address (8 bytes, zero padded)          |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { FAIL, type LayerDecoder } from './decoder.js';
import { directionOf, sllNext } from './sll.js';

/** Linux SLL2 decoder (linktype 276). */
export const sll2: LayerDecoder = {
  id: 'sll2',
  role: 'link',
  provides: { endpoints: 'mac', direction: true },
  decode(pkt, buf, off) {
    if (off + 20 > pkt.limit) {
      pkt.setIssue('sll2-truncated', 'sll2', off, `header needs 20 bytes, ${pkt.limit - off} captured`);
      return FAIL;
    }
    pkt.ifindex = buf.readUInt32BE(off + 4);
    pkt.hatype = (buf[off + 8] << 8) | buf[off + 9];
    pkt.pktType = buf[off + 10];
    pkt.direction = directionOf(pkt.pktType);
    if (buf[off + 11] === 6) pkt.macSrcOff = off + 12;
    return sllNext(pkt, buf, off, off + 20, 'sll2');
  },
};
