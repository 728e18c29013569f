/**
 * Contracts of the capture reader (parsers/capture/). The reader frames packets in
 * place and hands each one to a callback as a `Frame` view; the frame's bytes are
 * only valid during the callback (copy what must outlive it).
 */
import type { IssueRecord } from '../../src/model/records/index.js';

/** One capture interface (a pcapng IDB, or the single implicit interface of a classic pcap). */
export interface CaptureInterface {
  /**
   * Global 0-based index across all sections (distinct IDBs get distinct ids). Note:
   * tshark 4.0 prints the section-local id as `frame.interface_id` (see `localId`).
   */
  id: number;
  /** 0-based index of the IDB within its section (the id EPBs refer to). */
  localId: number;
  /** 0-based pcapng section (always 0 for classic pcap). */
  section: number;
  /** `if_name`, or null (classic pcap, or no option). */
  name: string | null;
  /** `if_description`, or null. */
  description: string | null;
  linktype: number;
  snaplen: number;
}

/** A framed packet, reused between callbacks: read it, do not keep it. */
export interface Frame {
  /** 1-based packet number in file order (counts every packet block, as tshark does). */
  packet: number;
  /** Timestamp: whole seconds since the epoch (may exceed 2^32) and nanoseconds 0..999_999_999. */
  sec: number;
  nsec: number;
  /** False for packets without a timestamp (pcapng Simple Packet Blocks). */
  hasTs: boolean;
  /** Global interface id (see CaptureInterface.id); 0 for classic pcap. */
  iface: number;
  /** True when the packet came from a Simple Packet Block (tshark shows no interface/time for those). */
  fromSpb: boolean;
  linktype: number;
  caplen: number;
  len: number;
  /** Frame bytes are buf[offset, offset + caplen). */
  buf: Buffer;
  offset: number;
  /** pcapng epb_flags (bits 0-1: 1 inbound, 2 outbound), 0 when absent. */
  epbFlags: number;
  /** Byte offset of the packet's record/block in the (decompressed) file. */
  recordOffset: number;
}

/** What a capture read reports to its caller. */
export interface CaptureHandler {
  /** A new interface was declared (called before any frame on it). */
  onInterface?(iface: CaptureInterface): void;
  onFrame(frame: Frame): void;
  /** A problem with its byte offset; reading continues when possible. */
  onIssue(issue: IssueRecord): void;
  /**
   * A pcapng Custom Block (0x00000BAD / 0x40000BAD). tshark numbers these as frames,
   * so they take a packet number (keeping `Frame.packet` equal to tshark's frame
   * number) but are not passed to `onFrame`.
   */
  onCustomBlock?(block: CustomBlock): void;
}

/** A pcapng Custom Block, reported by packet number and offset (its data is not kept). */
export interface CustomBlock {
  packet: number;
  /** Private Enterprise Number. */
  pen: number;
  /** Bytes of custom data and options (block length - 16), as tshark's frame.len. */
  length: number;
  offset: number;
}

/** Summary of one capture read. */
export interface CaptureSummary {
  /** 'unknown' when the magic matched neither format (then `rejected` is true). */
  format: 'pcap' | 'pcapng' | 'unknown';
  gzip: boolean;
  /** Packet numbers handed out: frames passed to onFrame plus custom blocks. */
  packets: number;
  /** pcapng Custom Blocks among `packets` (not passed to onFrame). */
  customBlocks: number;
  interfaces: CaptureInterface[];
  issues: number;
  /** Bytes consumed from the (decompressed) stream. */
  bytes: number;
  /** True when the file was rejected outright (bad header/magic/version). */
  rejected: boolean;
}
