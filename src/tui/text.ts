/**
 * Plain-text layout helpers for the TUI: every bundle string goes through
 * `safe` (displayText + tab/newline flattening) before it is measured, clipped
 * or padded, so a row never carries a control character and never wraps.
 */
import { hostPort } from '../netstate/ip.js';
import { displayText } from '../util/sanitize.js';

/** Neutralise a bundle string for one terminal row (controls escaped, tabs/newlines flattened). */
export function safe(s: string | undefined | null): string {
  if (!s) return '';
  return displayText(s).replace(/[\t\n\r]/g, ' ');
}

/** Clip to `w` columns with an ellipsis, or pad with spaces to exactly `w`. */
export function cell(s: string, w: number): string {
  if (w <= 0) return '';
  if (s.length > w) return w === 1 ? '…' : `${s.slice(0, w - 1)}…`;
  return s.length === w ? s : s + ' '.repeat(w - s.length);
}

/** Right-align in `w` columns (clipping from the left when too long). */
export function cellRight(s: string, w: number): string {
  if (w <= 0) return '';
  if (s.length > w) return `…${s.slice(s.length - w + 1)}`;
  return ' '.repeat(w - s.length) + s;
}

/** Word-wrap to lines of at most `w` columns (long words are hard-split). */
export function wrap(s: string, w: number): string[] {
  const out: string[] = [];
  if (w <= 0) return out;
  let line = '';
  for (const word of s.split(' ')) {
    let rest = word;
    while (rest.length > w) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= w) line += ` ${rest}`;
    else {
      out.push(line);
      line = rest;
    }
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

/** `HH:MM:SS.mmm` from an ISO timestamp (or the raw string when not ISO). */
export function clock(ts: string | undefined): string {
  if (!ts) return '';
  const t = ts.indexOf('T');
  return t > 0 ? ts.slice(t + 1, t + 13) : ts.slice(0, 12);
}

/** `YYYY-MM-DD` from an ISO timestamp. */
export function day(ts: string | undefined): string {
  if (!ts) return '';
  const t = ts.indexOf('T');
  return t > 0 ? ts.slice(0, t) : '';
}

/** Seconds between two ISO timestamps (millisecond precision), formatted `+1.234s`. */
export function span(a: string, b: string): string {
  const d = (Date.parse(b) - Date.parse(a)) / 1000;
  return Number.isFinite(d) ? `${d.toFixed(3)}s` : '';
}

/** `ip:port` (IPv6 bracketed). */
export function endpoint(e: { ip: string; port: number }): string {
  return hostPort(e.ip, e.port);
}
