/**
 * One big log parsed by several workers. The file is cut near `size × k / count` at a
 * sync point (a line whose records, and the parser state after it, do not depend on the
 * lines before: TextFormat.syncPoint), each part is parsed on its own, and the parts'
 * results are joined into exactly what parsing the whole file gives: the same records
 * and line numbers, counts, issues and kept records, whatever the number of parts.
 *
 * Both neighbours of a cut find it with the same function of the file, so they agree
 * on it without talking. A cut with no sync point within SYNC_WINDOW is dropped: the
 * part before it runs on to the next cut. Gzip files are parsed whole (no seeking).
 */
import { open } from 'node:fs/promises';
import { MAX_LINE_BYTES } from '../../parsers/text/lines.js';
import { textFormats } from '../../parsers/text/registry.js';
import type { ParseContext, TextFormat } from '../../parsers/types.js';
import type { IssueRecord } from '../model/records/index.js';
import { addKindCounts, KeepFilter, MAX_ISSUES_KEPT, sortedKindCounts } from './keep.js';
import type { ParseTask, ParseTaskResult } from './task.js';

/**
 * Smallest part worth a worker of its own. Each part keeps and sends back its first
 * RECORDS_CAP records, ~1.5 CPU s whatever its size: a 150 MB log took as long in two
 * parts as whole (3.9 s), a 300 MB one 6.2 s instead of 8.6 s, a 1 GB one 13.8 s
 * instead of 26.4 s.
 */
export const PART_MIN_BYTES = 128 << 20;
/** How far past a nominal cut a sync point is looked for. */
export const SYNC_WINDOW = 1 << 20;

/** Parts to cut a task's file into for `workers` workers (1: parse it whole). */
export function partCount(task: ParseTask, workers: number): number {
  const format = task.kind === 'text' && task.format ? textFormats.get(task.format) : undefined;
  if (!format?.syncPoint || task.gzip || task.utf16) return 1;
  return Math.max(1, Math.min(workers, Math.floor((task.bytes ?? 0) / PART_MIN_BYTES)));
}

/** Text tasks cut into parts for `workers` workers, and the index of the task each part belongs to. */
export function splitTextTasks(
  tasks: readonly ParseTask[],
  workers: number,
): { parts: ParseTask[]; owner: number[] } {
  const parts: ParseTask[] = [];
  const owner: number[] = [];
  tasks.forEach((t, i) => {
    const count = partCount(t, workers);
    for (let index = 0; index < count; index++) {
      parts.push(
        count === 1 ? t : { ...t, part: { index, count }, bytes: Math.ceil((t.bytes ?? 0) / count) },
      );
      owner.push(i);
    }
  });
  return { parts, owner };
}

/**
 * Byte range [start, end) of a part of `abs`; null when the part is empty (its cut was
 * dropped) and, for gzip files, for every part but the first; undefined: read it whole.
 */
export async function partRange(
  abs: string,
  format: TextFormat,
  ctx: ParseContext,
  part: { index: number; count: number },
): Promise<{ start: number; end: number } | null | undefined> {
  const fh = await open(abs, 'r');
  try {
    const size = (await fh.stat()).size;
    const magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
    if (magic[0] === 0x1f && magic[1] === 0x8b) return part.index === 0 ? undefined : null;
    const cut = (k: number) => syncAfter(fh, Math.floor((size * k) / part.count), size, format, ctx);
    const start = part.index === 0 ? 0 : await cut(part.index);
    if (start === null) return null;
    let end = size;
    for (let k = part.index + 1; k < part.count; k++) {
      const c = await cut(k);
      if (c !== null) {
        end = c;
        break;
      }
    }
    return { start, end };
  } finally {
    await fh.close();
  }
}

/** Offset of the first line starting in [at, at + SYNC_WINDOW) that is a sync point, or null. */
async function syncAfter(
  fh: Awaited<ReturnType<typeof open>>,
  at: number,
  size: number,
  format: TextFormat,
  ctx: ParseContext,
): Promise<number | null> {
  if (at <= 0) return 0;
  const maxLine = format.maxLineBytes ?? MAX_LINE_BYTES;
  const from = at - 1; // the byte before: a line starts at `at` when it is a newline
  const buf = Buffer.allocUnsafe(Math.min(size - from, SYNC_WINDOW + maxLine + 2));
  const { bytesRead } = await fh.read(buf, 0, buf.length, from);
  const b = buf.subarray(0, bytesRead);
  const decoder = new TextDecoder('utf-8');
  for (let nl = b.indexOf(0x0a); nl !== -1; ) {
    const start = nl + 1;
    if (start - 1 >= SYNC_WINDOW) return null;
    nl = b.indexOf(0x0a, start);
    if (nl === -1) return null; // runs past what was read (or is the unterminated last line)
    const end = nl > start && b[nl - 1] === 0x0d ? nl - 1 : nl;
    // The text forEachLine hands the parser (ASCII reads the same as UTF-8).
    if (nl - start <= maxLine && format.syncPoint?.(decoder.decode(b.subarray(start, end)), ctx))
      return from + start;
  }
  return null;
}

/**
 * Join the parts' results (in file order) into one per task: line numbers continue from
 * part to part and the keep rule (`filter`, for tests) runs again over the kept records.
 */
export function joinTextParts(
  tasks: readonly ParseTask[],
  owner: readonly number[],
  results: readonly ParseTaskResult[],
  filter: () => KeepFilter = () => new KeepFilter(),
): ParseTaskResult[] {
  const byTask = tasks.map(() => [] as ParseTaskResult[]);
  for (let i = 0; i < results.length; i++) byTask[owner[i]].push(results[i]);
  return byTask.map((parts) => (parts.length === 1 ? parts[0] : joinParts(parts, filter())));
}

function joinParts(parts: readonly ParseTaskResult[], filter: KeepFilter): ParseTaskResult {
  const out: ParseTaskResult = {
    rel: parts[0].rel,
    kind: parts[0].kind,
    format: parts[0].format,
    records: [],
    issues: [],
    counts: { parsed: 0, skipped: 0, issues: 0 },
    rejected: false,
    dropped: 0,
    lines: 0,
  };
  const byKind: Record<string, number> = {};
  let base = 0;
  for (const p of parts) {
    for (const r of p.records) {
      const rec = r as { line?: number };
      if (base > 0 && rec.line !== undefined) rec.line += base;
      if (filter.keep(r)) out.records.push(r);
      else out.dropped = (out.dropped ?? 0) + 1;
    }
    for (const i of p.issues) {
      if (out.issues.length >= MAX_ISSUES_KEPT) break;
      out.issues.push(base > 0 && i.line !== undefined ? ({ ...i, line: i.line + base } as IssueRecord) : i);
    }
    out.counts.parsed += p.counts.parsed;
    out.counts.skipped += p.counts.skipped;
    out.counts.issues += p.counts.issues;
    out.dropped = (out.dropped ?? 0) + (p.dropped ?? 0);
    out.rejected ||= p.rejected;
    out.format ??= p.format;
    addKindCounts(byKind, p.notKeptByKind);
    base += p.lines ?? 0;
  }
  out.lines = base;
  addKindCounts(byKind, filter.notKeptByKind());
  const sorted = sortedKindCounts(byKind);
  if (sorted) out.notKeptByKind = sorted;
  return out;
}
