/**
 * The shared per-line classifier of the log formats (traefik, go-log, access-log).
 * Real proxy logs mix line kinds in one file, so every log format parses every kind
 * the same way; the formats differ only in what their sniff calls "mostly theirs".
 *
 *   [container prefixes]  entry header             message / fields
 *   ─────────────────────  ───────────────────────  ──────────────────────────────
 *   [pod/traefik-x/traefik] 2024-05-01T10:00:00.1Z  time="…" level=debug msg="…"
 *   traefik.1.ab@node-1 |                           INFO[0000] Configuration loaded  k=v
 *   traefik-x traefik (stern)                       2024-05-01T10:00:00Z DBG a.go:245 > msg k=v
 *                                                   2017/08/03 09:39:51 server.go:2753: http: TLS …
 *                                                   I0803 09:39:51.123456  1 log.go:184] http: TLS …
 *                                                   {"level":"info","msg":"…","time":"…"}
 *                                                   10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / …
 *
 * Records: a TLS handshake error becomes a `tls-handshake-error` (one per entry, not
 * also a `log`), an access line an `access`, any other entry a `log`. Several entries
 * joined on one physical line become one record each. Unrecognised non-blank lines
 * are `log` records with level null (continuations, stack traces, free text) unless
 * they look binary (NUL, or more than 10% control / replacement characters), which
 * is an issue. Timestamps: an entry's own zoned time wins (the container prefix time,
 * `--timestamps` or `docker logs -t`, when it only adds the fraction of that second),
 * then the prefix time, then the entry's naive time read in ctx.tz.
 */

import type { TlsHandshakeErrorRecord } from '../../../src/model/records/index.js';
import { stripAnsi } from '../../../src/util/sanitize.js';
import type { TextSink } from '../../types.js';
import { ACCESS_OWN, accessFromJson, isAccessJson, parseClf } from './access.js';
import { beginLine, disp } from './display.js';
import { MAX_FIELD, putField, scanLogfmt, trailingFields, unquote } from './kv.js';
import { isDigit, isDigits, isoFromEpochNumber, type TsHit, TsReader } from './time.js';
import { classifyTls, findTlsMarker, TLS_MARKER } from './tls.js';

/** What a line turned out to be; sniffing weighs these per format. */
export type LineKind =
  | 'blank'
  | 'binary'
  | 'text'
  | 'bare-tls'
  | 'go-std'
  | 'klog'
  | 'logfmt'
  | 'logrus-tty'
  | 'console'
  | 'json-log'
  | 'json-traefik'
  | 'access-json'
  | 'access-clf'
  | 'access-combined'
  | 'access-traefik';

/** Every line kind, for schemas and tests. */
export const LINE_KINDS: readonly LineKind[] = [
  'blank',
  'binary',
  'text',
  'bare-tls',
  'go-std',
  'klog',
  'logfmt',
  'logrus-tty',
  'console',
  'json-log',
  'json-traefik',
  'access-json',
  'access-clf',
  'access-combined',
  'access-traefik',
];

/** Longest text kept for `message` and `text` (characters); longer is clipped with `…`. */
export const MAX_TEXT = 16384;
/** Most entries split out of one physical line; the rest stays in the last entry. */
export const MAX_ENTRIES = 4096;

/** Per-file parse state. */
export interface LogState {
  file: string;
  ts: TsReader;
  /** When sniffing: no records are built, only kinds (and Traefik markers) computed. */
  sniffing: boolean;
}

/** New state for one file. */
export function createLogState(file: string, tz: string, year?: number, sniffing = false): LogState {
  return { file, ts: new TsReader(tz, year), sniffing };
}

/** What container wrappers added in front of the entry. */
interface Prefix {
  iso: string | null;
  tsText: string | null;
  fields: Record<string, string> | null;
}

/** One log entry, before it becomes a record. */
interface Entry {
  iso: string | null;
  /** True when `iso` came from a zoned timestamp (it then beats a prefix time). */
  zoned: boolean;
  tsText: string | null;
  level: string | null;
  /** Message text (raw: neutralised when the record is built). */
  message: string;
  fields: Record<string, unknown>;
  /** Physical text of the entry, for `text`: src[rs, re), trailing space dropped when `trim` (cut only when needed). */
  src: string;
  rs: number;
  re: number;
  trim: boolean;
}

