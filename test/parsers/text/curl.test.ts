import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curl, curlTlsCause } from '../../../parsers/text/curl.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { parseString, subsetMismatch } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

const fx = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures/curl', `curl-7.88-${name}.txt`), 'utf8');

describe('curl samples', () => sampleCases(curl));

describe('curl 7.88.1 real output (fixtures/curl)', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown> | null]> = [
    [
      'ok',
      {
        connected: true,
        server: { ip: '192.0.2.102', port: 443 },
        tlsVersion: 'TLSv1.3',
        httpStatus: 200,
        alerts: [
          { dir: 'in', desc: 'close notify' },
          { dir: 'out', desc: 'close notify' },
        ],
      },
      null,
    ],
    [
      'flip',
      {
        connected: true,
        tlsVersion: 'TLSv1.3',
        alerts: [{ dir: 'out', version: 'TLSv1.3', desc: 'bad record mac' }],
        exitCode: 56,
        cause: 'bad-record-mac',
        method: 'GET',
      },
      { code: 56, cause: 'bad-record-mac' },
    ],
    [
      'close',
      { connected: true, lastTls: 'TLSv1.3 (OUT) Client hello', exitCode: 35, cause: 'eof' },
      {
        code: 35,
        cause: 'eof',
        text: 'OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to vip.example:9443',
      },
    ],
    ['plain', { connected: true, exitCode: 35, cause: 'not-tls' }, { code: 35, cause: 'not-tls' }],
    ['refused', { connected: false, tried: ['192.0.2.102:444'], exitCode: 7 }, { code: 7 }],
    ['netunreach', { connected: false, tried: ['203.0.113.9:443'], exitCode: 7 }, { code: 7 }],
    ['timeout', { connected: false, tried: ['192.0.2.77:443'], exitCode: 28 }, { code: 28 }],
  ];
  it.each(cases)('%s', async (name, summary, err) => {
    const text = fx(name);
    expect(curl.sniff(text.split('\n'), `${name}.txt`)).toBeGreaterThanOrEqual(0.85);
    const { records, issues, counts } = await parseString(curl, text);
    expect(issues).toEqual([]);
    expect(counts.parsed + counts.skipped).toBe(counts.lines);
    for (const r of records) expect(checkRecord(r), JSON.stringify(r)).toBeNull();
    expect(records.length).toBe(err ? 2 : 1);
    expect(subsetMismatch(records[0], { type: 'curl', ...summary })).toBeNull();
    if (err) {
      expect(subsetMismatch(records[1], { type: 'client-error', tool: 'curl', ...err })).toBeNull();
      expect(records[1].line).toBe(counts.lines);
    }
    // no TLS cause for failures that never reached TLS
    if (['refused', 'netunreach', 'timeout'].includes(name)) expect(records[0]).not.toHaveProperty('cause');
  });

  it('splits a file holding every invocation into one summary each', async () => {
    const names = ['ok', 'flip', 'close', 'plain', 'refused', 'netunreach', 'timeout'];
    const text = names.map((n) => `$ curl -vk https://vip.example/${n}\n${fx(n)}`).join('');
    const { records, issues } = await parseString(curl, text);
    expect(issues).toEqual([]);
    const sums = records.filter((r) => r.type === 'curl');
    expect(sums.map((r) => (r as { url?: string }).url)).toEqual(
      names.map((n) => `https://vip.example/${n}`),
    );
    expect(
      records.filter((r) => r.type === 'client-error').map((r) => (r as { code?: number }).code),
    ).toEqual([56, 35, 35, 7, 7, 28]);
  });

  it('splits back-to-back invocations without prompts', async () => {
    const { records } = await parseString(curl, fx('ok') + fx('refused') + fx('ok'));
    expect(records.map((r) => r.type)).toEqual(['curl', 'curl', 'client-error', 'curl']);
  });
});

describe('curlTlsCause', () => {
  it.each([
    ['error:0A000119:SSL routines::decryption failed or bad record mac', false, 'bad-record-mac'],
    ['OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to x:443', false, 'eof'],
    ['OpenSSL SSL_connect: Connection reset by peer in connection to x:443', false, 'reset'],
    ['SSL certificate problem: unable to get local issuer certificate', false, 'unknown-certificate'],
    ['SSL: no alternative certificate subject name matches target host name', false, 'bad-certificate'],
    ['alert no application protocol', true, 'no-alpn'],
    ['Recv failure: Connection reset by peer', false, undefined],
    ['Recv failure: Connection reset by peer', true, 'reset'],
  ] as const)('%s (tls=%s) → %s', (text, tls, cause) => {
    expect(curlTlsCause(text, tls)).toBe(cause);
  });

  it('sniffs 0 for unrelated text', () => {
    expect(curl.sniff(['hello', 'PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.'], 'x')).toBe(0);
  });
});
