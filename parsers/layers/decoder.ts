/**
 * The layer decoder contract (DESIGN: Contracts / Layer decoder), in its
 * allocation-free form: instead of returning `{ layer, next } | issue`, a decoder
 * fills the reused DecodedPacket and returns the offset where the next header
 * starts (choosing the next table via `pkt.nextKind`/`pkt.nextId`), STOP, or FAIL.
 */
import type { DecodedPacket } from './packet.js';

/** Return value: this layer decoded, nothing further to decode (or an issue in its variable part). */
export const STOP = -1;
/** Return value: this layer's header could not be decoded; an issue is set and the layer is not listed. */
export const FAIL = -2;

/** Where a layer sits in the stack. */
export type LayerRole = 'link' | 'network' | 'transport' | 'application';

/** What a layer offers shared code (house style 5: code asks for capabilities, not concrete layers). */
export interface LayerProvides {
  /** The layer fills `macSrcOff`/`macDstOff`, `srcOff`/`dstOff` (IP) or `sport`/`dport`. */
  endpoints?: 'mac' | 'ip' | 'port';
  /** The layer fills `direction` (Linux cooked captures). */
  direction?: boolean;
  /** The layer fills `payloadOff`/`payloadLen` (a byte stream or datagram for payload decoders). */
  payload?: boolean;
  /** The layer fills `quoted` (ICMP errors). */
  quoted?: boolean;
}

/** One protocol decoder. */
export interface LayerDecoder {
  /** Layer id pushed into `pkt.layers` (e.g. 'ipv4'). */
  readonly id: string;
  readonly role: LayerRole;
  readonly provides: LayerProvides;
  /**
   * Decode the header at `off`; read only below `pkt.limit`. Returns the next
   * header's offset (with `pkt.nextKind`/`nextId` set), STOP or FAIL. Never throws.
   */
  decode(pkt: DecodedPacket, buf: Buffer, off: number): number;
}
