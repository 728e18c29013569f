/**
 * HTTP access logs: NCSA common and combined (nginx, Apache, Envoy-ish), Traefik's
 * CLF and JSON access log.
 *
 *   <client> <ident> <user> [<time>] "<method> <uri> <proto>" <status> <size> ["<referer>" "<ua>"]
 *
 * Parsing is the shared log classifier (log/classify.ts), so error lines that end
 * up in an access log still count; this definition says what makes a file an
 * access log and carries the samples.
 */
import { defineLogFormat } from './log/format.js';

/** The access-log format. */
export const accessLog = defineLogFormat({
  id: 'access-log',
  title: 'HTTP access log (common, combined, Traefik CLF and JSON)',
  sniff: {
    weights: {
      'access-clf': 0.9,
      'access-combined': 0.9,
      'access-traefik': 0.85,
      'access-json': 0.85,
      'go-std': 0.2,
      'json-log': 0.2,
      text: 0.1,
    },
    signature: ['access-clf', 'access-combined', 'access-traefik', 'access-json'],
    names: ['access'],
  },
  samples: [
    {
      note: 'common log format (Apache example)',
      input: '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      records: [
        {
          type: 'access',
          line: 1,
          ts: '2000-10-10T20:55:36.000000000Z',
          tsText: '10/Oct/2000:13:55:36 -0700',
          client: { ip: '127.0.0.1' },
          method: 'GET',
          path: '/apache_pb.gif',
          status: 200,
          durationMs: null,
          fields: { user: 'frank', proto: 'HTTP/1.0', size: 2326 },
        },
      ],
    },
    {
      note: 'combined (nginx) with IPv6 client and a quote-bearing user agent',
      input:
        '2001:db8::5 - - [01/May/2024:10:00:00 +0000] "POST /login HTTP/1.1" 302 0 "https://app.example.test/" "Mozilla/5.0 (X11; \\"Linux\\")"',
      records: [
        {
          type: 'access',
          client: { ip: '2001:db8::5' },
          method: 'POST',
          path: '/login',
          status: 302,
          fields: { referer: 'https://app.example.test/', size: 0 },
        },
      ],
    },
    {
      note: 'missing values and a malformed request line',
      input: [
        '198.51.100.7 - - [01/May/2024:10:00:01 +0000] "-" 400 - "-" "-"',
        '198.51.100.8 - - [01/May/2024:10:00:02 +0000] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"',
      ].join('\n'),
      records: [
        { type: 'access', method: null, path: null, status: 400 },
        { type: 'access', method: null, path: null, status: 400 },
      ],
    },
    {
      note: 'Traefik CLF (v1 frontend name, backend URL, duration)',
      input:
        '10.0.2.2 - - [03/Aug/2017:09:39:51 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.27" 17 "frontend-health" "http://10.42.0.9:8080" 1ms',
      records: [{ type: 'access', router: 'frontend-health', durationMs: 1, status: 200 }],
    },
    {
      note: 'hostname client: ip null',
      input: 'gateway.lan - - [01/May/2024:10:00:03 +0000] "GET / HTTP/1.1" 200 12',
      records: [{ type: 'access', client: { ip: null } }],
    },
    {
      note: 'Traefik JSON access entries: client address only; redacted host',
      input: [
        '{"ClientAddr":"[2001:db8::9]:40000","DownstreamStatus":200,"Duration":250000,"RequestMethod":"GET","RequestPath":"/","StartUTC":"2024-05-01T10:00:04Z"}',
        '{"ClientAddr":"REDACTED:40001","ClientHost":"REDACTED","DownstreamStatus":503,"Duration":0,"RequestMethod":"GET","RequestPath":"/","StartUTC":"2024-05-01T10:00:05Z"}',
      ].join('\n'),
      records: [
        { type: 'access', client: { ip: '2001:db8::9', port: 40000 }, durationMs: 0.25, status: 200 },
        { type: 'access', client: { ip: null, port: 40001 }, durationMs: 0, status: 503 },
      ],
    },
    {
      note: 'negative: an error line in the access log is a log record, not an access',
      input: [
        '10.0.0.1 - - [01/May/2024:10:00:05 +0000] "GET / HTTP/1.1" 200 5',
        '2024/05/01 10:00:06 [error] 31#31: *1 connect() failed (111: Connection refused) while connecting to upstream',
      ].join('\n'),
      records: [{ type: 'access' }, { type: 'log', ts: '2024-05-01T10:00:06.000000000Z' }],
    },
    {
      note: 'naive times in the file zone: CLF carries its own offset, so it is unaffected',
      input: '10.0.0.2 - - [01/May/2024:12:00:00 +0200] "GET /a HTTP/1.1" 204 0',
      records: [{ type: 'access', ts: '2024-05-01T10:00:00.000000000Z' }],
    },
  ],
});
