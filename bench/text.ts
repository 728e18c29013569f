/**
 * Text-log throughput: generates a deterministic mixed Traefik log (logfmt text,
 * TLS handshake errors, CLF and JSON access lines, JSON and console entries, the odd
 * ANSI-coloured TTY line) in a temp dir, parses it through the sniffed format with
 * runTextFormat in-process, then as the analysis does (a text task in a pool of 1 and
 * of 2 worker threads, cut into parts, kept records sent back and joined), and times
 * `wc -l` and `grep -c 'TLS handshake error'` on the same file in the same run. The
 * file is deleted afterwards.
 *
 *   text bench: 1000.0 MB, 5,789,739 lines (generated in 3.8 s)
 *                                             wall      lines/s     MB/s        cpu  MB/cpu-s   count
 *     forensic (traefik) in-process         8.87 s      652,642    112.7     9.26 s     108.0   5,789,739
 *     forensic analysis path, 1 worker     10.65 s      543,763     93.9    12.00 s      83.3   5,789,739
 *     forensic analysis path, 2 workers     6.76 s      856,670    148.0    13.19 s      75.8   5,789,739
 *     wc -l                                 0.13 s   43,208,753   7463.2     0.13 s    7874.2   5,789,739
 *     grep -c 'TLS handshake error'         0.35 s   16,316,996   2818.3     0.35 s    2857.2   1,448,836
 *     analysis path: 2 workers (file cut in 2): speed-up 1.58x over 1 worker; 216,193 records kept, identical to the whole-file parse
 *
 * (a shared 2-core machine, 2026-11-26). The analysis path keeps records (the cap, then a sample
 * per kind and minute) and sends them to the main thread; with 2 workers the second
 * part's first records are sent and then dropped at the join, hence its extra CPU.
 *
 * Run directly: `node dist/bench/text.js [sizeMB]`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { headToLines, rankTextFormats, readHead } from '../parsers/sniff.js';
import { openMaybeGzip } from '../parsers/text/lines.js';
import { runTextFormat } from '../parsers/text/run.js';
import { ParsePool } from '../src/bundle/pool.js';
import { joinTextParts, splitTextTasks } from '../src/bundle/split.js';
import type { ParseTask } from '../src/bundle/task.js';
import { tuneHeap } from '../src/util/heap.js';
import { prng } from './gen-capture.js';

/** Options of the text benchmark. */
export interface TextBenchOptions {
  /** Size of the generated file in MiB (default 1024). */
  sizeMB?: number;
  /** Where to create the temp dir (default os.tmpdir()). */
  dir?: string;
  /** Output sink (default console.log). */
  log?: (line: string) => void;
}

/** One timed contender. */
export interface TextBenchRow {
  name: string;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds (user + system): the honest figure on a shared, loaded machine. */
  cpuSeconds: number;
  linesPerSec: number;
  mbPerSec: number;
  /** What it counted: records (ours), lines (wc), matches (grep). */
  count: number;
}

/** Result of one run. */
export interface TextBenchResult {
  bytes: number;
  lines: number;
  format: string;
  rows: TextBenchRow[];
}