const LEVELS: Record<string, string> = {
  trace: 'trace',
  trc: 'trace',
  trac: 'trace',
  debug: 'debug',
  dbg: 'debug',
  debu: 'debug',
  d: 'debug',
  info: 'info',
  inf: 'info',
  i: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  w: 'warn',
  error: 'error',
  err: 'error',
  erro: 'error',
  e: 'error',
  fatal: 'fatal',
  ftl: 'fatal',
  fata: 'fatal',
  f: 'fatal',
  panic: 'panic',
  pnc: 'panic',
  pani: 'panic',
  dpanic: 'panic',
};

/** Normalise a level name (`DBG`, `DEBU`, `debug` → `debug`); unknown names kept lowercased. */
export function normalizeLevel(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  if (raw === lastLevelRaw) return lastLevel;
  const l = raw.toLowerCase();
  const v = LEVELS[l] ?? disp(l, 32);
  if (v === LEVELS[l]) {
    lastLevelRaw = raw;
    lastLevel = v;
  }
  return v;
}
let lastLevelRaw = '';
let lastLevel: string | null = null;

/** zerolog console level abbreviations (Traefik v3). */
const CONSOLE_LEVELS = ['TRC', 'DBG', 'INF', 'WRN', 'ERR', 'FTL', 'PNC', '???'];
/** The same, each as its three character codes in one number. */
const CONSOLE_CODES = CONSOLE_LEVELS.map(
  (l) => (l.charCodeAt(0) << 16) | (l.charCodeAt(1) << 8) | l.charCodeAt(2),
);
/** logrus TTY level words. */
const TTY_LEVELS = new Set(['TRAC', 'DEBU', 'INFO', 'WARN', 'ERRO', 'FATA', 'PANI']);
/** JSON keys that mark a log entry as Traefik's (sniffing only). */
const TRAEFIK_KEYS = ['providerName', 'routerName', 'entryPointName', 'serviceName', 'middlewareName'];

/** Keep a string for display: clipped, control characters neutralised. */
function keep(s: string): string {
  return disp(s, MAX_TEXT);
}

/** Neutralise a JSON value for `fields`: strings clipped, depth and width bounded. */
function cleanValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return disp(v, MAX_FIELD);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= 4) return '[…]';
  if (Array.isArray(v)) {
    const n = Math.min(v.length, 64);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = cleanValue(v[i], depth + 1);
    return out;
  }
  return cleanObject(v as Record<string, unknown>, null, depth + 1);
}

/** Copy an object's keys (at most 128) except `skip`, values neutralised. */
function cleanObject(
  o: Record<string, unknown>,
  skip: ReadonlySet<string> | null,
  depth = 0,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const k in o) {
    if (skip?.has(k)) continue;
    if (++n > 128) break;
    out[k === '__proto__' ? '_proto_' : disp(k, 128)] = cleanValue(o[k], depth);
  }
  return out;
}

/**
 * Parse one physical line: classify it, and (unless sniffing) send its records
 * (or an issue) to `out`. Returns the kind of the line (of its first entry).
 */
export function parseLogLine(
  line: string,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  known?: boolean,
): LineKind {
  let s = line;
  const clean = beginLine(line, known);
  if (!clean && s.indexOf('\x1b') !== -1) s = stripAnsi(s);
  let p = 0;
  while (p < s.length && (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9)) p++;
  if (p === s.length) return 'blank';
  if (!clean && s.indexOf('\r') !== -1) {
    // Entries joined by bare carriage returns: each segment is parsed on its own.
    let kind: LineKind = 'blank';
    for (const seg of s.split('\r', MAX_ENTRIES)) {
      const k = parseLogLine(seg, lineNo, st, out);
      if (kind === 'blank') kind = k;
    }
    return kind;
  }
  const pre: Prefix = { iso: null, tsText: null, fields: null };
  peekAt = -1;
  p = peel(s, p, st, pre);
  let kind = parseAt(s, p, lineNo, st, out, pre);
  if (kind === 'text') {
    // stern: `pod container message`; accepted only when the rest is a known entry.
    const q = sternPrefix(s, p);
    if (q !== -1) {
      const sp = s.indexOf(' ', p);
      const pod = s.slice(p, sp);
      const pre2: Prefix = { iso: null, tsText: null, fields: { pod, container: s.slice(sp + 1, q - 1) } };
      const q2 = peel(s, q, st, pre2);
      const k = parseAt(s, q2, lineNo, st, null, pre2);
      if (k !== 'text' && k !== 'binary') {
        kind = parseAt(s, q2, lineNo, st, out, pre2);
        return kind;
      }
    }
    if (findTlsMarker(s, p) !== -1) return bareTls(s, p, lineNo, st, out, pre);
    return textLine(s, p, lineNo, st, out, pre);
  }
  return kind;
}

