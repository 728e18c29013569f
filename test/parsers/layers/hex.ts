/**
 * Annotated hex fixtures: `hex` turns a template of hex bytes with `#` comments
 * into a Buffer; `decodeHex` decodes such a frame with decodeFrame.
 */
import { decodeFrame } from '../../../parsers/layers/decode.js';
import { DecodedPacket } from '../../../parsers/layers/packet.js';

/** Bytes from hex text; `#` starts a comment to the end of the line; whitespace is ignored. */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Buffer {
  const text = typeof strings === 'string' ? strings : String.raw({ raw: strings }, ...values);
  const digits = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex fixture: ${digits}`);
  return Buffer.from(digits, 'hex');
}

/** Concatenate fixture parts. */
export function cat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

/** Decode `frame` (optionally only its first `caplen` bytes) as `linktype` into a fresh packet. */
export function decodeHex(frame: Buffer, linktype = 1, caplen = frame.length): DecodedPacket {
  const pkt = new DecodedPacket();
  decodeFrame(pkt, frame, 0, caplen, linktype);
  return pkt;
}

// --- building blocks shared by the tests (each annotated) ---

/** Ethernet II header carrying IPv4. */
export const ETH_IPV4 = hex`
  02 00 00 00 00 02   # destination MAC 02:00:00:00:00:02
  02 00 00 00 00 01   # source MAC      02:00:00:00:00:01
  08 00               # EtherType IPv4
`;

/** Ethernet II header carrying IPv6. */
export const ETH_IPV6 = hex`
  02 00 00 00 00 02   # destination MAC
  02 00 00 00 00 01   # source MAC
  86 dd               # EtherType IPv6
`;

/** IPv4 header, no options, total length 40 (20 + TCP 20), protocol TCP, 192.0.2.1 → 198.51.100.2. */
export const IPV4_TCP = hex`
  45                  # version 4, IHL 5 (20 bytes)
  00                  # DSCP/ECN
  00 28               # total length 40
  12 34               # identification 0x1234
  40 00               # flags DF, fragment offset 0
  40                  # TTL 64
  06                  # protocol TCP
  00 00               # checksum (not verified)
  c0 00 02 01         # source 192.0.2.1
  c6 33 64 02         # destination 198.51.100.2
`;

/** TCP SYN without options, 49152 → 443, seq 1000. */
export const TCP_SYN = hex`
  c0 00               # source port 49152
  01 bb               # destination port 443
  00 00 03 e8         # sequence number 1000
  00 00 00 00         # acknowledgment number 0
  50                  # data offset 5 (20 bytes)
  02                  # flags SYN
  fa f0               # window 64240
  00 00               # checksum
  00 00               # urgent pointer
`;

/** IPv6 header, payload length 20 (TCP), 2001:db8::1 → 2001:db8::2. */
export const IPV6_TCP = hex`
  60 00 00 00         # version 6, traffic class 0, flow label 0
  00 14               # payload length 20
  06                  # next header TCP
  40                  # hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8::2
`;
