/**
 * Shared benchmark plumbing: options, the result of one timed pass, and running a
 * pass in a child process (`node dist/bench/pass.js NAME FILE`) so that its peak
 * RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PARSE_NODE_ARGS } from '../src/util/heap.js';

/** Options every section receives (from flags / environment, see run.ts). */
export interface BenchOptions {
  /** Input size in MB (FORENSIC_BENCH_MB, --mb). */
  mb: number;
  /** PRNG seed for generated inputs. */
  seed: number;
  /** Repeat the fastest passes N times and keep the best. */
  repeat: number;
  /** Include the external peer (tshark). */
  tshark: boolean;
  /** Also measure memory flatness at other sizes. */
  flat: boolean;
}

/** One timed pass. */
export interface PassResult {
  /** Wall time. */
  ms: number;
  /** CPU time (user + system) of the pass's process, when known: robust on a loaded machine. */
  cpuMs?: number;
  /** Peak resident set size of the process that ran the pass, MB. */
  rssMb: number;
  packets: number;
  /** Input bytes processed. */
  bytes: number;
  note?: string;
}

/**
 * Run a registered pass (bench/pass.ts) in a child node process, its main isolate
 * sized as the CLI's parsing workers are; an error is returned as a string.
 */
export function runPass(name: string, file: string): PassResult | string {
  const script = join(import.meta.dirname, 'pass.js');
  const r = spawnSync(process.execPath, [...PARSE_NODE_ARGS, script, name, file], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = (r.stdout ?? '').trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return `${name} failed: ${(r.stderr ?? '').slice(-400)}`;
  return JSON.parse(line) as PassResult;
}
