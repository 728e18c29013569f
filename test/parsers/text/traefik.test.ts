/**
 * Traefik logs beyond the embedded samples: sniffing against the other formats,
 * coloured TTY output, wrappers, zones, and coverage of a realistic mixed file.
 */
import { describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../parsers/sniff.js';
import { traefik } from '../../../parsers/text/traefik.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';

const MIXED = [
  '\x1b[36mINFO\x1b[0m[0000] Configuration loaded from flags.',
  'time="2024-05-01T10:00:00Z" level=info msg="Traefik version 2.10.5 built on 2023-10-11T13:54:02Z"',
  'time="2024-05-01T10:00:01Z" level=debug msg="http: TLS handshake error from 192.168.56.1:51234: local error: tls: bad record MAC"',
  '192.168.56.1 - - [01/May/2024:10:00:02 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5.0" 1 "web@docker" "http://10.42.0.7:80" 2ms',
  '{"level":"error","msg":"Error while starting server: accept tcp [::]:443: use of closed network connection","time":"2024-05-01T10:00:03Z","entryPointName":"websecure"}',
  '',
  '2024-05-01T10:00:04Z DBG github.com/traefik/traefik/v3/pkg/tls/tlsmanager.go:228 > Serving default certificate for request: "app.example.test"',
];

describe('traefik', () => {
  it('wins the sniff on a mixed Traefik file, with high confidence', () => {
    const ranked = rankTextFormats(MIXED, 'traefik.log');
    expect(ranked[0].format.id).toBe('traefik');
    expect(ranked[0].confidence).toBeGreaterThan(0.85);
  });

  it('says 0 for network-state dumps and client output', () => {
    const dumps = [
      [
        'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
        '10.0.2.0/24 dev eth0 proto kernel scope link',
      ],
      ['0:\tfrom all lookup local', '32766:\tfrom all lookup main'],
      [
        '192.168.56.1 dev eth1 lladdr 0a:00:27:00:00:00 REACHABLE',
        '10.0.2.2 dev eth0 lladdr 52:54:00:12:35:02 STALE',
      ],
      [
        'PING 192.168.56.240 (192.168.56.240) 56(84) bytes of data.',
        '64 bytes from 192.168.56.240: icmp_seq=1 ttl=64 time=0.321 ms',
      ],
      [
        '*   Trying 192.168.56.240:443...',
        '* Connected to app.example.test (192.168.56.240) port 443',
        'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL',
      ],
    ];
    for (const d of dumps) expect(traefik.sniff(d, 'x.txt'), d[0]).toBe(0);
  });

  it('parses every line kind of a mixed file and accounts for every line', async () => {
    const { records, issues, counts } = await parseString(traefik, MIXED.join('\n'));
    expect(issues).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['log', 'log', 'tls-handshake-error', 'access', 'log', 'log']);
    for (const r of records) expect(checkRecord(r), JSON.stringify(r)).toBeNull();
    expect(counts).toEqual({ parsed: 6, skipped: 1, issues: 0, lines: 7 });
  });

  it('strips ANSI colour and neutralises control characters in what it keeps', async () => {
    const { records } = await parseString(
      traefik,
      '\x1b[31mERRO\x1b[0m[0003] boom \x07bell \x1b]0;title\x07 \x1b[36mproviderName\x1b[0m=docker',
    );
    expect(records).toHaveLength(1);
    const r = records[0] as { level: string; message: string; text: string; fields: Record<string, unknown> };
    expect(r.level).toBe('error');
    expect(r.fields.providerName).toBe('docker');
    const all = JSON.stringify(r);
    expect(all).not.toMatch(/\u001b|\u0007/);
    expect(r.message).toBe('boom \\x07bell');
  });

  it('neutralises escapes hidden in JSON and logfmt string escapes', async () => {
    const { records } = await parseString(
      traefik,
      [
        '{"level":"info","msg":"evil \\u001b[2J\\u001b]0;pwn\\u0007 done","time":"2024-05-01T10:00:00Z","x":"\\u009b31m"}',
        'time="2024-05-01T10:00:00Z" level=info msg="a\\x1b[31mred\\nline" k="\\u001b"',
      ].join('\n'),
    );
    expect(records).toHaveLength(2);
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    for (const r of records)
      for (const t of strings(r)) expect(t).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
    expect((records[0] as { message: string }).message).toBe('evil \\x1b[2J\\x1b]0;pwn\\x07 done');
  });

  it('takes the time of a kubectl --timestamps prefix when the entry has none (logrus TTY)', async () => {
    const { records } = await parseString(
      traefik,
      '[pod/traefik-abc/traefik] 2024-05-01T10:00:00.5Z \x1b[37mDEBU\x1b[0m[0042] http: TLS handshake error from 10.0.2.2:1: EOF',
    );
    expect(records[0]).toMatchObject({
      type: 'tls-handshake-error',
      ts: '2024-05-01T10:00:00.500000000Z',
      tsText: '2024-05-01T10:00:00.5Z',
      cause: 'eof',
    });
  });

  it('keeps pod and container from kubectl --prefix in log fields', async () => {
    const { records } = await parseString(
      traefik,
      '[pod/traefik-7d9f8b6c4-x2x9k/traefik] time="2024-05-01T10:00:00Z" level=info msg="Starting provider"',
    );
    expect(records[0]).toMatchObject({
      type: 'log',
      fields: { pod: 'traefik-7d9f8b6c4-x2x9k', container: 'traefik' },
    });
  });

  it('reads naive logfmt times in ctx.tz, zoned ones as written', async () => {
    const input = [
      'time="2024-01-15 12:00:00" level=info msg="naive"',
      'time="2024-07-15T12:00:00" level=info msg="naive summer"',
      'time="2024-01-15T12:00:00+05:30" level=info msg="zoned"',
    ].join('\n');
    const berlin = await parseString(traefik, input, { tz: 'Europe/Berlin' });
    expect(berlin.records.map((r) => (r as { ts: string }).ts)).toEqual([
      '2024-01-15T11:00:00.000000000Z',
      '2024-07-15T10:00:00.000000000Z',
      '2024-01-15T06:30:00.000000000Z',
    ]);
    const utc = await parseString(traefik, input);
    expect((utc.records[0] as { ts: string }).ts).toBe('2024-01-15T12:00:00.000000000Z');
  });

  it('splits entries joined by a bare carriage return and by a repeated time= key', async () => {
    const { records } = await parseString(
      traefik,
      [
        'time="2024-05-01T10:00:00Z" level=debug msg="http: TLS handshake error from 10.0.0.1:1: EOF"\rtime="2024-05-01T10:00:01Z" level=info msg="ok"',
        'time="2024-05-01T10:00:02Z" level=debug msg="a" time="2024-05-01T10:00:03Z" level=debug msg="b"',
      ].join('\n'),
    );
    expect(records.map((r) => [r.type, r.line, (r as { ts: string }).ts])).toEqual([
      ['tls-handshake-error', 1, '2024-05-01T10:00:00.000000000Z'],
      ['log', 1, '2024-05-01T10:00:01.000000000Z'],
      ['log', 2, '2024-05-01T10:00:02.000000000Z'],
      ['log', 2, '2024-05-01T10:00:03.000000000Z'],
    ]);
  });
});
