/**
 * Runs one text format over one file: feeds lines, collects records and issues,
 * and keeps the coverage counts honest (every line is parsed, skipped, or an issue).
 */
import type { Readable } from 'node:stream';
import type { AnyRecord, IssueRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { Counts, ParseContext, TextFormat, TextSink } from '../types.js';
import { forEachLine, LINE_CLEAN, LINE_TRUNCATED, MAX_LINE_BYTES } from './lines.js';

/** Result of parsing one text file. */
export interface TextParseResult extends Counts {
  lines: number;
}

/**
 * Parse `stream` with `format`, calling `onRecord` for every record and issue in
 * file order (issues as `type: "issue"` records). Never throws on content.
 * `startOffset`: where the stream starts in its file (byte offsets in issues are the file's).
 * `onProgress` is told the offset reached every 65 536 lines.
 */
export async function runTextFormat(
  format: TextFormat,
  stream: Readable,
  ctx: ParseContext,
  onRecord: (r: AnyRecord) => void,
  startOffset = 0,
  onProgress?: (offset: number) => void,
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
    const mib = (format.maxLineBytes ?? MAX_LINE_BYTES) / 1048576;
    lines = await forEachLine(
      stream,
      (text, lineNo, flags, offset) => {
        if (onProgress && (lineNo & 0xffff) === 0) onProgress(offset);
        if (flags & LINE_TRUNCATED)
          sink.issue(
            lineNo,
            'line-too-long',
            `line longer than ${mib} MiB at byte ${offset}; only the first ${mib} MiB was read`,
          );
        let status: ReturnType<typeof parser.line>;
        try {
          status = parser.line(text, lineNo, sink, (flags & LINE_CLEAN) !== 0);
        } catch (e) {
          // A parser bug must not lose the rest of the file; it is reported like bad input.
          sink.issue(lineNo, 'parser-error', `${format.id} parser failed: ${(e as Error).message}`);
          status = 'issue';
        }
        if (status === 'parsed') counts.parsed++;
        else if (status === 'skipped') counts.skipped++;
        else counts.issues++;
      },
      format.maxLineBytes,
      startOffset,
    );
    const fix = parser.end?.(sink);
    if (fix) Object.assign(counts, fix);
  } catch (e) {
    sink.issue(lines + 1, 'read-error', `cannot read: ${(e as Error).message}`);
    counts.issues++;
  }
  return { ...counts, lines };
}
