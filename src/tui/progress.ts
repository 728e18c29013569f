/**
 * A one-line progress indicator for the time before the TUI opens (the
 * analysis of a large bundle): redrawn in place on a TTY at most 10 times a
 * second, silent otherwise, erased by `done()`.
 *
 *   forensic: parsing node1/capture-any.pcapng  412.0/1024.0 MB  40%
 */
import { safe } from './text.js';

/** What the analysis pipeline calls while it runs. */
export interface Progress {
  /** Report the current stage; `done`/`total` (bytes) add a size and a percentage. */
  update(stage: string, done?: number, total?: number): void;
  /** Erase the line (call right before runTui). */
  done(): void;
}

/** Start a progress line on `stream` (stderr by default); `now` is injectable for tests. */
export function startProgress(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  const tty = !!stream.isTTY;
  let last = 0;
  let shown = false;
  return {
    update(stage, done, total) {
      if (!tty) return;
      const t = now();
      if (t - last < 100) return;
      last = t;
      const cols = (stream.columns || 80) - 1;
      const mb = (n: number) => (n / 1048576).toFixed(1);
      const size =
        done !== undefined && total
          ? `  ${mb(done)}/${mb(total)} MB  ${Math.floor((done / total) * 100)}%`
          : '';
      const line = `forensic: ${safe(stage)}${size}`;
      stream.write(`\r\u001b[2K${line.length > cols ? `${line.slice(0, cols - 1)}…` : line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}