/** A console entry's time read by peel at `peekAt` (reset per line). */
let peekAt = -1;
let peekHit: TsHit | null = null;

/** Strip container prefixes at `p` (kubectl --prefix/--timestamps, docker -t, docker service logs). */
function peel(s: string, p: number, st: LogState, pre: Prefix): number {
  for (let n = 0; n < 4; n++) {
    const c = s.charCodeAt(p);
    if (c === 91 /* [ */ && s.startsWith('[pod/', p)) {
      const close = s.indexOf('] ', p);
      if (close === -1 || close - p > 512) break;
      const parts = s.slice(p + 5, close).split('/');
      pre.fields = { ...pre.fields, pod: disp(parts[0], 256) };
      if (parts[1]) pre.fields.container = disp(parts[1], 256);
      p = close + 2;
      continue;
    }
    if (isDigit(c)) {
      const h = st.ts.rfc3339(s, p);
      if (h && s.charCodeAt(h.end) === 32 && consoleLevelAt(s, h.end + 1)) {
        peekAt = p; // a console entry, not a prefix: parseAt reuses the time
        peekHit = h;
        break;
      }
      if (h && s.charCodeAt(h.end) === 32) {
        pre.iso = h.iso;
        pre.tsText = s.slice(p, h.end);
        p = h.end + 1;
        continue;
      }
    }
    // docker service logs / docker compose: `name.1.id@node    | message`
    if (!nameChar(c)) break;
    const sp = s.indexOf(' ', p);
    if (sp > p && sp - p <= 256) {
      let q = sp;
      while (s.charCodeAt(q) === 32) q++;
      if (
        s.charCodeAt(q) === 124 /* | */ &&
        (q + 1 === s.length || s.charCodeAt(q + 1) === 32) &&
        nameToken(s, p, sp)
      ) {
        pre.fields = { ...pre.fields, service: disp(s.slice(p, sp), 256) };
        p = Math.min(q + 2, s.length);
        continue;
      }
    }
    break;
  }
  return p;
}

/**
 * True when s[i, j) names a container or task the way docker prints it: a swarm
 * task (`web_web.1.q6xk3x8c2x1p@node-1`, has `@`) or a compose replica (`web-1`,
 * `web_1`: ends in a separator and digits). Plain words are not prefixes.
 */
function nameToken(s: string, i: number, j: number): boolean {
  let at = false;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    if (!nameChar(c)) return false;
    if (c === 64) at = true;
  }
  if (j <= i) return false;
  if (at) return true;
  let d = j;
  while (d > i && isDigit(s.charCodeAt(d - 1))) d--;
  const sep = s.charCodeAt(d - 1);
  return d < j && d - 1 > i && (sep === 45 || sep === 95);
}

/** Characters of a docker container or task name: letters, digits, `_ . @ -`. */
function nameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    isDigit(c) ||
    c === 95 ||
    c === 46 ||
    c === 64 ||
    c === 45
  );
}

/** stern prefix `pod container ` at p: returns where the message starts, or -1. */
function sternPrefix(s: string, p: number): number {
  const a = s.indexOf(' ', p);
  if (a === -1 || a - p > 253 || !dnsName(s, p, a)) return -1;
  const b = s.indexOf(' ', a + 1);
  if (b === -1 || b - a > 64 || !dnsName(s, a + 1, b)) return -1;
  return b + 1;
}

