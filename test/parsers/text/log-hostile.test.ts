/**
 * Hostile input for the log formats: 1 MiB lines of adversarial content, binary
 * garbage, invalid UTF-8, ANSI soup. No crash, no parser-error issue, bounded
 * output, every line accounted for, nothing kept with a raw control character.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT } from '../../../parsers/text/log/classify.js';
import { runTextFormat } from '../../../parsers/text/run.js';
import { traefik } from '../../../parsers/text/traefik.js';
import { type AnyRecord, checkRecord } from '../../../src/model/records/index.js';

const MiB = 1 << 20;

/** Repeat `unit` to about `n` characters, after `head`. */
function fill(head: string, unit: string, n = MiB - 64): string {
  return head + unit.repeat(Math.floor((n - head.length) / unit.length));
}

const ADVERSARIAL: Array<[string, string]> = [
  ['letters', 'a'.repeat(MiB - 1)],
  ['open braces', '{'.repeat(MiB - 1)],
  ['nested arrays in JSON', `{"level":"info","msg":"x","a":${'['.repeat(200000)}${']'.repeat(200000)}}`],
  ['unterminated JSON string', fill('{"level":"info","msg":"', 'ab')],
  ['joined JSON objects', fill('', '{"level":"info","msg":"m"}')],
  ['unterminated logfmt quote', fill('time="2024-05-01T10:00:00Z" level=info msg="', 'x ')],
  ['logfmt backslashes', fill('time="2024-05-01T10:00:00Z" level=info msg="', '\\')],
  ['many logfmt keys', fill('time="2024-05-01T10:00:00Z" level=info msg="m"', ' k=v')],
  ['repeated time keys', fill('', 'time="2024-05-01T10:00:00Z" level=info msg="m" ')],
  ['TLS markers', fill('', 'http: TLS handshake error from ')],
  ['TLS markers with addresses', fill('', 'http: TLS handshake error from [::1]:1: EOF ')],
  ['go log headers', fill('', '2017/08/03 09:39:51 ')],
  ['slashes after a go header', fill('2017/08/03 09:39:51 ', '/')],
  ['CLF quote-space soup', fill('1.2.3.4 - - [01/May/2024:10:00:00 +0000] "', '" ')],
  ['CLF quotes', fill('1.2.3.4 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "', '"')],
  ['console fields', fill('2024-05-01T10:00:00Z DBG a.go:1 > m', ' k="v v"')],
  ['console open quote', fill('2024-05-01T10:00:00Z DBG a.go:1 > m k="', 'x')],
  ['kubectl prefix brackets', fill('[pod/', 'x/')],
  ['docker service bars', fill('svc.1.x@node ', '| ')],
  ['carriage returns', fill('', 'x\r')],
  ['ANSI soup', fill('', '\x1b[31m\x1b]0;t\x07')],
  ['klog headers', fill('', 'I0501 10:00:00.000000 1 a.go:1] ')],
  ['logr pairs', fill('I0501 10:00:00.000000 1 a.go:1] ', '"k"="v" ')],
  ['logr open quote', fill('I0501 10:00:00.000000 1 a.go:1] "msg"="', '\\"')],
  ['spaces', ' '.repeat(MiB - 1)],
];

/** Run traefik over raw bytes, collecting everything. */
async function run(bytes: Buffer) {
  const out: AnyRecord[] = [];
  const res = await runTextFormat(traefik, Readable.from([bytes]), { file: 'h.log', tz: 'UTC' }, (r) =>
    out.push(r),
  );
  return { out, res };
}

/** Every string value inside a record. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe('log parsers on hostile input', () => {
  it.each(ADVERSARIAL)('1 MiB line: %s', async (_name, line) => {
    const t0 = performance.now();
    const { out, res } = await run(Buffer.from(`${line}\n`));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000);
    expect(res.parsed + res.skipped + res.issues).toBe(res.lines);
    expect(out.filter((r) => r.type === 'issue' && r.code === 'parser-error')).toEqual([]);
    expect(out.length).toBeLessThanOrEqual(4097);
    let kept = 0;
    const bad: string[] = [];
    const control = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
    for (const r of out.slice(0, 50)) expect(checkRecord(r)).toBeNull();
    for (const r of out) {
      for (const s of strings(r)) {
        if (s.length > MAX_TEXT) bad.push(`too long: ${s.length}`);
        if (control.test(s)) bad.push(`control character in ${JSON.stringify(s.slice(0, 80))}`);
        kept += s.length;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(kept).toBeLessThan(64 * MiB);
  });

  it('reports binary garbage as issues and keeps going', async () => {
    let x = 12345;
    const junk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < junk.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      junk[i] = x >>> 24;
    }
    const tail = Buffer.from('\ntime="2024-05-01T10:00:00Z" level=info msg="after the junk"\n');
    const { out, res } = await run(Buffer.concat([junk, tail]));
    expect(res.parsed + res.skipped + res.issues).toBe(res.lines);
    expect(res.issues).toBeGreaterThan(0);
    expect(
      out.filter((r) => r.type === 'issue').every((r) => (r as { code: string }).code === 'binary-line'),
    ).toBe(true);
    expect(out.at(-1)).toMatchObject({ type: 'log', message: 'after the junk' });
  });

  it('decodes invalid UTF-8 to replacement characters without losing the entry', async () => {
    const bytes = Buffer.concat([
      Buffer.from('time="2024-05-01T10:00:00Z" level=debug msg="http: TLS handshake error from 10.0.0.1:1: '),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from(' EOF"\n'),
    ]);
    const { out } = await run(bytes);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      type: 'tls-handshake-error',
      cause: 'eof',
      client: { ip: '10.0.0.1', port: 1 },
    });
  });

  it('clips what it keeps of a huge message', async () => {
    const { out } = await run(
      Buffer.from(`time="2024-05-01T10:00:00Z" level=info msg="${'m'.repeat(500000)}"\n`),
    );
    const r = out[0] as { message: string; text: string };
    expect(r.message.length).toBe(MAX_TEXT);
    expect(r.message.endsWith('…')).toBe(true);
    expect(r.text.length).toBe(MAX_TEXT);
  });
});
