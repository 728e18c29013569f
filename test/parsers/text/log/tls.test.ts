/**
 * TLS handshake errors: the client address is split by index and side/cause are
 * cached per error text. Both must give what the plain slice-based reading gave
 * (kept below as the reference) on fuzzed addresses and error texts, in any order.
 */
import { describe, expect, it } from 'vitest';
import { classifyTls, isIPv4, isIPv6, TLS_CAUSES, TLS_MARKER } from '../../../../parsers/text/log/tls.js';
import type { TlsCause } from '../../../../src/model/records/logs.js';
import { pick, prng } from '../../../helpers/random.js';

// ---- reference (the previous implementation) ----

function trimColon(t: string): string {
  return t.endsWith(':') ? t.slice(0, -1) : t;
}

function referenceTls(s: string, at: number, end: number) {
  let i = at + TLS_MARKER.length;
  let addrEnd = s.indexOf(' ', i);
  if (addrEnd === -1 || addrEnd > end) addrEnd = end;
  let host: string;
  let portText = '';
  if (s.charCodeAt(i) === 91 /* [ */) {
    const close = s.indexOf(']', i);
    if (close !== -1 && close < addrEnd) {
      host = s.slice(i + 1, close);
      if (s.charCodeAt(close + 1) === 58) portText = trimColon(s.slice(close + 2, addrEnd));
    } else host = '';
  } else {
    const tok = trimColon(s.slice(i, addrEnd));
    const c = tok.lastIndexOf(':');
    host = c === -1 ? tok : tok.slice(0, c);
    portText = c === -1 ? '' : tok.slice(c + 1);
  }
  i = addrEnd;
  const rest = s.slice(i, end);
  const ip = isIPv4(host) ? host : isIPv6(host) ? host.toLowerCase() : null;
  let port: number | undefined;
  if (portText.length > 0 && portText.length <= 5) {
    let p = 0;
    for (let k = 0; k < portText.length && p >= 0; k++) {
      const c = portText.charCodeAt(k);
      p = c >= 48 && c <= 57 ? p * 10 + c - 48 : -1;
    }
    if (p >= 0 && p <= 65535) port = p;
  }
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
  // The server's end in Go's `read tcp SERVER->CLIENT` (or write), when it is an address.
  const op = /(?:read|write) tcp (\S+?)->/.exec(rest);
  if (op) {
    const tok = op[1];
    const b = tok.startsWith('[') ? tok.indexOf(']') : -1;
    const host = b > 0 ? tok.slice(1, b) : tok.slice(0, Math.max(0, tok.lastIndexOf(':')));
    const portText = b > 0 ? tok.slice(b + 2) : tok.slice(tok.lastIndexOf(':') + 1);
    const sip = isIPv4(host) ? host : isIPv6(host) ? host.toLowerCase() : null;
    const sp = /^\d{1,5}$/.test(portText) && Number(portText) <= 65535 ? Number(portText) : undefined;
    if (sip !== null) return { ip, port, side, cause, server: { ip: sip, port: sp } };
  }
  return { ip, port, side, cause };
}

const HOSTS = [
  '10.0.0.1',
  '[2001:db8::1]',
  '[::1',
  'REDACTED',
  'x.x.x.x',
  '<ip>',
  '',
  ':',
  '[]',
  '300.1.1.1',
  '2001:db8::2',
];
const PORTS = [':443', ':', '', ':65535', ':65536', ':123456', ':4a', '::1'];
const ERRS = [
  ...TLS_CAUSES.map(([needle]) => `: remote error: tls: ${needle}`),
  ': local error: tls: bad record MAC',
  ': read tcp 10.0.2.15:443->192.168.56.1:51234: read: connection reset by peer',
  ': write tcp [2001:DB8::240]:443->[2001:db8::50]:51234: write: broken pipe',
  ': read tcp REDACTED:443->192.168.56.1:51234: i/o timeout',
  ': EOF',
  '',
  ' ',
  ': something else',
  // Longer than the cached texts: classified every time.
  `: ${'x'.repeat(300)} connection reset by peer`,
  `: remote error: tls: ${'y'.repeat(300)}`,
];

describe('classifyTls', () => {
  it("takes the server's end from Go's read/write tcp error, IPv4 or IPv6", () => {
    const at = (s: string) => classifyTls(s, 6, s.length);
    expect(
      at(
        'http: TLS handshake error from 203.0.113.50:50432: read tcp 192.0.2.240:443->203.0.113.50:50432: i/o timeout',
      ).server,
    ).toEqual({ ip: '192.0.2.240', port: 443 });
    expect(
      at(
        'http: TLS handshake error from [2001:db8::50]:50432: read tcp [2001:db8::240]:443->[2001:db8::50]:50432: read: connection reset by peer',
      ),
    ).toEqual({
      ip: '2001:db8::50',
      port: 50432,
      side: null,
      cause: 'reset',
      server: { ip: '2001:db8::240', port: 443 },
    });
    expect(at('http: TLS handshake error from 203.0.113.50:50432: EOF').server).toBeUndefined();
  });

  it('agrees with the slice-based reference on fuzzed entries, cache warm or cold', () => {
    const r = prng(3);
    const causes = new Set<TlsCause>();
    for (let i = 0; i < 20000; i++) {
      const pre = pick(r, ['', 'http: ', 'x ']);
      const s = `${pre}${TLS_MARKER}${pick(r, HOSTS)}${pick(r, PORTS)}${pick(r, ERRS)}${pick(r, ['', ' trailing'])}`;
      const at = pre.length;
      const end = r() < 0.8 ? s.length : at + Math.floor(r() * (s.length - at));
      const got = classifyTls(s, at, end);
      expect(got, `${s} [${end}]`).toEqual(referenceTls(s, at, end));
      causes.add(got.cause);
    }
    expect(causes.size).toBeGreaterThanOrEqual(9);
  });
});