/** Lowercase DNS-label-ish name (pods, containers). */
function dnsName(s: string, i: number, j: number): boolean {
  if (j <= i) return false;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    if (!((c >= 97 && c <= 122) || isDigit(c) || c === 45 || c === 46)) return false;
  }
  return true;
}

/** True when a zerolog console level (`DBG `) starts at i. */
function consoleLevelAt(s: string, i: number): boolean {
  if (!(s.length === i + 3 || s.charCodeAt(i + 3) === 32)) return false;
  // Compared as one number (three character codes), not cut out and looked up.
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  if ((a | b | c) > 0xff) return false;
  const code = (a << 16) | (b << 8) | c;
  for (let k = 0; k < CONSOLE_CODES.length; k++) if (CONSOLE_CODES[k] === code) return true;
  return false;
}

/** Classify and parse the entry (or entries) starting at p. `quiet` = classify only. */
function parseAt(
  s: string,
  p: number,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (p >= s.length) return 'text';
  const c = s.charCodeAt(p);
  if (c === 123 /* { */) return jsonLine(s, p, lineNo, st, out, pre);
  if (isDigit(c)) {
    const g = st.ts.goStd(s, p);
    if (g) return goStdLine(s, p, g, lineNo, st, out, pre);
    const r = peekAt === p ? peekHit : st.ts.rfc3339(s, p);
    if (r && s.charCodeAt(r.end) === 32 && consoleLevelAt(s, r.end + 1))
      return consoleLine(s, p, r, lineNo, st, out, pre);
  }
  if ((c === 73 || c === 87 || c === 69 || c === 70) /* I W E F */ && isDigit(s.charCodeAt(p + 1))) {
    const k = klogHeader(s, p, st);
    if (k) return klogLine(s, p, k, lineNo, st, out, pre);
  }
  if (
    (c === 116 /* t */ && (s.startsWith('time=', p) || s.startsWith('ts=', p))) ||
    (c === 108 /* l */ && s.startsWith('level=', p)) ||
    (c === 109 /* m */ && s.startsWith('msg=', p))
  )
    return logfmtLine(s, p, lineNo, st, out, pre);
  if (c >= 65 && c <= 90 && s.charCodeAt(p + 4) === 91 && TTY_LEVELS.has(s.slice(p, p + 4)))
    return ttyLine(s, p, lineNo, st, out, pre);
  const acc = parseClf(s, p, st.ts, { file: st.file, line: lineNo, text: out ? keep(s) : '' });
  if (acc) {
    if (out) {
      if (acc.rec.ts === null && pre.iso) acc.rec.ts = pre.iso;
      out.record(acc.rec);
    }
    return acc.kind;
  }
  return 'text';
}

/** Unrecognised non-blank text: a `log` record with level null, or an issue when binary. */
function textLine(
  s: string,
  p: number,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (looksBinary(s)) {
    out?.issue(lineNo, 'binary-line', 'line looks like binary data, not log text');
    return 'binary';
  }
  if (out) {
    const e: Entry = {
      iso: null,
      zoned: false,
      tsText: null,
      level: null,
      message: s.slice(p),
      fields: {},
      src: s,
      rs: 0,
      re: s.length,
      trim: false,
    };
    emit(e, lineNo, st, out, pre);
  }
  return 'text';
}

/** NUL anywhere, or more than 10% control/replacement characters in the first 4 KiB. */
function looksBinary(s: string): boolean {
  const n = Math.min(s.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) bad++;
  }
  return bad * 10 > n;
}

/** True when ISO time `fine` is within the whole second `coarse` names (no fraction of its own). */
function refines(fine: string, coarse: string): boolean {
  return coarse.endsWith('.000000000Z') && fine.slice(0, 19) === coarse.slice(0, 19);
}

