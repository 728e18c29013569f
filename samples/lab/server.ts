/**
 * The lab's stand-in for Traefik: a small Node `https` server on node1 whose error
 * log uses Traefik v2's text format (logrus) and whose access log uses Traefik's
 * CLF. Node/OpenSSL errors are translated to the messages Go's crypto/tls and
 * net/http would produce, since that is what Traefik prints:
 *
 * ```
 * time="2026-05-01T10:00:00Z" level=debug msg="http: TLS handshake error from 203.0.113.50:50432: local error: tls: bad record MAC"
 * 203.0.113.50 - - [01/May/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1" 1 "websecure-app@kubernetes" "http://10.42.0.5:8080" 2ms
 * ```
 *
 * Run: `node server.js --cert C --key K --error-log E --access-log A [--port 443] [--host ::]`;
 * prints `ready` on stdout once listening. IPv6 endpoints are written `[addr]:port`, as Go
 * (net.JoinHostPort) writes them.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** Go's text for TLS alerts (crypto/tls alert.go), keyed by OpenSSL's alert reason. */
const ALERTS: Record<string, string> = {
  BAD_RECORD_MAC: 'bad record MAC',
  CERTIFICATE_UNKNOWN: 'unknown certificate',
  BAD_CERTIFICATE: 'bad certificate',
  UNKNOWN_CA: 'unknown certificate authority',
  HANDSHAKE_FAILURE: 'handshake failure',
  DECODE_ERROR: 'error decoding message',
  DECRYPT_ERROR: 'error decrypting message',
  PROTOCOL_VERSION: 'protocol version not supported',
  ILLEGAL_PARAMETER: 'illegal parameter',
  UNEXPECTED_MESSAGE: 'unexpected message',
  INTERNAL_ERROR: 'internal error',
  NO_APPLICATION_PROTOCOL: 'no application protocol',
  CERTIFICATE_EXPIRED: 'expired certificate',
  USER_CANCELLED: 'user canceled',
};

/** Connection endpoints as Go prints them in `read tcp L->R` errors. */
export interface Endpoints {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
}

/** `addr:port`, or `[addr]:port` for an IPv6 address (Go's net.JoinHostPort). */
export function hostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/**
 * The message Go's TLS server would report for the error Node reported. Returns
 * the part after `http: TLS handshake error from IP:PORT: `.
 */
