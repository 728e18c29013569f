/**
 * Contracts of the capture reader (parsers/capture/). The reader frames packets in
 * place and hands each one to a callback as a `Frame` view; the frame's bytes are
 * only valid during the callback (copy what must outlive it).
 */
import type { IssueRecord } from '../../src/model/records/index.js';

/** One capture interface (a pcapng IDB, or the single implicit interface of a classic pcap). */
export interface CaptureInterface {
  /** Global 0-based index across all sections, as tshark numbers `frame.interface_id`. */
  id: number;
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
}

/** Summary of one capture read. */
export interface CaptureSummary {
  format: 'pcap' | 'pcapng';
  gzip: boolean;
  packets: number;
  interfaces: CaptureInterface[];
  issues: number;
  /** Bytes consumed from the (decompressed) stream. */
  bytes: number;
  /** True when the file was rejected outright (bad header/magic/version). */
  rejected: boolean;
}
