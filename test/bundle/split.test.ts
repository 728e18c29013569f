/**
 * A big log cut into parts parsed side by side must give exactly what parsing it whole
 * gives: records (line numbers, timestamps), counts, issues and the records kept.
 * The logs mix every Traefik line kind with what makes cutting hard: klog lines that take
 * their year from the line before, blank, binary, CRLF, non-ASCII and over-long lines,
 * an unterminated last line; the keep rule runs with small caps so it samples.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { KeepFilter } from '../../src/bundle/keep.js';
import { joinTextParts, partCount, splitTextTasks } from '../../src/bundle/split.js';
import type { ParseTask, ParseTaskResult } from '../../src/bundle/task.js';
import { runTextTask } from '../../src/bundle/text-task.js';
import { pick, prng } from '../helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'forensic-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Small caps, so sampling beyond the cap is exercised. */
const filter = () => new KeepFilter(40, 2);

/** A mixed log of `n` lines; `klogRuns` makes long stretches of year-less klog lines. */
function mixedLog(seed: number, n: number, klogRuns = false): string {
  const r = prng(seed);
  const out: string[] = [];
  let t = Date.UTC(2023, 11, 31, 23, 50, 0);
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 4000);
    const d = new Date(t);
    const iso = d.toISOString();
    const klog = `I${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}000 1 main.go:42] klog line ${i}`;
    if (klogRuns && (i >> 6) % 2 === 1) {
      out.push(klog);
      continue;
    }
    out.push(
      pick(r, [
        `time="${iso}" level=debug msg="http: TLS handshake error from 192.0.2.${i % 250}:${1024 + i}: ${pick(r, ['EOF', 'local error: tls: bad record MAC'])}"`,
        `192.0.2.7 - - [31/Dec/2023:23:59:59 +0000] "GET /x HTTP/1.1" ${pick(r, [200, 502])} 12 "-" "curl/8" ${i} "r@docker" "http://10.42.0.7:80" 3ms`,
        `{"level":"error","msg":"backend down ${i}","time":"${iso}"}`,
        klog,
        '',
        `time="${iso}" level=info msg="café ✓ ${i}"`,
        `time="${iso}" level=warn msg="crlf ${i}"\r`,
        `\u0000\u0001\u0002binary\u0003 ${i}`,
        `\x1b[36mINFO\x1b[0m[${i}] Configuration loaded`,
      ]),
    );
  }
  return out.join('\n');
}

/** Parse `abs` whole and in `count` parts (serially: the pool is not under test here). */
async function wholeAndParts(abs: string, count: number): Promise<[ParseTaskResult, ParseTaskResult]> {
  const task: ParseTask = { kind: 'text', abs, rel: 'node1/traefik.log', format: 'traefik', tz: 'UTC' };
  const whole = await runTextTask(task, filter());
  const parts = Array.from({ length: count }, (_, index) => ({ ...task, part: { index, count } }));
  const results: ParseTaskResult[] = [];
  for (const p of parts) results.push(await runTextTask(p, filter()));
  const [joined] = joinTextParts([task], Array(count).fill(0), results, filter);
  return [whole, joined];
}

function expectSame(joined: ParseTaskResult, whole: ParseTaskResult): void {
  expect(joined.lines).toBe(whole.lines);
  expect(joined.counts).toEqual(whole.counts);
  expect(joined.dropped ?? 0).toBe(whole.dropped ?? 0);
  expect(joined.notKeptByKind).toEqual(whole.notKeptByKind);
  expect(joined.issues).toEqual(whole.issues);
  expect(JSON.stringify(joined.records)).toBe(JSON.stringify(whole.records));
}

describe('parsing a log in parts', () => {
  for (const seed of [1, 2, 3]) {
    it(`gives what parsing it whole gives (seed ${seed}, 2–7 parts)`, async () => {
      const abs = join(dir, `mixed-${seed}.log`);
      writeFileSync(abs, mixedLog(seed, 3000)); // no newline after the last line
      for (const count of [2, 3, 7]) {
        const [whole, joined] = await wholeAndParts(abs, count);
        expect(whole.records.length).toBeGreaterThan(40);
        expect(whole.dropped).toBeGreaterThan(0);
        expect(Object.values(whole.notKeptByKind ?? {}).reduce((a, b) => a + b, 0)).toBe(whole.dropped);
        expectSame(joined, whole);
      }
    });
  }

  it('cuts only where the line before does not matter (klog takes its year from it)', async () => {
    const abs = join(dir, 'klog.log');
    writeFileSync(abs, `${mixedLog(4, 4000, true)}\n`);
    const [whole, joined] = await wholeAndParts(abs, 5);
    // The year-less klog lines of the new year took 2024 from the lines before them.
    expect(whole.records.some((r) => (r as { ts?: string }).ts?.startsWith('2024-01-01'))).toBe(true);
    expectSame(joined, whole);
  });

  it('gives a part nothing when its cut has no sync point (a klog-only log)', async () => {
    const abs = join(dir, 'klog-only.log');
    const lines = Array.from(
      { length: 2000 },
      (_, i) => `I0101 00:00:${String(i % 60).padStart(2, '0')}.000000 1 a.go:1] x ${i}`,
    );
    writeFileSync(abs, `${lines.join('\n')}\n`);
    const task: ParseTask = {
      kind: 'text',
      abs,
      rel: 'k.log',
      format: 'traefik',
      tz: 'UTC',
      part: { index: 1, count: 2 },
    };
    const second = await runTextTask(task, filter());
    expect(second.lines).toBe(0);
    const [whole, joined] = await wholeAndParts(abs, 2);
    expect(whole.lines).toBe(2000);
    expectSame(joined, whole);
  });

  it('keeps a line longer than the limit whole-file equivalent next to a cut', async () => {
    const abs = join(dir, 'long.log');
    const head = mixedLog(5, 500);
    const long = `time="2024-01-01T00:00:00Z" level=info msg="${'x'.repeat((1 << 20) + 10)}"`;
    writeFileSync(abs, `${head}\n${long}\n${head}\n`);
    const [whole, joined] = await wholeAndParts(abs, 2);
    expect(whole.issues.some((i) => i.code === 'line-too-long')).toBe(true);
    expectSame(joined, whole);
  });

  it('parses a gzip log whole, in its first part', async () => {
    const abs = join(dir, 'mixed.log.gz');
    writeFileSync(abs, gzipSync(mixedLog(6, 2000)));
    const [whole, joined] = await wholeAndParts(abs, 3);
    expect(whole.lines).toBeGreaterThan(1990);
    expectSame(joined, whole);
  });

  it('cuts only log formats, only big files, into at most one part per worker', () => {
    const big = (format: string, mb: number): ParseTask => ({
      kind: 'text',
      abs: '/x',
      rel: 'x',
      format,
      tz: 'UTC',
      bytes: mb << 20,
    });
    expect(partCount(big('traefik', 1000), 2)).toBe(2);
    expect(partCount(big('traefik', 1000), 1)).toBe(1);
    expect(partCount(big('traefik', 200), 2)).toBe(1);
    expect(partCount(big('ip-route', 1000), 2)).toBe(1);
    expect(partCount({ ...big('traefik', 1000), gzip: true }, 2)).toBe(1);
    const { parts, owner } = splitTextTasks([big('ip-route', 1), big('traefik', 500)], 3);
    expect(owner).toEqual([0, 1, 1, 1]);
    expect(parts.map((p) => p.part?.index)).toEqual([undefined, 0, 1, 2]);
  });
});
