/**
 * Go `net/http` TLS handshake errors, as logged by `(*conn).serve`:
 *
 *   http: TLS handshake error from 10.255.0.11:16614: local error: tls: bad record MAC
 *   └─ marker ──────────────────┘ └─ client ──────┘ └─ side ─────┘      └─ cause ───┘
 *
 * The client is `ip:port`, `[ipv6]:port`, or a redacted placeholder (`REDACTED:1234`,
 * `x.x.x.x:443`, `<ip>:port`), which keeps the port but leaves `ip` null.
 */
import type { TlsCause } from '../../../src/model/records/logs.js';

/** The text every entry contains (Go prefixes it with `http: `). */
export const TLS_MARKER = 'TLS handshake error from ';

/**
 * Index of the next Go handshake-error marker in `s` from `from`: the marker right
 * after `http: `, or at the very start of `s` (wrappers that drop the prefix); -1 if none.
 */
export function findTlsMarker(s: string, from: number): number {
  let at = s.indexOf(TLS_MARKER, from);
  while (at !== -1) {
    if (at === 0 || (at >= 6 && s.startsWith('http: ', at - 6))) return at;
    at = s.indexOf(TLS_MARKER, at + 1);
  }
  return -1;
}

/** What the Go error text says. */
export interface TlsInfo {
  ip: string | null;
  port: number | undefined;
  side: 'local' | 'remote' | null;
  cause: TlsCause;
  /** The server's own end, when the error names it (`read tcp SERVER->CLIENT: …`). */
  server?: { ip: string | null; port: number | undefined };
}

/** Cause table, checked in order: the first substring found wins (data, not code). */
export const TLS_CAUSES: ReadonlyArray<readonly [string, TlsCause]> = [
  ['bad record MAC', 'bad-record-mac'],
  ['first record does not look like a TLS handshake', 'not-tls'],
  ['client sent an HTTP request to an HTTPS server', 'not-tls'],
  ['no application protocol', 'no-alpn'],
  ['unsupported application protocols', 'no-alpn'],
  ["client didn't provide a certificate", 'no-client-cert'],
  ['client sent no certificate', 'no-client-cert'],
  ['certificate required', 'no-client-cert'],
  ['unknown certificate', 'unknown-certificate'],
  ['bad certificate', 'bad-certificate'],
  ['connection reset by peer', 'reset'],
  ['i/o timeout', 'timeout'],
  ['timeout', 'timeout'],
  ['EOF', 'eof'],
];

/**
 * Classify the error that starts at `at` (index of TLS_MARKER) and ends at `end`.
 * Never fails: unknown shapes give `ip: null` and cause `other`.
 */
export function classifyTls(s: string, at: number, end: number): TlsInfo {
  const i = at + TLS_MARKER.length;
  let addrEnd = s.indexOf(' ', i);
  if (addrEnd === -1 || addrEnd > end) addrEnd = end;
  endpointAt(s, i, addrEnd);
  const ip = spot.ip;
  const port = spot.port;
  const rest = s.slice(addrEnd, end);
  // Only short texts are cached: the cache stays small whatever the input.
  let sc = rest.length <= MAX_CACHED ? restCache.get(rest) : undefined;
  if (sc === undefined) {
    sc = sideCause(rest);
    if (rest.length <= MAX_CACHED) {
      if (restCache.size >= 512) restCache.clear();
      restCache.set(rest, sc);
    }
  }
  const info: TlsInfo = { ip, port, side: sc.side, cause: sc.cause };
  // Go's net.OpError names the server's own end first: `read tcp 192.0.2.240:443->203.0.113.50:50432: …`.
  const arrow = rest.indexOf('->');
  if (arrow !== -1) {
    const t = rest.lastIndexOf(' tcp ', arrow);
    if (t !== -1 && (rest.startsWith('read', t - 4) || rest.startsWith('write', t - 5))) {
      endpointAt(rest, t + 5, arrow);
      if (spot.ip !== null) info.server = { ip: spot.ip, port: spot.port };
    }
  }
  return info;
}

