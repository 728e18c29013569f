/**
 * Access-log lines: NCSA common/combined and Traefik's CLF, scanned with indexOf
 * (no regex), and Traefik's JSON access log mapped onto the `access` record.
 *
 *   10.0.0.1 - bob [01/May/2024:10:00:00 +0000] "GET /api HTTP/1.1" 200 1234   ← common
 *     … "https://ref/" "curl/8.5.0"                                            ← combined
 *     … 42 "web-router@docker" "http://10.42.0.7:8080" 3ms                     ← Traefik
 *
 * `-` stands for a missing value everywhere.
 */
import type { AccessRecord } from '../../../src/model/records/logs.js';
import { disp } from './display.js';
import { MAX_FIELD } from './kv.js';
import type { TsReader } from './time.js';
import { isIPv4, isIPv6 } from './tls.js';

/** Which access-line shape matched. */
export type AccessKind = 'access-clf' | 'access-combined' | 'access-traefik';

/** Parsed access line: its kind and record. */
export interface AccessParse {
  kind: AccessKind;
  rec: AccessRecord;
}

/** Where a record comes from (set by the caller before parsing a line). */
export interface AccessOrigin {
  file: string;
  line: number;
  /** The line as kept for display. */
  text: string;
}

/** Index of the quote closing the `"…"` string at `i` (backslash escapes honoured); -1 when not one. */
function quotedEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== 34) return -1;
  let q = s.indexOf('"', i + 1);
  while (q !== -1) {
    let b = 0;
    while (s.charCodeAt(q - 1 - b) === 92) b++;
    if ((b & 1) === 0) return q;
    q = s.indexOf('"', q + 1);
  }
  return -1;
}

/** s[i, j) neutralised and clipped; null when it is `-` or empty (a missing value). */
function dashAt(s: string, i: number, j: number): string | null {
  return j <= i || (j === i + 1 && s.charCodeAt(i) === 45) ? null : disp(s.slice(i, j), MAX_FIELD);
}

/** Client host as an endpoint ip: an IP address, else null (hostname or redacted). */
export function clientIp(host: string): string | null {
  if (isIPv4(host)) return host;
  if (isIPv6(host)) return host.toLowerCase();
  if (host.startsWith('::ffff:') && isIPv4(host.slice(7))) return host.slice(7);
  return null;
}

