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

/** Dense copies of the registry maps: an array index is cheaper than a Map lookup per layer. */
function dense(m: ReadonlyMap<number, LayerDecoder>, size: number): Array<LayerDecoder | undefined> {
  const a = new Array<LayerDecoder | undefined>(size).fill(undefined);
  for (const [k, d] of m) a[k] = d;
  return a;
}
const LINK = dense(linkTypes, Math.max(...linkTypes.keys()) + 1);
const ETHER = dense(etherTypes, 0x10000);
const IPPROTO = dense(ipProtocols, 0x100);

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
  // A caplen running past the buffer (a caller's bug) must not make Buffer reads throw.
  const end = offset + caplen;
  pkt.capEnd = pkt.limit = Math.min(end, buf.length);
  const d: LayerDecoder | undefined = linktype >= 0 && linktype < LINK.length ? LINK[linktype] : undefined;
  if (d === undefined) {
    pkt.setIssue('link-unsupported', 'link', offset, `link type ${linktype} is not decoded`);
  } else {
    walk(pkt, buf, offset, d);
  }
  pkt.finishLayers();
}

function walk(pkt: DecodedPacket, buf: Buffer, off: number, first: LayerDecoder): void {
  let d: LayerDecoder | undefined = first;
  while (pkt.layerCount < MAX_LAYERS) {
    const n = pkt.layerCount;
    pkt.addLayer(d.id);
    pkt.nextKind = NEXT.NONE;
    const r = d.decode(pkt, buf, off);
    if (r === FAIL) {
      pkt.layerCount = n;
      return;
    }
    const role = d.role;
    if (role === 'link') pkt.link ??= d.id;
    else if (role === 'network') pkt.network = d.id;
    else if (role === 'transport') pkt.transport = d.id;
    if (r < 0) return;
    off = r;
    const kind = pkt.nextKind;
    const id = pkt.nextId;
    if (kind === NEXT.ETHERTYPE) d = ETHER[id & 0xffff];
    else if (kind === NEXT.IPPROTO) d = IPPROTO[id & 0xff];
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
    const n = pkt.layerCount;
    pkt.addLayer(list[i].id);
    pkt.nextKind = NEXT.NONE;
    const r = list[i].decode(pkt, buf, off);
    if (r !== FAIL) return;
    pkt.layerCount = n;
    if (pkt.issueCode !== null) return;
  }
}
