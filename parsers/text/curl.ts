/**
 * `curl -v` output (stderr, optionally with the body and `--trace-time`). One
 * `curl` summary per invocation — a file may hold several, split at a shell
 * prompt (`$ curl …`), at a new connection attempt after the previous one ended,
 * or at a `curl: (N)` error — and a `client-error` (code = exit code) per failure.
 */
import type { ClientErrorRecord, CurlRecord, TlsCause } from '../../src/model/records/index.js';
import { clip, displayText } from '../../src/util/sanitize.js';
import type { LineParser, LineStatus, TextFormat, TextSink } from '../types.js';
import { cleanDeep } from './client/clean.js';

const TRACE_TIME = /^\d\d:\d\d:\d\d\.\d{6} /;
const PROMPT = /^(?:\S*[$#%] |\+ )(?:\S+\/)?curl(?:\.exe)? (.*)$/;
const TRYING = /^\*\s+Trying (\S+?)\.\.\.$/;
const ABOUT = /^\* About to connect\(\) to (?:proxy )?(\S+) port (\d+)/;
const RESOLVED = /^\* Host (\S+):(\d+) was resolved\.$/;
const CONNECTED = /^\* Connected to (\S+) \(([^)]*)\) port (\d+)/;
const CONNECT_FAIL = /^\* connect to (\S+) port (\d+)(?: from \S+ port \d+)? failed: (.+)$/;
const FAILED_TO = /^\* Failed to connect to (\S+) port (\d+)(?: after \d+ ms)?: (.+)$/;
const NO_RESOLVE = /^\* Could not resolve (?:host|proxy): (\S+)/;
const TLS_LIB =
  /^\* (?:OpenSSL|LibreSSL|BoringSSL|wolfSSL|GnuTLS|Secure Transport|SecureTransport|mbedTLS|Rustls|rustls)\b.*$|^\* schannel: .*(?:fail|error|SEC_E_|unable|altered).*$/i;
const SSL_ERR =
  /^\* (?:error:[0-9A-Fa-f]+:.+|SSL certificate problem: .+|gnutls_handshake\(\) failed: .+|TLS connect error: .+|SSL_read: .+|SSL_write: .+)$/;
const IO_ERR =
  /^\* (?:Recv failure: .+|Send failure: .+|Empty reply from server|Immediate connect fail.+|ipv[46] connect timeout.+|(?:Connection|Operation|Resolving) timed out after .+|connect to .+ failed.*|Failed to .+)$/;
const TLS_MSG = /^\* (TLSv[\d.]+|SSLv\d|TLS) \((IN|OUT)\), (.+?)(?: \(\d+\))?:?$/;
const TLS_USING = /^\* (?:SSL|TLS) connection using (\S+) \/ (\S+)/;
const ALPN = /^\* ALPN(?:, server accepted to use|: server accepted) (\S+)/;
const CLOSED =
  /^\* (?:Connection #\d+ to host .+ left intact|Closing connection(?: #?\d+)?|shutting down connection #\d+)/;
const REQ = /^> ([A-Z]+) (\S+) HTTP\/[\d.]+$/;
const RESP = /^< HTTP\/[\d.]+ (\d{3})/;
const CURL_ERR = /^curl: \((\d+)\) (.*)$/;
const CURL_USAGE = /^curl: (?!\()(.+)$/;
const PROGRESS = /^\s*(?:% Total|Dload|\d+(?:\.\d+)?[kMG]?\s+\d+(?:\.\d+)?[kMG]?\s+\d+\s)/;

interface Inv {
  line: number;
  rec: CurlRecord;
  /** Connection finished (closed or left intact): the next attempt starts a new invocation. */
  done: boolean;
  errLine?: number;
}

/** Classify a TLS failure from curl's text; undefined when TLS was not involved. */
export function curlTlsCause(text: string, inTls: boolean): TlsCause | undefined {
  const t = text.toLowerCase();
  // OpenSSL/LibreSSL, schannel (SEC_E_MESSAGE_ALTERED, SEC_E_DECRYPT_FAILURE) and GnuTLS spellings.
  if (
    /bad record mac|message or signature supplied for verification has been altered|sec_e_message_altered|sec_e_decrypt_failure|decryption has failed/.test(
      t,
    )
  )
    return 'bad-record-mac';
  const tlsText = /ssl|tls|certificate|alert|openssl|schannel/.test(t);
  if (!inTls && !tlsText) return undefined;
  if (
    t.includes('wrong version number') ||
    t.includes('packet length too long') ||
    t.includes('http request')
  )
    return 'not-tls';
  if (t.includes('no application protocol')) return 'no-alpn';
  if (t.includes('certificate required')) return 'no-client-cert';
  if (/unknown ca|local issuer|self[- ]signed|unable to get|unknown certificate|untrusted/.test(t))
    return 'unknown-certificate';
  if (/certificate|no alternative|subject name|hostname/.test(t)) return 'bad-certificate';
  if (t.includes('reset by peer') || t.includes('econnreset')) return 'reset';
  if (t.includes('timed out') || t.includes('timeout')) return 'timeout';
  if (/ssl_error_syscall|unexpected eof| eof|non-properly terminated|failed to receive handshake/.test(t))
    return 'eof';
  return inTls || tlsText ? 'other' : undefined;
}

function newInv(line: number): Inv {
  return {
    line,
    done: false,
    rec: { type: 'curl', file: '', line, tried: [], connected: false, alerts: [], errors: [] },
  };
}

/** Split `host:port`, `[v6]:port`, or a bare address. */
function hostPort(s: string): { ip: string; port?: number } {
  const b = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (b) return b[2] ? { ip: b[1], port: Number(b[2]) } : { ip: b[1] };
  const m = /^([^:]+):(\d+)$/.exec(s);
  if (m) return { ip: m[1], port: Number(m[2]) };
  return { ip: s };
}

function urlFromArgs(args: string): string | undefined {
  for (const tok of args.split(/\s+/)) {
    const t = tok.replace(/^['"]|['"]$/g, '');
    if (/^https?:\/\//i.test(t)) return t;
  }
  for (const tok of args.split(/\s+/)) if (tok && !tok.startsWith('-') && /[.:]/.test(tok)) return tok;
  return undefined;
}

function create(ctx: { file: string }): LineParser {
  const file = ctx.file;
  let cur: Inv | null = null;
  let lastPort: number | undefined;

  const finish = (out: TextSink) => {
    const inv = cur;
    cur = null;
    if (!inv) return;
    const r = inv.rec;
    r.file = file;
    // A prompt followed only by a body (curl without -v) says nothing about the connection.
    const empty = !r.tried.length && !r.target && !r.connected && !r.errors.length;
    if (empty && r.httpStatus === undefined && r.exitCode === undefined) return;
    cleanDeep(r);
    const inTls = !!(r.lastTls || r.tlsVersion || r.alerts.length);
    const causeText = [r.error ?? '', ...r.errors, ...r.alerts.map((a) => `alert ${a.desc}`)].join(' | ');
    const failed =
      r.exitCode !== undefined ? r.exitCode !== 0 : r.errors.length > 0 && r.httpStatus === undefined;
    if (failed) {
      const cause = curlTlsCause(causeText, inTls);
      if (cause) r.cause = cause;
    }
    out.record(r);
    if (!failed) return;
    const err: ClientErrorRecord = {
      type: 'client-error',
      file,
      line: inv.errLine ?? inv.line,
      ts: null,
      tool: 'curl',
      text: displayText(r.error ?? r.errors[r.errors.length - 1] ?? 'curl failed'),
    };
    const target = r.url ?? r.target;
    if (target) err.target = target;
    if (r.exitCode !== undefined) err.code = r.exitCode;
    if (r.cause) err.cause = r.cause;
    out.record(err);
  };
  /** Current invocation, starting a new one when there is none or the previous has ended. */
  const open = (lineNo: number, out: TextSink, starts: boolean): Inv => {
    if (cur && (cur.rec.exitCode !== undefined || (starts && cur.done))) finish(out);
    if (!cur) cur = newInv(lineNo);
    return cur;
  };

  return {
    line(raw, lineNo, out): LineStatus {
      let l = raw.trimEnd();
      if (TRACE_TIME.test(l)) l = l.slice(16);
      l = afterProgress(l);
      if (l.trim() === '') return 'skipped';
      let m = PROMPT.exec(l);
      if (m) {
        finish(out);
        cur = newInv(lineNo);
        const url = urlFromArgs(m[1]);
        if (url) cur.rec.url = displayText(clip(url, 500));
        return 'parsed';
      }
      const c = l.charCodeAt(0);
      if (c === 0x2a /* * */) {
        m = TRYING.exec(l);
        if (m) {
          const inv = open(lineNo, out, attemptStartsNew(cur));
          const hp = hostPort(m[1]);
          const port = hp.port ?? lastPort;
          inv.rec.tried.push(port !== undefined ? `${hp.ip}:${port}` : hp.ip);
          inv.rec.server = port !== undefined ? { ip: hp.ip, port } : { ip: hp.ip };
          return 'parsed';
        }
        m = RESOLVED.exec(l) ?? ABOUT.exec(l);
        if (m) {
          const inv = open(lineNo, out, true);
          inv.rec.target ??= m[1];
          lastPort = Number(m[2]);
          return 'parsed';
        }
        m = NO_RESOLVE.exec(l);
        if (m) {
          const inv = open(lineNo, out, true);
          inv.rec.target ??= m[1];
          inv.rec.errors.push(displayText(l.slice(2)));
          return 'parsed';
        }
        const inv = open(lineNo, out, false);
        m = CONNECTED.exec(l);
        if (m) {
          inv.rec.connected = true;
          inv.rec.target ??= m[1];
          const ip = m[2] || m[1];
          inv.rec.server = { ip: ip.replace(/^\[|\]$/g, ''), port: Number(m[3]) };
          return 'parsed';
        }
        m = CONNECT_FAIL.exec(l) ?? FAILED_TO.exec(l);
        if (m) {
          inv.rec.errors.push(displayText(l.slice(2)));
          return 'parsed';
        }
        m = TLS_USING.exec(l);
        if (m) {
          inv.rec.tlsVersion = m[1];
          inv.rec.cipher = m[2];
          return 'parsed';
        }
        m = TLS_MSG.exec(l);
        if (m) {
          const dir = m[2] === 'IN' ? 'in' : 'out';
          const what = m[3];
          if (what.startsWith('TLS alert, ')) {
            const alert: CurlRecord['alerts'][number] = { dir, desc: what.slice(11) };
            if (m[1] !== 'TLS') alert.version = m[1];
            inv.rec.alerts.push(alert);
          } else if (what.startsWith('TLS handshake, ')) {
            inv.rec.lastTls = `${m[1]} (${m[2]}) ${what.slice(15)}`;
          }
          return 'parsed';
        }
        m = ALPN.exec(l);
        if (m) {
          inv.rec.alpn = m[1];
          return 'parsed';
        }
        if (TLS_LIB.test(l) || SSL_ERR.test(l)) {
          inv.rec.errors.push(displayText(clip(l.slice(2), 500)));
          return 'parsed';
        }
        if (CLOSED.test(l)) {
          inv.done = true;
          return 'parsed';
        }
        if (IO_ERR.test(l)) {
          inv.rec.errors.push(displayText(clip(l.slice(2), 500)));
          return 'parsed';
        }
        return 'skipped'; // other informational `*` lines (certificate details, ALPN offers, …)
      }
      if (c === 0x3e /* > */ && l.startsWith('> ')) {
        const inv = open(lineNo, out, false);
        m = REQ.exec(l);
        if (m) {
          inv.rec.method = m[1];
          inv.rec.path = displayText(clip(m[2], 500));
        }
        return 'parsed';
      }
      if (c === 0x3c /* < */ && l.startsWith('< ')) {
        const inv = open(lineNo, out, false);
        m = RESP.exec(l);
        if (m) inv.rec.httpStatus = Number(m[1]);
        return 'parsed';
      }
      if (l.startsWith('curl: ')) {
        m = CURL_ERR.exec(l);
        if (m) {
          const inv: Inv = cur && cur.rec.exitCode === undefined ? cur : open(lineNo, out, true);
          inv.rec.exitCode = Number(m[1]);
          inv.rec.error = displayText(clip(m[2].trim(), 500));
          inv.errLine = lineNo;
          inv.done = true;
          return 'parsed';
        }
        m = CURL_USAGE.exec(l);
        if (m) {
          if (/^try 'curl --help'|^for more information/i.test(m[1])) return 'skipped';
          finish(out);
          out.record({
            type: 'client-error',
            file,
            line: lineNo,
            ts: null,
            tool: 'curl',
            code: 'usage',
            text: displayText(clip(m[1], 500)),
          });
          return 'parsed';
        }
      }
      if (/^[{}] \[\d+ bytes data\]$/.test(l) || PROGRESS.test(l)) return 'skipped';
      // Response body or other program output between invocations.
      return 'skipped';
    },
    end(out) {
      finish(out);
      return undefined;
    },
  };
}

/**
 * curl writes its progress meter to stderr without a newline, so a `*` line may
 * follow one on the same line (`\r  0  0 … --:--:--     0*   Trying …`).
 */
function afterProgress(line: string): string {
  const cr = line.lastIndexOf('\r'); // the meter redraws itself with CR
  const l = cr >= 0 ? line.slice(cr + 1) : line;
  if (l.charCodeAt(0) !== 0x20) return l;
  const star = l.indexOf('* ');
  if (star < 0) return l;
  for (let i = 0; i < star; i++) {
    const c = l[i];
    if (!(c === ' ' || c === ':' || c === '-' || c === '.' || (c >= '0' && c <= '9') || 'kMGTP'.includes(c)))
      return l;
  }
  return /\d/.test(l.slice(0, star)) ? l.slice(star) : l;
}

/** A `Trying` line opens a new invocation only when the previous one had got past connecting. */
function attemptStartsNew(inv: Inv | null): boolean {
  return !!inv && (inv.done || inv.rec.httpStatus !== undefined);
}

/** Sniff score: `curl -v` markers in the first lines. */
function sniff(lines: readonly string[]): number {
  let score = 0;
  let hits = 0;
  for (const raw of lines.slice(0, 80)) {
    const l = afterProgress(raw);
    if (/^\*\s+Trying \S+\.\.\.$/.test(l) || RESOLVED.test(l) || /^curl: \(\d+\) /.test(l)) return 0.9;
    if (CONNECTED.test(l) || TLS_MSG.test(l) || /^\* (?:SSL|TLS) connection using /.test(l)) return 0.85;
    if (/^(?:\S*[$#] |\+ )curl /.test(l)) score = Math.max(score, 0.5);
    if (/^[<>] /.test(l)) hits++;
  }
  return Math.max(score, hits >= 3 ? 0.4 : 0);
}

/** The `curl` text format (`curl -v`). */
export const curl: TextFormat = {
  id: 'curl',
  title: 'curl -v output',
  sniff: (lines) => sniff(lines),
  create,
  samples: [
    {
      note: 'TLS 1.3 success with ALPN and HTTP/2 status (curl 8)',
      input: [
        '* Host web.example:443 was resolved.',
        '* IPv6: (none)',
        '* IPv4: 192.0.2.10',
        '*   Trying 192.0.2.10:443...',
        '* Connected to web.example (192.0.2.10) port 443',
        '* ALPN: curl offers h2,http/1.1',
        '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
        '* TLSv1.3 (IN), TLS handshake, Server hello (2):',
        '* TLSv1.3 (IN), TLS handshake, Finished (20):',
        '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / RSASSA-PSS',
        '* ALPN: server accepted h2',
        '> GET /health HTTP/2',
        '> Host: web.example',
        '>',
        '< HTTP/2 200 ',
        '< content-type: text/plain',
        '<',
        'ok',
        '* Connection #0 to host web.example left intact',
      ].join('\n'),
      records: [
        {
          type: 'curl',
          line: 1,
          target: 'web.example',
          server: { ip: '192.0.2.10', port: 443 },
          tried: ['192.0.2.10:443'],
          connected: true,
          tlsVersion: 'TLSv1.3',
          cipher: 'TLS_AES_256_GCM_SHA384',
          alpn: 'h2',
          lastTls: 'TLSv1.3 (IN) Finished',
          alerts: [],
          method: 'GET',
          path: '/health',
          httpStatus: 200,
        },
      ],
    },
    {
      note: 'SSL_ERROR_SYSCALL during the handshake, exit 35',
      input: [
        '$ curl -vk https://vip.example/',
        '*   Trying 192.0.2.240:443...',
        '* Connected to vip.example (192.0.2.240) port 443 (#0)',
        '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
        '* OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to vip.example:443 ',
        '* Closing connection 0',
        'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to vip.example:443 ',
      ].join('\n'),
      records: [
        {
          type: 'curl',
          line: 1,
          url: 'https://vip.example/',
          connected: true,
          lastTls: 'TLSv1.3 (OUT) Client hello',
          exitCode: 35,
          cause: 'eof',
        },
        {
          type: 'client-error',
          line: 7,
          tool: 'curl',
          code: 35,
          cause: 'eof',
          target: 'https://vip.example/',
        },
      ],
    },
    {
      note: 'bad record mac: alert and OpenSSL error string, exit 56',
      input: [
        '*   Trying 192.0.2.240:443...',
        '* Connected to 192.0.2.240 (192.0.2.240) port 443 (#0)',
        '* SSL connection using TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256',
        '> GET / HTTP/1.1',
        '* TLSv1.2 (IN), TLS alert, bad record mac (532):',
        '* error:0A000119:SSL routines::decryption failed or bad record mac',
        '* Closing connection 0',
        'curl: (56) OpenSSL SSL_read: error:0A000119:SSL routines::decryption failed or bad record mac, errno 0',
      ].join('\n'),
      records: [
        {
          type: 'curl',
          tlsVersion: 'TLSv1.2',
          alerts: [{ dir: 'in', version: 'TLSv1.2', desc: 'bad record mac' }],
          errors: ['error:0A000119:SSL routines::decryption failed or bad record mac'],
          exitCode: 56,
          cause: 'bad-record-mac',
        },
        { type: 'client-error', code: 56, cause: 'bad-record-mac' },
      ],
    },
    {
      note: 'connection refused (curl 7.88) then a timeout, two invocations',
      input: [
        '*   Trying 192.0.2.10:443...',
        '* connect to 192.0.2.10 port 443 failed: Connection refused',
        "* Failed to connect to 192.0.2.10 port 443 after 0 ms: Couldn't connect to server",
        '* Closing connection 0',
        "curl: (7) Failed to connect to 192.0.2.10 port 443 after 0 ms: Couldn't connect to server",
        '*   Trying 198.51.100.7:80...',
        '* Connection timed out after 5001 milliseconds',
        '* Closing connection 0',
        'curl: (28) Connection timed out after 5001 milliseconds',
      ].join('\n'),
      records: [
        { type: 'curl', line: 1, connected: false, tried: ['192.0.2.10:443'], exitCode: 7 },
        { type: 'client-error', line: 5, code: 7 },
        { type: 'curl', line: 6, connected: false, server: { ip: '198.51.100.7', port: 80 }, exitCode: 28 },
        { type: 'client-error', line: 9, code: 28 },
      ],
    },
    {
      note: 'LibreSSL (macOS) SSL_ERROR_SYSCALL, old-style Trying and ALPN lines',
      input: [
        '* About to connect() to vip.example port 443 (#0)',
        '*   Trying 192.0.2.240...',
        '* Connected to vip.example (192.0.2.240) port 443 (#0)',
        '* ALPN, offering h2',
        '* TLSv1.2 (OUT), TLS handshake, Client hello (1):',
        '* LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to vip.example:443 ',
        'curl: (35) LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to vip.example:443 ',
      ].join('\n'),
      records: [
        { type: 'curl', target: 'vip.example', server: { ip: '192.0.2.240', port: 443 }, exitCode: 35 },
        { type: 'client-error', code: 35, cause: 'eof' },
      ],
    },
    {
      note: 'Windows curl.exe (schannel): informational schannel lines are not errors',
      input: [
        '*   Trying 192.0.2.240:443...',
        '* Connected to vip.example (192.0.2.240) port 443 (#0)',
        '* schannel: disabled automatic use of client certificate',
        '* ALPN: offers http/1.1',
        '* schannel: failed to decrypt data, data not available',
        '* schannel: failed to read data from server: SEC_E_MESSAGE_ALTERED (0x8009030F) - The message or signature supplied for verification has been altered',
        '* Closing connection 0',
        'curl: (56) schannel: failed to read data from server: SEC_E_MESSAGE_ALTERED (0x8009030F) - The message or signature supplied for verification has been altered',
      ].join('\r\n'),
      records: [
        {
          type: 'curl',
          connected: true,
          exitCode: 56,
          cause: 'bad-record-mac',
          errors: [
            'schannel: failed to decrypt data, data not available',
            'schannel: failed to read data from server: SEC_E_MESSAGE_ALTERED (0x8009030F) - The message or signature supplied for verification has been altered',
          ],
        },
        { type: 'client-error', code: 56, cause: 'bad-record-mac' },
      ],
    },
    {
      note: 'curl without -v: only the error line; usage errors',
      input: [
        'curl: (6) Could not resolve host: nosuch.example',
        'curl: option --bogus: is unknown',
        "curl: try 'curl --help' or 'curl --manual' for more information",
      ].join('\n'),
      records: [
        { type: 'curl', exitCode: 6, connected: false },
        { type: 'client-error', code: 6, text: 'Could not resolve host: nosuch.example' },
        { type: 'client-error', code: 'usage' },
      ],
    },
    {
      note: 'negative: curl without -v, body text and progress meter are skipped, no records',
      input: [
        '$ curl -s http://192.0.2.10/',
        '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current',
        '                                 Dload  Upload   Total   Spent    Left  Speed',
        '<html><body>hello</body></html>',
        '$ echo done',
      ].join('\n'),
      records: [],
    },
  ],
};
