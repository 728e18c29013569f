/**
 * The decoder tables (house style 2): link type → first decoder, EtherType →
 * decoder, IP protocol → decoder, and payload decoders per transport. Every
 * decoder is listed once in `decoders`; a duplicate id or key is an error at load.
 * decode.ts walks these tables and never names a concrete decoder.
 */
import { arp } from './arp.js';
import type { LayerDecoder } from './decoder.js';
import { ethernet } from './ethernet.js';
import { icmp } from './icmp.js';
import { icmpv6 } from './icmpv6.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { loop, nullLink } from './null.js';
import { raw } from './raw.js';
import { sll } from './sll.js';
import { sll2 } from './sll2.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';
import { vlan } from './vlan.js';

/** Every registered decoder by id. */
export const decoders: ReadonlyMap<string, LayerDecoder> = byId([
  ethernet,
  vlan,
  sll,
  sll2,
  nullLink,
  loop,
  raw,
  ipv4,
  ipv6,
  arp,
  tcp,
  udp,
  icmp,
  icmpv6,
]);

/** Link type (pcap LINKTYPE_* / pcapng IDB) → first decoder. */
export const linkTypes: ReadonlyMap<number, LayerDecoder> = makeTable('link type', [
  [0, nullLink], // NULL (BSD loopback, host byte order)
  [1, ethernet], // ETHERNET
  [12, raw], // DLT_RAW on most systems
  [14, raw], // DLT_RAW on OpenBSD
  [101, raw], // RAW
  [108, loop], // LOOP (OpenBSD loopback, network byte order)
  [113, sll], // LINUX_SLL
  [228, ipv4], // IPV4
  [229, ipv6], // IPV6
  [276, sll2], // LINUX_SLL2
]);

/** EtherType → decoder. */
export const etherTypes: ReadonlyMap<number, LayerDecoder> = makeTable('EtherType', [
  [0x0800, ipv4],
  [0x0806, arp],
  [0x8035, arp], // RARP (same header, opcodes 3/4)
  [0x86dd, ipv6],
  [0x8100, vlan], // 802.1Q
  [0x88a8, vlan], // 802.1ad service tag
  [0x9100, vlan], // legacy QinQ
  [0x9200, vlan], // legacy QinQ
]);

/** IP protocol (after IPv6 extension headers) → decoder. */
export const ipProtocols: ReadonlyMap<number, LayerDecoder> = makeTable('IP protocol', [
  [1, icmp],
  [4, ipv4], // IPv4-in-IP: the inner header wins, as in tshark conversations
  [6, tcp],
  [17, udp],
  [41, ipv6], // IPv6-in-IP
  [58, icmpv6],
]);

/**
 * Payload decoders per transport protocol (6 TCP, 17 UDP), tried in order on a
 * non-empty payload. A payload decoder returns FAIL without setting an issue to
 * say "not mine". (tls.ts registers here.)
 */
export const payloadDecoders: ReadonlyMap<number, readonly LayerDecoder[]> = new Map<number, LayerDecoder[]>([
  [6, []],
  [17, []],
]);

function byId(list: LayerDecoder[]): Map<string, LayerDecoder> {
  const m = new Map<string, LayerDecoder>();
  for (const d of list) {
    if (m.has(d.id)) throw new Error(`duplicate layer decoder id ${d.id}`);
    m.set(d.id, d);
  }
  return m;
}

/** Build a lookup table; a duplicate key or a decoder missing from `decoders` is an error. */
export function makeTable(what: string, entries: Array<[number, LayerDecoder]>): Map<number, LayerDecoder> {
  const m = new Map<number, LayerDecoder>();
  for (const [k, d] of entries) {
    if (m.has(k)) throw new Error(`duplicate ${what} ${k} in layer registry`);
    if (decoders.get(d.id) !== d) throw new Error(`${what} ${k}: decoder ${d.id} is not registered`);
    m.set(k, d);
  }
  return m;
}
