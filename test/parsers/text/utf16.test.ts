/**
 * UTF-16 text (what Windows PowerShell writes with `>`): recognised by its byte-order
 * mark, sniffed and read as the same text in UTF-8, plain or gzipped, and never cut
 * into parts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffFile, utf16Head } from '../../../parsers/sniff.js';
import { forEachLine, openMaybeGzip } from '../../../parsers/text/lines.js';
import { partCount } from '../../../src/bundle/split.js';

const dir = mkdtempSync(join(tmpdir(), 'forensic-utf16-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `text` as UTF-16 with its byte-order mark. */
function utf16(text: string, be = false): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return be ? le.swap16() : le;
}

async function lines(path: string): Promise<string[]> {
  const out: string[] = [];
  await forEachLine(await openMaybeGzip(path), (t) => out.push(t));
  return out;
}

const CURL = readFileSync(
  resolve(import.meta.dirname, '../../../samples/asymmetric-drop/client-lan/curl-v.txt'),
  'utf8',
);

describe('UTF-16 text', () => {
  it('is sniffed as the format of its text, little- and big-endian', async () => {
    for (const be of [false, true]) {
      const p = join(dir, `curl-${be ? 'be' : 'le'}.txt`);
      writeFileSync(p, utf16(CURL, be));
      const s = await sniffFile(p, 'out.txt');
      expect(s.kind === 'text' && s.format.id).toBe('curl');
      expect(s.kind === 'text' && s.utf16).toBe(true);
    }
    expect(utf16Head(Buffer.from('plain'))).toBeNull();
  });

  it('reads as the same lines as its UTF-8 original, across chunk boundaries, plain or gzipped', async () => {
    // Non-ASCII and a surrogate pair on every line; > 1 MiB, so code units straddle chunks.
    const text = Array.from({ length: 40_000 }, (_, i) => `ligne ${i} café 😀 ${'x'.repeat(i % 7)}`).join(
      '\r\n',
    );
    const want = text.split('\r\n');
    const p = join(dir, 'big.txt');
    writeFileSync(p, utf16(text));
    expect(await lines(p)).toEqual(want);
    const g = join(dir, 'big.txt.gz');
    writeFileSync(g, gzipSync(utf16(text, true)));
    expect(await lines(g)).toEqual(want);
    // Gzipped UTF-8 passes through untouched.
    const u = join(dir, 'plain.txt.gz');
    writeFileSync(u, gzipSync(Buffer.from(text)));
    expect(await lines(u)).toEqual(want);
  });

  it('is parsed whole, never cut into parts', () => {
    const task = {
      kind: 'text' as const,
      abs: '',
      rel: 'a.log',
      format: 'traefik',
      tz: 'UTC',
      bytes: 1 << 30,
    };
    expect(partCount(task, 2)).toBe(2);
    expect(partCount({ ...task, utf16: true }, 2)).toBe(1);
  });
});
