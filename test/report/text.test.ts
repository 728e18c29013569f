/** The plain text summary: root cause first, with its whole remedy. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { renderText } from '../../src/report/text.js';

const S = (p: string) => join(resolve(import.meta.dirname, '../..'), 'samples', p);

describe('renderText', () => {
  it('starts with the root cause and prints every way to make the fix permanent', async () => {
    const a = await analyzeBundle(S('asymmetric-drop'), { workers: 0 });
    const text = renderText(a);
    const f = a.findings.find((x) => x.id === a.rootCause?.finding);
    const persistent = f?.remediation?.persistent?.split('\n') ?? [];
    expect(persistent.length).toBeGreaterThan(1);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  permanent: '));
    expect(lines.slice(0, at).some((l) => l.startsWith('ROOT CAUSE'))).toBe(true);
    expect(lines.slice(at, at + persistent.length).map((l) => l.slice(13))).toEqual(persistent);
  });

  it('lines up the coverage columns whatever the length of the paths', async () => {
    const a = await analyzeBundle(S('asymmetric-drop'), { workers: 0 });
    a.coverage.files[0].path = `${'deep/'.repeat(8)}a-long-capture-name.pcap`;
    const text = renderText(a);
    const rows = text
      .slice(text.indexOf('COVERAGE\n'))
      .split('\n')
      .filter((l) => / parsed \d/.test(l));
    expect(rows.length).toBe(a.coverage.files.length);
    expect(new Set(rows.map((l) => l.search(/ parsed \d/))).size).toBe(1);
  });
});
