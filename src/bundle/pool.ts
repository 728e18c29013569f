/**
 * A small worker_threads pool: files are parsed in parallel, one task per file,
 * and results come back in task order so the merge is deterministic.
 * When the compiled worker is not available (running from TypeScript sources in
 * tests) or `size` is 0, tasks run in-process with the same code.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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
 * Run every task, at most `size` at once, calling `onDone` as each finishes.
 * Returns results in task order.
 */
export async function runPool(
  tasks: readonly ParseTask[],
  size: number,
  onDone?: (index: number, result: ParseTaskResult) => void,
): Promise<ParseTaskResult[]> {
  const results: ParseTaskResult[] = new Array(tasks.length);
  const script = size > 0 ? workerScript() : null;
  if (!script || tasks.length === 0) {
    for (let i = 0; i < tasks.length; i++) {
      results[i] = await runTask(tasks[i]);
      onDone?.(i, results[i]);
    }
    return results;
  }
  let next = 0;
  const runOne = (worker: Worker): Promise<void> =>
    new Promise((resolveAll) => {
      const step = () => {
        if (next >= tasks.length) {
          resolveAll();
          return;
        }
        const i = next++;
        const onMessage = (r: ParseTaskResult) => {
          worker.off('error', onError);
          results[i] = r;
          onDone?.(i, r);
          step();
        };
        const onError = (e: Error) => {
          worker.off('message', onMessage);
          results[i] = failedTask(tasks[i], e);
          onDone?.(i, results[i]);
          resolveAll(); // this worker is dead; the others continue with the rest
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        worker.postMessage(tasks[i]);
      };
      step();
    });
  const n = Math.min(size, tasks.length);
  const workers = Array.from({ length: n }, () => new Worker(script));
  try {
    await Promise.all(workers.map(runOne));
    // Tasks left behind by dead workers run in-process.
    for (let i = 0; i < tasks.length; i++) if (!results[i]) results[i] = await runTask(tasks[i]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
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
