/**
 * A small worker_threads pool: files are parsed in parallel, one task per file,
 * and results come back in task order so the merge is deterministic.
 * When the compiled worker is not available (running from TypeScript sources in
 * tests) or the size is 0, tasks run in-process with the same code.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnyRecord } from '../model/records/index.js';
import { type ParseTask, type ParseTaskResult, runTask } from './task.js';

/** Locate the compiled worker script, or null when only sources exist. */
export function workerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'worker.js');
  // Running from sources (vitest): use the build output when present.
  const built = resolve(dirname(here), '../../dist/src/bundle/worker.js');
  return existsSync(built) ? built : null;
}

/** Default pool size: one worker per core. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Worker threads that parse files, reused for every batch of one analysis (text
 * files, then captures): a worker costs ~0.1–0.3 s of module loading, paid once and
 * while the main thread is still discovering and reading the small files.
 * With `size` 0, or without the compiled worker, tasks run in-process.
 */
export class ParsePool {
  private readonly workers: Worker[];

  /** `text`: text tasks will come, so the workers load the text parsers as they start. */
  constructor(size: number, opts: { text?: boolean } = {}) {
    const script = size > 0 ? workerScript() : null;
    const workerData = { text: opts.text === true };
    this.workers = script ? Array.from({ length: size }, () => new Worker(script, { workerData })) : [];
  }

  /** Number of live workers (0: in-process). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Run every task, calling `onDone` as each finishes; results come back in task
   * order. The largest files are handed out first so no worker is left with a big
   * one at the end. A worker that dies is dropped; its task is reported as failed and
   * the tasks it never got run elsewhere (in-process when none is left).
   */
  async run(
    tasks: readonly ParseTask[],
    onDone?: (index: number, result: ParseTaskResult) => void,
    onProgress?: (index: number, bytes: number, packets: number) => void,
  ): Promise<ParseTaskResult[]> {
    const results: ParseTaskResult[] = new Array(tasks.length);
    const order = tasks
      .map((_, i) => i)
      .sort((a, b) => (tasks[b].bytes ?? 0) - (tasks[a].bytes ?? 0) || a - b);
    let next = 0;
    const drain = (worker: Worker): Promise<void> =>
      new Promise((resolveAll) => {
        const step = () => {
          if (next >= order.length) {
            resolveAll();
            return;
          }
          const i = order[next++];
          // Before the result: kept records in batches (text tasks), progress reports.
          const batches: AnyRecord[][] = [];
          const onMessage = (
            msg: ParseTaskResult | { json: string } | { batch: AnyRecord[] } | { progress: [number, number] },
          ) => {
            if ('batch' in msg) {
              batches.push(msg.batch);
              return;
            }
            if ('progress' in msg) {
              onProgress?.(i, msg.progress[0], msg.progress[1]);
              return;
            }
            const m: ParseTaskResult = 'json' in msg ? JSON.parse(msg.json) : msg;
            worker.off('message', onMessage);
            worker.off('error', onError);
            if (batches.length > 0) m.records = batches.flat().concat(m.records);
            results[i] = m;
            onDone?.(i, m);
            step();
          };
          const onError = (e: Error) => {
            worker.off('message', onMessage);
            results[i] = failedTask(tasks[i], e);
            onDone?.(i, results[i]);
            this.workers.splice(this.workers.indexOf(worker), 1);
            resolveAll(); // this worker is dead; the others continue with the rest
          };
          worker.on('message', onMessage);
          worker.once('error', onError);
          worker.postMessage(tasks[i]);
        };
        step();
      });
    await Promise.all([...this.workers].map(drain));
    // In-process: no workers, or tasks left behind by dead ones.
    for (const i of order) {
      if (results[i]) continue;
      results[i] = await runTask(tasks[i], { onProgress: onProgress && ((b, p) => onProgress(i, b, p)) });
      onDone?.(i, results[i]);
    }
    return results;
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

function failedTask(task: ParseTask, e: Error): ParseTaskResult {
  return {
    rel: task.rel,
    kind: task.kind,
    format: null,
    records: [],
    counts: { parsed: 0, skipped: 0, issues: 1 },
    issues: [{ type: 'issue', file: task.rel, offset: 0, code: 'worker-crash', message: e.message }],
    rejected: true,
  };
}
