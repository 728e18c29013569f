/**
 * End to end: regenerate scenarios 1 (asymmetric-drop), 3 (lan-corruption), 7 (mtu-blackhole), 8
 * (ipv6-asymmetric), 9 (vip-conflict) and 10 (node-firewall) in
 * fresh network namespaces, check the fresh bundles against the committed
 * expected.json (facts, what the captures show) and, when the CLI is built, the
 * analyzer's diagnosis. Skipped with a message when not root or without `ip netns`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable } from '../../samples/lab/topology.js';
import {
  analyzerCli,
  captureStory,
  checkAnalysis,
  checkFacts,
  have,
  loadExpected,
  REPO_ROOT,
  runAnalyzer,
} from '../samples/bundle-check.js';

const avail = labAvailable();
const tools = ['nft', 'tcpdump', 'dumpcap', 'curl', 'ping', 'arp', 'openssl'].filter((t) => !have(t));
const skip = !avail.ok ? avail.reason : tools.length ? `missing tools: ${tools.join(', ')}` : '';
if (skip) console.warn(`lab end-to-end tests skipped: ${skip}`);
const analyzer = analyzerCli();

describe.skipIf(!!skip)('lab end to end', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'forensic-lab-e2e-'));
  const build = join(tmp, 'build');
  // Unique per test file and process: vitest runs files in parallel.
  const prefix = `fxe${process.pid % 100000}`;

  beforeAll(() => {
    // Compile only the lab (not the whole project) so this test does not depend on a full build.
    execFileSync(
      join(REPO_ROOT, 'node_modules/.bin/tsc'),
      [
        '--outDir',
        build,
        '--rootDir',
        join(REPO_ROOT, 'samples/lab'),
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--strict',
        '--skipLibCheck',
        '--types',
        'node',
        join(REPO_ROOT, 'samples/lab/run.ts'),
        join(REPO_ROOT, 'samples/lab/server.ts'),
      ],
      { cwd: REPO_ROOT, stdio: 'pipe' },
    ); // prettier-ignore
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Run the lab asynchronously (a blocking spawnSync would starve vitest's worker RPC). */
  async function regenerate(id: string): Promise<string> {
    const out = join(tmp, id);
    const proc = spawn(process.execPath, [join(build, 'run.js'), id, out, '--prefix', prefix], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((r) => proc.once('exit', r));
    expect(code, stderr).toBe(0);
    // the lab cleaned up after itself
    const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(left).not.toContain(`${prefix}-`);
    return out;
  }

  function checkDiagnosis(out: string, id: string): void {
    if (!analyzer.ok) {
      console.warn(`lab e2e ${id}: analyzer assertions skipped: ${analyzer.reason}`);
      return;
    }
    expect(
      checkAnalysis(runAnalyzer(analyzer.cli, out), loadExpected(join(REPO_ROOT, 'samples', id))),
    ).toEqual([]);
  }

  it('refuses to start when its namespaces exist, and leaves them alone', () => {
    const p2 = `fxr${process.pid % 100000}`;
    execFileSync('ip', ['netns', 'add', `${p2}-sw`]);
    try {
      const r = spawnSync(
        process.execPath,
        [join(build, 'run.js'), 'healthy', join(tmp, 'refused'), '--prefix', p2],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('already exist');
      const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      expect(list).toContain(`${p2}-sw`);
      expect(list).not.toContain(`${p2}-node1`);
    } finally {
      spawnSync('ip', ['netns', 'del', `${p2}-sw`]);
    }
  });

  it('cleans up namespaces and processes when interrupted (SIGINT)', async () => {
    const p3 = `fxi${process.pid % 100000}`;
    const proc = spawn(
      process.execPath,
      [join(build, 'run.js'), 'healthy', join(tmp, 'interrupted'), '--prefix', p3],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    await new Promise<void>((resolve) => {
      proc.stderr.on('data', (d) => {
        stderr += d;
        if (/client-lan: ping/.test(stderr)) resolve();
      });
      proc.once('exit', () => resolve());
    });
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).toContain(`${p3}-node1`);
    proc.kill('SIGINT');
    const code = await new Promise<number | null>((r) =>
      proc.exitCode !== null ? r(proc.exitCode) : proc.once('exit', r),
    );
    expect(code).toBe(130);
    expect(stderr).toContain('cleaned up');
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(`${p3}-`);
  }, 60_000);

  it('scenario 1 (asymmetric-drop): off-LAN SYN-ACKs leave eth0 and are dropped; LAN clients work', async () => {
    const out = await regenerate('asymmetric-drop');
    const expected = loadExpected(join(REPO_ROOT, 'samples/asymmetric-drop'));
    expect(checkFacts(out, expected, false)).toEqual([]);
    if (have('tshark')) expect(captureStory(out, 'asymmetric-drop')).toEqual([]);
    const lab = JSON.parse(readFileSync(join(out, '.lab.json'), 'utf8')) as { nft: Record<string, string> };
    const dropped = Number(/ct state invalid counter packets (\d+)/.exec(lab.nft.hv)?.[1] ?? 0);
    expect(dropped).toBeGreaterThanOrEqual(16); // 4 connections x (SYN-ACK + 3 retransmissions)
    checkDiagnosis(out, 'asymmetric-drop');
  }, 180_000);

  it('scenario 3 (lan-corruption): local bad record MAC on symmetric flows', async () => {
    const out = await regenerate('lan-corruption');
    const expected = loadExpected(join(REPO_ROOT, 'samples/lan-corruption'));
    expect(checkFacts(out, expected, false)).toEqual([]);
    expect(existsSync(join(out, 'node1/access.log'))).toBe(false);
    if (have('tshark')) expect(captureStory(out, 'lan-corruption')).toEqual([]);
    const lab = JSON.parse(readFileSync(join(out, '.lab.json'), 'utf8')) as { nft: Record<string, string> };
    expect(/counter packets (\d+)/.exec(lab.nft.sw)?.[1]).toBe('12'); // one altered segment per connection
    checkDiagnosis(out, 'lan-corruption');
  }, 180_000);

  it('scenario 7 (mtu-blackhole): the server flight is too big for the router link, its ICMP never leaves', async () => {
    const out = await regenerate('mtu-blackhole');
    const expected = loadExpected(join(REPO_ROOT, 'samples/mtu-blackhole'));
    expect(checkFacts(out, expected, false)).toEqual([]);
    if (have('tshark')) expect(captureStory(out, 'mtu-blackhole')).toEqual([]);
    const lab = JSON.parse(readFileSync(join(out, '.lab.json'), 'utf8')) as { nft: Record<string, string> };
    // Every lost server packet drew a fragmentation-needed that the router's own filter dropped.
    expect(Number(/counter packets (\d+)/.exec(lab.nft.router)?.[1] ?? 0)).toBeGreaterThanOrEqual(8);
    checkDiagnosis(out, 'mtu-blackhole');
  }, 180_000);

  it('scenario 9 (vip-conflict): a second host answers ARP for the VIP first; clients are refused by it', async () => {
    const out = await regenerate('vip-conflict');
    const expected = loadExpected(join(REPO_ROOT, 'samples/vip-conflict'));
    expect(checkFacts(out, expected, false)).toEqual([]);
    if (have('tshark')) expect(captureStory(out, 'vip-conflict')).toEqual([]);
    checkDiagnosis(out, 'vip-conflict');
  }, 180_000);

  it("scenario 10 (node-firewall): node1's nftables drops the off-LAN SYNs; the rule is named", async () => {
    const out = await regenerate('node-firewall');
    const expected = loadExpected(join(REPO_ROOT, 'samples/node-firewall'));
    expect(checkFacts(out, expected, false)).toEqual([]);
    if (have('tshark')) expect(captureStory(out, 'node-firewall')).toEqual([]);
    expect(readFileSync(join(out, 'node1/nft-ruleset.txt'), 'utf8')).toMatch(
      /tcp dport 443 counter packets (\d+) bytes \d+ drop/,
    );
    checkDiagnosis(out, 'node-firewall');
  }, 180_000);

  it('scenario 8 (ipv6-asymmetric): the same asymmetric drop over IPv6, diagnosed with the IPv6 gateway', async () => {
    const out = await regenerate('ipv6-asymmetric');
    const expected = loadExpected(join(REPO_ROOT, 'samples/ipv6-asymmetric'));
    expect(checkFacts(out, expected, false)).toEqual([]);
    if (have('tshark')) expect(captureStory(out, 'ipv6-asymmetric')).toEqual([]);
    const lab = JSON.parse(readFileSync(join(out, '.lab.json'), 'utf8')) as { nft: Record<string, string> };
    expect(
      Number(/ct state invalid counter packets (\d+)/.exec(lab.nft.hv)?.[1] ?? 0),
    ).toBeGreaterThanOrEqual(16);
    checkDiagnosis(out, 'ipv6-asymmetric');
    if (analyzer.ok) {
      const a = JSON.parse(
        spawnSync(process.execPath, [analyzer.cli, 'analyze', out, '--format', 'json'], {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        }).stdout,
      ) as { findings: Array<{ rule: string; remediation?: { commands: string[] } }> };
      expect(a.findings.find((f) => f.rule === 'default-route-mismatch')?.remediation?.commands).toEqual([
        'ip -6 route replace default via 2001:db8:0:2::1 dev eth1',
      ]);
    }
  }, 180_000);
});
