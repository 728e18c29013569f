/**
 * Log formats as data (DESIGN house style 6): a definition names the format, says
 * how much each line kind counts towards "this file is mine" when sniffing, and
 * carries its samples. Parsing is the shared classifier (classify.ts) for all of
 * them, because real proxy logs mix access lines, error lines and JSON.
 *
 * Sniff score = mean weight of the non-blank head lines, 0 unless at least one
 * line is of a signature kind; a name hint adds a little.
 */
import type { LineStatus, TextFormat } from '../../types.js';
import { createLogState, type LineKind, parseLogLine } from './classify.js';
import type { LogFormatDef } from './format-def.js';

/** Score a name hint adds when the definition gives none. */
export const DEFAULT_NAME_BONUS = 0.05;

/**
 * Every definition made so far, as written: test/parsers/text/log-format-def.test.ts
 * checks them against the schema (format-def.ts), which the parsers do not load.
 */
export const logFormatDefs: LogFormatDef[] = [];

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

/** Turn a definition into a registered TextFormat. */
export function defineLogFormat(d: LogFormatDef): TextFormat {
  logFormatDefs.push(d);
  const weights = d.sniff.weights as Partial<Record<LineKind, number>>;
  const signature = new Set(d.sniff.signature);
  const names = d.sniff.names ?? [];
  const nameBonus = d.sniff.nameBonus ?? DEFAULT_NAME_BONUS;
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
      const bonus = names.some((h) => lower.includes(h)) ? nameBonus : 0;
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
