/**
 * Text tasks keep memory bounded on huge logs: routine lines beyond ROUTINE_CAP and any
 * record beyond RECORDS_CAP are counted (dropped → coverage notKept), not kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORDS_CAP, runTextTask } from '../../src/bundle/text-task.js';

const dir = mkdtempSync(join(tmpdir(), 'forensic-text-task-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runTextTask', () => {
  it('keeps at most RECORDS_CAP records of a log of notable lines and counts the rest', async () => {
    const n = RECORDS_CAP + 50;
    const lines = Array.from(
      { length: n },
      (_, i) =>
        `2024/05/01 10:${String(Math.floor(i / 2000) % 60).padStart(2, '0')}:00 http: TLS handshake error from 203.0.113.${i % 250}:${1024 + (i % 60000)}: local error: tls: bad record MAC`,
    );
    const abs = join(dir, 'traefik.log');
    writeFileSync(abs, `${lines.join('\n')}\n`);
    const r = await runTextTask({ kind: 'text', abs, rel: 'node1/traefik.log', format: 'go-log', tz: 'UTC' });
    expect(r.counts.parsed).toBe(n);
    expect(r.records).toHaveLength(RECORDS_CAP);
    expect(r.dropped).toBe(50);
    // The kept ones are the first ones, in file order.
    expect(r.records[RECORDS_CAP - 1]).toMatchObject({ type: 'tls-handshake-error', line: RECORDS_CAP });
  });
});
