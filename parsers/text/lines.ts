/**
 * Streaming line reader: splits a byte stream (gzip transparent) into lines
 * without holding the file, with a hard bound on line length so a 1 GB line
 * cannot exhaust memory. Invalid UTF-8 decodes to U+FFFD.
 *
 * Lines of an all-ASCII chunk are read as Latin-1 (no UTF-8 decoding); the
 * chunk is also scanned once, four bytes at a time, for bytes that need
 * neutralising (controls other than TAB, DEL, backslash), so each line can be
 * handed over marked "clean" and parsers need not test it again.
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';

/** Lines longer than this are cut; the rest of the line is discarded and reported. */
export const MAX_LINE_BYTES = 1 << 20;

/** Flag: the line exceeded the maximum length and was cut. */
export const LINE_TRUNCATED = 1;
/** Flag: the line is printable ASCII and TAB only, without backslash (nothing to neutralise). */
export const LINE_CLEAN = 2;

/**
 * Receives each line: its text (without newline), 1-based number, flags
 * (LINE_TRUNCATED, LINE_CLEAN) and the byte offset of its start in the
 * (decompressed) stream.
 */
export type LineHandler = (text: string, lineNo: number, flags: number, offset: number) => void;

/** The UTF-16 encoding whose byte-order mark `bytes` start with (as Windows PowerShell writes), else null. */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** UTF-16 text (see utf16Encoding) as UTF-8; any other stream passes through as it is. */
class Utf16ToUtf8 extends Transform {
  /** undefined until the first bytes decide; null: not UTF-16. */
  private decoder: TextDecoder | null | undefined = undefined;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decoder === undefined) {
      const enc = utf16Encoding(chunk);
      // The decoder drops the byte-order mark.
      this.decoder = enc ? new TextDecoder(enc) : null;
    }
    if (this.decoder === null) done(null, chunk);
    else done(null, Buffer.from(this.decoder.decode(chunk, { stream: true })));
  }
  override _flush(done: TransformCallback): void {
    const rest = this.decoder ? this.decoder.decode() : '';
    done(null, rest ? Buffer.from(rest) : undefined);
  }
}

/**
 * Open a file as a byte stream, transparently gunzipping when it starts with the gzip
 * magic and decoding UTF-16 text to UTF-8 (line offsets are then in the UTF-8 text).
 */
export async function openMaybeGzip(path: string, head?: Buffer): Promise<Readable> {
  let magic = head;
  if (!magic) {
    const { open } = await import('node:fs/promises');
    const fh = await open(path, 'r');
    try {
      const b = Buffer.alloc(2);
      await fh.read(b, 0, 2, 0);
      magic = b;
    } finally {
      await fh.close();
    }
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // Whether gunzipped text is UTF-16 shows only once inflated.
  if (magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b)
    return raw.pipe(createGunzip()).pipe(new Utf16ToUtf8());
  return utf16Encoding(magic) ? raw.pipe(new Utf16ToUtf8()) : raw;
}

/** True when byte `b` (ASCII) would need neutralising: C0 controls except TAB/LF, DEL, backslash. */
function unsafeByte(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a) || b === 0x7f || b === 0x5c;
}

/**
 * Offsets of the bytes of an all-ASCII `buf` that need neutralising (see unsafeByte),
 * ascending, then a final `buf.length` sentinel. Tested four bytes at a time.
 */
export function unsafeOffsets(buf: Uint8Array): number[] {
  const out: number[] = [];
  const n = buf.length;
  let i = 0;
  const head = Math.min(n, (4 - ((buf.byteOffset + i) & 3)) & 3);
  for (; i < head; i++) if (unsafeByte(buf[i])) out.push(i);
  const words = (n - i) >> 2;
  if (words > 0) {
    const w = new Int32Array(buf.buffer, buf.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      const x = w[k];
      const y = x ^ 0x5c5c5c5c;
      // Any byte < 0x20, == 0x5c or == 0x7f (bytes are < 0x80, so no false negatives).
      if ((((x - 0x20202020) & ~x) | ((y - 0x01010101) & ~y) | (x + 0x01010101)) & 0x80808080) {
        const o = i + k * 4;
        for (let j = o; j < o + 4; j++) if (unsafeByte(buf[j])) out.push(j);
      }
    }
    i += words * 4;
  }
  for (; i < n; i++) if (unsafeByte(buf[i])) out.push(i);
  out.push(n);
  return out;
}

/**
 * Call `onLine` for every line of the stream. `\n` and `\r\n` end lines; a final
 * line without newline is delivered too. Returns the number of lines. `startOffset`
 * is the stream's offset in its file (a part of a file read from a line start).
 */
export async function forEachLine(
  stream: Readable,
  onLine: LineHandler,
  maxLine: number = MAX_LINE_BYTES,
  startOffset = 0,
): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let carry: Buffer | null = null; // kept bytes of an unfinished line (at most maxLine)
  let carryTotal = 0; // bytes the unfinished line has so far, kept or not
  let lineNo = 0;
  let offset = startOffset; // offset of the current line start
  const decode = (bytes: Buffer) => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    return decoder.decode(bytes.subarray(0, end));
  };
  const append = (part: Buffer) => {
    carryTotal += part.length;
    if (!carry) carry = Buffer.from(part.subarray(0, maxLine));
    else if (carry.length < maxLine) carry = Buffer.concat([carry, part.subarray(0, maxLine - carry.length)]);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    let nl = chunk.indexOf(0x0a, 0);
    // Fast path: in an all-ASCII chunk a line is its bytes read as Latin-1 (no UTF-8 decoding).
    // Each line is its own flat string: faster to scan than a slice of a chunk-sized string,
    // and records that keep it do not keep the whole chunk alive.
    const bad = nl !== -1 && isAscii(chunk) ? unsafeOffsets(chunk) : null;
    let b = 0; // index into bad: first unsafe offset not before the current line
    while (nl !== -1) {
      const len = nl - start;
      if (carry) {
        append(chunk.subarray(start, nl));
        lineNo++;
        onLine(decode(carry), lineNo, carryTotal > maxLine ? LINE_TRUNCATED : 0, offset);
        offset += carryTotal + 1;
        carry = null;
        carryTotal = 0;
      } else if (bad !== null && len <= maxLine) {
        const end = len > 0 && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
        while (bad[b] < start) b++;
        lineNo++;
        onLine(chunk.toString('latin1', start, end), lineNo, bad[b] >= end ? LINE_CLEAN : 0, offset);
        offset += len + 1;
      } else {
        lineNo++;
        onLine(
          decode(chunk.subarray(start, Math.min(nl, start + maxLine))),
          lineNo,
          len > maxLine ? LINE_TRUNCATED : 0,
          offset,
        );
        offset += len + 1;
      }
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) append(chunk.subarray(start));
  }
  if (carry && carryTotal > 0) {
    lineNo++;
    onLine(decode(carry), lineNo, carryTotal > maxLine ? LINE_TRUNCATED : 0, offset);
  }
  return lineNo;
}
