/**
 * The line reader: line splitting, CRLF, truncation, and the "clean" flag that
 * lets parsers skip their own neutralising test. The word-at-a-time scan must
 * find exactly the bytes a byte-by-byte test finds, at every alignment.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forEachLine, LINE_CLEAN, LINE_TRUNCATED, unsafeOffsets } from '../../../parsers/text/lines.js';

/** Reference: byte-by-byte. */
function naive(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f || c === 0x5c) out.push(i);
  }
  out.push(b.length);
  return out;
}

/** Collect what forEachLine delivers. */
async function lines(chunks: Buffer[], max?: number) {
  const got: Array<{ text: string; lineNo: number; flags: number; offset: number }> = [];
  const n = await forEachLine(
    Readable.from(chunks),
    (text, lineNo, flags, offset) => got.push({ text, lineNo, flags, offset }),
    max,
  );
  return { n, got };
}

describe('unsafeOffsets', () => {
  it('agrees with a byte-by-byte scan at every alignment and byte value', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    const backing = Buffer.alloc(4096 + 8);
    for (let round = 0; round < 400; round++) {
      const off = round % 8;
      const len = rnd() % 300;
      const b = backing.subarray(off, off + len);
      for (let i = 0; i < len; i++) {
        const r = rnd() % 10;
        // Mostly printable, sometimes each kind of special byte (all ASCII).
        b[i] =
          r < 7
            ? 0x20 + (rnd() % 95)
            : [0x09, 0x0a, 0x0d, 0x00, 0x1b, 0x7f, 0x5c, 0x1f, 0x20, 0x7e][rnd() % 10];
      }
      expect(unsafeOffsets(b)).toEqual(naive(b));
    }
  });

  it('every ASCII byte value alone in every lane of a word', () => {
    for (let v = 0; v < 0x80; v++)
      for (let lane = 0; lane < 8; lane++) {
        const b = Buffer.alloc(12, 0x41);
        b[lane] = v;
        expect(unsafeOffsets(b)).toEqual(naive(b));
      }
  });
});

describe('forEachLine', () => {
  it('marks printable ASCII lines clean, others not; CRLF does not make a line dirty', async () => {
    const { n, got } = await lines([
      Buffer.from('plain\r\nback\\slash\nesc\x1b[0m\ntab\there\ncr\rmid\nla\xc3\xa9\n'),
    ]);
    expect(n).toBe(6);
    // Not all ASCII (é): the chunk is decoded line by line and nothing is marked clean.
    expect(got.map((l) => l.flags)).toEqual([0, 0, 0, 0, 0, 0]);
    const ascii = await lines([
      Buffer.from('plain\r\nback\\slash\nesc\x1b[0m\ntab\there\ncr\rmid\ndel\x7f\nend'),
    ]);
    expect(ascii.got.map((l) => [l.text, l.flags, l.offset])).toEqual([
      ['plain', LINE_CLEAN, 0],
      ['back\\slash', 0, 7],
      ['esc\x1b[0m', 0, 18],
      ['tab\there', LINE_CLEAN, 26],
      ['cr\rmid', 0, 35],
      ['del\x7f', 0, 42],
      ['end', 0, 47], // the unterminated last line comes through the slow path
    ]);
  });

  it('lines split across chunks keep their numbers and offsets; long lines are cut and flagged', async () => {
    const { got } = await lines([
      Buffer.from('ab'),
      Buffer.from('c\nde'),
      Buffer.from('f\n'),
      Buffer.from('g'),
    ]);
    expect(got.map((l) => [l.text, l.lineNo, l.offset])).toEqual([
      ['abc', 1, 0],
      ['def', 2, 4],
      ['g', 3, 8],
    ]);
    const cut = await lines([Buffer.from('0123456789\nok\n')], 4);
    expect(cut.got.map((l) => [l.text, l.flags & LINE_TRUNCATED])).toEqual([
      ['0123', LINE_TRUNCATED],
      ['ok', 0],
    ]);
  });
});