export function goTlsMessage(err: { code?: string; message: string }, ep: Endpoints): string {
  const code = err.code ?? '';
  if (code === 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC' || code === 'ERR_SSL_BAD_RECORD_MAC')
    return 'local error: tls: bad record MAC';
  const alert = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(\w+)$/.exec(code);
  if (alert) return `remote error: tls: ${ALERTS[alert[1]] ?? alert[1].toLowerCase().replace(/_/g, ' ')}`;
  if (code === 'ECONNRESET') {
    // Node reports a peer that closed before the handshake as ECONNRESET with this text; Go says EOF.
    if (/disconnected before secure TLS connection/.test(err.message)) return 'EOF';
    return `read tcp ${hostPort(ep.localAddress, ep.localPort)}->${hostPort(ep.remoteAddress, ep.remotePort)}: read: connection reset by peer`;
  }
  if (code === 'ETIMEDOUT' || code === 'ERR_SOCKET_TIMEOUT')
    return `read tcp ${hostPort(ep.localAddress, ep.localPort)}->${hostPort(ep.remoteAddress, ep.remotePort)}: i/o timeout`;
  if (code === 'ERR_SSL_HTTP_REQUEST') return 'client sent an HTTP request to an HTTPS server';
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_UNKNOWN_PROTOCOL')
    return 'tls: first record does not look like a TLS handshake';
  if (code === 'ERR_SSL_NO_SHARED_CIPHER') return 'tls: no cipher suite supported by both client and server';
  if (code === 'ERR_SSL_UNSUPPORTED_PROTOCOL') return 'tls: client offered only unsupported versions';
  const reason = /:SSL routines:[^:]*:([^:]+)/.exec(err.message)?.[1];
  return `local error: tls: ${reason ?? err.message}`;
}

/** logrus/Traefik text time: RFC 3339 in UTC without fractions. */
export function traefikTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** One Traefik error-log line (logrus text format; `msg` quoted with Go escaping). */
export function traefikLine(d: Date, level: string, msg: string): string {
  return `time="${traefikTime(d)}" level=${level} msg=${JSON.stringify(msg)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** CLF time `[02/Jan/2006:15:04:05 +0000]` in UTC. */
export function clfTime(d: Date): string {
  return `[${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000]`;
}

/** Fields of one access-log entry. */
export interface AccessEntry {
  start: Date;
  clientIp: string;
  method: string;
  path: string;
  proto: string;
  status: number;
  size: number;
  userAgent: string;
  count: number;
  durationMs: number;
}

/** Traefik's CLF access line (router and backend as a Kubernetes ingress would name them). */
export function accessLine(e: AccessEntry): string {
  const q = (s: string) => JSON.stringify(s || '-');
  return `${e.clientIp} - - ${clfTime(e.start)} "${e.method} ${e.path} ${e.proto}" ${e.status} ${e.size} "-" ${q(e.userAgent)} ${e.count} "websecure-app@kubernetes" "http://10.42.0.5:8080" ${e.durationMs}ms`;
}

/** Start the server; resolves once listening. */
export function serve(opts: {
  cert: string;
  key: string;
  errorLog: string;
  accessLog: string;
  port: number;
  /** Address to listen on (default 0.0.0.0; `::` for the IPv6 scenario). */
  host?: string;
}): Promise<void> {
  const err = (level: string, msg: string) =>
    appendFileSync(opts.errorLog, `${traefikLine(new Date(), level, msg)}\n`);
  err('info', 'Traefik version 2.11.2 built on 2024-04-11T13:44:42Z');
  err('info', '\nStats collection is disabled.\nHelp us improve Traefik by turning this feature on :)\n');
  err('info', 'Starting provider aggregator aggregator.ProviderAggregator');
  err('info', `Starting provider *crd.Provider`);
  const endpoints = new WeakMap<Socket, Endpoints>();
  let count = 0;
  const server = createServer(
    { cert: readFileSync(opts.cert), key: readFileSync(opts.key), ALPNProtocols: ['http/1.1'] },
    (req, res) => {
      const start = new Date();
      const body = 'ok\n';
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(body, () => {
        appendFileSync(
          opts.accessLog,
          `${accessLine({
            start,
            clientIp: req.socket.remoteAddress ?? '-',
            method: req.method ?? '-',
            path: req.url ?? '-',
            proto: `HTTP/${req.httpVersion}`,
            status: res.statusCode,
            size: Buffer.byteLength(body),
            userAgent: req.headers['user-agent'] ?? '',
            count: ++count,
            durationMs: Math.max(0, Date.now() - start.getTime()),
          })}\n`,
        );
      });
    },
  );
  server.on('connection', (s: Socket) => {
    endpoints.set(s, {
      localAddress: s.localAddress ?? '',
      localPort: s.localPort ?? 0,
      remoteAddress: s.remoteAddress ?? '',
      remotePort: s.remotePort ?? 0,
    });
  });
  server.on('tlsClientError', (e: NodeJS.ErrnoException, tls) => {
    const raw = (tls as unknown as { _parent?: Socket })._parent;
    const ep = (raw && endpoints.get(raw)) ?? {
      localAddress: tls.localAddress ?? '',
      localPort: tls.localPort ?? 0,
      remoteAddress: tls.remoteAddress ?? '',
      remotePort: tls.remotePort ?? 0,
    };
    err(
      'debug',
      `http: TLS handshake error from ${hostPort(ep.remoteAddress, ep.remotePort)}: ${goTlsMessage(e, ep)}`,
    );
  });
  return new Promise((resolve) => server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve()));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cert: { type: 'string' },
      key: { type: 'string' },
      'error-log': { type: 'string' },
      'access-log': { type: 'string' },
      port: { type: 'string', default: '443' },
      host: { type: 'string', default: '0.0.0.0' },
    },
  });
  if (!values.cert || !values.key || !values['error-log'] || !values['access-log']) {
    process.stderr.write(
      'usage: server.js --cert C --key K --error-log E --access-log A [--port N] [--host ADDR]\n',
    );
    process.exit(2);
  }
  await serve({
    cert: values.cert,
    key: values.key,
    errorLog: values['error-log'],
    accessLog: values['access-log'],
    port: Number(values.port),
    host: values.host,
  });
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write('ready\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
