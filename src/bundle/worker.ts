/** Worker thread entry: parses one file per message and posts the result back. */
import { parentPort } from 'node:worker_threads';
import { type ParseTask, runTask } from './task.js';

parentPort?.on('message', async (task: ParseTask) => {
  parentPort?.postMessage(await runTask(task));
});
