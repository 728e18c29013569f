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

/** Read a `"…"` string at `i` (backslash escapes honoured); null when not one. */
function quoted(s: string, i: number): { v: string; end: number } | null {
  if (s.charCodeAt(i) !== 34) return null;
  let q = s.indexOf('"', i + 1);
  while (q !== -1) {
    let b = 0;
    while (s.charCodeAt(q - 1 - b) === 92) b++;
    if ((b & 1) === 0) return { v: s.slice(i + 1, q), end: q + 1 };
    q = s.indexOf('"', q + 1);
  }
  return null;
}

/** `-` → null, else the value neutralised and clipped. */
function dash(v: string): string | null {
  return v === '-' || v === '' ? null : disp(v, MAX_FIELD);
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
  let q = s.indexOf('" ', i + 1);
  while (q !== -1 && (s.charCodeAt(q - 1) === 92 /* \\" */ || !statusAt(s, q + 2)))
    q = s.indexOf('" ', q + 1);
  if (q === -1) return null;
  const tsText = s.slice(c + 2, t.end);
  const req = s.slice(i + 1, q);
  i = q + 2;
  let e = s.indexOf(' ', i);
  if (e === -1) e = s.length;
  const statusText = s.slice(i, e);
  const status = statusText === '-' ? null : Number(statusText);
  i = e + 1;
  e = s.indexOf(' ', i);
  if (e === -1) e = s.length;
  const size = i < s.length ? s.slice(i, e) : '-';
  i = e + 1;
  const client = s.slice(p, a);
  const user = s.slice(b + 1, c);
  const fields: Record<string, unknown> = {};
  const sp1 = req.indexOf(' ');
  const sp2 = req.lastIndexOf(' ');
  let method: string | null = null;
  let path: string | null = null;
  if (sp1 > 0) {
    method = dash(req.slice(0, sp1));
    path = dash(sp2 > sp1 ? req.slice(sp1 + 1, sp2) : req.slice(sp1 + 1));
    if (sp2 > sp1) fields.proto = dash(req.slice(sp2 + 1));
  } else if (req !== '-' && req !== '') fields.request = dash(req);
  if (user !== '-') fields.user = dash(user);
  if (digitsOnly(size, 15)) fields.size = Number(size);
  let kind: AccessKind = 'access-clf';
  let router: string | null | undefined;
  let durationMs: number | null = null;
  const ref = quoted(s, i);
  const ua = ref && s.charCodeAt(ref.end) === 32 ? quoted(s, ref.end + 1) : null;
  if (ref && ua) {
    kind = 'access-combined';
    const referer = dash(ref.v);
    if (referer !== null) fields.referer = referer;
    fields.userAgent = dash(ua.v);
    i = ua.end + 1;
    // Traefik: <count> "<router>" "<backend url>" <duration>ms
    e = s.indexOf(' ', i);
    const count = e === -1 ? '' : s.slice(i, e);
    const r = e === -1 ? null : quoted(s, e + 1);
    const u = r && s.charCodeAt(r.end) === 32 ? quoted(s, r.end + 1) : null;
    if ((count === '-' || digitsOnly(count, 20)) && r && u && s.charCodeAt(u.end) === 32) {
      const d = s.slice(u.end + 1).trimEnd();
      const dot = d.indexOf('.');
      const ok =
        d.endsWith('ms') &&
        (dot === -1
          ? digitsOnly(d.slice(0, -2), 15)
          : digitsOnly(d.slice(0, dot), 15) && digitsOnly(d.slice(dot + 1, -2), 9));
      if (ok) {
        kind = 'access-traefik';
        durationMs = Number(d.slice(0, -2));
        router = dash(r.v);
        if (count !== '-') fields.requestCount = Number(count);
        fields.backend = dash(u.v);
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
      client: { ip: clientIp(client) },
      method,
      path,
      status: status !== null && Number.isInteger(status) ? status : null,
      durationMs,
      router: kind === 'access-traefik' ? (router ?? null) : undefined,
      fields,
      tsText: disp(tsText, 64),
    },
  };
}

/** True when `t` is 1..max ASCII digits. */
function digitsOnly(t: string, max: number): boolean {
  if (t.length === 0 || t.length > max) return false;
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
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
  for (const k of ACCESS_JSON_KEYS) if (k in o) return true;
  return false;
}

/** Keys of a JSON access entry that the record carries itself (not repeated in fields). */
const OWN = new Set([
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

/** Map a Traefik JSON access entry onto an access record. `clean` sanitises the other keys. */
export function accessFromJson(
  o: Record<string, unknown>,
  ts: TsReader,
  clean: (o: Record<string, unknown>, skip: ReadonlySet<string>) => Record<string, unknown>,
): Omit<AccessRecord, 'type' | 'file' | 'line' | 'text'> {
  let ip: string | null = null;
  let port: number | undefined;
  const host = o.ClientHost;
  if (typeof host === 'string') ip = clientIp(host.startsWith('[') ? host.slice(1, -1) : host);
  const cp = o.ClientPort;
  const pn = typeof cp === 'number' ? cp : typeof cp === 'string' && /^\d{1,5}$/.test(cp) ? Number(cp) : NaN;
  if (Number.isInteger(pn) && pn >= 0 && pn <= 65535) port = pn;
  if (typeof o.ClientAddr === 'string') {
    // ClientAddr (`ip:port`) fills what ClientHost/ClientPort did not say; a redacted host stays null.
    const addr = o.ClientAddr;
    const c = addr.lastIndexOf(':');
    const h = c === -1 ? addr : addr.slice(0, c);
    if (typeof host !== 'string') ip = clientIp(h.startsWith('[') ? h.slice(1, -1) : h);
    if (port === undefined && c !== -1 && /^\d{1,5}$/.test(addr.slice(c + 1))) {
      const v = Number(addr.slice(c + 1));
      if (v <= 65535) port = v;
    }
  }
  let iso: string | null = null;
  let tsText: string | undefined;
  for (const k of ['StartUTC', 'time', 'StartLocal']) {
    const v = o[k];
    if (typeof v === 'string') {
      iso = ts.fromString(v);
      if (iso) {
        tsText = disp(v, 64);
        break;
      }
    }
  }
  const str = (v: unknown) => (typeof v === 'string' && v !== '-' && v !== '' ? disp(v, MAX_FIELD) : null);
  const st = o.DownstreamStatus ?? o.OriginStatus;
  const d = o.Duration;
  const router = str(o.RouterName) ?? str(o.FrontendName);
  return {
    ts: iso,
    client: port === undefined ? { ip } : { ip, port },
    method: str(o.RequestMethod),
    path: str(o.RequestPath),
    status: typeof st === 'number' && Number.isInteger(st) ? st : null,
    durationMs: typeof d === 'number' && Number.isFinite(d) ? d / 1e6 : null,
    router,
    fields: clean(o, OWN),
    ...(tsText === undefined ? {} : { tsText }),
  };
}
