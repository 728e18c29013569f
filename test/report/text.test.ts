/** The plain text summary: root cause first, with its whole remedy. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { fileCountText, renderText } from '../../src/report/text.js';

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

  it('counts every file in the headline, and says what became of those not read', async () => {
    const a = await analyzeBundle(S('asymmetric-drop'), { workers: 0 });
    expect(fileCountText(a)).toBe('23 files (21 read, 2 excluded)');
    a.coverage.files[3].status = 'unrecognised';
    a.coverage.files[4].status = 'unreadable';
    expect(renderText(a).split('\n')[0]).toMatch(
      / — 23 files \(19 read, 2 excluded, 1 unrecognised, 1 unreadable\), 4 nodes/,
    );
    a.coverage.files = a.coverage.files.filter((f) => f.status === 'parsed');
    expect(fileCountText(a)).toBe(`${a.coverage.files.length} files`);
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

  it('says why: the confidence reasons, or for an unexplained symptom what evidence is missing', async () => {
    const a = await analyzeBundle(S('asymmetric-drop'), { workers: 0 });
    const lines = renderText(a).split('\n');
    const why = lines.find((l) => l.startsWith('  why:   '));
    expect(why?.slice(9)).toBe(a.rootCause?.reasons?.join('; '));
    expect(lines.indexOf(why ?? '')).toBeLessThan(lines.findIndex((l) => l.startsWith('FINDINGS')));
    // Only a client's files: nothing explains its timeouts, and nothing is on the timeline.
    const c = await analyzeBundle(join(S('asymmetric-drop'), 'client-remote'), { workers: 0 });
    const text = renderText(c);
    expect(text).toMatch(/\n {2}why: {3}no finding in the bundle explains this symptom; more evidence/);
    expect(text).toContain('(no timestamped events');
  });
});
