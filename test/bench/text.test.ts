/**
 * The text benchmark on a small log: every contender reads every line, and the
 * analysis path with one and with two workers reads the same lines as the in-process
 * parse (the bench also fails itself when the two pool runs differ).
 */
import { describe, expect, it } from 'vitest';
import { runTextBench } from '../../bench/text.js';
import { workerScript } from '../../src/bundle/pool.js';

describe.skipIf(workerScript() === null)('text bench', () => {
  it('counts the same lines in every contender', async () => {
    const out: string[] = [];
    const r = await runTextBench({ sizeMB: 2, log: (l) => out.push(l) });
    expect(r.format).toBe('traefik');
    const byName = new Map(r.rows.map((row) => [row.name, row]));
    for (const name of [
      'forensic (traefik) in-process',
      'forensic analysis path, 1 worker',
      'forensic analysis path, 2 workers',
      'wc -l',
    ])
      expect(byName.get(name)?.count, name).toBe(r.lines);
    expect(out.join('\n')).toMatch(/identical to the whole-file parse/);
    expect(process.exitCode ?? 0).toBe(0);
  }, 60_000);
});
