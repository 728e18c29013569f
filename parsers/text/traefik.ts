/**
 * Traefik logs, every generation and every line kind in one file:
 *
 *   v1/v2 text  time="2020-08-31T14:08:16Z" level=debug msg="http: TLS handshake error from …"
 *   v1/v2 TTY   INFO[0000] Configuration loaded from flags.        (ANSI-coloured)
 *   v2/v3 JSON  {"level":"error","msg":"…","time":"…"} / {"level":"debug","time":"…","message":"…"}
 *   v3 console  2024-05-01T10:00:00Z DBG github.com/…/server.go:245 > message key=value
 *   access      CLF with Traefik's `<count> "<router>" "<backend>" <n>ms` tail, or JSON (ClientHost, …)
 *
 * Parsing is the shared log classifier (log/classify.ts); this definition says what
 * makes a file Traefik's and carries the samples.
 */
import { defineLogFormat } from './log/format.js';

/** The Traefik log format. */
export const traefik = defineLogFormat({
  id: 'traefik',
  title: 'Traefik log (v1–v3 text, TTY, JSON, console; access lines mixed in)',
  sniff: {
    weights: {
      logfmt: 0.95,
      'logrus-tty': 0.95,
      console: 0.95,
      'json-traefik': 0.95,
      'access-traefik': 0.95,
      'access-json': 0.95,
      'json-log': 0.75,
      'bare-tls': 0.6,
      'go-std': 0.5,
      klog: 0.3,
      'access-combined': 0.5,
      'access-clf': 0.4,
      text: 0.3,
    },
    signature: ['logfmt', 'logrus-tty', 'console', 'json-traefik', 'access-traefik', 'access-json'],
    names: ['traefik'],
  },
  samples: [
    {
      note: 'v2 text: TLS handshake error, local bad record MAC (the reference incident)',
      input:
        'time="2024-05-01T10:00:00Z" level=debug msg="http: TLS handshake error from 192.168.56.1:51234: local error: tls: bad record MAC"',
      records: [
        {
          type: 'tls-handshake-error',
          line: 1,
          ts: '2024-05-01T10:00:00.000000000Z',
          client: { ip: '192.168.56.1', port: 51234 },
          side: 'local',
          cause: 'bad-record-mac',
          text: 'http: TLS handshake error from 192.168.56.1:51234: local error: tls: bad record MAC',
          tsText: '2024-05-01T10:00:00Z',
        },
      ],
    },
    {
      note: 'v1 text with zone offset and structured fields',
      input:
        'time="2017-08-03T11:39:51+02:00" level=error msg="Error creating TLS config: no such file" entryPointName=websecure providerName=file',
      records: [
        {
          type: 'log',
          ts: '2017-08-03T09:39:51.000000000Z',
          level: 'error',
          message: 'Error creating TLS config: no such file',
          fields: { entryPointName: 'websecure', providerName: 'file' },
        },
      ],
    },
    {
      note: 'v2 text, remote bad certificate, IPv6 client, fractional seconds',
      input:
        'time="2021-02-03T04:05:06.789012345Z" level=debug msg="http: TLS handshake error from [2001:db8::17]:40022: remote error: tls: bad certificate"',
      records: [
        {
          type: 'tls-handshake-error',
          ts: '2021-02-03T04:05:06.789012345Z',
          client: { ip: '2001:db8::17', port: 40022 },
          side: 'remote',
          cause: 'bad-certificate',
        },
      ],
    },
    {
      note: 'logrus TTY, coloured, relative time and trailing fields',
      input:
        '\x1b[36mINFO\x1b[0m[0000] Configuration loaded from flags.                 \x1b[36mversion\x1b[0m=2.10.5',
      records: [
        {
          type: 'log',
          ts: null,
          level: 'info',
          message: 'Configuration loaded from flags.',
          fields: { uptime: 0, version: '2.10.5' },
        },
      ],
    },
    {
      note: 'logrus TTY with full timestamp; TLS error with unknown certificate',
      input:
        'DEBU[2024-05-01T10:00:01+00:00] http: TLS handshake error from 203.0.113.9:60000: remote error: tls: unknown certificate',
      records: [
        {
          type: 'tls-handshake-error',
          ts: '2024-05-01T10:00:01.000000000Z',
          client: { ip: '203.0.113.9', port: 60000 },
          side: 'remote',
          cause: 'unknown-certificate',
        },
      ],
    },
    {
      note: 'v2 JSON (logrus): level, msg, time',
      input:
        '{"level":"error","msg":"service \\"whoami\\" error: unable to find the IP address","providerName":"docker","time":"2024-05-01T12:00:00+02:00"}',
      records: [
        {
          type: 'log',
          ts: '2024-05-01T10:00:00.000000000Z',
          level: 'error',
          message: 'service "whoami" error: unable to find the IP address',
          fields: { providerName: 'docker' },
        },
      ],
    },
    {
      note: 'v3 JSON (zerolog): message and @timestamp; TLS error becomes tls-handshake-error',
      input: [
        '{"level":"info","version":"3.0.0","time":"2024-05-01T10:00:01Z","message":"Traefik version 3.0.0 built on 2024-04-29T14:25:59Z"}',
        '{"level":"debug","@timestamp":"2024-05-01T10:00:02.5Z","message":"http: TLS handshake error from 10.42.0.1:33012: EOF"}',
      ].join('\n'),
      records: [
        { type: 'log', level: 'info', fields: { version: '3.0.0' } },
        {
          type: 'tls-handshake-error',
          ts: '2024-05-01T10:00:02.500000000Z',
          client: { ip: '10.42.0.1', port: 33012 },
          side: null,
          cause: 'eof',
        },
      ],
    },
    {
      note: 'v3 console with caller and key=value fields',
      input:
        '2024-05-01T10:00:00Z DBG github.com/traefik/traefik/v3/pkg/server/service/loadbalancer.go:245 > Service selected by WRR: 1234 serviceName=whoami@docker url="http://10.42.0.7:80"',
      records: [
        {
          type: 'log',
          ts: '2024-05-01T10:00:00.000000000Z',
          level: 'debug',
          message: 'Service selected by WRR: 1234',
          fields: {
            caller: 'github.com/traefik/traefik/v3/pkg/server/service/loadbalancer.go:245',
            serviceName: 'whoami@docker',
            url: 'http://10.42.0.7:80',
          },
        },
      ],
    },
    {
      note: 'v3 console TLS error: reset',
      input:
        '2024-05-01T10:00:03+02:00 DBG log/log.go:245 > http: TLS handshake error from 198.51.100.4:41000: read tcp 10.0.2.15:443->198.51.100.4:41000: read: connection reset by peer',
      records: [
        {
          type: 'tls-handshake-error',
          ts: '2024-05-01T08:00:03.000000000Z',
          client: { ip: '198.51.100.4', port: 41000 },
          side: null,
          cause: 'reset',
        },
      ],
    },
    {
      note: 'Traefik CLF access line',
      input:
        '192.168.56.1 - - [01/May/2024:10:00:04 +0000] "GET /api/v1/items?x=1 HTTP/2.0" 200 512 "-" "curl/8.5.0" 42 "websecure-api@kubernetescrd" "http://10.42.0.7:8080" 3ms',
      records: [
        {
          type: 'access',
          ts: '2024-05-01T10:00:04.000000000Z',
          client: { ip: '192.168.56.1' },
          method: 'GET',
          path: '/api/v1/items?x=1',
          status: 200,
          durationMs: 3,
          router: 'websecure-api@kubernetescrd',
          fields: { size: 512, userAgent: 'curl/8.5.0', requestCount: 42, backend: 'http://10.42.0.7:8080' },
        },
      ],
    },
    {
      note: 'Traefik CLF with missing values',
      input: '10.0.0.9 - - [01/May/2024:10:00:05 -0500] "-" - - "-" "-" 43 "-" "-" 0ms',
      records: [
        {
          type: 'access',
          ts: '2024-05-01T15:00:05.000000000Z',
          method: null,
          path: null,
          status: null,
          durationMs: 0,
          router: null,
        },
      ],
    },
    {
      note: 'JSON access log',
      input:
        '{"ClientAddr":"192.168.56.1:51234","ClientHost":"192.168.56.1","ClientPort":"51234","ClientUsername":"-","DownstreamContentSize":19,"DownstreamStatus":502,"Duration":1500000,"RequestMethod":"POST","RequestPath":"/login","RequestProtocol":"HTTP/1.1","RouterName":"websecure-app@docker","StartUTC":"2024-05-01T10:00:06.123456789Z","TLSVersion":"1.3","entryPointName":"websecure","level":"info","msg":"","time":"2024-05-01T10:00:06Z"}',
      records: [
        {
          type: 'access',
          ts: '2024-05-01T10:00:06.123456789Z',
          client: { ip: '192.168.56.1', port: 51234 },
          method: 'POST',
          path: '/login',
          status: 502,
          durationMs: 1.5,
          router: 'websecure-app@docker',
          fields: { TLSVersion: '1.3', entryPointName: 'websecure' },
        },
      ],
    },
    {
      note: 'a real mixed file: text, TLS, access, JSON and a blank line',
      input: [
        'time="2024-05-01T10:00:00Z" level=info msg="Configuration loaded from flags."',
        '',
        'time="2024-05-01T10:00:01Z" level=debug msg="http: TLS handshake error from 192.168.56.1:51235: EOF"',
        '192.168.56.1 - - [01/May/2024:10:00:02 +0000] "GET / HTTP/1.1" 404 19 "-" "Mozilla/5.0" 1 "-" "-" 0ms',
        '{"level":"warn","msg":"Skipping same configuration","providerName":"docker","time":"2024-05-01T10:00:03Z"}',
      ].join('\n'),
      records: [
        { type: 'log', line: 1, level: 'info' },
        { type: 'tls-handshake-error', line: 3, cause: 'eof' },
        { type: 'access', line: 4, status: 404 },
        { type: 'log', line: 5, level: 'warn' },
      ],
    },
    {
      note: 'kubectl logs --timestamps --prefix in front of Traefik text',
      input:
        '[pod/traefik-7d9f8b6c4-x2x9k/traefik] 2024-05-01T10:00:07.123456789Z time="2024-05-01T10:00:07Z" level=debug msg="http: TLS handshake error from 10.0.2.2:40001: read tcp 10.42.0.5:8443->10.0.2.2:40001: i/o timeout"',
      records: [
        {
          type: 'tls-handshake-error',
          // kubectl's nanoseconds refine Traefik's whole second.
          ts: '2024-05-01T10:00:07.123456789Z',
          client: { ip: '10.0.2.2', port: 40001 },
          cause: 'timeout',
        },
      ],
    },
    {
      note: "kubectl --timestamps a second off the entry's own zoned time: the entry's time wins",
      input:
        '2024-05-01T10:00:08.500000000Z time="2024-05-01T10:00:07Z" level=debug msg="http: TLS handshake error from 10.0.2.2:40002: EOF"',
      records: [{ type: 'tls-handshake-error', ts: '2024-05-01T10:00:07.000000000Z', cause: 'eof' }],
    },
    {
      note: 'negative: http2 preface error is a log, not a TLS handshake error',
      input:
        'time="2024-05-01T10:00:08Z" level=debug msg="http2: server: error reading preface from client 10.0.0.1:5000: read tcp 10.0.0.2:443->10.0.0.1:5000: read: connection reset by peer"',
      records: [{ type: 'log', level: 'debug' }],
    },
    {
      note: 'negative: the msg mentions TLS but is not a handshake error',
      input:
        'time="2024-05-01T10:00:09Z" level=warn msg="No TLS certificate found for domain example.test, using default"',
      records: [{ type: 'log', level: 'warn' }],
    },
    {
      note: 'free text continuation is a log with level null; binary garbage is an issue',
      input: [
        'time="2024-05-01T10:00:10Z" level=error msg="panic recovered"',
        'goroutine 1 [running]:',
        '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008',
      ].join('\n'),
      records: [
        { type: 'log', level: 'error' },
        { type: 'log', level: null, message: 'goroutine 1 [running]:' },
      ],
      issues: 1,
    },
  ],
});
