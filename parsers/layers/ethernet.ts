/**
 * Ethernet II and IEEE 802.3 (length) frames with 802.2 LLC / SNAP.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                destination MAC (6 bytes)                      |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                  source MAC (6 bytes)                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  EtherType (>= 0x0600) or 802.3 length (<= 1500)              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * 802.3 length frames carry LLC: DSAP(1) SSAP(1) control(1, or 2 when the low
 * bits are not 11). SNAP is DSAP=SSAP=0xAA, control 0x03, then OUI(3) type(2);
 * with OUI 00-00-00 (or 00-00-F8, bridge-tunnel) the type is an EtherType.
 */
import { FAIL, type LayerDecoder, STOP } from './decoder.js';
import { type DecodedPacket, NEXT } from './packet.js';

/** Ethernet header length. */
export const ETHERNET_HEADER_LEN = 14;

/**
 * Decode an 802.2 LLC header (and SNAP when present) at `off` for `layer`.
 * Pushes 'llc'. Returns the next offset with an EtherType selected, or STOP/FAIL.
 */
export function decodeLlc(pkt: DecodedPacket, buf: Buffer, off: number, layer: string): number {
  const end = pkt.limit;
  if (off + 3 > end) {
    pkt.setIssue('llc-truncated', layer, off, 'LLC header needs 3 bytes');
    return STOP;
  }
  pkt.addLayer('llc');
  const dsap = buf[off];
  const ssap = buf[off + 1];
  const control = buf[off + 2];
  if (dsap === 0xaa && ssap === 0xaa && control === 0x03) {
    if (off + 8 > end) {
      pkt.setIssue('llc-truncated', 'snap', off + 3, 'SNAP header needs 5 bytes');
      return STOP;
    }
    const oui = (buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5];
    if (oui !== 0 && oui !== 0xf8) return STOP; // vendor protocol (e.g. Cisco CDP)
    pkt.etherType = (buf[off + 6] << 8) | buf[off + 7];
    pkt.nextKind = NEXT.ETHERTYPE;
    pkt.nextId = pkt.etherType;
    return off + 8;
  }
  return STOP; // other SAPs (STP, NetBIOS, ...) are not decoded
}

/** Ethernet II / 802.3 decoder (linktype 1). */
export const ethernet: LayerDecoder = {
  id: 'ethernet',
  role: 'link',
  provides: { endpoints: 'mac' },
  decode(pkt, buf, off) {
    if (off + ETHERNET_HEADER_LEN > pkt.limit) {
      pkt.setIssue(
        'ethernet-truncated',
        'ethernet',
        off,
        `header needs 14 bytes, ${pkt.limit - off} captured`,
      );
      return FAIL;
    }
    pkt.macDstOff = off;
    pkt.macSrcOff = off + 6;
    const type = (buf[off + 12] << 8) | buf[off + 13];
    if (type >= 0x0600) {
      pkt.etherType = type;
      pkt.nextKind = NEXT.ETHERTYPE;
      pkt.nextId = type;
      return off + ETHERNET_HEADER_LEN;
    }
    if (type > 1500) {
      pkt.setIssue(
        'ethernet-bad-type',
        'ethernet',
        off + 12,
        `type/length 0x${type.toString(16)} is neither`,
      );
      return STOP;
    }
    // 802.3 length frame: the length bounds the LLC payload (the rest is padding).
    pkt.ethLength = type;
    const end = off + ETHERNET_HEADER_LEN + type;
    if (end < pkt.limit) pkt.limit = end;
    const llc = off + ETHERNET_HEADER_LEN;
    if (llc + 2 <= pkt.limit && buf[llc] === 0xff && buf[llc + 1] === 0xff) return STOP; // Novell raw 802.3 (IPX)
    return decodeLlc(pkt, buf, llc, 'ethernet');
  },
};
