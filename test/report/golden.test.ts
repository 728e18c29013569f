/**
 * Golden tests: the Markdown and JSON reports of every sample bundle. A change to
 * the output is deliberate: regenerate with `UPDATE_GOLDEN=1 npm test -- test/report/golden`
 * and review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';

const ROOT = resolve(import.meta.dirname, '../..');
const GOLDEN = join(import.meta.dirname, 'golden');
const samples = readdirSync(join(ROOT, 'samples')).filter((d) =>
  existsSync(join(ROOT, 'samples', d, 'expected.json')),
);

describe('golden reports', () => {
  it.each(samples)('%s', async (s) => {
    const prev = process.cwd();
    process.chdir(ROOT);
    let a: Awaited<ReturnType<typeof analyzeBundle>>;
    try {
      a = await analyzeBundle(`samples/${s}`, { workers: 0 });
    } finally {
      process.chdir(prev);
    }
    for (const [ext, text] of [
      ['md', renderMarkdown(a)],
      ['json', renderJson(a)],
    ] as const) {
      const file = join(GOLDEN, `${s}.${ext}`);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, text);
      }
      expect(existsSync(file), `${file} is missing; UPDATE_GOLDEN=1 to create it`).toBe(true);
      expect(text, `${file} differs; UPDATE_GOLDEN=1 to accept`).toBe(readFileSync(file, 'utf8'));
    }
  });
});
