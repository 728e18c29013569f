/**
 * Runs one text format over one file: feeds lines, collects records and issues,
 * and keeps the coverage counts honest (every line is parsed, skipped, or an issue).
 */
import type { Readable } from 'node:stream';
import type { AnyRecord, IssueRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { Counts, ParseContext, TextFormat, TextSink } from '../types.js';
import { forEachLine, MAX_LINE_BYTES } from './lines.js';

/** Result of parsing one text file. */
export interface TextParseResult extends Counts {
  lines: number;
}

/**
 * Parse `stream` with `format`, calling `onRecord` for every record and issue in
 * file order (issues as `type: "issue"` records). Never throws on content.
 */
export async function runTextFormat(
  format: TextFormat,
  stream: Readable,
  ctx: ParseContext,
  onRecord: (r: AnyRecord) => void,
): Promise<TextParseResult> {
  const counts: Counts = { parsed: 0, skipped: 0, issues: 0 };
  const sink: TextSink = {
    record: (r) => onRecord(r),
    issue: (line, code, message) => {
      const rec: IssueRecord = { type: 'issue', file: ctx.file, line, code, message: displayText(message) };
      onRecord(rec);
    },
  };
  const parser = format.create(ctx);
  let lines = 0;
  try {
    lines = await forEachLine(
      stream,
      (l) => {
        if (l.truncated) {
          const mib = (format.maxLineBytes ?? MAX_LINE_BYTES) / 1048576;
          sink.issue(
            l.lineNo,
            'line-too-long',
            `line longer than ${mib} MiB at byte ${l.offset}; only the first ${mib} MiB was read`,
          );
        }
        let status: ReturnType<typeof parser.line>;
        try {
          status = parser.line(l.text, l.lineNo, sink);
        } catch (e) {
          // A parser bug must not lose the rest of the file; it is reported like bad input.
          sink.issue(l.lineNo, 'parser-error', `${format.id} parser failed: ${(e as Error).message}`);
          status = 'issue';
        }
        counts[status === 'parsed' ? 'parsed' : status === 'skipped' ? 'skipped' : 'issues']++;
      },
      format.maxLineBytes,
    );
    const fix = parser.end?.(sink);
    if (fix) Object.assign(counts, fix);
  } catch (e) {
    sink.issue(lines + 1, 'read-error', `cannot read: ${(e as Error).message}`);
    counts.issues++;
  }
  return { ...counts, lines };
}
