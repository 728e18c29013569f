/** The real binary (dist/src/cli.js, built by the global setup): exit codes, formats, help. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/src/cli.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('forensic CLI', () => {
  it('prints usage and examples', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/forensic analyze BUNDLE/);
    const a = run('analyze', '--help');
    expect(a.stdout).toMatch(/Examples:/);
    expect(a.stdout).toMatch(/--fail-on/);
    expect(run('frobnicate').status).toBe(2);
  });
  it('prints a plain-text summary when stdout is not a terminal, root cause first', () => {
    const r = run('analyze', 'samples/asymmetric-drop', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').find((l) => l.startsWith('ROOT CAUSE'))).toMatch(
      /default-route-mismatch|routes replies/,
    );
    expect(r.stdout.indexOf('ROOT CAUSE')).toBeLessThan(r.stdout.indexOf('FINDINGS'));
    expect(r.stdout.indexOf('FINDINGS')).toBeLessThan(r.stdout.indexOf('TIMELINE'));
    expect(r.stderr).toBe('');
  });
  it('--timings names every phase with its wall time on stderr; stdout is unchanged', () => {
    const plain = run('analyze', 'samples/healthy', '--format', 'json', '--quiet');
    const r = run('analyze', 'samples/healthy', '--format', 'json', '--quiet', '--timings');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    const m = /^forensic: timings: (.*)$/m.exec(r.stderr);
    const names = (m?.[1] ?? '').split(', ').map((p) => {
      expect(p).toMatch(/^[a-z-]+ \d+\.\d\d s$/);
      return p.split(' ')[0];
    });
    expect(names).toEqual([
      'start-up',
      'discover',
      'text',
      'captures',
      'merge',
      'compare',
      'rules',
      'render',
    ]);
  });
  it('--fail-on sets the exit code for automation', () => {
    expect(run('analyze', 'samples/asymmetric-drop', '--format', 'json', '--fail-on', 'high').status).toBe(1);
    expect(run('analyze', 'samples/healthy', '--format', 'json', '--fail-on', 'medium').status).toBe(0);
    expect(run('analyze', 'samples/healthy', '--fail-on', 'bogus').status).toBe(2);
  });
  it('exit 2 for a bundle that cannot be read', () => {
    const r = run('analyze', 'no/such/bundle');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no\/such\/bundle/);
  });
  it('exit 2 for a time zone or node the bundle does not have; --node takes an alias', () => {
    const tz = run('analyze', 'samples/healthy', '--tz', 'Mars/Olympus');
    expect(tz.status).toBe(2);
    expect(tz.stderr).toMatch(/--tz Mars\/Olympus: unknown time zone/);
    const node = run('analyze', 'samples/healthy', '--node', 'nosuch');
    expect(node.status).toBe(2);
    expect(node.stderr).toMatch(
      /--node nosuch: no such node in the bundle \(nodes: client-lan, client-remote, node1, router\)/,
    );
    // Node names match whatever their case (as aliases do).
    const upper = run('analyze', 'samples/asymmetric-drop', '--node', 'NODE1', '--format', 'json');
    expect(upper.status).toBe(0);
    const a = JSON.parse(upper.stdout) as { flows: Array<{ node: string }> };
    expect(a.flows.length).toBeGreaterThan(0);
    expect(a.flows.every((f) => f.node === 'node1')).toBe(true);
  });
  it('writes reports with --out, redacted on request', () => {
    const d = mkdtempSync(join(tmpdir(), 'forensic-cli-'));
    const out = join(d, 'r.md');
    const r = run('analyze', 'samples/vip-unresolved', '--format', 'md', '--out', out, '--redact');
    expect(r.status).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^# Incident analysis/);
    expect(md).not.toContain('192.0.2.240');
    expect(JSON.parse(readFileSync(`${out}.redaction.json`, 'utf8')).ips['192.0.2.240']).toBeDefined();
  });
  it('parse: one record per line, exit 1 on a rejected file', () => {
    const ok = run('parse', 'samples/asymmetric-mangle/node1/traefik.log');
    expect(ok.status).toBe(0);
    const recs = ok.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recs.some((x) => x.type === 'tls-handshake-error' && x.cause === 'bad-record-mac')).toBe(true);
    const bad = run('parse', 'README.md');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout.trim().split('\n')[0])).toMatchObject({ type: 'issue' });
  });
  it('rules and explain', () => {
    const r = run('rules');
    for (const id of [
      'tls-bad-record-mac',
      'tls-handshake-failure',
      'tcp-handshake-incomplete',
      'asymmetric-routing',
      'default-route-mismatch',
      'payload-corruption',
      'vip-unresolved',
      'arp-conflict',
    ])
      expect(r.stdout).toContain(id);
    const e = run('explain', 'default-route-mismatch');
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/Remediation:/);
    expect(run('explain', 'nope').status).toBe(2);
  });
});
