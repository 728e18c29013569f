/**
 * `forensic parse FILE`: what the analyzer understood of one file, one record per
 * line. The tool users reach for when a diagnosis surprises them.
 */
import { basename } from 'node:path';
import { captureRecords, packetLine } from '../parsers/capture/records.js';
import { sniffFile } from '../parsers/sniff.js';
import { openMaybeGzip } from '../parsers/text/lines.js';
import { textFormats } from '../parsers/text/registry.js';
import { runTextFormat } from '../parsers/text/run.js';
import type { Counts, ParseContext } from '../parsers/types.js';
import type { AnyRecord } from './model/records/index.js';
import { displayText } from './util/sanitize.js';

/** Outcome of parsing one file. */
export interface ParseOutcome extends Counts {
  kind: 'capture' | 'text' | 'unknown';
  format: string | null;
  rejected: boolean;
}

/** Parse one file of any supported kind, streaming records to `onRecord`. */
export async function parseFile(
  path: string,
  ctx: ParseContext,
  onRecord: (r: AnyRecord) => void,
  forceFormat?: string,
): Promise<ParseOutcome> {
  if (forceFormat && forceFormat !== 'pcap' && forceFormat !== 'pcapng') {
    const f = textFormats.get(forceFormat);
    if (!f) throw new Error(`unknown format ${forceFormat}`);
    const res = await runTextFormat(f, await openMaybeGzip(path), ctx, onRecord);
    return {
      kind: 'text',
      format: f.id,
      rejected: false,
      parsed: res.parsed,
      skipped: res.skipped,
      issues: res.issues,
    };
  }
  const s = await sniffFile(path, basename(path));
  if (s.kind === 'capture' || forceFormat) {
    const res = await captureRecords(path, ctx, onRecord);
    return { kind: 'capture', format: s.kind === 'capture' ? s.format : (forceFormat ?? null), ...res };
  }
  if (s.kind === 'text') {
    const res = await runTextFormat(s.format, await openMaybeGzip(path), ctx, onRecord);
    return {
      kind: 'text',
      format: s.format.id,
      rejected: false,
      parsed: res.parsed,
      skipped: res.skipped,
      issues: res.issues,
    };
  }
  onRecord({ type: 'issue', file: ctx.file, offset: 0, code: 'unrecognised', message: s.reason });
  return { kind: 'unknown', format: null, rejected: true, parsed: 0, skipped: 0, issues: 1 };
}

/** Render a record as one readable line (`--format text`). */
export function recordLine(r: AnyRecord): string {
  if (r.type === 'packet') return packetLine(r);
  const where = r.line !== undefined ? `${r.line}` : r.packet !== undefined ? `#${r.packet}` : '';
  const { type, file: _f, line: _l, packet: _p, text, ...rest } = r as AnyRecord & { text?: string };
  const fields = Object.entries(rest)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return displayText(
    `${where.padStart(6)}  ${type.padEnd(20)} ${fields}${text && type !== 'issue' ? `  | ${text}` : ''}`,
  );
}
