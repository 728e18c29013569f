/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113), 16 bytes.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         packet type           |        ARPHRD type            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  link-layer address length    |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |            link-layer address (8 bytes, zero padded)          |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |     protocol (EtherType)      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Packet type: 0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { decodeLlc } from './ethernet.js';
import { type DecodedPacket, NEXT } from './packet.js';

/** ARPHRD_NETLINK: the protocol field is a netlink family, not an EtherType. */
const ARPHRD_NETLINK = 824;

/** Direction implied by a Linux packet type. */
export function directionOf(pktType: number): 'in' | 'out' | null {
  return pktType === 4 ? 'out' : pktType >= 0 && pktType <= 3 ? 'in' : null;
}

/**
 * Shared tail of SLL/SLL2: pick the next decoder from the protocol field
 * (`protoOff`), given the ARPHRD type; `payload` is where the next header starts.
 */
export function sllNext(
  pkt: DecodedPacket,
  buf: Buffer,
  protoOff: number,
  payload: number,
  layer: string,
): number {
  const proto = (buf[protoOff] << 8) | buf[protoOff + 1];
  if (pkt.hatype === ARPHRD_NETLINK) return STOP;
  if (proto === 0x0004) return decodeLlc(pkt, buf, payload, layer); // 802.2 LLC frame
  if (proto < 0x0600) return STOP; // 0x0001 Novell 802.3, 0x000c CAN, ... not decoded
  pkt.etherType = proto;
  pkt.nextKind = NEXT.ETHERTYPE;
  pkt.nextId = proto;
  return payload;
}

/** Linux SLL decoder (linktype 113). */
export const sll: LayerDecoder = {
  id: 'sll',
  role: 'link',
  provides: { endpoints: 'mac', direction: true },
  decode(pkt, buf, off) {
    if (off + 16 > pkt.limit) {
      pkt.setIssue('sll-truncated', 'sll', off, `header needs 16 bytes, ${pkt.limit - off} captured`);
      return FAIL;
    }
    pkt.pktType = (buf[off] << 8) | buf[off + 1];
    pkt.direction = directionOf(pkt.pktType);
    pkt.hatype = (buf[off + 2] << 8) | buf[off + 3];
    const halen = (buf[off + 4] << 8) | buf[off + 5];
    if (halen === 6) pkt.macSrcOff = off + 6;
    return sllNext(pkt, buf, off + 14, off + 16, 'sll');
  },
};
