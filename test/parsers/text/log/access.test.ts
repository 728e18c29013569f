/**
 * CLF access lines are scanned by index (no per-field substrings). The reading
 * must be exactly that of the plain slice-by-slice algorithm it replaced, kept
 * below as the reference: both run over fuzzed CLF, combined and Traefik lines
 * (odd spacing, escapes, dashes, long numbers, fractional durations) and every
 * record must match field for field.
 */
import { describe, expect, it } from 'vitest';
import {
  type AccessOrigin,
  accessFromJson,
  clientIp,
  parseClf,
} from '../../../../parsers/text/log/access.js';
import { beginLine, disp } from '../../../../parsers/text/log/display.js';
import { MAX_FIELD } from '../../../../parsers/text/log/kv.js';
import { TsReader } from '../../../../parsers/text/log/time.js';
import { pick, prng } from '../../../helpers/random.js';

// ---- reference: the slice-based reading (verbatim logic of the previous implementation) ----

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

function dash(v: string): string | null {
  return v === '-' || v === '' ? null : disp(v, MAX_FIELD);
}

function digitsOnly(t: string, max: number): boolean {
  return t.length > 0 && t.length <= max && /^[0-9]+$/.test(t);
}

function statusAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 45) return i + 1 === s.length || s.charCodeAt(i + 1) === 32;
  if (c < 49 || c > 57) return false;
  const d1 = s.charCodeAt(i + 1);
  const d2 = s.charCodeAt(i + 2);
  if (!(d1 >= 48 && d1 <= 57 && d2 >= 48 && d2 <= 57)) return false;
  return i + 3 === s.length || s.charCodeAt(i + 3) === 32;
}

function referenceClf(s: string, p: number, ts: TsReader, origin: AccessOrigin) {
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
  let kind = 'access-clf';
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

// ---- fuzzing ----

const BASE = [
  '192.168.56.1 - - [01/May/2024:10:00:04 +0000] "GET /api/v1/items?x=1 HTTP/2.0" 200 512 "-" "curl/8.5.0" 42 "websecure-api@kubernetescrd" "http://10.42.0.7:8080" 3ms',
  '10.0.0.9 - - [01/May/2024:10:00:05 -0500] "-" - - "-" "-" 43 "-" "-" 0ms',
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  '2001:db8::5 - - [01/May/2024:10:00:00 +0000] "POST /login HTTP/1.1" 302 0 "https://app.example.test/" "Mozilla/5.0 (X11; \\"Linux\\")"',
  '198.51.100.8 - - [01/May/2024:10:00:02 +0000] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"',
  '10.0.2.2 - - [03/Aug/2017:09:39:51 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.27" 17 "frontend-health" "http://10.42.0.9:8080" 1.25ms',
  'gateway.lan - - [01/May/2024:10:00:03 +0000] "GET / HTTP/1.1" 200 12',
  '::ffff:10.0.0.1 - - [01/May/2024:10:00:03.123 +0000] "GET  /two  spaces  HTTP/1.1" 204 -',
  '10.0.0.1 - - [01/May/2024:10:00:03 +0000] " GET /lead HTTP/1.1" 200 1 "a" "b" 123456789012345678 "r" "u" 12ms  ',
  '10.0.0.1 -  [01/May/2024:10:00:03 +0000] "GET" 500 999999999999999999 "" "" - "" "" 1.5.5ms',
];
const BITS = [
  ' ',
  '"',
  '\\',
  '-',
  '0',
  '7',
  'ms',
  '.',
  '" ',
  ' "',
  '\t',
  '[',
  ']',
  ':',
  '200',
  '-0700',
  '\u00a0',
];

function mutate(r: () => number, l: string): string {
  let s = l;
  const n = Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const p = Math.floor(r() * (s.length + 1));
    const x = r();
    if (x < 0.4) s = s.slice(0, p) + pick(r, BITS) + s.slice(p + 1);
    else if (x < 0.7) s = s.slice(0, p) + pick(r, BITS) + s.slice(p);
    else s = s.slice(0, p) + s.slice(p + 1 + Math.floor(r() * 4));
  }
  return s;
}

describe('parseClf (index scan) agrees with the slice-based reference', () => {
  it('on fuzzed access lines', () => {
    const r = prng(7);
    const fast = new TsReader('UTC');
    const ref = new TsReader('UTC');
    let matched = 0;
    const kinds = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const s = mutate(r, pick(r, BASE));
      beginLine(s);
      const origin = { file: 'f', line: i + 1, text: s };
      const a = parseClf(s, 0, fast, origin);
      const b = referenceClf(s, 0, ref, origin);
      expect(a, s).toEqual(b);
      if (a) {
        matched++;
        kinds.add(a.kind);
        expect(Object.keys(a.rec.fields ?? {}), s).toEqual(Object.keys(b?.rec.fields ?? {}));
      }
    }
    expect(matched).toBeGreaterThan(5000);
    expect([...kinds].sort()).toEqual(['access-clf', 'access-combined', 'access-traefik']);
  });

  it('reads a Traefik line field by field', () => {
    const s = BASE[0];
    beginLine(s);
    const a = parseClf(s, 0, new TsReader('UTC'), { file: 'f', line: 1, text: s });
    expect(a?.kind).toBe('access-traefik');
    expect(a?.rec).toMatchObject({
      ts: '2024-05-01T10:00:04.000000000Z',
      client: { ip: '192.168.56.1' },
      method: 'GET',
      path: '/api/v1/items?x=1',
      status: 200,
      durationMs: 3,
      router: 'websecure-api@kubernetescrd',
      fields: {
        proto: 'HTTP/2.0',
        size: 512,
        userAgent: 'curl/8.5.0',
        requestCount: 42,
        backend: 'http://10.42.0.7:8080',
      },
    });
  });
});

describe('accessFromJson', () => {
  const origin = { file: 'f', line: 1, text: 't' };
  const client = (o: Record<string, unknown>) => {
    beginLine('');
    return accessFromJson(o, new TsReader('UTC'), {}, origin, null).client;
  };

  it('takes the client from ClientHost/ClientPort and fills the gaps from ClientAddr', () => {
    expect(client({ ClientHost: '10.0.0.1', ClientPort: '5', ClientAddr: '10.0.0.2:6' })).toEqual({
      ip: '10.0.0.1',
      port: 5,
    });
    expect(client({ ClientHost: '10.0.0.1', ClientAddr: '10.0.0.2:123' })).toEqual({
      ip: '10.0.0.1',
      port: 123,
    });
    expect(client({ ClientHost: '10.0.0.1', ClientPort: '70000', ClientAddr: 'x:8' })).toEqual({
      ip: '10.0.0.1',
      port: 8,
    });
    expect(client({ ClientHost: '10.0.0.1', ClientPort: 7 })).toEqual({ ip: '10.0.0.1', port: 7 });
    expect(client({ ClientAddr: '[2001:DB8::1]:443' })).toEqual({ ip: '2001:db8::1', port: 443 });
    expect(client({ ClientAddr: '10.0.0.3' })).toEqual({ ip: '10.0.0.3' });
    expect(client({ ClientAddr: 'REDACTED:99999' })).toEqual({ ip: null });
    expect(client({ ClientHost: '[::1]', ClientAddr: 'nonsense' })).toEqual({ ip: '::1' });
    expect(client({ ClientHost: 'h', ClientAddr: ':' })).toEqual({ ip: null });
  });
});
