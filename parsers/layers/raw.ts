/**
 * Raw IP link types: LINKTYPE_RAW (101) and DLT_RAW as written by some systems
 * (12; 14 on OpenBSD). There is no link header: the IP version nibble picks the
 * decoder. LINKTYPE_IPV4 (228) / LINKTYPE_IPV6 (229) map straight to ipv4/ipv6
 * in the registry and do not list a 'raw' layer.
 *
 *    0 1 2 3 4 5 6 7
 *   +-+-+-+-+-+-+-+-+
 *   |Version|  ...  |   first byte of the IPv4 or IPv6 header
 *   +-+-+-+-+-+-+-+-+
 */
import { FAIL, type LayerDecoder } from './decoder.js';
import { NEXT } from './packet.js';

/** Raw IP decoder: no header of its own, dispatches on the IP version. */
export const raw: LayerDecoder = {
  id: 'raw',
  role: 'link',
  provides: {},
  decode(pkt, buf, off) {
    if (off >= pkt.limit) {
      pkt.setIssue('raw-truncated', 'raw', off, 'no IP header captured');
      return FAIL;
    }
    const version = buf[off] >> 4;
    if (version !== 4 && version !== 6) {
      pkt.setIssue('raw-bad-version', 'raw', off, `IP version ${version}`);
      return FAIL;
    }
    pkt.etherType = version === 4 ? 0x0800 : 0x86dd;
    pkt.nextKind = NEXT.ETHERTYPE;
    pkt.nextId = pkt.etherType;
    return off;
  },
};