/** Build and send the record(s) of one entry. */
function emit(e: Entry, lineNo: number, st: LogState, out: TextSink, pre: Prefix): void {
  let iso = e.iso;
  let tsText = e.tsText;
  // The container's time stands in for a naive one, and refines a whole-second one it agrees
  // with (Traefik's `time="…Z"` against kubectl's nanoseconds): captures are matched to the
  // sub-second.
  if (pre.iso && (!(iso && e.zoned) || refines(pre.iso, iso as string))) {
    iso = pre.iso;
    tsText = pre.tsText;
  }
  const m = e.message;
  let at = findTlsMarker(m, 0);
  if (at !== -1) {
    // One record per handshake error; several in one message are joined entries.
    let n = 0;
    while (at !== -1) {
      let next = findTlsMarker(m, at + TLS_MARKER.length);
      if (++n >= MAX_ENTRIES) next = -1;
      let end = next === -1 ? m.length : next;
      if (next !== -1 && m.startsWith('http: ', next - 6)) end = next - 6;
      const start = m.startsWith('http: ', at - 6) ? at - 6 : at;
      const info = classifyTls(m, at, end);
      const rec: TlsHandshakeErrorRecord = {
        type: 'tls-handshake-error',
        file: st.file,
        line: lineNo,
        ts: iso,
        client: endpoint(info),
        side: info.side,
        cause: info.cause,
        text: keep(m.slice(start, end).trimEnd()),
        tsText: tsText ? disp(tsText, 64) : undefined,
      };
      // Set after, not spread into the literal: a conditional spread is slow on this hot path.
      if (info.server) rec.server = endpoint(info.server);
      out.record(rec);
      at = next;
    }
    return;
  }
  const fields = e.fields;
  if (pre.fields) for (const k in pre.fields) if (!(k in fields)) fields[k] = pre.fields[k];
  out.record({
    type: 'log',
    file: st.file,
    line: lineNo,
    text: keep(e.trim ? e.src.slice(e.rs, e.re).trimEnd() : e.src.slice(e.rs, e.re)),
    ts: iso,
    level: e.level,
    message: keep(m),
    fields,
    tsText: tsText ? disp(tsText, 64) : undefined,
  });
}

/** A record endpoint: the port only when there is one. */
function endpoint(e: { ip: string | null; port: number | undefined }): { ip: string | null; port?: number } {
  return e.port === undefined ? { ip: e.ip } : { ip: e.ip, port: e.port };
}

/** Go `log`: `2017/08/03 09:39:51[.us] [file.go:123: ]message`, possibly several joined. */
function goStdLine(
  s: string,
  p: number,
  g: TsHit,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (!out) return 'go-std';
  let start = p;
  let hit: TsHit | null = g;
  let n = 0;
  while (hit) {
    // Find the next header of the same shape: `YYYY/MM/DD HH:MM:SS` (anchored on its `/`).
    let next = -1;
    let nextHit: TsHit | null = null;
    let slash = ++n < MAX_ENTRIES ? s.indexOf('/', hit.end) : -1;
    while (slash !== -1) {
      if (slash >= 4) {
        const h = st.ts.goStd(s, slash - 4);
        if (h) {
          next = slash - 4;
          nextHit = h;
          break;
        }
      }
      slash = s.indexOf('/', slash + 1);
    }
    const end = next === -1 ? s.length : next;
    let m = hit.end;
    if (s.charCodeAt(m) === 32) m++;
    const fields: Record<string, unknown> = {};
    const cl = callerEnd(s, m, end);
    if (cl !== -1) {
      putField(fields, 'caller', s.slice(m, cl - 1));
      m = cl + 1;
    }
    emit(
      {
        iso: hit.iso,
        zoned: false,
        tsText: s.slice(start, hit.end),
        level: null,
        message: s.slice(Math.min(m, end), end).trimEnd(),
        fields,
        src: s,
        rs: start,
        re: end,
        trim: false,
      },
      lineNo,
      st,
      out,
      pre,
    );
    start = next;
    hit = nextHit;
  }
  return 'go-std';
}

/** `file.go:123:` at m (Go log Lshortfile/Llongfile): returns the index of the final `:` + 1, else -1. */
function callerEnd(s: string, m: number, end: number): number {
  const sp = s.indexOf(' ', m);
  if (sp === -1 || sp > end || sp - m > 512 || s.charCodeAt(sp - 1) !== 58) return -1;
  const tok = s.slice(m, sp - 1);
  const c = tok.lastIndexOf(':');
  if (c <= 3 || !tok.endsWith('.go', c) || !isDigits(tok, c + 1, tok.length - c - 1) || c + 1 === tok.length)
    return -1;
  return sp;
}

