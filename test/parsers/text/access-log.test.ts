/**
 * Access logs beyond the embedded samples: sniffing, tricky request lines, and the
 * Traefik JSON access fields.
 */
import { describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../parsers/sniff.js';
import { accessLog } from '../../../parsers/text/access-log.js';
import { parseString } from '../../helpers/text.js';

describe('access-log', () => {
  it('wins the sniff on nginx combined logs; Traefik CLF goes to traefik', () => {
    const nginx = [
      '192.0.2.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"',
      '192.0.2.2 - - [01/May/2024:10:00:01 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
    ];
    expect(rankTextFormats(nginx, 'access.log')[0].format.id).toBe('access-log');
    const traefikClf = nginx.map((l) => `${l} 1 "web@docker" "http://10.42.0.7:80" 3ms`);
    expect(rankTextFormats(traefikClf, 'access.log')[0].format.id).toBe('traefik');
  });

  it('finds the end of a request line that contains quote-space sequences', async () => {
    const { records } = await parseString(
      accessLog,
      '198.51.100.1 - - [01/May/2024:10:00:00 +0000] "GET /search?q=\\" 404 HTTP/1.1" 200 10 "-" "x"',
    );
    expect(records[0]).toMatchObject({ type: 'access', method: 'GET', status: 200 });
  });

  it('rejects lines that only resemble CLF (bad date, no quotes) as plain text logs', async () => {
    const { records } = await parseString(
      accessLog,
      [
        '10.0.0.1 - - [32/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
        '10.0.0.1 - - [01/Foo/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
        '10.0.0.1 - - [01/May/2024:10:00:00 +0000] GET / 200 1',
      ].join('\n'),
    );
    expect(records.map((r) => r.type)).toEqual(['access', 'log', 'log']);
    expect((records[0] as { ts: string | null }).ts).toBeNull();
  });

  it('maps JSON access fields and keeps the others, neutralised', async () => {
    const { records } = await parseString(
      accessLog,
      '{"ClientHost":"192.0.2.9","ClientPort":"40000","DownstreamStatus":200,"Duration":3000000,"RequestMethod":"GET","RequestPath":"/\\u001b[2J","RouterName":"r@file","StartUTC":"2024-05-01T10:00:00.000000001Z","TLSVersion":"1.2","TLSCipher":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256","request_User-Agent":"curl"}',
    );
    expect(records[0]).toMatchObject({
      type: 'access',
      ts: '2024-05-01T10:00:00.000000001Z',
      client: { ip: '192.0.2.9', port: 40000 },
      path: '/\\x1b[2J',
      durationMs: 3,
      router: 'r@file',
      fields: { TLSVersion: '1.2', 'request_User-Agent': 'curl' },
    });
  });

  it('uses StartLocal with its offset when StartUTC is missing', async () => {
    const { records } = await parseString(
      accessLog,
      '{"ClientHost":"192.0.2.9","DownstreamStatus":204,"StartLocal":"2024-05-01T12:00:00.5+02:00"}',
    );
    expect(records[0]).toMatchObject({ ts: '2024-05-01T10:00:00.500000000Z', status: 204, method: null });
  });
});
