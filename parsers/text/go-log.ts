/**
 * Logs of Go servers, where `net/http` reports TLS handshake errors, in any wrapper:
 *
 *   plain log   2017/08/03 09:39:51 server.go:2753: http: TLS handshake error from 10.255.0.11:16614: EOF
 *   klog        I0803 09:39:51.123456       1 log.go:184] http: TLS handshake error from …
 *   zap/zerolog {"level":"info","ts":1714557600.5,"caller":"…","msg":"http: TLS handshake error from …"}
 *   bare        http: TLS handshake error from 10.0.0.1:443: EOF
 *   wrappers    kubectl logs --timestamps/--prefix, docker logs -t, docker service logs, stern
 *
 * Parsing is the shared log classifier (log/classify.ts); this definition says what
 * makes a file a Go server log and carries the samples.
 */
import { defineLogFormat } from './log/format.js';

/** The Go server log format. */
export const goLog = defineLogFormat({
  id: 'go-log',
  title: 'Go server log (log, klog, zap/zerolog JSON; net/http TLS handshake errors)',
  sniff: {
    weights: {
      // klog and JSON are also what more specific formats (cert-manager, metallb) read: stay below them.
      'go-std': 0.9,
      klog: 0.8,
      'json-log': 0.6,
      'bare-tls': 0.85,
      'json-traefik': 0.6,
      logfmt: 0.6,
      console: 0.5,
      'logrus-tty': 0.5,
      'access-clf': 0.3,
      'access-combined': 0.3,
      text: 0.3,
    },
    signature: ['go-std', 'klog', 'json-log', 'bare-tls'],
  },
  samples: [
    {
      note: 'plain log with Lshortfile: the issue example',
      input: '2017/08/03 09:39:51 server.go:2753: http: TLS handshake error from 10.255.0.11:16614: EOF',
      records: [
        {
          type: 'tls-handshake-error',
          line: 1,
          ts: '2017-08-03T09:39:51.000000000Z',
          client: { ip: '10.255.0.11', port: 16614 },
          side: null,
          cause: 'eof',
          text: 'http: TLS handshake error from 10.255.0.11:16614: EOF',
          tsText: '2017/08/03 09:39:51',
        },
      ],
    },
    {
      note: 'plain log, microseconds, no caller, not TLS',
      input: '2017/08/03 09:39:52.123456 Listening on :8443',
      records: [
        {
          type: 'log',
          ts: '2017-08-03T09:39:52.123456000Z',
          level: null,
          message: 'Listening on :8443',
          fields: {},
        },
      ],
    },
    {
      note: 'each cause of the TLS table',
      input: [
        '2017/08/03 09:40:00 http: TLS handshake error from 10.0.0.1:1001: local error: tls: bad record MAC',
        '2017/08/03 09:40:01 http: TLS handshake error from 10.0.0.1:1002: tls: first record does not look like a TLS handshake',
        '2017/08/03 09:40:02 http: TLS handshake error from 10.0.0.1:1003: tls: no application protocol',
        "2017/08/03 09:40:03 http: TLS handshake error from 10.0.0.1:1004: tls: client didn't provide a certificate",
        '2017/08/03 09:40:04 http: TLS handshake error from 10.0.0.1:1005: remote error: tls: unknown certificate authority',
        '2017/08/03 09:40:05 http: TLS handshake error from 10.0.0.1:1006: remote error: tls: bad certificate',
        '2017/08/03 09:40:06 http: TLS handshake error from 10.0.0.1:1007: read tcp 10.0.0.2:443->10.0.0.1:1007: read: connection reset by peer',
        '2017/08/03 09:40:07 http: TLS handshake error from 10.0.0.1:1008: read tcp 10.0.0.2:443->10.0.0.1:1008: i/o timeout',
        '2017/08/03 09:40:08 http: TLS handshake error from 10.0.0.1:1009: tls: client offered only unsupported versions: [302 301]',
        '2017/08/03 09:40:09 http: TLS handshake error from 10.0.0.1:1010: client sent no certificate',
        '2017/08/03 09:40:10 http: TLS handshake error from 10.0.0.1:1011: unexpected EOF',
      ].join('\n'),
      records: [
        { cause: 'bad-record-mac', side: 'local', client: { port: 1001 } },
        { cause: 'not-tls', side: null },
        { cause: 'no-alpn' },
        { cause: 'no-client-cert' },
        { cause: 'unknown-certificate', side: 'remote' },
        { cause: 'bad-certificate', side: 'remote' },
        { cause: 'reset' },
        { cause: 'timeout' },
        { cause: 'other' },
        { cause: 'no-client-cert' },
        { cause: 'eof', client: { ip: '10.0.0.1', port: 1011 } },
      ],
    },
    {
      note: 'redacted client addresses keep the port, ip is null',
      input: [
        'http: TLS handshake error from REDACTED:1234: EOF',
        'http: TLS handshake error from x.x.x.x:443: EOF',
        'http: TLS handshake error from <ip>:5555: local error: tls: bad record MAC',
        'http: TLS handshake error from [REDACTED]:8443: EOF',
      ].join('\n'),
      records: [
        { type: 'tls-handshake-error', ts: null, client: { ip: null, port: 1234 } },
        { client: { ip: null, port: 443 } },
        { client: { ip: null, port: 5555 }, cause: 'bad-record-mac' },
        { client: { ip: null, port: 8443 } },
      ],
    },
    {
      note: 'two entries joined on one physical line are two records',
      input:
        '2017/08/03 09:39:51 server.go:2753: http: TLS handshake error from 10.255.0.11:16614: EOF2017/08/03 09:39:52 server.go:2753: http: TLS handshake error from 10.255.0.12:16615: local error: tls: bad record MAC',
      records: [
        {
          type: 'tls-handshake-error',
          ts: '2017-08-03T09:39:51.000000000Z',
          cause: 'eof',
          client: { ip: '10.255.0.11' },
        },
        {
          type: 'tls-handshake-error',
          ts: '2017-08-03T09:39:52.000000000Z',
          cause: 'bad-record-mac',
          client: { ip: '10.255.0.12' },
        },
      ],
    },
    {
      note: 'bare entries joined without header',
      input: 'http: TLS handshake error from 10.0.0.1:1: EOF http: TLS handshake error from 10.0.0.2:2: EOF',
      records: [
        {
          type: 'tls-handshake-error',
          client: { ip: '10.0.0.1', port: 1 },
          text: 'http: TLS handshake error from 10.0.0.1:1: EOF',
        },
        { type: 'tls-handshake-error', client: { ip: '10.0.0.2', port: 2 } },
      ],
    },
    {
      note: 'klog (kube-apiserver style), klog structured and logr pairs; year from an earlier absolute timestamp',
      input: [
        '2024/05/01 09:59:59 starting',
        'I0501 10:00:00.123456       1 log.go:184] http: TLS handshake error from 10.0.2.15:36000: remote error: tls: bad certificate',
        'E0501 10:00:01.000001   12345 controller.go:114] "Failed to sync" err="timeout" key="default/web"',
        'I0501 10:00:02.000000       1 sync.go:42] "msg"="syncing item" "key"="default/web" "attempt"=2',
      ].join('\n'),
      records: [
        { type: 'log', message: 'starting' },
        {
          type: 'tls-handshake-error',
          ts: '2024-05-01T10:00:00.123456000Z',
          client: { ip: '10.0.2.15', port: 36000 },
          side: 'remote',
          cause: 'bad-certificate',
        },
        {
          type: 'log',
          ts: '2024-05-01T10:00:01.000001000Z',
          level: 'error',
          message: 'Failed to sync',
          fields: { caller: 'controller.go:114', err: 'timeout', key: 'default/web' },
        },
        {
          type: 'log',
          level: 'info',
          message: 'syncing item',
          fields: { caller: 'sync.go:42', key: 'default/web', attempt: '2' },
        },
      ],
    },
    {
      note: 'zap JSON with epoch seconds',
      input:
        '{"level":"info","ts":1714557600.5,"caller":"server/main.go:88","msg":"http: TLS handshake error from 192.0.2.10:5000: EOF"}',
      records: [
        { type: 'tls-handshake-error', ts: '2024-05-01T10:00:00.500000000Z', client: { ip: '192.0.2.10' } },
      ],
    },
    {
      note: 'zerolog JSON with a non-TLS message and nested fields',
      input:
        '{"level":"warn","req":{"method":"GET","uri":"/x"},"time":"2024-05-01T10:00:00Z","message":"slow request"}',
      records: [
        {
          type: 'log',
          ts: '2024-05-01T10:00:00.000000000Z',
          level: 'warn',
          message: 'slow request',
          fields: { req: { method: 'GET', uri: '/x' } },
        },
      ],
    },
    {
      note: 'docker logs -t prefix on a plain log line (prefix time is absolute, wins over naive)',
      input:
        '2024-05-01T10:00:00.987654321Z 2024/05/01 12:00:00 http: TLS handshake error from 172.17.0.1:40000: EOF',
      records: [
        {
          type: 'tls-handshake-error',
          ts: '2024-05-01T10:00:00.987654321Z',
          tsText: '2024-05-01T10:00:00.987654321Z',
        },
      ],
    },
    {
      note: 'docker service logs prefix',
      input:
        'web_web.1.q6xk3x8c2x1p@node-1    | 2024/05/01 10:00:00 http: TLS handshake error from 10.255.0.2:50000: local error: tls: bad record MAC',
      records: [
        { type: 'tls-handshake-error', cause: 'bad-record-mac', client: { ip: '10.255.0.2', port: 50000 } },
      ],
    },
    {
      note: 'stern prefix (pod container message)',
      input:
        'web-5f7c9d8b9-abcde web 2024/05/01 10:00:00 server.go:3195: http: TLS handshake error from 10.42.0.1:50001: EOF',
      records: [
        { type: 'tls-handshake-error', ts: '2024-05-01T10:00:00.000000000Z', client: { port: 50001 } },
      ],
    },
    {
      note: 'negatives: similar-looking lines are plain logs',
      input: [
        '2024/05/01 10:00:00 http2: server: error reading preface from client 10.0.0.1:5000: read tcp 10.0.0.2:443->10.0.0.1:5000: i/o timeout',
        '2024/05/01 10:00:01 http: Accept error: accept tcp [::]:443: accept4: too many open files; retrying in 5ms',
        '2024/05/01 10:00:02 tls: failed to verify certificate: x509: certificate signed by unknown authority',
        '2024/05/01 10:00:03 metrics: counted TLS handshake error from clients: 12',
      ].join('\n'),
      records: [{ type: 'log' }, { type: 'log' }, { type: 'log' }, { type: 'log' }],
    },
  ],
});
