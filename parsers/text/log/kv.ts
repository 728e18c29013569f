/**
 * `key=value` scanning (logfmt, logrus, zerolog console fields), linear in the
 * input: every step advances, an unterminated quote ends the scan at end of line.
 *
 *   time="2020-08-31T14:08:16Z" level=debug msg="http: TLS handshake error …" providerName=docker
 *   └ key ┘└ quoted value ─────┘ └ bare value ┘
 */
import { disp, lineIsClean } from './display.js';

/** Longest value kept for a field (characters). */
export const MAX_FIELD = 4096;

/** One token: `key=value` (key set) or a bare word (key null). */
interface Token {
  key: string | null;
  value: string;
  start: number;
  end: number;
}

/** Characters allowed in a key: letters, digits, `_ . - @ /`. */
function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 64 ||
    c === 47
  );
}

/**
 * The keys scanLogfmt looks for, as constants when s[i, k) is one of them (compared
 * by identity afterwards, no substring cut); null for any other key.
 */
function knownKey(s: string, i: number, k: number): string | null {
  const n = k - i;
  switch (s.charCodeAt(i)) {
    case 116 /* t */:
      if (n === 4 && s.startsWith('time', i)) return 'time';
      if (n === 2 && s.charCodeAt(i + 1) === 115) return 'ts';
      return null;
    case 108 /* l */:
      if (n === 5 && s.startsWith('level', i)) return 'level';
      if (n === 3 && s.startsWith('lvl', i)) return 'lvl';
      return null;
    case 109 /* m */:
      if (n === 3 && s.startsWith('msg', i)) return 'msg';
      if (n === 7 && s.startsWith('message', i)) return 'message';
      return null;
    default:
      return null;
  }
}

/** Read the token starting at `i` (not a space) and ending before `end`. */
function readToken(s: string, i: number, end: number, t: Token): void {
  t.start = i;
  let k = i;
  while (k < end && isKeyChar(s.charCodeAt(k))) k++;
  if (k > i && k < end && s.charCodeAt(k) === 61 /* = */) {
    t.key = knownKey(s, i, k) ?? s.slice(i, k);
    const v = k + 1;
    if (s.charCodeAt(v) === 34 /* " */) {
      // Closing quote: the next `"` not preceded by an odd run of backslashes.
      let q = s.indexOf('"', v + 1);
      while (q !== -1 && q < end) {
        let b = 0;
        while (s.charCodeAt(q - 1 - b) === 92) b++;
        if ((b & 1) === 0) break;
        q = s.indexOf('"', q + 1);
      }
      if (q === -1 || q > end) q = end;
      const raw = s.slice(v + 1, q);
      t.value = lineIsClean() || raw.indexOf('\\') === -1 ? raw : unquote(raw);
      t.end = q < end ? q + 1 : end;
    } else {
      let q = s.indexOf(' ', v);
      if (q === -1 || q > end) q = end;
      t.value = s.slice(v, q);
      t.end = q;
    }
    return;
  }
  t.key = null;
  // s[i, k) holds no space: the word ends at the first space from k.
  let q = s.charCodeAt(k) === 32 ? k : s.indexOf(' ', k);
  if (q === -1 || q > end) q = end;
  t.value = '';
  t.end = q;
}

/** Undo Go `strconv.Quote` escapes (`\" \\ \n \t \r \xNN \uNNNN`); unknown escapes kept. */
export function unquote(raw: string): string {
  let out = '';
  let last = 0;
  for (let i = raw.indexOf('\\'); i !== -1 && i < raw.length - 1; i = raw.indexOf('\\', last)) {
    out += raw.slice(last, i);
    const c = raw[i + 1];
    let rep: string | null = null;
    let len = 2;
    if (c === '"' || c === '\\' || c === "'") rep = c;
    else if (c === 'n') rep = '\n';
    else if (c === 't') rep = '\t';
    else if (c === 'r') rep = '\r';
    else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      rep = String.fromCharCode(Number.parseInt(raw.slice(i + 2, i + 4), 16));
      len = 4;
    } else if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      rep = String.fromCharCode(Number.parseInt(raw.slice(i + 2, i + 6), 16));
      len = 6;
    }
    out += rep ?? raw.slice(i, i + 2);
    last = i + len;
  }
  return out + raw.slice(last);
}

