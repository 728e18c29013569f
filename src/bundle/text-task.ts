/**
 * Text tasks: parse one log or state dump with its sniffed format, or one part of a
 * big log (src/bundle/split.ts), keeping what src/bundle/keep.ts says. Loaded on the
 * first text task only, so a worker that parses captures does not load the text parsers.
 */
import { createReadStream } from 'node:fs';
import { openMaybeGzip } from '../../parsers/text/lines.js';
import { textFormats } from '../../parsers/text/registry.js';
import { runTextFormat } from '../../parsers/text/run.js';
import type { AnyRecord, IssueRecord } from '../model/records/index.js';
import { KeepFilter, MAX_ISSUES_KEPT } from './keep.js';
import { partRange } from './split.js';
import type { ParseTask, ParseTaskResult } from './task.js';

/** Run one text task (`filter`: the keep rule, for tests). Never throws: failures become issues. */
export async function runTextTask(task: ParseTask, filter = new KeepFilter()): Promise<ParseTaskResult> {
  const format = task.format ? textFormats.get(task.format) : undefined;
  const records: AnyRecord[] = [];
  const issues: IssueRecord[] = [];
  if (!format) {
    return {
      rel: task.rel,
      kind: 'text',
      format: null,
      records,
      counts: { parsed: 0, skipped: 0, issues: 1 },
      issues: [
        {
          type: 'issue',
          file: task.rel,
          line: 1,
          code: 'unknown-format',
          message: `no parser ${task.format}`,
        },
      ],
      rejected: true,
    };
  }
  let dropped = 0;
  try {
    const ctx = { file: task.rel, tz: task.tz };
    const range = task.part ? await partRange(task.abs, format, ctx, task.part) : undefined;
    if (range === null) {
      // A part that begins past the last cut found: its lines belong to the part before.
      return {
        rel: task.rel,
        kind: 'text',
        format: format.id,
        records,
        counts: { parsed: 0, skipped: 0, issues: 0 },
        issues,
        rejected: false,
        lines: 0,
      };
    }
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
        } else if (filter.keep(r)) records.push(r);
        else dropped++;
      },
      range?.start ?? 0,
    );
    return {
      rel: task.rel,
      kind: 'text',
      format: format.id,
      records,
      counts: { parsed: res.parsed, skipped: res.skipped, issues: res.issues },
      issues,
      rejected: false,
      dropped,
      lines: res.lines,
    };
  } catch (e) {
    issues.push({
      type: 'issue',
      file: task.rel,
      line: 1,
      code: 'read-error',
      message: (e as Error).message,
    });
    return {
      rel: task.rel,
      kind: 'text',
      format: format.id,
      records,
      counts: { parsed: 0, skipped: 0, issues: 1 },
      issues,
      rejected: true,
    };
  }
}
