/** Worker thread entry: parses one file per message and posts the result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type ParseTask, type ParseTaskResult, runTask } from './task.js';

// Text tasks load their parsers on first use; when text tasks will come, load them now,
// while the main thread is still discovering the bundle (runTask then finds them loaded).
if ((workerData as { text?: boolean } | null)?.text) import('./text-task.js').catch(() => {}); // runTask reports it

parentPort?.on('message', async (task: ParseTask) => {
  const result = await runTask(task, {
    onBatch: (records) => parentPort?.postMessage({ batch: records }),
    onProgress: (bytes, packets) => parentPort?.postMessage({ progress: [bytes, packets] }),
    inWorker: true,
  });
  // A capture's result (tens of thousands of flow summaries) goes as JSON text: JSON.parse
  // rebuilds it on the main thread about twice as fast as the structured clone (measured
  // on 68,556 flows: 268-459 ms vs 545-737 ms), and that copy is the part of parsing the
  // main thread does. Capture results are plain data: counters, strings, arrays.
  parentPort?.postMessage(result.kind === 'capture' ? asJson(result) : result);
});

/** The result as JSON text, or as it is should it hold something JSON cannot (a bigint). */
function asJson(result: ParseTaskResult): { json: string } | ParseTaskResult {
  try {
    return { json: JSON.stringify(result) };
  } catch {
    return result;
  }
}
