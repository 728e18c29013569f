/**
 * Text tasks: parse one log or state dump with its sniffed format, keeping every
 * record except routine lines beyond a cap. Loaded on the first text task only, so a
 * worker that parses captures does not load the text parsers.
 */
import { openMaybeGzip } from '../../parsers/text/lines.js';
import { textFormats } from '../../parsers/text/registry.js';
import { runTextFormat } from '../../parsers/text/run.js';
import type { AnyRecord, IssueRecord } from '../model/records/index.js';
import type { ParseTask, ParseTaskResult } from './task.js';

/** Issue records kept per file (the count is always exact). */
export const MAX_ISSUES_KEPT = 200;
/** Routine records kept per file before only notable ones are kept. */
export const ROUTINE_CAP = 50_000;
/**
 * Records kept per file before sampling: a log of millions of TLS errors would otherwise
 * hold gigabytes. Beyond it only LATE_PER_MINUTE records of each kind (type and cause,
 * level or status class) per minute are kept, so an incident late in a long log still
 * shows on the timeline and to the rules; the rest is counted (coverage `notKept`).
 */
export const RECORDS_CAP = 100_000;
/** Records kept per kind and minute once RECORDS_CAP is reached. */
export const LATE_PER_MINUTE = 5;

/** What a record is, for sampling beyond the cap: type plus cause, level or status class. */
function kindOf(r: AnyRecord): string {
  if (r.type === 'tls-handshake-error') return `tls|${r.cause}`;
  if (r.type === 'client-error') return `client|${r.tool}|${r.code ?? ''}`;
  if (r.type === 'log') return `log|${r.level ?? ''}`;
  if (r.type === 'access') return `access|${r.status === null ? '?' : Math.floor(r.status / 100)}`;
  return r.type;
}

/** The minute (`YYYY-MM-DDTHH:MM`) of a record's timestamp, or '' without one. */
function minuteOf(r: AnyRecord): string {
  const ts = (r as { ts?: unknown }).ts;
  return typeof ts === 'string' ? ts.slice(0, 16) : '';
}

const NOTABLE_LEVEL = /^(warn|warning|error|err|fatal|panic|crit|critical|alert|emerg|e|w|f)$/i;
const NOTABLE_TEXT = /tls|handshake|timeout|timed out|refused|reset|unreachable|fail|error|denied|invalid/i;

/**
 * Bounded memory for huge logs: every record is kept except routine `log` and
 * `access` records beyond ROUTINE_CAP per file, where only notable ones
 * (warnings and errors, failed requests) are kept; beyond RECORDS_CAP records are
 * sampled per kind and minute. Counts stay exact.
 */
export function keepRecord(r: AnyRecord, routineSoFar: number): boolean {
  if (r.type === 'log') {
    if (routineSoFar < ROUTINE_CAP) return true;
    return (r.level !== null && NOTABLE_LEVEL.test(r.level)) || NOTABLE_TEXT.test(r.message);
  }
  if (r.type === 'access') {
    if (routineSoFar < ROUTINE_CAP) return true;
    return r.status === null || r.status >= 400 || r.status === 0;
  }
  return true;
}

/** Run one text task. Never throws: failures become issues. */
export async function runTextTask(task: ParseTask): Promise<ParseTaskResult> {
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
  let routine = 0;
  let dropped = 0;
  /** Records kept per kind and minute beyond RECORDS_CAP. */
  const late = new Map<string, number>();
  try {
    const res = await runTextFormat(
      format,
      await openMaybeGzip(task.abs),
      { file: task.rel, tz: task.tz },
      (r) => {
        if (r.type === 'issue') {
          if (issues.length < MAX_ISSUES_KEPT) issues.push(r);
          return;
        }
        const routineType = r.type === 'log' || r.type === 'access';
        if (!keepRecord(r, routine)) {
          dropped++;
          return;
        }
        if (records.length >= RECORDS_CAP) {
          const bucket = `${kindOf(r)}|${minuteOf(r)}`;
          const n = late.get(bucket) ?? 0;
          if (n >= LATE_PER_MINUTE) {
            dropped++;
            return;
          }
          late.set(bucket, n + 1);
        }
        records.push(r);
        if (routineType) routine++;
      },
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
