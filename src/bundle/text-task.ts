/**
 * Text tasks: parse one log or state dump with its sniffed format, or one part of a
 * big log (src/bundle/split.ts), keeping what src/bundle/keep.ts says. Loaded on the
 * first text task only, so a worker that parses captures does not load the text parsers.
 */
import { createReadStream } from 'node:fs';
import { openMaybeGzip } from '../../parsers/text/lines.js';
import { textFormats } from '../../parsers/text/registry.js';
import { runTextFormat } from '../../parsers/text/run.js';
import type { Counts } from '../../parsers/types.js';
import type { AnyRecord, IssueRecord } from '../model/records/index.js';
import { KeepFilter, MAX_ISSUES_KEPT } from './keep.js';
import { partRange } from './split.js';
import type { ParseTask, ParseTaskResult, TaskHooks } from './task.js';

/** Kept records handed to `onBatch` at a time. */
export const BATCH_RECORDS = 10_000;

/**
 * Run one text task (`filter`: the keep rule, for tests; `onBatch` takes the kept
 * records BATCH_RECORDS at a time as they come). Never throws: failures become issues.
 */
export async function runTextTask(
  task: ParseTask,
  filter = new KeepFilter(),
  { onBatch, onProgress }: TaskHooks = {},
): Promise<ParseTaskResult> {
  const format = task.format ? textFormats.get(task.format) : undefined;
  let records: AnyRecord[] = [];
  const issues: IssueRecord[] = [];
  const result = (counts: Counts, more: Partial<ParseTaskResult> = {}): ParseTaskResult => ({
    rel: task.rel,
    kind: 'text',
    format: format?.id ?? null,
    records,
    counts,
    issues,
    rejected: false,
    ...more,
  });
  const failed = (code: string, message: string): ParseTaskResult => {
    issues.push({ type: 'issue', file: task.rel, line: 1, code, message });
    return result({ parsed: 0, skipped: 0, issues: 1 }, { rejected: true });
  };
  if (!format) return failed('unknown-format', `no parser ${task.format}`);
  let dropped = 0;
  try {
    const ctx = { file: task.rel, tz: task.tz };
    const range = task.part ? await partRange(task.abs, format, ctx, task.part) : undefined;
    // A part that begins past the last cut found: its lines belong to the part before.
    if (range === null) return result({ parsed: 0, skipped: 0, issues: 0 }, { lines: 0 });
    const start = range?.start ?? 0;
    const stream = range
      ? createReadStream(task.abs, { start: range.start, end: range.end - 1, highWaterMark: 1 << 20 })
      : await openMaybeGzip(task.abs);
    const res = await runTextFormat(
      format,
      stream,
      ctx,
      (r) => {
        if (r.type === 'issue') {
          if (issues.length < MAX_ISSUES_KEPT) issues.push(r);
        } else if (filter.keep(r)) {
          records.push(r);
          if (onBatch && records.length >= BATCH_RECORDS) {
            onBatch(records);
            records = [];
          }
        } else dropped++;
      },
      start,
      onProgress && ((offset) => onProgress(offset - start, 0)),
    );
    const byKind = filter.notKeptByKind();
    return result(
      { parsed: res.parsed, skipped: res.skipped, issues: res.issues },
      { dropped, lines: res.lines, ...(byKind ? { notKeptByKind: byKind } : {}) },
    );
  } catch (e) {
    return failed('read-error', (e as Error).message);
  }
}