/** zerolog console (Traefik v3): `2024-05-01T10:00:00Z DBG file.go:245 > message key=value`. */
function consoleLine(
  s: string,
  p: number,
  r: TsHit,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (!out) return 'console';
  const level = normalizeLevel(s.slice(r.end + 1, r.end + 4));
  let m = r.end + 5;
  const fields: Record<string, unknown> = {};
  if (s.startsWith('> ', m)) m += 2;
  else {
    const sp = s.indexOf(' ', m);
    if (sp !== -1 && s.startsWith(' > ', sp) && sp - m < 512) {
      putField(fields, 'caller', s.slice(m, sp));
      m = sp + 3;
    }
  }
  const end = trailingFields(s, m, s.length, fields);
  emit(
    {
      iso: r.iso,
      zoned: true,
      tsText: s.slice(p, r.end),
      level,
      message: s.slice(Math.min(m, end), end),
      fields,
      src: s,
      rs: p,
      re: s.length,
      trim: false,
    },
    lineNo,
    st,
    out,
    pre,
  );
  return 'console';
}

/** klog header `I0803 09:39:51.123456   12345 file.go:123] `: returns the time and message start. */
function klogHeader(s: string, p: number, st: LogState): { hit: TsHit; msg: number; caller: string } | null {
  const h = st.ts.klog(s, p + 1);
  if (!h || s.charCodeAt(h.end) !== 32) return null;
  let q = h.end;
  while (s.charCodeAt(q) === 32) q++;
  const t0 = q;
  while (isDigit(s.charCodeAt(q))) q++;
  if (q === t0 || s.charCodeAt(q) !== 32) return null;
  const close = s.indexOf('] ', q + 1);
  const close2 = close === -1 && s.endsWith(']') ? s.length - 1 : close;
  if (close2 === -1 || close2 - q > 512) return null;
  const caller = s.slice(q + 1, close2);
  if (caller.indexOf(' ') !== -1 || caller.indexOf(':') === -1) return null;
  return { hit: h, msg: Math.min(close2 + 2, s.length), caller };
}

/** klog: level letter, date, thread id, caller; message may be klog-structured (`"msg" k="v"`). */
function klogLine(
  s: string,
  p: number,
  k: { hit: TsHit; msg: number; caller: string },
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (!out) return 'klog';
  const fields: Record<string, unknown> = {};
  putField(fields, 'caller', k.caller);
  let message: string;
  if (s.charCodeAt(k.msg) === 34) {
    const q = quotedEnd(s, k.msg);
    if (s.charCodeAt(q + 1) === 61 /* = */) message = logrPairs(s, k.msg, fields);
    else {
      message = unquote(s.slice(k.msg + 1, Math.min(q, s.length)));
      if (q + 1 < s.length) trailingFields(s, q + 1, s.length, fields);
    }
  } else message = s.slice(k.msg);
  emit(
    {
      iso: k.hit.iso,
      zoned: false,
      tsText: s.slice(p + 1, k.hit.end),
      level: normalizeLevel(s[p]),
      message,
      fields,
      src: s,
      rs: p,
      re: s.length,
      trim: false,
    },
    lineNo,
    st,
    out,
    pre,
  );
  return 'klog';
}

/** Index of the quote closing the `"…"` string at `i` (backslash escapes honoured), or s.length. */
function quotedEnd(s: string, i: number): number {
  let q = i + 1;
  while (q < s.length && s.charCodeAt(q) !== 34) q += s.charCodeAt(q) === 92 ? 2 : 1;
  return Math.min(q, s.length);
}

