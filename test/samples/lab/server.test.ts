/**
 * The lab's Traefik stand-in: Node/OpenSSL errors become the messages Go's TLS stack
 * prints, and log lines have Traefik's exact shapes. The scenario table is sane.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../samples/lab/scenarios.js';
import { accessLine, clfTime, goTlsMessage, traefikLine } from '../../../samples/lab/server.js';

const EP = { localAddress: '192.0.2.240', localPort: 443, remoteAddress: '203.0.113.50', remotePort: 50432 };

describe('goTlsMessage', () => {
  it.each([
    [
      { code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', message: 'x' },
      'local error: tls: bad record MAC',
    ],
    [{ code: 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC', message: 'x' }, 'remote error: tls: bad record MAC'],
    [
      { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'x' },
      'remote error: tls: unknown certificate authority',
    ],
    [
      { code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', message: 'x' },
      'remote error: tls: unknown certificate',
    ],
    [
      {
        code: 'ECONNRESET',
        message: 'Client network socket disconnected before secure TLS connection was established',
      },
      'EOF',
    ],
    [
      { code: 'ECONNRESET', message: 'read ECONNRESET' },
      'read tcp 192.0.2.240:443->203.0.113.50:50432: read: connection reset by peer',
    ],
    [{ code: 'ERR_SSL_HTTP_REQUEST', message: 'x' }, 'client sent an HTTP request to an HTTPS server'],
    [
      { code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'x' },
      'tls: first record does not look like a TLS handshake',
    ],
    [
      {
        code: 'ERR_SSL_SOMETHING',
        message: '80:error:0A0000C1:SSL routines:tls_post_process_client_hello:no shared cipher:x.c:1',
      },
      'local error: tls: no shared cipher',
    ],
  ])('%o → %s', (err, want) => {
    expect(goTlsMessage(err, EP)).toBe(want);
  });
});

describe('log lines', () => {
  const d = new Date('2024-05-01T10:00:00.123Z');
  it('error log: logrus text format as Traefik writes it', () => {
    expect(
      traefikLine(
        d,
        'debug',
        `http: TLS handshake error from 203.0.113.50:50432: ${goTlsMessage({ code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', message: '' }, EP)}`,
      ),
    ).toBe(
      'time="2024-05-01T10:00:00Z" level=debug msg="http: TLS handshake error from 203.0.113.50:50432: local error: tls: bad record MAC"',
    );
    expect(traefikLine(d, 'info', 'a "quoted"\nline')).toBe(
      'time="2024-05-01T10:00:00Z" level=info msg="a \\"quoted\\"\\nline"',
    );
  });

  it('access log: Traefik CLF', () => {
    expect(clfTime(new Date('2024-12-03T04:05:06Z'))).toBe('[03/Dec/2024:04:05:06 +0000]');
    expect(
      accessLine({
        start: d,
        clientIp: '203.0.113.50',
        method: 'GET',
        path: '/',
        proto: 'HTTP/1.1',
        status: 200,
        size: 5,
        userAgent: 'curl/7.88.1',
        count: 1,
        durationMs: 2,
      }),
    ).toBe(
      '203.0.113.50 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/7.88.1" 1 "websecure-app@kubernetes" "http://10.42.0.5:8080" 2ms',
    );
  });
});

describe('scenario table', () => {
  it('ids unique, numbered 1..N in order, captures under their host directory with varied styles', () => {
    expect(SCENARIOS.map((s) => s.n)).toEqual(SCENARIOS.map((_, i) => i + 1));
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS)
      for (const c of s.captures) {
        expect(c.file.startsWith(`${c.host}/`)).toBe(true);
        expect(c.file.endsWith(c.tool === 'dumpcap' ? '.pcapng' : '.pcap')).toBe(true);
        if (c.tool === 'tcpdump') expect(c.ifaces).toHaveLength(1);
      }
    const styles = new Set(
      SCENARIOS.flatMap((s) =>
        s.captures.map(
          (c) => `${c.tool}:${c.ifaces.length > 1 ? 'multi' : c.ifaces[0] === 'any' ? 'any' : 'one'}`,
        ),
      ),
    );
    expect(styles).toEqual(
      new Set(['tcpdump:any', 'dumpcap:multi', 'tcpdump:one', 'dumpcap:one', 'dumpcap:any']),
    );
    expect(SCENARIOS.some((s) => s.captures.some((c) => c.host !== 'node1'))).toBe(true); // a client-side capture
  });
});
