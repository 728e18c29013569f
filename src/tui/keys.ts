/**
 * Turning terminal input into KeyEvents: ink's parsed keys, plus xterm SGR
 * mouse reports (`ESC [ < b ; x ; y M`) of which only the wheel is used.
 */
import type { Key } from 'ink';
import type { KeyEvent } from './state.js';

/** Turn on xterm mouse reporting (button events, SGR encoding). */
export const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';
/** Turn mouse reporting off again. */
export const MOUSE_OFF = '\u001b[?1006l\u001b[?1000l';

const SGR_MOUSE = /^\u001b?\[<(\d+);(\d+);(\d+)([mM])$/;

/** A wheel event from an SGR mouse report, null for other mouse events, undefined when not a mouse report. */
export function parseMouse(input: string): KeyEvent | null | undefined {
  const m = SGR_MOUSE.exec(input);
  if (!m) return undefined;
  const b = Number(m[1]);
  if (m[4] === 'M' && (b & 64) !== 0) return { kind: (b & 1) === 0 ? 'wheelup' : 'wheeldown' };
  return null;
}

/** Keys of a chunk of several plain characters (typed fast, pasted, or sent at once by tmux). */
function splitChunk(input: string): KeyEvent[] {
  const out: KeyEvent[] = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') out.push({ kind: 'enter' });
    else if (ch === '\t') out.push({ kind: 'tab' });
    else if (ch === '\u007f' || ch === '\b') out.push({ kind: 'back' });
    else if (ch === '\u0003') out.push({ kind: 'ctrlc' });
    else if (ch >= ' ') out.push({ kind: 'char', ch });
  }
  return out;
}

/** Map ink's (input, key) pair to KeyEvents (usually one; none when the key means nothing to the TUI). */
export function toKeyEvents(input: string, key: Key): KeyEvent[] {
  if (input.length > 1 && !input.includes('\u001b') && !input.startsWith('[')) return splitChunk(input);
  const ev = toKeyEvent(input, key);
  return ev ? [ev] : [];
}

/** Map ink's (input, key) pair to a KeyEvent; null when the key means nothing to the TUI. */
export function toKeyEvent(input: string, key: Key): KeyEvent | null {
  const mouse = parseMouse(input);
  if (mouse !== undefined) return mouse;
  if (key.ctrl && input === 'c') return { kind: 'ctrlc' };
  if (key.ctrl && input === 'u') return { kind: 'ctrlu' };
  if (key.upArrow) return { kind: 'up' };
  if (key.downArrow) return { kind: 'down' };
  if (key.leftArrow) return { kind: 'left' };
  if (key.rightArrow) return { kind: 'right' };
  if (key.pageUp) return { kind: 'pgup' };
  if (key.pageDown) return { kind: 'pgdn' };
  if (key.home) return { kind: 'home' };
  if (key.end) return { kind: 'end' };
  if (key.return) return { kind: 'enter' };
  if (key.tab) return { kind: key.shift ? 'backtab' : 'tab' };
  if (key.backspace || key.delete) return { kind: 'back' };
  if (key.escape) return { kind: 'esc' };
  if (key.ctrl || key.meta) return null;
  // Drop anything that still carries control characters, and unknown CSI sequences (ink strips their ESC).
  if (!input || /[\u0000-\u001f\u007f]/.test(input) || /^\[[0-9;?<>=]*[ -/]*[@-~]$/.test(input)) return null;
  return { kind: 'char', ch: input };
}
