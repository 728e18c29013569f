/**
 * Bundle section of `npm run bench`: parallel parsing of a multi-file bundle.
 * Generates (deterministically, gen-capture.ts) a bundle of 4 captures on two
 * nodes plus an `ip route` dump, then runs the real CLI on it in a child process,
 * `node dist/src/cli.js analyze DIR --format json --workers N --quiet`, with
 * N = 1 and N = 2, and prints wall time, CPU time, peak RSS (of the whole process,
 * worker threads included) and the speed-up. The two JSON outputs must be
 * byte-identical (same bundle → same Analysis, whatever the pool size).
 *
 *   bundle: 4 captures, 2068 MB, 2641962 packets, + node1/ip-route.txt   (2026-11-26, 2 vCPUs shared)
 *   workers       time       cpu     MB/s  cpu/wall   peak RSS  speed-up
 *   1           4.57 s    5.83 s    452.6      1.28     360 MB     1.00x
 *   2           3.37 s    5.84 s    612.9      1.73     462 MB     1.35x
 *   1 worker(s), seconds by phase: start-up 0.14, discover 0.01, text 0.01, captures 3.44,
 *     merge 0.43, compare 0.01, rules 0.11, render 0.38
 *   (other runs that day: 1.21x-1.41x; the machine's speed varied by half from run to run)
 *
 * Where the cores go (per-thread CPU from /proc, 4 × 500 MB, one worker): the worker
 * thread 3.0-3.2 s, V8's platform threads 1.2-1.7 s, the main thread 0.5-0.7 s. The platform
 * threads scavenge in parallel (~0.65-0.95 s) and mark the old generation concurrently
 * (~0.55 s): a conversation's state outlives a scavenge or two (60 % of the young
 * generation survives each) and the summaries pile up, so one worker already keeps 1.3
 * cores busy and a second one can add at most the remaining 0.7: the captures phase runs
 * 1.5x faster with two. The serial part (start-up, merging 68,556 per-file flows into
 * 34,337, rules, rendering 44 MB of JSON) is 1.1 s of 4.5, so Amdahl allows 1.6x.
 *
 * Size: FORENSIC_BENCH_BUNDLE_MB (total), else four captures of min(500, --mb / 2) MB each
 * (the issue's "4-file bundle of ~500 MB captures" with the default --mb 1000).
 * Each pool size runs `--repeat` times; the fastest run is kept.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCapture } from './gen-capture.js';
import type { BenchOptions } from './types.js';

/** The bundle's files: node directory / capture name (one pcap per interface). */
const CAPTURES = ['node1/eth0.pcap', 'node1/eth1.pcap', 'node2/eth0.pcap', 'node2/eth1.pcap'];

/** A small `ip route` dump so the bundle has a text file of the node's state. */
const IP_ROUTE = `default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100
192.0.2.0/24 dev eth1 proto kernel scope link src 192.0.2.20
203.0.113.0/24 via 192.0.2.1 dev eth1 proto static
`;

/** One timed CLI run. */
interface CliRun {
  ms: number;
  cpuMs: number | null;
  rssMb: number;
  exit: number;
  /** sha256 of stdout (the Analysis JSON) and its size. */
  hash: string;
  outBytes: number;
  /** Wall seconds per phase from `--timings` (start-up, discover, text, captures, merge, …, render). */
  phases: Map<string, number>;
}

/** Total bundle size in MB for these options. */
export function bundleMb(opts: BenchOptions): number {
  const env = process.env.FORENSIC_BENCH_BUNDLE_MB;
  const mb = env !== undefined ? Number(env) : CAPTURES.length * Math.min(500, opts.mb / 2);
  if (!(mb > 0)) throw new Error(`invalid FORENSIC_BENCH_BUNDLE_MB ${env}`);
  return mb;
}

