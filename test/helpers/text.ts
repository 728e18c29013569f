/** Test helper: run a text format over an in-memory string. */
import { Readable } from 'node:stream';
import { runTextFormat } from '../../parsers/text/run.js';
import type { ParseContext, TextFormat } from '../../parsers/types.js';
import type { AnyRecord } from '../../src/model/records/index.js';

export async function parseString(
  format: TextFormat,
  input: string,
  ctx: Partial<ParseContext> = {},
): Promise<{
  records: AnyRecord[];
  issues: AnyRecord[];
  counts: { parsed: number; skipped: number; issues: number; lines: number };
}> {
  const out: AnyRecord[] = [];
  const res = await runTextFormat(
    format,
    Readable.from([Buffer.from(input)]),
    { file: 'sample.txt', tz: 'UTC', ...ctx },
    (r) => out.push(r),
  );
  return {
    records: out.filter((r) => r.type !== 'issue'),
    issues: out.filter((r) => r.type === 'issue'),
    counts: { parsed: res.parsed, skipped: res.skipped, issues: res.issues, lines: res.lines },
  };
}

/** Deep subset match: every key in `expected` equals the value in `actual` (recursively for objects). */
export function subsetMismatch(actual: unknown, expected: unknown, path = ''): string | null {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object')
      return `${path}: expected object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = subsetMismatch((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
      if (m) return m;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  return Object.is(actual, expected)
    ? null
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
