/**
 * The benchmark's synthetic capture is deterministic and real enough: the same seed
 * gives the same bytes, our reader frames it without issues, and tshark sees the
 * TCP conversations, completed handshakes and ClientHello SNIs it was built with.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCapture } from '../../bench/gen-capture.js';
import { readCapture } from '../../parsers/capture/read.js';

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'forensic-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bench capture generator', () => {
  const a = join(tmp, 'a.pcap');
  const b = join(tmp, 'b.pcap');

  it('is deterministic for a seed and close to the requested size', async () => {
    const ga = await generateCapture(a, 2e6, 7);
    const gb = await generateCapture(b, 2e6, 7);
    expect(ga).toEqual(gb);
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(sha(a)).toBe(sha(b));
    expect(ga.bytes).toBeGreaterThan(1.8e6);
    expect(ga.bytes).toBeLessThan(2.6e6);
    expect(ga.flows).toBeGreaterThan(40);
  });

  it('is framed by our reader without issues', async () => {
    const g = await generateCapture(a, 2e6, 7);
    let n = 0;
    const issues: string[] = [];
    const s = await readCapture(a, { onFrame: () => void n++, onIssue: (i) => issues.push(i.message) });
    expect(issues).toEqual([]);
    expect(n).toBe(g.packets);
    expect(s.bytes).toBe(g.bytes);
  });

  it.skipIf(!tshark)(
    'looks like TLS over TCP to tshark: one conversation per flow, handshakes, SNIs',
    async () => {
      const g = await generateCapture(a, 2e6, 7);
      const run = (args: string[]) => spawnSync('tshark', ['-r', a, ...args], { encoding: 'utf8' });
      const syn = run(['-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', '-T', 'fields', '-e', 'tcp.stream']);
      expect(syn.status, syn.stderr).toBe(0);
      expect(new Set(syn.stdout.trim().split('\n')).size).toBe(g.flows);
      const sni = run([
        '-Y',
        'tls.handshake.type == 1',
        '-T',
        'fields',
        '-e',
        'tls.handshake.extensions_server_name',
      ]);
      expect(sni.status, sni.stderr).toBe(0);
      const names = sni.stdout.trim().split('\n');
      expect(names).toHaveLength(g.flows);
      for (const n of names) expect(n).toMatch(/^svc-\d+\.example\.com$/);
      const hello = run(['-Y', 'tls.handshake.type == 2', '-T', 'fields', '-e', 'frame.number']);
      expect(hello.stdout.trim().split('\n')).toHaveLength(g.flows);
      const bad = run([
        '-Y',
        'tcp.analysis.flags && !tcp.analysis.window_update',
        '-T',
        'fields',
        '-e',
        'frame.number',
      ]);
      expect(bad.stdout.trim()).toBe('');
    },
  );
});