/** Where endpointAt leaves its answer (one reused object: no allocation per log line). */
const spot: { ip: string | null; port: number | undefined } = { ip: null, port: undefined };

/**
 * The endpoint written `host:port`, `[ipv6]:port` or `host` in s[i, e) (a trailing `:`
 * separator dropped), into `spot`; `ip` is null when the host is not an address (a redacted one).
 */
function endpointAt(s: string, i: number, e: number): void {
  let host: string;
  let p0 = 0; // port text is s[p0, p1)
  let p1 = 0;
  if (s.charCodeAt(i) === 91 /* [ */) {
    const close = s.indexOf(']', i);
    if (close !== -1 && close < e) {
      host = s.slice(i + 1, close);
      if (s.charCodeAt(close + 1) === 58) {
        p0 = close + 2;
        p1 = e > p0 && s.charCodeAt(e - 1) === 58 ? e - 1 : e;
      }
    } else host = '';
  } else {
    // `host:port:` — drop the separator colon, split at the last colon.
    const x = e > i && s.charCodeAt(e - 1) === 58 ? e - 1 : e;
    let c = x - 1;
    while (c >= i && s.charCodeAt(c) !== 58) c--;
    if (c < i) c = -1;
    host = s.slice(i, c === -1 ? x : c);
    if (c !== -1) {
      p0 = c + 1;
      p1 = x;
    }
  }
  const ip = isIPv4(host) ? host : isIPv6(host) ? host.toLowerCase() : null;
  let port: number | undefined;
  const pl = p1 - p0;
  if (pl > 0 && pl <= 5) {
    let p = 0;
    for (let k = p0; k < p1 && p >= 0; k++) {
      const c = s.charCodeAt(k);
      p = c >= 48 && c <= 57 ? p * 10 + c - 48 : -1;
    }
    if (p >= 0 && p <= 65535) port = p;
  }
  spot.ip = ip;
  spot.port = port;
}

/** Side and cause of an error text (after the client address); texts repeat, so results are cached. */
function sideCause(rest: string): Pick<TlsInfo, 'side' | 'cause'> {
  const side = rest.includes('local error: tls:')
    ? 'local'
    : rest.includes('remote error: tls:')
      ? 'remote'
      : null;
  let cause: TlsCause = 'other';
  for (const [needle, c] of TLS_CAUSES) {
    if (rest.includes(needle)) {
      cause = c;
      break;
    }
  }
  return { side, cause };
}
const restCache = new Map<string, Pick<TlsInfo, 'side' | 'cause'>>();
/** Longest error text cached (characters): 512 entries of at most this size. */
const MAX_CACHED = 256;

/** Strict dotted quad. */
export function isIPv4(s: string): boolean {
  if (s.length < 7 || s.length > 15) return false;
  let parts = 0;
  let v = 0;
  let digits = 0;
  for (let k = 0; k <= s.length; k++) {
    const c = k === s.length ? 46 : s.charCodeAt(k);
    if (c === 46) {
      if (digits === 0 || v > 255 || (digits > 1 && s.charCodeAt(k - digits) === 48)) return false;
      parts++;
      v = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      v = v * 10 + c - 48;
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

/** IPv6 (optionally with a zone `%eth0` or a dotted-quad tail); shape check, not full validation. */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 64) return false;
  const pct = s.indexOf('%');
  const a = pct === -1 ? s : s.slice(0, pct);
  if (!a.includes(':')) return false;
  const dbl = a.indexOf('::');
  if (dbl !== -1 && a.indexOf('::', dbl + 1) !== -1) return false;
  const groups = a.split(':');
  let n = 0;
  for (let g = 0; g < groups.length; g++) {
    const x = groups[g];
    if (x === '') continue;
    if (g === groups.length - 1 && x.includes('.')) {
      if (!isIPv4(x)) return false;
      n += 2;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return false;
    n++;
  }
  return dbl === -1 ? n === 8 : n < 8;
}
