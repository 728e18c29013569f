/**
 * Streaming line reader: splits a byte stream (gzip transparent) into lines
 * without holding the file, with a hard bound on line length so a 1 GB line
 * cannot exhaust memory. Invalid UTF-8 decodes to U+FFFD.
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Lines longer than this are cut; the rest of the line is discarded and reported. */
export const MAX_LINE_BYTES = 1 << 20;

/** One line handed to a consumer. `truncated` is set when the line exceeded MAX_LINE_BYTES. */
export interface Line {
  text: string;
  lineNo: number;
  truncated: boolean;
  /** Byte offset of the line start in the (decompressed) stream. */
  offset: number;
}

/** Open a file as a byte stream, transparently gunzipping when it starts with the gzip magic. */
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
  if (magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b) return raw.pipe(createGunzip());
  return raw;
}

/**
 * Call `onLine` for every line of the stream. `\n` and `\r\n` end lines; a final
 * line without newline is delivered too. Returns the number of lines.
 */
export async function forEachLine(
  stream: Readable,
  onLine: (l: Line) => void,
  maxLine: number = MAX_LINE_BYTES,
): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let carry: Buffer | null = null; // kept bytes of an unfinished line (at most maxLine)
  let carryTotal = 0; // bytes the unfinished line has so far, kept or not
  let lineNo = 0;
  let offset = 0; // offset of the current line start
  const emit = (text: string, total: number) => {
    lineNo++;
    onLine({ text, lineNo, truncated: total > maxLine, offset });
    offset += total + 1;
  };
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
    // Fast path: an all-ASCII chunk is decoded once; lines are substrings at byte offsets.
    const ascii = nl !== -1 && isAscii(chunk) ? chunk.toString('latin1') : null;
    while (nl !== -1) {
      if (carry) {
        append(chunk.subarray(start, nl));
        emit(decode(carry), carryTotal);
        carry = null;
        carryTotal = 0;
      } else {
        const len = nl - start;
        if (ascii !== null && len <= maxLine) {
          const end = len > 0 && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
          emit(ascii.substring(start, end), len);
        } else emit(decode(chunk.subarray(start, Math.min(nl, start + maxLine))), len);
      }
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) append(chunk.subarray(start));
  }
  if (carry && carryTotal > 0) emit(decode(carry), carryTotal);
  return lineNo;
}
