/** Evidence export: one pcapng per cited flow, read back by tshark with the right packets and interface names. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import type { ExportedFlow } from '../../src/report/evidence-export.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tshark = spawnSync('tshark', ['--version']).status === 0;
if (!tshark) console.warn('evidence export: tshark missing, read-back checks skipped');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('evidence export', () => {
  it('writes the cited flows, with interface blocks, readable by tshark', async () => {
    const out = mkdtempSync(join(tmpdir(), 'forensic-export-'));
    dirs.push(out);
    let exported: ExportedFlow[] = [];
    const a = await analyzeBundle(resolve(ROOT, 'samples/asymmetric-mangle'), {
      workers: 0,
      exportEvidence: out,
      onEvidenceExported: (f) => {
        exported = f;
      },
    });
    expect(exported.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'))).toEqual(exported);
    const asym = exported.filter((e) => a.flows.find((f) => f.id === e.flow)?.asymmetric);
    expect(asym.length).toBeGreaterThan(0);
    for (const e of exported) {
      const flow = a.flows.find((f) => f.id === e.flow);
      expect(flow).toBeDefined();
      expect(e.packets).toBe((flow?.packets.toServer ?? 0) + (flow?.packets.toClient ?? 0));
      expect(e.findings.length).toBeGreaterThan(0);
      if (!tshark) continue;
      const lines = execFileSync(
        'tshark',
        [
          '-r',
          join(out, e.file),
          '-T',
          'fields',
          '-e',
          'frame.interface_name',
          '-e',
          'tcp.srcport',
          '-e',
          'tcp.dstport',
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
      expect(lines).toHaveLength(e.packets);
      expect([...new Set(lines.map((l) => l.split('\t')[0]))].sort()).toEqual([...e.interfaces].sort());
      const ports = new Set(lines.flatMap((l) => l.split('\t').slice(1)));
      expect(ports.has(String(flow?.client.port))).toBe(true);
      expect(ports.has(String(flow?.server.port))).toBe(true);
    }
    for (const e of asym) expect([...e.interfaces].sort()).toEqual(['eth0', 'eth1']);
  });
});