const CAUSES = [
  'local error: tls: bad record MAC',
  'EOF',
  'read tcp 10.0.2.15:443->192.168.56.1:51234: read: connection reset by peer',
  'remote error: tls: bad certificate',
  'tls: first record does not look like a TLS handshake',
];
const PATHS = ['/', '/api/v1/items', '/login', '/static/app.js', '/health', '/api/v1/items/42?full=1'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `PAD3[n]` is n as three digits (milliseconds). */
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Write the mixed log; returns [bytes, lines]. The date text is formatted once per
 * second (lines advance 0–49 ms each), so generating costs little next to parsing.
 */
export function generateTraefikLog(path: string, bytes: number, seed = 1): [number, number] {
  const r = prng(seed);
  const fd = openSync(path, 'w');
  let written = 0;
  let lines = 0;
  let t = Date.UTC(2024, 4, 1, 10, 0, 0);
  let sec = -1;
  let isoSec = ''; // YYYY-MM-DDTHH:MM:SS of the current second
  let clf = ''; // DD/Mon/YYYY:HH:MM:SS +0000 of the current second
  let buf = '';
  try {
    while (written < bytes) {
      t += Math.floor(r() * 50);
      const s = Math.floor(t / 1000);
      if (s !== sec) {
        sec = s;
        const d = new Date(s * 1000);
        isoSec = d.toISOString().slice(0, 19);
        clf = `${String(d.getUTCDate()).padStart(2, '0')}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${isoSec.slice(11, 19)} +0000`;
      }
      const iso = `${isoSec}.${PAD3[t - s * 1000]}Z`;
      const ip = `192.168.${(r() * 4) | 0}.${1 + ((r() * 250) | 0)}`;
      const port = 1024 + ((r() * 60000) | 0);
      const x = r();
      let line: string;
      if (x < 0.35) {
        line = `${ip} - - [${clf}] "GET ${PATHS[(r() * PATHS.length) | 0]} HTTP/1.1" ${r() < 0.9 ? 200 : 502} ${(r() * 5000) | 0} "-" "Mozilla/5.0 (X11; Linux x86_64)" ${lines} "websecure-app@kubernetescrd" "http://10.42.0.7:8080" ${(r() * 40) | 0}ms`;
      } else if (x < 0.6) {
        line = `time="${isoSec}Z" level=debug msg="http: TLS handshake error from ${ip}:${port}: ${CAUSES[(r() * CAUSES.length) | 0]}"`;
      } else if (x < 0.75) {
        line = `{"ClientAddr":"${ip}:${port}","ClientHost":"${ip}","ClientPort":"${port}","DownstreamStatus":200,"Duration":${(r() * 9e7) | 0},"RequestMethod":"GET","RequestPath":"/api","RouterName":"websecure-app@docker","StartUTC":"${iso}","TLSVersion":"1.3","level":"info","msg":"","time":"${isoSec}Z"}`;
      } else if (x < 0.85) {
        line = `{"level":"warn","msg":"Skipping same configuration","providerName":"kubernetescrd","time":"${isoSec}Z"}`;
      } else if (x < 0.95) {
        line = `${iso} DBG github.com/traefik/traefik/v3/pkg/server/service/loadbalancer.go:245 > Service selected by WRR: ${port} serviceName=whoami@docker`;
      } else if (x < 0.99) {
        line = `time="${isoSec}Z" level=error msg="Error while dialing backend: dial tcp 10.42.0.7:8080: i/o timeout" routerName=websecure-app@kubernetescrd`;
      } else {
        line = `\x1b[36mINFO\x1b[0m[${lines % 10000}] Configuration loaded from flags.`;
      }
      buf += `${line}\n`;
      lines++;
      if (buf.length >= 1 << 22) {
        written += writeSync(fd, buf); // ASCII only: characters are bytes
        buf = '';
      }
    }
    if (buf.length > 0) written += writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return [written, lines];
}

/** Time an external command (wall and CPU seconds); returns its trimmed stdout as a number. */
function timeCmd(cmd: string, args: string[]): { seconds: number; cpu: number; value: number } {
  const t0 = process.hrtime.bigint();
  const script = `TIMEFORMAT='%U %S'; time "$@"`;
  const res = spawnSync('bash', ['-c', script, 'bench', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const [u, s] = (res.stderr ?? '').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  const cpu = Number.isFinite(u) && Number.isFinite(s) ? u + s : Number.NaN;
  return { seconds, cpu, value: Number.parseInt((res.stdout ?? '').trim(), 10) };
}

/** Run `fn` and measure it: wall seconds, and CPU seconds of every thread of this process. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  return { value, seconds, cpu: (cu.user + cu.system) / 1e6 };
}

/**
 * The analysis's own path: the log as a text task in a pool of `workers` worker threads
 * (cut into one part per worker when big enough), kept records sent back and joined;
 * worker start-up included. Returns wall and CPU seconds (all threads) and the lines read.
 */
async function timePool(
  task: ParseTask,
  workers: number,
): Promise<{ seconds: number; cpu: number; lines: number; parts: number; kept: number; hash: string }> {
  let pool: ParsePool | undefined;
  try {
    const { value, seconds, cpu } = await timed(async () => {
      pool = new ParsePool(workers, { text: true });
      const { parts, owner } = splitTextTasks([task], pool.size);
      return { parts: parts.length, r: joinTextParts([task], owner, await pool.run(parts))[0] };
    });
    const { r } = value;
    // What the analysis gets, hashed record by record: it must not depend on the cut.
    const h = createHash('sha256');
    for (const rec of r.records) h.update(JSON.stringify(rec));
    h.update(JSON.stringify([r.counts, r.dropped, r.issues, r.lines]));
    return {
      seconds,
      cpu,
      lines: r.lines ?? 0,
      parts: value.parts,
      kept: r.records.length,
      hash: h.digest('hex'),
    };
  } finally {
    await pool?.close();
  }
}

/** Generate, parse, compare with wc/grep, print a table, clean up. */
export async function runTextBench(opts: TextBenchOptions = {}): Promise<TextBenchResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const sizeMB = opts.sizeMB ?? 1024;
  tuneHeap(); // as the CLI does (worker threads share the flags)
  const dir = mkdtempSync(join(opts.dir ?? tmpdir(), 'forensic-bench-text-'));
  const path = join(dir, 'traefik.log');
  try {
    const g0 = process.hrtime.bigint();
    const [bytes, lines] = generateTraefikLog(path, sizeMB * 1024 * 1024);
    const gen = Number(process.hrtime.bigint() - g0) / 1e9;
    const mb = statSync(path).size / (1024 * 1024);
    log(
      `text bench: ${mb.toFixed(1)} MB, ${lines.toLocaleString('en-US')} lines (generated in ${gen.toFixed(1)} s)`,
    );
    const { head } = await readHead(path);
    const best = rankTextFormats(headToLines(head), 'traefik.log')[0];
    if (!best) throw new Error('no text format recognised the generated log');
    let records = 0;
    const inProcess = await timed(async () =>
      runTextFormat(best.format, await openMaybeGzip(path), { file: path, tz: 'UTC' }, () => {
        records++;
      }),
    );
    const res = inProcess.value;
    const task: ParseTask = {
      kind: 'text',
      abs: path,
      rel: 'traefik.log',
      format: best.format.id,
      tz: 'UTC',
      bytes: statSync(path).size,
    };
    const pool1 = await timePool(task, 1);
    const pool2 = await timePool(task, 2);
    const wc = timeCmd('wc', ['-l', path]);
    const grep = timeCmd('grep', ['-c', 'TLS handshake error', path]);
    const row = (name: string, seconds: number, cpuSeconds: number, count: number): TextBenchRow => ({
      name,
      seconds,
      cpuSeconds,
      linesPerSec: lines / seconds,
      mbPerSec: mb / seconds,
      count,
    });
    const rows = [
      row(`forensic (${best.format.id}) in-process`, inProcess.seconds, inProcess.cpu, records),
      row('forensic analysis path, 1 worker', pool1.seconds, pool1.cpu, pool1.lines),
      row('forensic analysis path, 2 workers', pool2.seconds, pool2.cpu, pool2.lines),
      row('wc -l', wc.seconds, wc.cpu, wc.value),
      row("grep -c 'TLS handshake error'", grep.seconds, grep.cpu, grep.value),
    ];
    log(
      `  ${''.padEnd(34)} ${'wall'.padStart(9)} ${'lines/s'.padStart(12)} ${'MB/s'.padStart(8)}   ${'cpu'.padStart(8)} ${'MB/cpu-s'.padStart(9)}   count`,
    );
    for (const r of rows)
      log(
        `  ${r.name.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s ${Math.round(r.linesPerSec).toLocaleString('en-US').padStart(12)} ${r.mbPerSec.toFixed(1).padStart(8)}   ${r.cpuSeconds.toFixed(2).padStart(6)} s ${(mb / r.cpuSeconds).toFixed(1).padStart(9)}   ${r.count.toLocaleString('en-US')}`,
      );
    log(
      `  load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
    log(
      `  coverage: parsed ${res.parsed} skipped ${res.skipped} issues ${res.issues} of ${res.lines} lines (${bytes} bytes)`,
    );
    log(
      `  analysis path: 2 workers (file cut in ${pool2.parts}): speed-up ${(pool1.seconds / pool2.seconds).toFixed(2)}x over 1 worker; ${pool2.kept.toLocaleString('en-US')} records kept, ${pool1.hash === pool2.hash ? 'identical to' : 'DIFFERENT from'} the whole-file parse`,
    );
    if (pool1.hash !== pool2.hash) process.exitCode = 1;
    return { bytes, lines, format: best.format.id, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const size = Number(process.argv[2] ?? 1024);
  runTextBench({ sizeMB: Number.isFinite(size) && size > 0 ? size : 1024 }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