/** Parse a CLF-family line starting at `p`; null when the shape does not match. */
export function parseClf(s: string, p: number, ts: TsReader, origin: AccessOrigin): AccessParse | null {
  const a = s.indexOf(' ', p);
  if (a <= p || a - p > 256) return null;
  const b = s.indexOf(' ', a + 1);
  if (b === -1 || b - a > 256) return null;
  const c = s.indexOf(' ', b + 1);
  if (c === -1 || c - b > 512 || s.charCodeAt(c + 1) !== 91 /* [ */) return null;
  const t = ts.clf(s, c + 2);
  if (!t || s.charCodeAt(t.end) !== 93 /* ] */ || s.charCodeAt(t.end + 1) !== 32) return null;
  let i = t.end + 2;
  if (s.charCodeAt(i) !== 34) return null;
  // The request ends at the unescaped `" ` followed by a status (3 digits or `-`).
  let q = s.indexOf('"', i + 1);
  while (
    q !== -1 &&
    (s.charCodeAt(q + 1) !== 32 || s.charCodeAt(q - 1) === 92 /* \\" */ || !statusAt(s, q + 2))
  )
    q = s.indexOf('"', q + 1);
  if (q === -1) return null;
  const r0 = i + 1; // request text is s[r0, q)
  i = q + 2;
  // statusAt checked: `-` or three digits, then a space or the end.
  const status =
    s.charCodeAt(i) === 45
      ? null
      : (s.charCodeAt(i) - 48) * 100 + (s.charCodeAt(i + 1) - 48) * 10 + s.charCodeAt(i + 2) - 48;
  let e = status === null ? i + 1 : i + 3;
  i = e + 1;
  e = s.indexOf(' ', i);
  if (e === -1) e = s.length;
  const size = i < s.length ? digitsValue(s, i, e, 15) : -1;
  i = e + 1;
  const fields: Record<string, unknown> = {};
  const sp1 = s.indexOf(' ', r0);
  let method: string | null = null;
  let path: string | null = null;
  if (sp1 !== -1 && sp1 < q && sp1 > r0) {
    let sp2 = q - 1;
    while (s.charCodeAt(sp2) !== 32) sp2--; // stops at sp1 at the latest
    method = dashAt(s, r0, sp1);
    path = sp2 > sp1 ? dashAt(s, sp1 + 1, sp2) : dashAt(s, sp1 + 1, q);
    if (sp2 > sp1) fields.proto = dashAt(s, sp2 + 1, q);
  } else if (q > r0 && !(q === r0 + 1 && s.charCodeAt(r0) === 45)) fields.request = dashAt(s, r0, q);
  if (!(c === b + 2 && s.charCodeAt(b + 1) === 45)) fields.user = dashAt(s, b + 1, c);
  if (size >= 0) fields.size = size;
  let kind: AccessKind = 'access-clf';
  let router: string | null | undefined;
  let durationMs: number | null = null;
  const ref = quotedEnd(s, i);
  const ua = ref !== -1 && s.charCodeAt(ref + 1) === 32 ? quotedEnd(s, ref + 2) : -1;
  if (ref !== -1 && ua !== -1) {
    kind = 'access-combined';
    const referer = dashAt(s, i + 1, ref);
    if (referer !== null) fields.referer = referer;
    fields.userAgent = dashAt(s, ref + 3, ua);
    i = ua + 2;
    // Traefik: <count> "<router>" "<backend url>" <duration>ms
    e = s.indexOf(' ', i);
    const r = e === -1 ? -1 : quotedEnd(s, e + 1);
    const u = r !== -1 && s.charCodeAt(r + 1) === 32 ? quotedEnd(s, r + 2) : -1;
    const dash0 = e === i + 1 && s.charCodeAt(i) === 45;
    if (u !== -1 && s.charCodeAt(u + 1) === 32 && (dash0 || digitsValue(s, i, e, 20) >= 0)) {
      // `<digits>[.<digits>]ms`, then only trailing white space.
      const d0 = u + 2;
      const de = trimmedEnd(s, d0);
      const n = de - 2;
      let dot = s.indexOf('.', d0);
      if (dot >= n) dot = -1;
      const ok =
        n >= d0 &&
        s.charCodeAt(n) === 109 /* m */ &&
        s.charCodeAt(n + 1) === 115 /* s */ &&
        (dot === -1
          ? digitsValue(s, d0, n, 15) >= 0
          : digitsValue(s, d0, dot, 15) >= 0 && digitsValue(s, dot + 1, n, 9) >= 0);
      if (ok) {
        kind = 'access-traefik';
        durationMs = dot === -1 ? digitsValue(s, d0, n, 15) : Number(s.slice(d0, n));
        router = dashAt(s, e + 2, r);
        if (!dash0) fields.requestCount = e - i <= 15 ? digitsValue(s, i, e, 15) : Number(s.slice(i, e));
        fields.backend = dashAt(s, r + 3, u);
      }
    }
  }
  return {
    kind,
    rec: {
      type: 'access',
      file: origin.file,
      line: origin.line,
      text: origin.text,
      ts: t.iso,
      client: { ip: clientIp(s.slice(p, a)) },
      method,
      path,
      status,
      durationMs,
      router: kind === 'access-traefik' ? (router ?? null) : undefined,
      fields,
      tsText: disp(s.slice(c + 2, t.end), 64),
    },
  };
}

/** End of s[i, …) without trailing white space (what trimEnd keeps). */
function trimmedEnd(s: string, i: number): number {
  let e = s.length;
  let c = s.charCodeAt(e - 1);
  while (e > i && (c === 32 || c === 9)) c = s.charCodeAt(--e - 1);
  // Other white space (\r, NBSP, …) is rare: let trimEnd decide.
  if (e > i && (c < 32 || c >= 0x80)) return i + s.slice(i, e).trimEnd().length;
  return e;
}

/** Value of s[i, j) when it is 1..max ASCII digits (max ≤ 15: exact), else -1. */
function digitsValue(s: string, i: number, j: number, max: number): number {
  if (j <= i || j - i > max) return -1;
  let v = 0;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

/** True when s[i] starts a status field: `-` or 3 digits, then space or end. */
function statusAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 45) return i + 1 === s.length || s.charCodeAt(i + 1) === 32;
  if (c < 49 || c > 57) return false;
  const d1 = s.charCodeAt(i + 1);
  const d2 = s.charCodeAt(i + 2);
  if (!(d1 >= 48 && d1 <= 57 && d2 >= 48 && d2 <= 57)) return false;
  return i + 3 === s.length || s.charCodeAt(i + 3) === 32;
}

