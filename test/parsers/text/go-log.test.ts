/**
 * Go server logs: the TLS handshake error classifier on its own, joined entries,
 * wrappers, klog years and zones, and sniffing against Traefik and access logs.
 */
import { describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../parsers/sniff.js';
import { goLog } from '../../../parsers/text/go-log.js';
import { classifyTls, TLS_MARKER } from '../../../parsers/text/log/tls.js';
import { textFormats } from '../../../parsers/text/registry.js';
import { parseString } from '../../helpers/text.js';

/** Classify one Go error text. */
function tls(text: string) {
  const at = text.indexOf(TLS_MARKER);
  return classifyTls(text, at, text.length);
}

describe('TLS handshake error classification', () => {
  it.each([
    ['10.255.0.11:16614: EOF', '10.255.0.11', 16614, null, 'eof'],
    ['[2001:db8::1]:443: local error: tls: bad record MAC', '2001:db8::1', 443, 'local', 'bad-record-mac'],
    [
      '[fe80::1%eth1]:5000: remote error: tls: bad certificate',
      'fe80::1%eth1',
      5000,
      'remote',
      'bad-certificate',
    ],
    ['[::ffff:192.0.2.1]:1: EOF', '::ffff:192.0.2.1', 1, null, 'eof'],
    ['REDACTED:1234: EOF', null, 1234, null, 'eof'],
    ['x.x.x.x:1234: EOF', null, 1234, null, 'eof'],
    ['<ip>:1234: EOF', null, 1234, null, 'eof'],
    ['[REDACTED]:99: EOF', null, 99, null, 'eof'],
    ['10.0.0.1:99999: EOF', '10.0.0.1', undefined, null, 'eof'],
    ['256.1.1.1:80: EOF', null, 80, null, 'eof'],
    ['10.0.0.1:80: remote error: tls: unknown certificate', '10.0.0.1', 80, 'remote', 'unknown-certificate'],
    ['10.0.0.1:80: tls: no application protocol', '10.0.0.1', 80, null, 'no-alpn'],
    ['10.0.0.1:80: remote error: tls: no application protocol', '10.0.0.1', 80, 'remote', 'no-alpn'],
    ['10.0.0.1:80: tls: client sent no certificate', '10.0.0.1', 80, null, 'no-client-cert'],
    ['10.0.0.1:80: tls: first record does not look like a TLS handshake', '10.0.0.1', 80, null, 'not-tls'],
    [
      '10.0.0.1:80: read tcp 10.0.0.2:443->10.0.0.1:80: read: connection reset by peer',
      '10.0.0.1',
      80,
      null,
      'reset',
    ],
    ['10.0.0.1:80: read tcp 10.0.0.2:443->10.0.0.1:80: i/o timeout', '10.0.0.1', 80, null, 'timeout'],
    ['10.0.0.1:80: tls: unsupported SSLv2 handshake received', '10.0.0.1', 80, null, 'other'],
    ['', null, undefined, null, 'other'],
  ])('%s', (rest, ip, port, side, cause) => {
    const { server, ...got } = tls(`http: TLS handshake error from ${rest}`);
    expect(got).toEqual({ ip, port, side, cause });
    // Go's `read tcp SERVER->CLIENT` names the server's end.
    expect(server).toEqual(
      rest.includes('read tcp 10.0.0.2:443->') ? { ip: '10.0.0.2', port: 443 } : undefined,
    );
  });
});

describe('go-log', () => {
  it('sniffs plain Go logs as go-log, not traefik or access-log', () => {
    const head = [
      '2017/08/03 09:39:50 Starting server on :8443',
      '2017/08/03 09:39:51 server.go:2753: http: TLS handshake error from 10.255.0.11:16614: EOF',
    ];
    const ranked = rankTextFormats(head, 'app.log');
    expect(ranked[0].format.id).toBe('go-log');
    expect(ranked[0].confidence).toBeGreaterThan(0.8);
    expect(ranked.find((r) => r.format.id === 'traefik')).toBeUndefined();
  });

  it('sniffs klog and zap JSON as go-log', () => {
    expect(
      rankTextFormats(
        ['I0501 10:00:00.123456       1 log.go:184] http: TLS handshake error from 10.0.0.1:1: EOF'],
        'x',
      )[0].format.id,
    ).toBe('go-log');
    expect(
      rankTextFormats(['{"level":"info","ts":1714557600.5,"caller":"a.go:1","msg":"started"}'], 'x')[0].format
        .id,
    ).toBe('go-log');
  });

  it('leaves klog and JSON logs of more specific components to their own formats', () => {
    const cases: Array<[string, string]> = [
      [
        'cert-manager',
        'I0501 10:00:00.000000       1 controller.go:152] cert-manager/certificates-issuing "msg"="syncing item"',
      ],
      [
        'metallb',
        '{"caller":"announcer.go:126","event":"serviceAnnounced","ips":["192.168.56.240"],"level":"info","msg":"service has IP, announcing","ts":"2024-05-01T10:00:00Z"}',
      ],
    ];
    for (const [id, line] of cases) {
      if (!textFormats.has(id)) continue; // that format is not registered (yet)
      expect(rankTextFormats([line], 'x.log')[0].format.id, id).toBe(id);
    }
  });

  it('does not take a plain `word | ` for a docker prefix', async () => {
    const { records } = await parseString(goLog, 'status | ok');
    expect(records[0]).toMatchObject({ type: 'log', message: 'status | ok', fields: {} });
  });

  it('keeps stern pod and container in log fields', async () => {
    const { records } = await parseString(
      goLog,
      'web-7c6d5f-abcde web 2024/05/01 10:00:00 listening on :8443',
    );
    expect(records[0]).toMatchObject({
      type: 'log',
      message: 'listening on :8443',
      fields: { pod: 'web-7c6d5f-abcde', container: 'web' },
    });
  });

  it('splits three go log entries joined on one line, with and without spaces', async () => {
    const line =
      '2017/08/03 09:39:51 http: TLS handshake error from 10.0.0.1:1: EOF 2017/08/03 09:39:52 listening 2017/08/03 09:39:53 server.go:1: http: TLS handshake error from 10.0.0.3:3: EOF';
    const { records, counts } = await parseString(goLog, line);
    expect(records.map((r) => [r.type, (r as { ts: string }).ts])).toEqual([
      ['tls-handshake-error', '2017-08-03T09:39:51.000000000Z'],
      ['log', '2017-08-03T09:39:52.000000000Z'],
      ['tls-handshake-error', '2017-08-03T09:39:53.000000000Z'],
    ]);
    expect((records[1] as { message: string }).message).toBe('listening');
    expect(counts.parsed).toBe(1);
  });

  it('splits joined JSON objects', async () => {
    const { records } = await parseString(
      goLog,
      '{"level":"info","msg":"http: TLS handshake error from 10.0.0.1:1: EOF","ts":1714557600}{"level":"warn","msg":"x}{y","ts":1714557601} {"level":"info","msg":"z","ts":1714557602}',
    );
    expect(records.map((r) => r.type)).toEqual(['tls-handshake-error', 'log', 'log']);
    expect((records[1] as { message: string }).message).toBe('x}{y');
  });

  it('reads naive Go log times in ctx.tz', async () => {
    const { records } = await parseString(goLog, '2024/03/31 03:30:00 after the spring change', {
      tz: 'Europe/Berlin',
    });
    expect((records[0] as { ts: string }).ts).toBe('2024-03-31T01:30:00.000000000Z');
  });

  it('gives klog lines a time only when a year is known', async () => {
    const line = 'W0501 10:00:00.000001   7 reflector.go:1] watch ended';
    const none = await parseString(goLog, line);
    expect(none.records[0]).toMatchObject({
      type: 'log',
      ts: null,
      level: 'warn',
      tsText: '0501 10:00:00.000001',
    });
    const withYear = await parseString(goLog, line, { year: 2023 });
    expect(withYear.records[0]).toMatchObject({ ts: '2023-05-01T10:00:00.000001000Z' });
  });

  it('handles docker -t and kubectl --timestamps prefixes on bare lines', async () => {
    const { records } = await parseString(
      goLog,
      [
        '2024-05-01T10:00:00.000000001Z http: TLS handshake error from 10.0.0.1:1: EOF',
        '2024-05-01T12:00:00+02:00 {"level":"info","msg":"no time of its own"}',
      ].join('\n'),
    );
    expect(records.map((r) => (r as { ts: string }).ts)).toEqual([
      '2024-05-01T10:00:00.000000001Z',
      '2024-05-01T10:00:00.000000000Z',
    ]);
  });

  it('handles docker compose prefixes and stern with timestamps', async () => {
    const { records } = await parseString(
      goLog,
      [
        'web-1  | 2024/05/01 10:00:00 http: TLS handshake error from 10.0.0.1:1: EOF',
        'web-7c6d5f-abcde web 2024-05-01T10:00:01Z 2024/05/01 10:00:01 server.go:1: http: TLS handshake error from 10.0.0.2:2: EOF',
      ].join('\n'),
    );
    expect(records.map((r) => [r.type, (r as { ts: string }).ts])).toEqual([
      ['tls-handshake-error', '2024-05-01T10:00:00.000000000Z'],
      ['tls-handshake-error', '2024-05-01T10:00:01.000000000Z'],
    ]);
  });

  it('keeps unrecognised text lines as level-null logs and counts them', async () => {
    const { records, counts } = await parseString(
      goLog,
      ['2024/05/01 10:00:00 panic: runtime error', 'goroutine 1 [running]:', '\tmain.main()', ''].join('\n'),
    );
    expect(records.map((r) => (r as { level: string | null }).level)).toEqual([null, null, null]);
    expect(counts).toEqual({ parsed: 3, skipped: 0, issues: 0, lines: 3 });
  });
});
