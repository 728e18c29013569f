/**
 * Chunked byte source for the capture readers: one reusable buffer that is filled
 * by large reads (a file handle, or a gunzip stream) and consumed in place. Bytes
 * are never accumulated: the unconsumed tail is moved to the front before the next
 * read, and the buffer only grows when a single record is larger than it, and then
 * only as far as data actually arrives (a header claiming 4 GiB allocates nothing).
 */

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** Default chunk size of file reads. */
export const CHUNK_SIZE = 4 * 1024 * 1024;

/** Where bytes come from: fills `buf[off, off+len)`, returns 0 at end of stream. */
interface ByteSource {
  read(buf: Buffer, off: number, len: number): Promise<number>;
  close(): Promise<void>;
  /** Set when the stream ended because of an error (e.g. corrupt gzip data). */
  error: string | null;
}

/** Plain file: positional reads straight into the buffer. */
/**
 * Plain file, read ahead: while the caller frames one chunk, the next one is already
 * being read into a spare buffer (page cache or disk), so decoding rarely waits for I/O.
 */
class FileSource implements ByteSource {
  error: string | null = null;
  private pos = 0;
  /** Read of the next bytes at `aheadPos` into `spare`, in flight. */
  private ahead: Promise<number> | null = null;
  private aheadPos = 0;
  private spare: Buffer | null = null;
  constructor(
    private readonly fh: FileHandle,
    private readonly chunk: number,
  ) {}
  async read(buf: Buffer, off: number, len: number): Promise<number> {
    let n: number;
    if (this.ahead !== null && this.spare !== null) {
      const got = await this.ahead;
      this.ahead = null;
      if (got < 0) return 0;
      n = Math.min(got, len);
      this.spare.copy(buf, off, 0, n);
      // A shorter request leaves the rest of the spare unused: it is read again next time.
      this.pos = this.aheadPos + n;
    } else {
      try {
        n = (await this.fh.read(buf, off, len, this.pos)).bytesRead;
      } catch (e) {
        this.error = `read error: ${(e as Error).message}`;
        return 0;
      }
      this.pos += n;
    }
    if (n > 0) {
      // The reader asks for more than a chunk when a record is larger: read ahead as much.
      if (this.spare === null || this.spare.length < len)
        this.spare = Buffer.allocUnsafe(Math.max(this.chunk, len));
      this.aheadPos = this.pos;
      this.ahead = this.fh.read(this.spare, 0, this.spare.length, this.pos).then(
        (r) => r.bytesRead,
        (e: Error) => {
          this.error = `read error: ${e.message}`;
          return -1;
        },
      );
    }
    return n;
  }
  async close(): Promise<void> {
    // The file is closed after this: let a read in flight finish first.
    if (this.ahead !== null) await this.ahead;
    this.ahead = null;
  }
}

class GzipSource implements ByteSource {
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
 * `base` is the stream offset of `buf[0]`. Parsers advance `start` themselves.
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

  private constructor(src: ByteSource, size: number, chunk: number) {
    this.src = src;
    this.size = size;
    this.buf = Buffer.allocUnsafe(chunk);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Chunks over a plain file handle of known size. */
  static file(fh: FileHandle, size: number, chunk = CHUNK_SIZE): Chunks {
    return new Chunks(new FileSource(fh, chunk), size, chunk);
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
      if (this.buf.length - this.start < need || this.end === this.buf.length) {
        if (this.start > 0) {
          this.buf.copyWithin(0, this.start, this.end);
          this.base += this.start;
          this.end -= this.start;
          this.start = 0;
        }
        if (this.end === this.buf.length) this.grow(Math.min(this.buf.length * 2, need));
      }
      const n = await this.src.read(this.buf, this.end, this.buf.length - this.end);
      if (n === 0) this.eof = true;
      else this.end += n;
    }
    return true;
  }

  private grow(len: number): void {
    const next = Buffer.allocUnsafe(len);
    this.buf.copy(next, 0, 0, this.end);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /** Release the underlying source. */
  close(): Promise<void> {
    return this.src.close();
  }
}
