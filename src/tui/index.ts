/**
 * `runTui`: the interactive terminal UI over one Analysis. Full screen on the
 * alternate buffer with mouse-wheel reporting; resolves when the user quits;
 * the terminal is restored on quit, on a crash and on SIGINT/SIGTERM/SIGHUP.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { render } from 'ink';
import { createElement } from 'react';
import type { Analysis } from '../model/analysis.js';
import { App } from './app.js';
import { MOUSE_OFF, MOUSE_ON } from './keys.js';
import { TuiModel } from './model.js';
import { palette } from './palette.js';
import { Sources } from './sources.js';
import type { ExportFormat } from './state.js';

/** Options of runTui. */
export interface TuiOptions {
  noColor?: boolean;
  /** Writes a report; without it `x` writes the Analysis JSON. */
  exportReport?: (format: ExportFormat, path: string) => Promise<void>;
  /** Streams (tests); default process.stdin/stdout. */
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** Enter/leave the alternate screen buffer; hide/show the cursor. */
const ALT_ON = '\u001b[?1049h\u001b[2J\u001b[H';
const ALT_OFF = '\u001b[?25h\u001b[?1049l';

/** The `x` action: the caller's report writer, or the Analysis JSON. Resolves to the confirmation text. */
export function exporter(
  analysis: Analysis,
  exportReport?: TuiOptions['exportReport'],
): (format: ExportFormat, path: string) => Promise<string> {
  return async (format, path) => {
    const abs = resolve(path);
    if (exportReport) {
      await exportReport(format, abs);
      return `exported ${format} report to ${abs}`;
    }
    await writeFile(abs, `${JSON.stringify(analysis, null, 2)}\n`);
    return `wrote the analysis JSON to ${abs}`;
  };
}

/** Run the TUI until the user quits. */
export async function runTui(analysis: Analysis, opts: TuiOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const model = new TuiModel(analysis);
  const sources = new Sources(model, palette(opts.noColor));
  const tty = !!stdout.isTTY;
  if (tty) stdout.write(ALT_ON + MOUSE_ON);
  // Raw mode before the first frame: keys typed while React mounts must not arrive line-buffered.
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(true);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (tty) stdout.write(MOUSE_OFF + ALT_OFF);
    if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
      try {
        stdin.setRawMode(false);
      } catch {
        // stdin already closed
      }
    }
  };
  const instance = render(
    createElement(App, {
      sources,
      onExport: exporter(analysis, opts.exportReport),
      canReport: !!opts.exportReport,
      cols: stdout.columns || 80,
      rows: stdout.rows || 24,
    }),
    { stdout, stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
  );
  const quietly = (f: () => void) => {
    try {
      f();
    } catch {
      // the terminal may be gone (EIO after a hang-up)
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    quietly(() => instance.unmount());
    quietly(restore);
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  };
  const onCrash = (err: unknown) => {
    quietly(() => instance.unmount());
    quietly(restore);
    process.stderr.write(`forensic: TUI crashed: ${(err as Error)?.stack ?? err}\n`);
    process.exit(70);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.on(sig, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', restore);
  try {
    await instance.waitUntilExit();
  } finally {
    instance.unmount();
    restore();
    for (const sig of signals) process.off(sig, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', restore);
  }
}
