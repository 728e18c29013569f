/** Worker thread entry: parses one file per message and posts the result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type ParseTask, runTask } from './task.js';

// Text tasks load their parsers on first use; when text tasks will come, load them now,
// while the main thread is still discovering the bundle (runTask then finds them loaded).
if ((workerData as { text?: boolean } | null)?.text) import('./text-task.js').catch(() => {}); // runTask reports it

parentPort?.on('message', async (task: ParseTask) => {
  const result = await runTask(task, {
    onBatch: (records) => parentPort?.postMessage({ batch: records }),
    onProgress: (bytes, packets) => parentPort?.postMessage({ progress: [bytes, packets] }),
  });
  parentPort?.postMessage(result);
});
