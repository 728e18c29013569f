/**
 * Neutralising kept text cheaply. Most log lines hold nothing to neutralise, so the
 * line is tested once (control characters, and backslashes because JSON/logfmt
 * escapes can decode to control characters); when it is clean, every string cut
 * or decoded from it is kept as is, otherwise each goes through displayText.
 */
import { clip, displayText } from '../../../src/util/sanitize.js';

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\\]|\u2028|\u2029/;
let clean = false;

/**
 * Start a line: remember whether it needs neutralising. Returns true when it is clean.
 * `known` is the line reader's verdict when it has one (see parsers/text/lines.ts).
 */
export function beginLine(s: string, known?: boolean): boolean {
  clean = known === true || !UNSAFE.test(s);
  return clean;
}

/** True when the current line needs no neutralising (as beginLine found): it has no backslash. */
export function lineIsClean(): boolean {
  return clean;
}

/**
 * Text kept for display from the current line: clipped to `max`, neutralised unless
 * the line is clean. Decoded newlines become a visible `\n` so a record stays one line.
 */
export function disp(s: string, max: number): string {
  const t = s.length > max ? clip(s, max) : s;
  if (clean) return t;
  const d = displayText(t);
  return d.indexOf('\n') === -1 ? d : d.replace(/\n/g, '\\n');
}
