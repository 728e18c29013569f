/**
 * The parse pool: one set of workers for several batches, largest files handed out
 * first, results in task order and equal to parsing in-process.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParsePool, workerScript } from '../../src/bundle/pool.js';
import type { ParseTask } from '../../src/bundle/task.js';
import { BATCH_RECORDS } from '../../src/bundle/text-task.js';

const S = resolve(import.meta.dirname, '../../samples/asymmetric-mangle');

function task(rel: string, kind: ParseTask['kind'], format?: string): ParseTask {
  const abs = join(S, rel);
  return { kind, abs, rel, format, tz: 'UTC', node: rel.split('/')[0], bytes: statSync(abs).size };
}

const text = [
  task('client-lan/ip-route.txt', 'text', 'ip-route'),
  task('node1/access.log', 'text', 'access-log'),
  task('client-lan/ping.txt', 'text', 'ping'),
];
const captures = [task('client-remote/client.pcap', 'capture'), task('node1/capture.pcapng', 'capture')];

describe.skipIf(workerScript() === null)('ParsePool', () => {
  it('runs two batches on the same workers, in task order, equal to in-process parsing', async () => {
    const local = new ParsePool(0);
    const wantText = await local.run(text);
    const wantCap = await local.run(captures);
    const pool = new ParsePool(2);
    expect(pool.size).toBe(2);
    const done: number[] = [];
    try {
      const gotText = await pool.run(text, (i) => done.push(i));
      const gotCap = await pool.run(captures);
      expect(gotText).toEqual(wantText);
      // Capture results come back as JSON text: nothing may be lost on the way (no undefined fields).
      expect(gotCap).toStrictEqual(wantCap);
      expect(gotText.map((r) => r.rel)).toEqual(text.map((t) => t.rel));
      expect(gotText.every((r) => r.counts.parsed > 0)).toBe(true);
      expect(gotCap[1].capture?.packets).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
    // Every task reported once; the largest file (the access log) was handed out first.
    expect([...done].sort()).toEqual([0, 1, 2]);
    expect(pool.size).toBe(0);
  });

  it('gets the kept records of a big log in batches, in order, equal to in-process parsing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forensic-pool-'));
    try {
      const abs = join(dir, 'traefik.log');
      const n = BATCH_RECORDS * 2 + 123;
      const lines = Array.from(
        { length: n },
        (_, i) =>
          `time="2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z" level=debug msg="http: TLS handshake error from 192.0.2.${i % 250}:${1024 + i}: EOF"`,
      );
      writeFileSync(abs, `${lines.join('\n')}\n`);
      const big: ParseTask = { kind: 'text', abs, rel: 'node1/traefik.log', format: 'traefik', tz: 'UTC' };
      const [want] = await new ParsePool(0).run([big]);
      const pool = new ParsePool(1);
      try {
        const [got] = await pool.run([big]);
        expect(got.records).toHaveLength(n);
        expect(got).toEqual(want);
      } finally {
        await pool.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands out the largest files first', async () => {
    const pool = new ParsePool(1);
    const order: string[] = [];
    try {
      await pool.run(text, (i) => order.push(text[i].rel));
    } finally {
      await pool.close();
    }
    const bySize = [...text].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0)).map((t) => t.rel);
    expect(order).toEqual(bySize);
  });
});

// Only when the worker is not built: a skipped test whose title says why.
if (workerScript() === null) {
  describe('ParsePool', () => {
    it.skip('needs the compiled worker: run npm run build', () => {});
  });
}