/** The bundle section. */
export async function bundleSection(opts: BenchOptions): Promise<void> {
  const cli = resolve(import.meta.dirname, '../src/cli.js');
  if (!existsSync(cli)) {
    console.log(`skipped: ${cli} not built (npm run build)`);
    return;
  }
  const mb = bundleMb(opts);
  const dir = mkdtempSync(join(tmpdir(), 'forensic-bench-bundle-'));
  try {
    const bundle = join(dir, 'bundle');
    const t0 = Date.now();
    let bytes = 0;
    let packets = 0;
    for (const [i, rel] of CAPTURES.entries()) {
      const path = join(bundle, rel);
      mkdirSync(join(path, '..'), { recursive: true });
      const g = await generateCapture(path, (mb * 1e6) / CAPTURES.length, opts.seed + i);
      bytes += g.bytes;
      packets += g.packets;
    }
    writeFileSync(join(bundle, 'node1/ip-route.txt'), IP_ROUTE);
    console.log(
      `bundle: ${CAPTURES.length} captures, ${(bytes / 1e6).toFixed(0)} MB, ${packets} packets, + node1/ip-route.txt (generated in ${((Date.now() - t0) / 1000).toFixed(1)} s, seed ${opts.seed})`,
    );
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `${availableParallelism()} cores, load average ${load}: on a loaded machine wall times are noisy; cpu/wall shows how many cores a run actually got`,
    );
    const rows: Array<[number, CliRun | string]> = [];
    for (const workers of [1, 2]) {
      let best: CliRun | string = 'not run';
      for (let k = 0; k < Math.max(1, opts.repeat); k++) {
        const r = runCli(cli, bundle, workers, join(dir, `out-${workers}.json`));
        if (typeof r === 'string') {
          best = r;
          break;
        }
        if (typeof best === 'string' || r.ms < best.ms) best = r;
      }
      rows.push([workers, best]);
    }
    console.log(
      `${'workers'.padEnd(9)}${'time'.padStart(10)}${'cpu'.padStart(10)}${'MB/s'.padStart(9)}${'cpu/wall'.padStart(10)}${'peak RSS'.padStart(11)}${'speed-up'.padStart(10)}`,
    );
    const base = rows[0][1];
    for (const [w, r] of rows) {
      if (typeof r === 'string') {
        console.log(`${String(w).padEnd(9)}${r}`);
        continue;
      }
      const up = typeof base === 'string' ? '-' : `${(base.ms / r.ms).toFixed(2)}x`;
      console.log(
        `${String(w).padEnd(9)}${`${(r.ms / 1000).toFixed(2)} s`.padStart(10)}${(r.cpuMs === null ? '-' : `${(r.cpuMs / 1000).toFixed(2)} s`).padStart(10)}${(bytes / 1e6 / (r.ms / 1000)).toFixed(1).padStart(9)}${(r.cpuMs === null ? '-' : (r.cpuMs / r.ms).toFixed(2)).padStart(10)}${`${r.rssMb.toFixed(0)} MB`.padStart(11)}${up.padStart(10)}`,
      );
    }
    const [one, two] = rows.map(([, r]) => r);
    for (const [w, r] of rows)
      if (typeof r !== 'string')
        console.log(
          `  ${w} worker(s), seconds by phase: ${[...r.phases].map(([n, s]) => `${n} ${s.toFixed(2)}`).join(', ')}`,
        );
    if (typeof one !== 'string' && one.phases.has('captures')) {
      // Amdahl: only the capture phase runs on the pool; the rest is the same work either way.
      const total = [...one.phases.values()].reduce((a, b) => a + b, 0);
      const par = one.phases.get('captures') ?? 0;
      console.log(
        `  serial part with 1 worker: ${(total - par).toFixed(2)} s of ${total.toFixed(2)} s; best possible with 2 workers: ${(total / (total - par + par / 2)).toFixed(2)}x`,
      );
    }
    if (typeof one !== 'string' && typeof two !== 'string')
      console.log(
        `speed-up with 2 workers: ${(one.ms / two.ms).toFixed(2)}x (expect close to 2x on 2 idle cores); analysis JSON ${(one.outBytes / 1e6).toFixed(1)} MB, ${one.hash === two.hash ? 'identical' : 'DIFFERENT'} for 1 and 2 workers (exit ${one.exit}/${two.exit})`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Run the CLI once in a child process; stdout goes to `outFile`. Peak RSS comes
 * from /usr/bin/time when installed, else from a wrapper that reports the
 * process's own resourceUsage() at exit.
 */
function runCli(cli: string, bundle: string, workers: number, outFile: string): CliRun | string {
  const args = ['analyze', bundle, '--format', 'json', '--workers', String(workers), '--quiet', '--timings'];
  const useTime = existsSync('/usr/bin/time');
  const wrapper = `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('FORENSIC_RSS_KB ' + u.maxRSS + ' FORENSIC_CPU_S ' + (u.userCPUTime + u.systemCPUTime) / 1e6 + '\\n'); }); process.argv.splice(1, 0, ${JSON.stringify(cli)}); await import(${JSON.stringify(pathToFileURL(cli).href)});`;
  const [cmd, argv] = useTime
    ? ['/usr/bin/time', ['-f', 'FORENSIC_RSS_KB %M FORENSIC_CPU_S %U %S', process.execPath, cli, ...args]]
    : [process.execPath, ['--input-type=module', '-e', wrapper, ...args]];
  const fd = openSync(outFile, 'w');
  const t0 = process.hrtime.bigint();
  let r: ReturnType<typeof spawnSync>;
  try {
    r = spawnSync(cmd, argv as string[], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  } finally {
    closeSync(fd);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const err = String(r.stderr ?? '');
  const m = /FORENSIC_RSS_KB (\d+) FORENSIC_CPU_S ([\d.]+)(?: ([\d.]+))?/.exec(err);
  // Exit 1 means "findings at or above --fail-on": the analysis itself succeeded.
  if ((r.status !== 0 && r.status !== 1) || !m) return `failed (exit ${r.status}): ${err.slice(-400)}`;
  const out = readFileSync(outFile);
  rmSync(outFile, { force: true });
  return {
    ms,
    cpuMs: (Number(m[2]) + Number(m[3] ?? 0)) * 1000,
    rssMb: Number(m[1]) / 1024,
    exit: r.status,
    hash: createHash('sha256').update(out).digest('hex'),
    outBytes: out.length,
    phases: new Map(
      (/^forensic: timings: (.*)$/m.exec(err)?.[1] ?? '')
        .split(', ')
        .map((p) => p.split(' '))
        .filter((p) => p.length === 3)
        .map(([n, s]) => [n, Number(s)]),
    ),
  };
}
