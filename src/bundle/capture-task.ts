/**
 * Capture tasks: read one capture, decode it and track its flows, returning the
 * flow summaries, notable packet events and ARP observations for the Evidence store.
 */

import type { ArpObservation, PacketEvent } from '../engine/evidence.js';
import type { FlowSummary } from '../model/analysis.js';
import type { ParseTask, ParseTaskResult } from './task.js';

/** What a capture contributes. */
export interface CaptureTaskResult {
  format: 'pcap' | 'pcapng' | null;
  packets: number;
  interfaces: string[];
  firstTs?: string;
  lastTs?: string;
  flows: FlowSummary[];
  events: PacketEvent[];
  arp: ArpObservation[];
}

/** Run a capture task. */
export async function runCaptureTask(task: ParseTask): Promise<ParseTaskResult> {
  return {
    rel: task.rel,
    kind: 'capture',
    format: null,
    records: [],
    counts: { parsed: 0, skipped: 0, issues: 1 },
    issues: [
      {
        type: 'issue',
        file: task.rel,
        offset: 0,
        code: 'unsupported',
        message: 'capture analysis not wired yet',
      },
    ],
    rejected: true,
  };
}