/** logr via klog: `"msg"="syncing item" "key"="default/web" "n"=3`; returns msg, the rest go to fields. */
function logrPairs(s: string, i: number, fields: Record<string, unknown>): string {
  let message = '';
  let p = i;
  while (p < s.length && s.charCodeAt(p) === 34) {
    const kq = quotedEnd(s, p);
    if (s.charCodeAt(kq + 1) !== 61) break;
    const key = unquote(s.slice(p + 1, kq));
    let v = kq + 2;
    let value: string;
    if (s.charCodeAt(v) === 34) {
      const vq = quotedEnd(s, v);
      value = unquote(s.slice(v + 1, vq));
      v = vq + 1;
    } else {
      let e = s.indexOf(' ', v);
      if (e === -1) e = s.length;
      value = s.slice(v, e);
      v = e;
    }
    if (key === 'msg' && message === '') message = value;
    else putField(fields, key, value);
    p = v;
    while (s.charCodeAt(p) === 32) p++;
  }
  return message;
}

/** logrus text (Traefik v1/v2): `time="…" level=debug msg="…" key=value`; a repeated `time=` starts a new entry. */
function logfmtLine(
  s: string,
  p: number,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  let start = p;
  let n = 0;
  let first = true;
  while (start < s.length) {
    const fields: Record<string, unknown> = {};
    const lf = scanLogfmt(s, start, s.length, fields, n < MAX_ENTRIES - 1);
    if (first && lf.level === null && lf.msg === null) return 'text';
    first = false;
    if (!out) return 'logfmt';
    let iso: string | null = null;
    let zoned = false;
    let tsText: string | null = null;
    const tv = lf.time;
    if (tv !== null) {
      const h = st.ts.rfc3339(tv, 0, true);
      if (h) {
        iso = h.iso;
        zoned = h.zoned;
        tsText = tv;
      } else putField(fields, 'time', tv);
    }
    const level = normalizeLevel(lf.level);
    const message = lf.msg ?? '';
    const end = lf.next;
    emit(
      { iso, zoned, tsText, level, message, fields, src: s, rs: start, re: end, trim: true },
      lineNo,
      st,
      out,
      pre,
    );
    if (end >= s.length) break;
    n++;
    start = end;
  }
  return 'logfmt';
}

/** logrus TTY: `INFO[0000] message   key=value` (bracket: seconds since start, or a timestamp). */
function ttyLine(
  s: string,
  p: number,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  const close = s.indexOf(']', p + 5);
  if (close === -1 || close - p > 64) return 'text';
  if (!out) return 'logrus-tty';
  const inner = s.slice(p + 5, close);
  const fields: Record<string, unknown> = {};
  let iso: string | null = null;
  let zoned = false;
  let tsText: string | null = null;
  if (isDigits(inner, 0, inner.length)) fields.uptime = Number(inner);
  else {
    const h = st.ts.rfc3339(inner, 0, true);
    if (h) {
      iso = h.iso;
      zoned = h.zoned;
      tsText = inner;
    }
  }
  let m = close + 1;
  while (s.charCodeAt(m) === 32) m++;
  const end = trailingFields(s, m, s.length, fields);
  emit(
    {
      iso,
      zoned,
      tsText,
      level: normalizeLevel(s.slice(p, p + 4)),
      message: s.slice(Math.min(m, end), end).trimEnd(),
      fields,
      src: s,
      rs: p,
      re: s.length,
      trim: false,
    },
    lineNo,
    st,
    out,
    pre,
  );
  return 'logrus-tty';
}

/** Keys read as the entry's level, time and message (first present wins). */
const J_LEVEL = ['level', 'lvl', 'severity'];
const J_TIME = ['time', '@timestamp', 'ts', 'timestamp', 't'];
const J_MSG = ['msg', 'message'];
const J_OWN = new Set([...J_LEVEL, ...J_TIME, ...J_MSG]);

