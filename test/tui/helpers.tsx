/**
 * Test helpers for the TUI: the reference fixture, Sources over it, and an App
 * rendered to a fixed-width frame with ink-testing-library, driven by keys.
 */

import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { render } from 'ink';
import { Analysis } from '../../src/model/analysis.js';
import { App } from '../../src/tui/app.js';
import { TuiModel } from '../../src/tui/model.js';
import { palette } from '../../src/tui/palette.js';
import { Sources } from '../../src/tui/sources.js';
import {
  type ExportFormat,
  initialState,
  type KeyEvent,
  reduce,
  type TuiState,
} from '../../src/tui/state.js';

/** Path of the reference-incident Analysis fixture. */
export const FIXTURE = fileURLToPath(new URL('./fixtures/reference-analysis.json', import.meta.url));

/** The reference Analysis, validated. */
export function loadFixture(): Analysis {
  return Analysis.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));
}

/** Sources over an Analysis (colour off unless asked). */
export function sourcesOf(a: Analysis = loadFixture(), colour = false): Sources {
  return new Sources(new TuiModel(a), palette(!colour, {}));
}

/** Drive the reducer with a list of keys (`j`, `enter`, `esc`, `tab`, …; other strings are typed). */
export function drive(src: Sources, keys: (string | KeyEvent)[], s?: TuiState): TuiState {
  let st = s ?? initialState(100, 30, false);
  for (const k of keys) st = reduce(st, typeof k === 'string' ? keyOf(k) : k, src);
  return st;
}

const NAMED = new Set([
  'enter',
  'esc',
  'back',
  'tab',
  'backtab',
  'up',
  'down',
  'pgup',
  'pgdn',
  'home',
  'end',
  'ctrlc',
]);

/** A key name or a typed character as a KeyEvent. */
export function keyOf(k: string): KeyEvent {
  return NAMED.has(k) ? ({ kind: k } as KeyEvent) : { kind: 'char', ch: k };
}

/** Terminal bytes for a key name. */
const BYTES: Record<string, string> = {
  enter: '\r',
  esc: '\u001b',
  back: '\u007f',
  tab: '\t',
  up: '\u001b[A',
  down: '\u001b[B',
  pgup: '\u001b[5~',
  pgdn: '\u001b[6~',
};

/** A fake terminal output of a fixed size that keeps every frame ink writes. */
export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

/** A fake terminal input: `write` delivers bytes the way a TTY in raw mode would. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode(_raw?: boolean) {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const mounted: { unmount(): void }[] = [];

/** Unmount every App rendered by renderApp. */
export function cleanup() {
  for (const m of mounted.splice(0)) m.unmount();
}

/** The App rendered at cols×rows; `press` sends keys and waits for the frame to settle. */
export function renderApp(
  cols: number,
  rows: number,
  a: Analysis = loadFixture(),
  onExport: (format: ExportFormat, path: string) => Promise<string> = async () => 'ok',
) {
  const src = sourcesOf(a);
  const stdout = new FakeStdout(cols, rows);
  const stdin = new FakeStdin();
  const inst = render(<App sources={src} onExport={onExport} canReport={true} cols={cols} rows={rows} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  mounted.push(inst);
  const r = { stdin, frames: stdout.frames, unmount: inst.unmount };
  const frame = () => (stdout.frames.at(-1) ?? '').replace(/\n$/, '');
  const settle = async () => {
    let last = -1;
    for (let i = 0; i < 100 && r.frames.length !== last; i++) {
      last = r.frames.length;
      await new Promise((res) => setTimeout(res, 15));
    }
  };
  return {
    ...r,
    frame,
    /** Send keys one at a time (names from BYTES or literal text) and wait for rendering. */
    async press(...keys: string[]) {
      for (const k of keys) {
        r.stdin.write(BYTES[k] ?? k);
        // A lone ESC is only flushed after ink's escape timeout.
        await settle();
      }
      await settle();
      return frame();
    },
    /** Wait until the frame contains a string (or time out). */
    async until(text: string, ms = 3000) {
      const t0 = Date.now();
      while (!frame().includes(text) && Date.now() - t0 < ms) await new Promise((res) => setTimeout(res, 15));
      return frame();
    },
  };
}
