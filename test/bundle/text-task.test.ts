/**
 * Text tasks keep memory bounded on huge logs: beyond RECORDS_CAP records are sampled per
 * kind and minute, so an incident late in a long log is still seen. Counts stay exact
 * (dropped → notKept).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LATE_PER_MINUTE, RECORDS_CAP } from '../../src/bundle/keep.js';
import { runTextTask } from '../../src/bundle/text-task.js';

const dir = mkdtempSync(join(tmpdir(), 'forensic-text-task-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Go `http:` TLS handshake error line at 10:MM:00 (MM from the index), with the given cause text. */
const tlsLine = (i: number, cause: string) =>
  `2024/05/01 10:${String(Math.floor(i / 2000) % 60).padStart(2, '0')}:00 http: TLS handshake error from 203.0.113.${i % 250}:${1024 + (i % 60000)}: ${cause}`;

describe('runTextTask', () => {
  it('beyond RECORDS_CAP keeps a few records per kind and minute, and counts the rest', async () => {
    // RECORDS_CAP EOF errors, then 300 more in the same minute, then a bad record MAC
    // burst that starts after the cap (the incident, late in the log).
    const lines = Array.from({ length: RECORDS_CAP + 300 }, (_, i) => tlsLine(i, 'EOF'));
    for (let k = 0; k < 40; k++) lines.push(tlsLine(RECORDS_CAP + 300, 'local error: tls: bad record MAC'));
    const abs = join(dir, 'traefik.log');
    writeFileSync(abs, `${lines.join('\n')}\n`);
    const r = await runTextTask({ kind: 'text', abs, rel: 'node1/traefik.log', format: 'go-log', tz: 'UTC' });
    expect(r.counts.parsed).toBe(lines.length);
    // The cap, then LATE_PER_MINUTE late EOF errors and LATE_PER_MINUTE bad record MAC errors.
    expect(r.records).toHaveLength(RECORDS_CAP + 2 * LATE_PER_MINUTE);
    expect((r.dropped ?? 0) + r.records.length).toBe(lines.length);
    const late = r.records.slice(RECORDS_CAP).map((x) => (x as { cause?: string }).cause);
    expect(late).toEqual([
      ...Array(LATE_PER_MINUTE).fill('eof'),
      ...Array(LATE_PER_MINUTE).fill('bad-record-mac'),
    ]);
    expect(r.records[RECORDS_CAP - 1]).toMatchObject({ type: 'tls-handshake-error', line: RECORDS_CAP });
    // What was not kept, by kind, for exact totals in the rules.
    expect(r.notKeptByKind).toEqual({
      'tls-handshake-error|bad-record-mac': 40 - LATE_PER_MINUTE,
      'tls-handshake-error|eof': 300 - LATE_PER_MINUTE,
    });
  });
});
