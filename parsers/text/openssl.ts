/**
 * `openssl s_client` output (OpenSSL 1.1 and 3.x, LibreSSL): one `client-error` per
 * failed run — the first error OpenSSL printed, with the TLS cause of curl's table —
 * and nothing for a run whose handshake completed. A file may hold several runs, each
 * starting at a shell prompt (`$ openssl s_client …`), a `CONNECTED(…)` line after the
 * previous run ended, or a connect error.
 *
 *   CONNECTED(00000003)
 *   40C7D2B8E37F0000:error:0A000119:SSL routines:ssl3_get_record:decryption failed or bad record mac:…
 *   write:errno=104
 *   connect:errno=111
 *   no peer certificate available / SSL handshake has read 0 bytes and written 317 bytes
 *
 * errno values are the Linux ones (104 reset, 110 timed out, 111 refused, 113 no route).
 */
import type { ClientErrorRecord, TlsCause } from '../../src/model/records/index.js';
import { clip, displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { curlTlsCause } from './curl.js';
import { bannerText, uncolor } from './netstate/common.js';

/** `[pid:]error:CODE:lib:func:reason:file:line:[extra]` (1.1 has a decimal thread id, 3.x hex). */
const OPENSSL_ERR = /^(?:[0-9A-Fa-f]+:)?error:([0-9A-Fa-f]+):([^:]*):([^:]*):([^:]+)(?::([^:]*:\d+):?(.*))?$/;
const ERRNO = /^(connect|write|read|getaddrinfo|BIO_connect)\s*:\s*errno=(\d+)$/;
const CONNECT_MSG = /^(?:connect|getaddrinfo|BIO_lookup(?:_ex)?)\s*:\s*(.+)$/;
const CONNECTED = /^CONNECTED\((?:[0-9A-Fa-f]+)\)$/;
const CONNECTING = /^Connecting to (\S+)$/;
const PROMPT = /(?:^|\s)openssl\s+s_client\b(.*)$/;
const READ_NOTHING = /^SSL handshake has read 0 bytes and written (\d+) bytes$/;
const HANDSHAKE_DONE = /^(?:New|Reused), (?:TLSv[\d.]+|SSLv\d|\(NONE\)), Cipher is (\S+)$/;

/** Linux errno values s_client prints, with the words curl and the rules know them by. */
const ERRNO_TEXT: Record<number, string> = {
  0: 'unexpected EOF',
  32: 'broken pipe',
  101: 'network is unreachable',
  104: 'connection reset by peer',
  110: 'connection timed out',
  111: 'connection refused',
  113: 'no route to host',
};

/** One s_client run being read. */
interface Run {
  line: number;
  target?: string;
  /** First error line and its text. */
  errLine?: number;
  error?: string;
  /** `CONNECTED(…)` was printed: the TCP connection was made. */
  connected: boolean;
  /** The connect itself failed: no connection can belong to this run. */
  connectFailed: boolean;
  /** The handshake completed (a cipher was agreed). */
  done: boolean;
  /** The server sent nothing (`read 0 bytes`). */
  readNothing: boolean;
  /** Line of the `read 0 bytes` report. */
  nothingLine?: number;
}

/** `-connect host:port` or a bare `host:port` argument (OpenSSL 3), else undefined. */
function targetOf(args: string): string | undefined {
  const c = /(?:^|\s)-connect\s+(\S+)/.exec(args);
  if (c) return c[1];
  return /(?:^|\s)([\w.-]+:\d+|\[[0-9a-fA-F:]+\]:\d+)(?:\s|$)/.exec(args)?.[1];
}

class OpensslParser implements LineParser {
  private run: Run | null = null;

  constructor(private readonly ctx: ParseContext) {}

  end(out: TextSink): undefined {
    this.flush(out);
    return undefined;
  }

  /** Emit the finished run's failure, if it had one. */
  private flush(out: TextSink): void {
    const r = this.run;
    this.run = null;
    if (!r || r.done) return;
    let text = r.error;
    let line = r.errLine;
    if (text === undefined && r.readNothing) {
      text = 'unexpected EOF: the server sent nothing during the handshake (SSL handshake has read 0 bytes)';
      line = r.nothingLine;
    }
    if (text === undefined) return;
    const err: ClientErrorRecord = {
      type: 'client-error',
      file: this.ctx.file,
      line: line ?? r.line,
      ts: null,
      tool: 'openssl',
      text: displayText(clip(text, 500)),
    };
    if (r.target) err.target = r.target;
    const cause: TlsCause | undefined = curlTlsCause(text, true);
    if (cause) err.cause = cause;
    out.record(err);
  }

  private start(out: TextSink, lineNo: number, target?: string): Run {
    this.flush(out);
    this.run = {
      line: lineNo,
      connected: false,
      connectFailed: false,
      done: false,
      readNothing: false,
      ...(target ? { target } : {}),
    };
    return this.run;
  }

  private fail(out: TextSink, lineNo: number, text: string): void {
    const r = this.run ?? this.start(out, lineNo);
    if (r.error === undefined) {
      r.error = text;
      r.errLine = lineNo;
    }
  }

  private connectFailed(): void {
    if (this.run && !this.run.connected) this.run.connectFailed = true;
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    const t = text.trim();
    const banner = bannerText(text);
    if (banner !== null) {
      const p = PROMPT.exec(banner);
      if (p) {
        this.start(out, lineNo, targetOf(p[1]));
        return 'parsed';
      }
      return 'skipped';
    }
    if (t === '') return 'skipped';
    if (CONNECTED.test(t)) {
      // stdout is buffered and stderr is not, so a run's errors may come before its
      // CONNECTED line: only a second connection, or one after a finished handshake or a
      // failed connect, starts a new run.
      const r = this.run;
      const run = !r || r.done || r.connected || r.connectFailed ? this.start(out, lineNo, r?.target) : r;
      run.connected = true;
      return 'parsed';
    }
    const c = CONNECTING.exec(t);
    if (c) {
      const r =
        this.run && !this.run.done && this.run.error === undefined ? this.run : this.start(out, lineNo);
      r.target ??= c[1];
      return 'parsed';
    }
    const e = OPENSSL_ERR.exec(t);
    if (e) {
      const [, , lib, fn, reason, , extra] = e;
      const detail = [reason, extra?.trim()].filter(Boolean).join(': ');
      this.fail(out, lineNo, `${lib}${fn ? `:${fn}` : ''}: ${detail}`);
      if (/^BIO_(?:connect|lookup)/.test(fn)) this.connectFailed();
      return 'parsed';
    }
    const n = ERRNO.exec(t);
    if (n) {
      const errno = Number(n[2]);
      this.fail(out, lineNo, `${n[1]}:errno=${errno}${ERRNO_TEXT[errno] ? ` (${ERRNO_TEXT[errno]})` : ''}`);
      if (n[1] !== 'write' && n[1] !== 'read') this.connectFailed();
      return 'parsed';
    }
    if (CONNECT_MSG.test(t)) {
      this.fail(out, lineNo, t);
      this.connectFailed();
      return 'parsed';
    }
    if (HANDSHAKE_DONE.test(t) && !/Cipher is \(NONE\)/.test(t)) {
      if (this.run) this.run.done = true;
      return 'parsed';
    }
    const nothing = READ_NOTHING.exec(t);
    if (nothing) {
      const r = this.run ?? this.start(out, lineNo);
      r.readNothing = true;
      r.nothingLine = lineNo;
      return 'parsed';
    }
    // Certificate chains, session details, verify results, PEM blocks, separators: understood, not needed.
    return 'skipped';
  }
}

const samples: FormatSample[] = [
  {
    note: 'OpenSSL 3.0: the server answers with altered records (the reference incident, client side)',
    input: [
      '$ openssl s_client -connect 192.0.2.240:443 -servername app.example.test',
      'CONNECTED(00000003)',
      'depth=0 CN = app.example.test',
      'verify error:num=18:self-signed certificate',
      'verify return:1',
      '40C7D2B8E37F0000:error:0A000119:SSL routines:ssl3_get_record:decryption failed or bad record mac:../ssl/record/ssl3_record.c:622:',
      '---',
      'no peer certificate available',
      '---',
    ].join('\n'),
    records: [
      {
        type: 'client-error',
        line: 6,
        tool: 'openssl',
        target: '192.0.2.240:443',
        cause: 'bad-record-mac',
        text: 'SSL routines:ssl3_get_record: decryption failed or bad record mac',
      },
    ],
  },
  {
    note: 'OpenSSL 1.1: reset during the handshake (write:errno=104), then a run that succeeds',
    input: [
      'CONNECTED(00000003)',
      'write:errno=104',
      '---',
      'no peer certificate available',
      '---',
      'No client certificate CA names sent',
      '---',
      'SSL handshake has read 0 bytes and written 317 bytes',
      'Verification: OK',
      '---',
      'CONNECTED(00000003)',
      'depth=0 CN = app.example.test',
      '-----BEGIN CERTIFICATE-----',
      'MIIBeTCCAR+gAwIBAgIUJ3u5Vb0mX1Q2c9vS6p1mQe2o3dQwCgYIKoZIzj0EAwIw',
      '-----END CERTIFICATE-----',
      'New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384',
      'Verify return code: 18 (self-signed certificate)',
    ].join('\n'),
    records: [
      {
        type: 'client-error',
        line: 2,
        tool: 'openssl',
        cause: 'reset',
        text: 'write:errno=104 (connection reset by peer)',
      },
    ],
  },
  {
    note: 'OpenSSL 3: connection refused and timed out (no CONNECTED line), unexpected EOF',
    input: [
      '$ openssl s_client -connect 192.0.2.240:8443',
      '40F7A1B2C37F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:114:calling connect()',
      '40F7A1B2C37F0000:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:116:',
      'connect:errno=111',
      '$ openssl s_client 203.0.113.9:443',
      'connect:errno=110',
      '$ openssl s_client -connect 192.0.2.240:443',
      'CONNECTED(00000003)',
      '4027E1E5C47F0000:error:0A000126:SSL routines::unexpected eof while reading:../ssl/record/rec_layer_s3.c:317:',
    ].join('\n'),
    records: [
      {
        line: 2,
        target: '192.0.2.240:8443',
        text: 'system library:BIO_connect: Connection refused: calling connect()',
      },
      { line: 6, target: '203.0.113.9:443', text: 'connect:errno=110 (connection timed out)' },
      { line: 9, cause: 'eof', text: 'SSL routines: unexpected eof while reading' },
    ],
  },
  {
    note: 'OpenSSL 3.0 as saved with 2>&1: stderr (unbuffered) before the CONNECTED line of the same run',
    input: [
      'write:errno=104',
      'CONNECTED(00000003)',
      '---',
      'no peer certificate available',
      '---',
      'SSL handshake has read 0 bytes and written 297 bytes',
      'New, (NONE), Cipher is (NONE)',
      'Verify return code: 0 (ok)',
    ].join('\n'),
    records: [{ line: 1, cause: 'reset', text: 'write:errno=104 (connection reset by peer)' }],
  },
  {
    note: 'the server closes the connection without a word: read 0 bytes, no error line',
    input: [
      'CONNECTED(00000003)',
      '---',
      'no peer certificate available',
      '---',
      'SSL handshake has read 0 bytes and written 293 bytes',
    ].join('\n'),
    records: [{ line: 5, cause: 'eof' }],
  },
];

/** The `openssl s_client` format. */
export const openssl: TextFormat = {
  id: 'openssl',
  title: '`openssl s_client` output (OpenSSL 1.1/3.x, LibreSSL): failed handshakes and connects',
  sniff(lines) {
    let hits = 0;
    for (const l of lines.slice(0, 60)) {
      const t = uncolor(l).trim();
      const b = bannerText(l);
      if (b !== null && PROMPT.test(b)) hits += 2;
      else if (CONNECTED.test(t) || READ_NOTHING.test(t) || /^SSL handshake has read \d+ bytes/.test(t))
        hits += 2;
      else if (
        /^(?:no peer certificate available|Verification: OK|Verify return code: \d+|SSL-Session:)/.test(t)
      )
        hits++;
      else if (ERRNO.test(t) && /^connect/.test(t)) hits++;
    }
    return hits >= 2 ? Math.min(0.95, 0.6 + 0.05 * hits) : 0;
  },
  create: (ctx) => new OpensslParser(ctx),
  samples,
};
