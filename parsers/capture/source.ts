/**
 * Chunked byte source for the capture readers: reusable buffers (two for a plain
 * file, one for a gunzip stream) filled by large reads and consumed in place. Bytes
 * are never accumulated: only the unconsumed tail is carried into the next buffer,
 * and a buffer only grows when a single record is larger than it, and then only as
 * far as data actually arrives (a header claiming 4 GiB allocates nothing).
 */

import { createReadStream, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/**
 * Default chunk size of file reads. 1 MiB rather than 4: the bytes are still in cache
 * when the reader reaches them (1 GB capture, decode + flows, medians of 7 in one
 * session: 0.97 s with 1 MiB reads ahead, 1.05 s with 4 MiB).
 */
export const CHUNK_SIZE = 1024 * 1024;

/**
 * Where bytes come from: fills `buf[off, off+len)` with the bytes at stream offset
 * `pos`, returns 0 at end of stream. A plain file honours `pos`; a gunzip stream is
 * sequential and ignores it. Sources that `readAhead` (positional ones only) are read
 * ahead while the reader frames (see Chunks).
 */
interface ByteSource {
  readonly readAhead: boolean;
  read(buf: Buffer, off: number, len: number, pos: number): Promise<number>;
  close(): Promise<void>;
  /** Set when the stream ended because of an error (e.g. corrupt gzip data). */
  error: string | null;
}

/**
 * Plain file: positional reads straight into the caller's buffer; asynchronous and read
 * ahead, or, `blocking`, on the calling thread.
 */
class FileSource implements ByteSource {
  readonly readAhead: boolean;
  error: string | null = null;
  constructor(
    private readonly fh: FileHandle,
    private readonly blocking: boolean,
  ) {
    this.readAhead = !blocking;
  }
  async read(buf: Buffer, off: number, len: number, pos: number): Promise<number> {
    try {
      if (this.blocking) return readSync(this.fh.fd, buf, off, len, pos);
      return (await this.fh.read(buf, off, len, pos)).bytesRead;
    } catch (e) {
      this.error = `read error: ${(e as Error).message}`;
      return 0;
    }
  }
  async close(): Promise<void> {}
}

class GzipSource implements ByteSource {
  readonly readAhead = false;
  error: string | null = null;
  private readonly it: AsyncIterator<Buffer>;
  private readonly file: ReturnType<typeof createReadStream>;
  private readonly gunzip: ReturnType<typeof createGunzip>;
  private pending: Buffer | null = null;
  private pendingOff = 0;
  private done = false;
  constructor(path: string) {
    this.file = createReadStream(path, { highWaterMark: 1 << 20 });
    this.gunzip = createGunzip({ chunkSize: 1 << 20 });
    this.file.on('error', (e) => this.gunzip.destroy(e));
    this.it = this.file.pipe(this.gunzip)[Symbol.asyncIterator]();
  }
  async read(buf: Buffer, off: number, len: number): Promise<number> {
    let n = 0;
    while (n < len) {
      if (this.pending === null) {
        if (this.done || n > 0) break; // return what we have rather than wait
        try {
          const r = await this.it.next();
          if (r.done) {
            this.done = true;
            break;
          }
          this.pending = r.value;
          this.pendingOff = 0;
        } catch (e) {
          this.error = `gzip: ${(e as Error).message}`;
          this.done = true;
          break;
        }
      }
      const p = this.pending;
      const take = Math.min(len - n, p.length - this.pendingOff);
      p.copy(buf, off + n, this.pendingOff, this.pendingOff + take);
      n += take;
      this.pendingOff += take;
      if (this.pendingOff >= p.length) this.pending = null;
    }
    return n;
  }
  async close(): Promise<void> {
    this.gunzip.destroy();
    this.file.destroy(); // closes the file even when reading stopped early
  }
}

/**
 * The reader's window on the stream: unconsumed bytes are `buf[start, end)`, and
 * `base` is the stream offset of `buf[0]`. Parsers advance `start` themselves, and
 * read `buf` and `dv` again after each `fill` (it may swap or grow the buffer).
 *
 * Plain files are double-buffered: while the reader frames one buffer, the bytes
 * that follow are read into the other one, behind a headroom; when the reader needs
 * them the two swap, and only the unconsumed tail (the start of a record) is copied,
 * into the headroom. The bytes themselves are never copied.
 */
export class Chunks {
  buf: Buffer;
  /** DataView over `buf` (recreated when the buffer grows). */
  dv: DataView;
  start = 0;
  end = 0;
  base = 0;
  eof = false;
  /** Total stream size when known (plain files), else -1. */
  readonly size: number;
  private readonly src: ByteSource;
  /** The other buffer (sources read ahead): the read ahead lands in it, at `headroom(spare)`. */
  private spare: Buffer | null = null;
  private spareDv: DataView | null = null;
  /** Read ahead in flight: bytes read into `spare` (0 at end of file). */
  private ahead: Promise<number> | null = null;
  /** Stream offset of the read-ahead bytes (always `base + end` while one is in flight). */
  private aheadPos = 0;

  private constructor(src: ByteSource, size: number, chunk: number) {
    this.src = src;
    this.size = size;
    this.buf = Buffer.allocUnsafe(chunk);
    this.dv = viewOf(this.buf);
  }

  /** Chunks over a plain file handle of known size (`blocking`: see ReadCaptureOptions.blocking). */
  static file(fh: FileHandle, size: number, chunk = CHUNK_SIZE, blocking = false): Chunks {
    return new Chunks(new FileSource(fh, blocking), size, chunk);
  }

  /** Chunks over the decompressed content of a gzip file. */
  static gzip(path: string, chunk = CHUNK_SIZE): Chunks {
    return new Chunks(new GzipSource(path), -1, chunk);
  }

  /** Error that ended the stream early (read error, corrupt gzip), or null. */
  get error(): string | null {
    return this.src.error;
  }

  /** Stream offset of the first unconsumed byte. */
  get offset(): number {
    return this.base + this.start;
  }

  /** Bytes available without reading. */
  get available(): number {
    return this.end - this.start;
  }

  /**
   * Make at least `need` unconsumed bytes available. Returns false when the stream
   * ends first (whatever is left stays in `buf[start, end)`).
   */
  async fill(need: number): Promise<boolean> {
    while (this.end - this.start < need) {
      if (this.eof) return false;
      if (this.ahead !== null) {
        await this.takeAhead();
        continue;
      }
      this.makeRoom(need);
      const n = await this.src.read(this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (n === 0) this.eof = true;
      else {
        this.end += n;
        this.readAhead();
      }
    }
    return true;
  }

  /** Move the unconsumed bytes to the front when `need` bytes would not fit after them, and grow when the buffer is full. */
  private makeRoom(need: number): void {
    if (this.buf.length - this.start >= need && this.end < this.buf.length) return;
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) this.grow(Math.min(this.buf.length * 2, need));
  }

  /** Start reading the bytes after `end` into the spare buffer (sources read ahead). */
  private readAhead(): void {
    if (!this.src.readAhead || (this.size >= 0 && this.base + this.end >= this.size)) return;
    if (this.spare === null || this.spare.length !== this.buf.length) {
      this.spare = Buffer.allocUnsafe(this.buf.length);
      this.spareDv = viewOf(this.spare);
    }
    const h = headroom(this.spare.length);
    this.aheadPos = this.base + this.end;
    this.ahead = this.src.read(this.spare, h, this.spare.length - h, this.aheadPos);
  }

  /** Take the read-ahead bytes: swap buffers when the unconsumed tail fits in the headroom, else copy them in. */
  private async takeAhead(): Promise<void> {
    const got = await (this.ahead as Promise<number>);
    this.ahead = null;
    const spare = this.spare as Buffer;
    if (got === 0) {
      this.eof = true;
      return;
    }
    const h = headroom(spare.length);
    const tail = this.end - this.start;
    if (tail <= h) {
      this.buf.copy(spare, h - tail, this.start, this.end);
      this.spare = this.buf;
      this.buf = spare;
      [this.dv, this.spareDv] = [this.spareDv as DataView, this.dv];
      this.base = this.aheadPos - h;
      this.start = h - tail;
      this.end = h + got;
    } else {
      // A record longer than the headroom is being assembled: append the bytes to it.
      this.makeRoom(tail + got);
      if (this.buf.length - this.end < got) this.grow(this.end + got);
      spare.copy(this.buf, this.end, h, h + got);
      this.end += got;
    }
    this.readAhead();
  }

  private grow(len: number): void {
    const next = Buffer.allocUnsafe(len);
    this.buf.copy(next, 0, 0, this.end);
    this.buf = next;
    this.dv = viewOf(next);
  }

  /** Release the underlying source (after a read in flight has finished: the file is closed next). */
  async close(): Promise<void> {
    if (this.ahead !== null) await this.ahead;
    this.ahead = null;
    return this.src.close();
  }
}

/** Bytes kept free in front of the read-ahead bytes for the unconsumed tail: 1/16 of the buffer (64 KiB of 1 MiB). */
function headroom(bufLen: number): number {
  return bufLen >> 4;
}

function viewOf(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
