/**
 * Frame → DecodedPacket: picks the first decoder by link type, then follows each
 * decoder's `nextKind`/`nextId` through the registry tables. Allocation-free on
 * the normal path (issue messages are built only for bad packets).
 *
 *   const pkt = new DecodedPacket();
 *   decodeFrame(pkt, frame.buf, frame.offset, frame.caplen, frame.linktype);
 *   pkt.layers   // ['sll2', 'ipv4', 'tcp']
 */
import { FAIL, type LayerDecoder } from './decoder.js';
import { type DecodedPacket, NEXT } from './packet.js';
import { etherTypes, ipProtocols, linkTypes, payloadDecoders } from './registry.js';

/** Upper bound on layers per frame (VLAN stacks, tunnels). */
const MAX_LAYERS = 16;

/** Decode frame bytes buf[offset, offset + caplen) of the given link type into `pkt` (reset first). */
export function decodeFrame(
  pkt: DecodedPacket,
  buf: Buffer,
  offset: number,
  caplen: number,
  linktype: number,
): void {
  pkt.reset(buf);
  pkt.frameOff = offset;
  pkt.capEnd = pkt.limit = offset + caplen;
  let d: LayerDecoder | undefined = linkTypes.get(linktype);
  if (d === undefined) {
    pkt.setIssue('link-unsupported', 'link', offset, `link type ${linktype} is not decoded`);
    return;
  }
  let off = offset;
  while (pkt.layers.length < MAX_LAYERS) {
    const n = pkt.layers.length;
    pkt.layers.push(d.id);
    pkt.nextKind = NEXT.NONE;
    const r = d.decode(pkt, buf, off);
    if (r === FAIL) {
      pkt.layers.length = n;
      return;
    }
    if (r < 0) return;
    off = r;
    const kind = pkt.nextKind;
    if (kind === NEXT.ETHERTYPE) d = etherTypes.get(pkt.nextId);
    else if (kind === NEXT.IPPROTO) d = ipProtocols.get(pkt.nextId);
    else if (kind === NEXT.PAYLOAD) {
      decodePayload(pkt, buf, off);
      return;
    } else return;
    if (d === undefined) return;
  }
  pkt.setIssue('too-many-layers', 'decode', off, `more than ${MAX_LAYERS} layers`);
}

/** Try the payload decoders registered for the transport; the first that accepts wins. */
function decodePayload(pkt: DecodedPacket, buf: Buffer, off: number): void {
  const list = payloadDecoders.get(pkt.nextId);
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const n = pkt.layers.length;
    pkt.layers.push(list[i].id);
    pkt.nextKind = NEXT.NONE;
    const r = list[i].decode(pkt, buf, off);
    if (r !== FAIL) return;
    pkt.layers.length = n;
    if (pkt.issueCode !== null) return;
  }
}