/** JSON log or access entry; `}{`-joined objects are split. Unparseable JSON is text. */
function jsonLine(
  s: string,
  p: number,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  const body = p === 0 ? s : s.slice(p);
  let o: unknown;
  try {
    o = JSON.parse(body);
  } catch {
    const parts = splitJoinedJson(body);
    if (parts.length < 2) return 'text';
    let kind: LineKind = 'text';
    for (const part of parts) {
      let v: unknown;
      try {
        v = JSON.parse(part);
      } catch {
        v = undefined;
      }
      const k =
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? jsonEntry(v as Record<string, unknown>, part, lineNo, st, out, pre)
          : out
            ? textLine(part, 0, lineNo, st, out, pre)
            : 'text';
      if (kind === 'text') kind = k;
    }
    return kind;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'text';
  return jsonEntry(o as Record<string, unknown>, body, lineNo, st, out, pre);
}

/** Time candidates of the current JSON entry, in J_TIME order (reused). */
const TIMES: unknown[] = [undefined, undefined, undefined, undefined, undefined];

/** One parsed JSON object: access entry or log entry. */
function jsonEntry(
  o: Record<string, unknown>,
  raw: string,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (isAccessJson(o)) {
    if (out) {
      const origin = { file: st.file, line: lineNo, text: keep(raw) };
      out.record(accessFromJson(o, st.ts, cleanObject(o, ACCESS_OWN), origin, pre.iso));
    }
    return 'access-json';
  }
  // The first present of J_LEVEL and of J_MSG (read one by one: no loop per line).
  let lv = o.level;
  if (lv === undefined) lv = o.lvl;
  if (lv === undefined) lv = o.severity;
  let mv = o.msg;
  if (mv === undefined) mv = o.message;
  if (lv === undefined && mv === undefined) return 'text';
  if (st.sniffing) {
    for (const k of TRAEFIK_KEYS) if (k in o) return 'json-traefik';
    if (typeof mv === 'string' && /traefik/i.test(mv.slice(0, 512))) return 'json-traefik';
    return 'json-log';
  }
  if (!out) return 'json-log';
  const times = TIMES; // J_TIME order
  times[0] = o.time;
  times[1] = o['@timestamp'];
  times[2] = o.ts;
  times[3] = o.timestamp;
  times[4] = o.t;
  jsonLog(lv, mv, times, cleanObject(o, J_OWN), raw, lineNo, st, out, pre);
  return 'json-log';
}

/** Emit a JSON log entry: level and message values, time candidates in J_TIME order, the other members. */
function jsonLog(
  lv: unknown,
  mv: unknown,
  times: readonly unknown[],
  fields: Record<string, unknown>,
  raw: string,
  lineNo: number,
  st: LogState,
  out: TextSink,
  pre: Prefix,
): void {
  let iso: string | null = null;
  let zoned = false;
  let tsText: string | null = null;
  for (let i = 0; i < times.length; i++) {
    const v = times[i];
    if (v === undefined) continue;
    if (typeof v === 'string') {
      const h = st.ts.rfc3339(v, 0, true);
      if (h) {
        iso = h.iso;
        zoned = h.zoned;
        tsText = v;
        break;
      }
    } else if (typeof v === 'number') {
      iso = isoFromEpochNumber(v);
      if (iso) {
        zoned = true;
        tsText = String(v);
        break;
      }
    }
  }
  const message = typeof mv === 'string' ? mv : mv === undefined ? '' : (JSON.stringify(mv) ?? '');
  const level = normalizeLevel(lv);
  emit(
    { iso, zoned, tsText, level, message, fields, src: raw, rs: 0, re: raw.length, trim: false },
    lineNo,
    st,
    out,
    pre,
  );
}

/** Split `{…}{…}` / `{…} {…}` at top-level object boundaries (string-aware, linear). */
export function splitJoinedJson(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inStr = false;
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 125 && depth > 0) {
      depth--;
      if (depth === 0) {
        parts.push(s.slice(start, i + 1));
        if (parts.length >= MAX_ENTRIES - 1 && i + 1 < s.length) {
          parts.push(s.slice(i + 1)); // the rest stays one (unparseable) entry
          return parts;
        }
      }
    } else if (depth === 0 && c !== 32 && c !== 9) return [];
  }
  return depth === 0 ? parts : [];
}

/** A line whose only structure is the TLS marker (no header): split at each marker. */
function bareTls(
  s: string,
  p: number,
  lineNo: number,
  st: LogState,
  out: TextSink | null,
  pre: Prefix,
): LineKind {
  if (out)
    emit(
      {
        iso: null,
        zoned: false,
        tsText: null,
        level: null,
        message: s.slice(p),
        fields: {},
        src: s,
        rs: p,
        re: s.length,
        trim: false,
      },
      lineNo,
      st,
      out,
      pre,
    );
  return 'bare-tls';
}