/** Add a field, neutralised and clipped; `__proto__` is renamed so it stays data. */
export function putField(fields: Record<string, unknown>, key: string, value: string): void {
  fields[key === '__proto__' ? '_proto_' : disp(key, 128)] = disp(value, MAX_FIELD);
}

const tok: Token = { key: null, value: '', start: 0, end: 0 };

/** Result of a logfmt scan (reused: read it before the next scan). */
export interface Logfmt {
  /** `time` (or `ts`), `level` (or `lvl`), `msg` (or `message`): raw values, null when absent. */
  time: string | null;
  level: string | null;
  msg: string | null;
  /** Index where the next joined entry begins (a repeated `time=`), or `end`. */
  next: number;
  /** Number of bare words (not `key=value`). */
  bare: number;
}

const lf: Logfmt = { time: null, level: null, msg: null, next: 0, bare: 0 };

/**
 * Scan logfmt from `i` to `end`: time/level/msg into the result, every other key
 * into `fields` (neutralised). A second `time=` starts a new entry unless `split` is false.
 */
export function scanLogfmt(
  s: string,
  i: number,
  end: number,
  fields: Record<string, unknown>,
  split = true,
): Logfmt {
  lf.time = null;
  lf.level = null;
  lf.msg = null;
  lf.bare = 0;
  lf.next = end;
  let p = i;
  while (p < end) {
    while (p < end && s.charCodeAt(p) === 32) p++;
    if (p >= end) break;
    readToken(s, p, end, tok);
    const k = tok.key;
    if (k === null) lf.bare++;
    else if (k === 'time' || (k === 'ts' && lf.time === null)) {
      if (lf.time === null) lf.time = tok.value;
      else if (split) {
        lf.next = tok.start;
        return lf;
      } else putField(fields, k, tok.value);
    } else if ((k === 'level' || k === 'lvl') && lf.level === null) lf.level = tok.value;
    else if ((k === 'msg' || k === 'message') && lf.msg === null) lf.msg = tok.value;
    else putField(fields, k, tok.value);
    p = tok.end > p ? tok.end : p + 1;
  }
  return lf;
}

/**
 * Split `message key=value key2="v 2"` at the start of the trailing run of
 * `key=value` tokens; fields go into `fields` (neutralised). Returns the message end.
 */
export function trailingFields(s: string, i: number, end: number, fields: Record<string, unknown>): number {
  const eq = s.indexOf('=', i);
  if (eq === -1 || eq >= end) return end;
  let run = -1;
  let p = i;
  while (p < end) {
    while (p < end && s.charCodeAt(p) === 32) p++;
    if (p >= end) break;
    readToken(s, p, end, tok);
    if (tok.key === null) run = -1;
    else if (run === -1) run = tok.start;
    p = tok.end > p ? tok.end : p + 1;
  }
  if (run === -1 || run === i) {
    // A message made only of key=value pairs is all fields.
    if (run === i) collect(s, run, end, fields);
    return run === i ? i : end;
  }
  collect(s, run, end, fields);
  let m = run;
  while (m > i && s.charCodeAt(m - 1) === 32) m--;
  return m;
}

/** Put every `key=value` of s[i, end) into fields. */
function collect(s: string, i: number, end: number, fields: Record<string, unknown>): void {
  let p = i;
  while (p < end) {
    while (p < end && s.charCodeAt(p) === 32) p++;
    if (p >= end) break;
    readToken(s, p, end, tok);
    if (tok.key !== null) putField(fields, tok.key, tok.value);
    p = tok.end > p ? tok.end : p + 1;
  }
}