/** Keys that mark a JSON object as a Traefik access-log entry. */
export const ACCESS_JSON_KEYS = ['ClientHost', 'DownstreamStatus', 'RequestMethod', 'ClientAddr'] as const;

/** True when a parsed JSON object is an access-log entry. */
export function isAccessJson(o: Record<string, unknown>): boolean {
  return 'ClientHost' in o || 'DownstreamStatus' in o || 'RequestMethod' in o || 'ClientAddr' in o;
}

/** Keys of a JSON access entry that the record carries itself (not repeated in fields). */
export const ACCESS_OWN: ReadonlySet<string> = new Set([
  'ClientHost',
  'ClientPort',
  'StartUTC',
  'RequestMethod',
  'RequestPath',
  'DownstreamStatus',
  'Duration',
  'RouterName',
  'FrontendName',
]);

/** The members of a JSON access entry an access record is built from (a parsed object has them as properties). */
export interface AccessJson {
  ClientHost?: unknown;
  ClientPort?: unknown;
  ClientAddr?: unknown;
  StartUTC?: unknown;
  time?: unknown;
  StartLocal?: unknown;
  DownstreamStatus?: unknown;
  OriginStatus?: unknown;
  Duration?: unknown;
  RouterName?: unknown;
  FrontendName?: unknown;
  RequestMethod?: unknown;
  RequestPath?: unknown;
}

/** 1..5 ASCII digits: their value, else -1. */
function portDigits(t: string, from: number): number {
  const n = t.length - from;
  if (n < 1 || n > 5) return -1;
  let v = 0;
  for (let k = from; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

/** `-`/empty/non-string → null, else the value neutralised and clipped. */
function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '-' && v !== '' ? disp(v, MAX_FIELD) : null;
}

/**
 * Map a Traefik JSON access entry onto an access record. `fields` holds the other
 * members, already neutralised; `fallbackIso` is used when the entry has no time.
 */
export function accessFromJson(
  o: AccessJson,
  ts: TsReader,
  fields: Record<string, unknown>,
  origin: AccessOrigin,
  fallbackIso: string | null,
): AccessRecord {
  let ip: string | null = null;
  let port: number | undefined;
  const host = o.ClientHost;
  if (typeof host === 'string') ip = clientIp(host.startsWith('[') ? host.slice(1, -1) : host);
  const cp = o.ClientPort;
  const pn = typeof cp === 'number' ? cp : typeof cp === 'string' ? portDigits(cp, 0) : -1;
  if (Number.isInteger(pn) && pn >= 0 && pn <= 65535) port = pn;
  const addr = o.ClientAddr;
  if (typeof addr === 'string' && (typeof host !== 'string' || port === undefined)) {
    // ClientAddr (`ip:port`) fills what ClientHost/ClientPort did not say; a redacted host stays null.
    let c = addr.length - 1;
    while (c >= 0 && addr.charCodeAt(c) !== 58) c--;
    if (typeof host !== 'string') {
      const h = c === -1 ? addr : addr.slice(0, c);
      ip = clientIp(h.startsWith('[') ? h.slice(1, -1) : h);
    }
    if (port === undefined && c !== -1) {
      const v = portDigits(addr, c + 1);
      if (v >= 0 && v <= 65535) port = v;
    }
  }
  // The first of StartUTC, time, StartLocal that reads as a time.
  let iso: string | null = null;
  let tsText: string | undefined;
  let v = o.StartUTC;
  if (typeof v === 'string') iso = ts.fromString(v);
  if (!iso) {
    v = o.time;
    if (typeof v === 'string') iso = ts.fromString(v);
    if (!iso) {
      v = o.StartLocal;
      if (typeof v === 'string') iso = ts.fromString(v);
    }
  }
  if (iso) tsText = disp(v as string, 64);
  const st = o.DownstreamStatus ?? o.OriginStatus;
  const d = o.Duration;
  const router = str(o.RouterName) ?? str(o.FrontendName);
  const client = port === undefined ? { ip } : { ip, port };
  const status = typeof st === 'number' && Number.isInteger(st) ? st : null;
  const durationMs = typeof d === 'number' && Number.isFinite(d) ? d / 1e6 : null;
  const method = str(o.RequestMethod);
  const path = str(o.RequestPath);
  const { file, line, text } = origin;
  const rec: AccessRecord = {
    type: 'access',
    file,
    line,
    text,
    ts: iso ?? fallbackIso,
    client,
    method,
    path,
    status,
    durationMs,
    router,
    fields,
  };
  if (tsText !== undefined) rec.tsText = tsText;
  return rec;
}
