/**
 * The text benchmark's generated log is parsed completely and consistently:
 * every line is parsed, the sniffed format is traefik, and the TLS handshake
 * errors we find are exactly the lines `grep -c` counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTraefikLog, runTextBench } from '../../../bench/text.js';
import { openMaybeGzip } from '../../../parsers/text/lines.js';
import { runTextFormat } from '../../../parsers/text/run.js';
import { traefik } from '../../../parsers/text/traefik.js';

describe('text bench', () => {
  it('runs on a small file and agrees with wc and grep', async () => {
    const out: string[] = [];
    const res = await runTextBench({ sizeMB: 1, log: (l) => out.push(l) });
    expect(res.format).toBe('traefik');
    const [ours, wc, grep] = res.rows;
    expect(ours.count).toBe(res.lines);
    expect(wc.count).toBe(res.lines);
    expect(grep.count).toBeGreaterThan(0);
    expect(out.join('\n')).toMatch(/MB\/s/);
  });

  it('generates a log whose every line parses, TLS records matching grep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forensic-log-bench-'));
    try {
      const path = join(dir, 't.log');
      const [, lines] = generateTraefikLog(path, 256 * 1024, 7);
      const types = new Map<string, number>();
      const res = await runTextFormat(traefik, await openMaybeGzip(path), { file: 't.log', tz: 'UTC' }, (r) =>
        types.set(r.type, (types.get(r.type) ?? 0) + 1),
      );
      expect(res).toMatchObject({ lines, parsed: lines, skipped: 0, issues: 0 });
      const { execFileSync } = await import('node:child_process');
      const grep = Number(
        execFileSync('grep', ['-c', 'TLS handshake error', path], { encoding: 'utf8' }).trim(),
      );
      expect(types.get('tls-handshake-error')).toBe(grep);
      expect(types.get('access')).toBeGreaterThan(0);
      expect(types.get('log')).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
