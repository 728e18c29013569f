/**
 * One unit of parallel work: parse one file. Runs inside a worker thread (or
 * in-process); input and output are plain, structured-clonable objects.
 */

import type { Counts } from '../../parsers/types.js';
import type { AnyRecord, IssueRecord } from '../model/records/index.js';
import { type CaptureTaskResult, runCaptureTask } from './capture-task.js';

/** What to parse. */
export interface ParseTask {
  kind: 'text' | 'capture';
  abs: string;
  rel: string;
  /** Text format id (text tasks). */
  format?: string;
  tz: string;
  node?: string;
  /** Interface a single-interface capture was taken on. */
  iface?: string;
  /** SLL2 ifindex → interface name for this node (from its ip addr / ip link dumps). */
  ifindexNames?: Record<string, string>;
  /** File size, for scheduling (largest first). */
  bytes?: number;
  /** The file is gzip-compressed (it cannot be cut into parts). */
  gzip?: boolean;
  /** The file is UTF-16 text, decoded as it is read (it cannot be cut into parts). */
  utf16?: boolean;
  /** Part `index` of `count` of a big log parsed in parallel (src/bundle/split.ts). */
  part?: { index: number; count: number };
}

/** What came out. */
export interface ParseTaskResult {
  rel: string;
  kind: 'text' | 'capture';
  format: string | null;
  /** Records kept for analysis (see src/bundle/keep.ts); issues are separate. */
  records: AnyRecord[];
  counts: Counts;
  /** Issue records (all of them up to a cap; the count is in `counts.issues`). */
  issues: IssueRecord[];
  rejected: boolean;
  /** Parsed but not kept: log records, plain flows and packet events beyond the caps. */
  dropped?: number;
  /** Log records not kept, by kind key (src/bundle/keep.ts): exact totals for the rules. */
  notKeptByKind?: Record<string, number>;
  /** Lines read (text tasks). */
  lines?: number;
  capture?: CaptureTaskResult;
}

/** What a running task reports before its result. */
export interface TaskHooks {
  /**
   * A text task's kept records, in batches while it runs (a worker posts them, so the
   * main thread copies them in while the file is still being parsed); the result then
   * holds only the records after the last batch.
   */
  onBatch?: (records: AnyRecord[]) => void;
  /** Bytes of the file read so far (of the task's part), and packets for captures. */
  onProgress?: (bytes: number, packets: number) => void;
  /** Running in a parse worker (worker.ts), which does nothing else meanwhile: captures are read with blocking reads. */
  inWorker?: boolean;
}

/** Run one task. Never throws: failures become issues. */
export async function runTask(task: ParseTask, hooks: TaskHooks = {}): Promise<ParseTaskResult> {
  if (task.kind === 'capture') return runCaptureTask(task, hooks.onProgress, hooks.inWorker);
  const { runTextTask } = await import('./text-task.js');
  return runTextTask(task, undefined, hooks);
}
