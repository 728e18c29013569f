/**
 * Log formats as data (DESIGN house style 6): a definition names the format, says
 * how much each line kind counts towards "this file is mine" when sniffing, and
 * carries its samples. Parsing is the shared classifier (classify.ts) for all of
 * them, because real proxy logs mix access lines, error lines and JSON.
 *
 * Sniff score = mean weight of the non-blank head lines, 0 unless at least one
 * line is of a signature kind; a name hint adds a little.
 */
import { z } from 'zod';
import type { LineStatus, TextFormat } from '../../types.js';
import { createLogState, LINE_KINDS, type LineKind, parseLogLine } from './classify.js';

const Kind = z.enum(LINE_KINDS as [LineKind, ...LineKind[]]);

/** Schema of a log format definition. */
export const LogFormatDef = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  sniff: z.object({
    /** Weight (0..1) of each line kind; kinds not listed weigh 0. */
    weights: z.partialRecord(Kind, z.number().min(0).max(1)),
    /** At least one head line must be of one of these kinds. */
    signature: z.array(Kind).min(1),
    /** Lowercase substrings of the file name that add `nameBonus`. */
    names: z.array(z.string()).default([]),
    nameBonus: z.number().min(0).max(0.2).default(0.05),
  }),
  samples: z
    .array(
      z.object({
        input: z.string(),
        records: z.array(z.record(z.string(), z.unknown())),
        issues: z.number().int().nonnegative().optional(),
        note: z.string().optional(),
      }),
    )
    .min(1),
});
/** A log format definition as written in parsers/text/<id>.ts. */
export type LogFormatDef = z.input<typeof LogFormatDef>;

const kindCache = new WeakMap<readonly string[], LineKind[]>();

/** Kinds of the head lines, computed once per head and shared by every log format's sniff. */
export function headKinds(lines: readonly string[]): LineKind[] {
  let kinds = kindCache.get(lines);
  if (!kinds) {
    const st = createLogState('', 'UTC', 2000, true);
    kinds = [];
    const n = Math.min(lines.length, 200);
    for (let i = 0; i < n; i++) {
      let k: LineKind;
      try {
        k = parseLogLine(lines[i], i + 1, st, null);
      } catch {
        k = 'binary';
      }
      kinds.push(k);
    }
    kindCache.set(lines, kinds);
  }
  return kinds;
}

/** Validate a definition and turn it into a registered TextFormat. Throws on a bad definition (a bug, not input). */
export function defineLogFormat(def: LogFormatDef): TextFormat {
  const d = LogFormatDef.parse(def);
  const weights = d.sniff.weights as Partial<Record<LineKind, number>>;
  const signature = new Set(d.sniff.signature);
  return {
    id: d.id,
    title: d.title,
    samples: d.samples,
    sniff(lines, name) {
      const kinds = headKinds(lines);
      let n = 0;
      let sum = 0;
      let sig = 0;
      for (const k of kinds) {
        if (k === 'blank') continue;
        n++;
        sum += weights[k] ?? 0;
        if (signature.has(k)) sig++;
      }
      if (sig === 0 || n === 0) return 0;
      const lower = name.toLowerCase();
      const bonus = d.sniff.names.some((h) => lower.includes(h)) ? d.sniff.nameBonus : 0;
      return Math.min(1, sum / n + bonus);
    },
    syncPoint(line, ctx) {
      // The only state a log file carries from line to line is the year of the last
      // absolute timestamp (klog has none): a line is a sync point when it makes the same
      // records and leaves the same year whatever year came before.
      if (ctx.year !== undefined) return true;
      const after = [undefined, 1970].map((year) => {
        const st = createLogState(ctx.file, ctx.tz);
        st.ts.lastYear = year;
        const made: unknown[] = [];
        parseLogLine(line, 1, st, { record: (r) => made.push(r), issue: (...a) => made.push(a) });
        return { year: st.ts.lastYear, made: JSON.stringify(made) };
      });
      return (
        after[0].year !== undefined && after[0].year === after[1].year && after[0].made === after[1].made
      );
    },
    create(ctx) {
      const st = createLogState(ctx.file, ctx.tz, ctx.year);
      return {
        line(text, lineNo, out, clean): LineStatus {
          const k = parseLogLine(text, lineNo, st, out, clean);
          return k === 'blank' ? 'skipped' : k === 'binary' ? 'issue' : 'parsed';
        },
      };
    },
  };
}
