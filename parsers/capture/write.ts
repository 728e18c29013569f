/**
 * Minimal pcapng writer for evidence export: one little-endian section, IDBs with
 * if_name (and if_description), nanosecond if_tsresol, and EPBs with 64-bit
 * timestamps and optional epb_flags. Blocks are built in a reused buffer and handed
 * to a sink; `PcapngWriter.toFile` writes them synchronously to a file.
 *
 *   SHB  0A0D0D0A | len | 1A2B3C4D | 1 | 0 | -1 (i64) | shb_userappl "forensic" | len
 *   IDB  00000001 | len | linktype u16 | 0 | snaplen | if_name | if_description | if_tsresol=9 | len
 *   EPB  00000006 | len | if | ts hi | ts lo | caplen | len | data pad4 | epb_flags | len
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** An interface to declare. */
export interface WriterInterface {
  name: string;
  description?: string;
  /** LINKTYPE_* (1 = Ethernet). */
  linktype: number;
  /** 0 = unlimited. */
  snaplen?: number;
}

const NS = 1_000_000_000n;

/** Streams a pcapng capture block by block to `sink`. */
export class PcapngWriter {
  private buf = Buffer.alloc(64 * 1024);
  private interfaces = 0;
  private closed = false;

  /** Start a section; `sink` receives each finished block (the buffer is reused: copy or write it at once). */
  constructor(private readonly sink: (block: Buffer) => void) {
    const app = Buffer.from('forensic', 'utf8');
    const len = 24 + opt(app.length) + 4 + 4;
    const b = this.block(len);
    b.writeUInt32LE(0x0a0d0d0a, 0);
    b.writeUInt32LE(len, 4);
    b.writeUInt32LE(0x1a2b3c4d, 8);
    b.writeUInt16LE(1, 12);
    b.writeUInt16LE(0, 14);
    b.writeBigInt64LE(-1n, 16);
    let o = putOption(b, 24, 4, app); // shb_userappl
    b.writeUInt32LE(0, o); // opt_endofopt
    o += 4;
    b.writeUInt32LE(len, o);
    this.sink(b.subarray(0, len));
  }

  /** A writer that writes to `path` (created or truncated); call close() at the end. */
  static toFile(path: string): PcapngWriter {
    const fd = openSync(path, 'w');
    const w = new PcapngWriter((block) => {
      writeSync(fd, block);
    });
    w.onClose = () => closeSync(fd);
    return w;
  }

  /** Called once by close(). */
  onClose: () => void = () => {};

  /** Declare an interface; returns its id for writePacket. */
  addInterface(i: WriterInterface): number {
    const name = Buffer.from(i.name, 'utf8');
    const desc = i.description !== undefined ? Buffer.from(i.description, 'utf8') : null;
    const len = 16 + opt(name.length) + (desc ? opt(desc.length) : 0) + opt(1) + 4 + 4;
    const b = this.block(len);
    b.writeUInt32LE(1, 0);
    b.writeUInt32LE(len, 4);
    b.writeUInt16LE(i.linktype & 0xffff, 8);
    b.writeUInt16LE(0, 10);
    b.writeUInt32LE(i.snaplen ?? 0, 12);
    let o = putOption(b, 16, 2, name); // if_name
    if (desc) o = putOption(b, o, 3, desc); // if_description
    o = putOption(b, o, 9, Buffer.from([9])); // if_tsresol: nanoseconds
    b.writeUInt32LE(0, o);
    b.writeUInt32LE(len, o + 4);
    this.sink(b.subarray(0, len));
    return this.interfaces++;
  }

  /**
   * Write one packet. `sec`/`nsec`: timestamp; `data`: captured bytes; `len`:
   * original length (default data length); `flags`: epb_flags (1 inbound, 2 outbound).
   */
  writePacket(
    iface: number,
    sec: number,
    nsec: number,
    data: Uint8Array,
    len = data.length,
    flags = 0,
  ): void {
    if (iface < 0 || iface >= this.interfaces)
      throw new RangeError(`pcapng writer: unknown interface ${iface}`);
    const padded = data.length + ((4 - (data.length % 4)) % 4);
    const total = 28 + padded + (flags ? 12 : 0) + 4;
    const b = this.block(total);
    const ts = BigInt(Math.trunc(sec)) * NS + BigInt(nsec);
    b.writeUInt32LE(6, 0);
    b.writeUInt32LE(total, 4);
    b.writeUInt32LE(iface, 8);
    b.writeUInt32LE(Number(ts >> 32n) >>> 0, 12);
    b.writeUInt32LE(Number(ts & 0xffffffffn) >>> 0, 16);
    b.writeUInt32LE(data.length, 20);
    b.writeUInt32LE(len, 24);
    b.set(data, 28);
    b.fill(0, 28 + data.length, 28 + padded);
    let o = 28 + padded;
    if (flags) {
      b.writeUInt16LE(2, o); // epb_flags
      b.writeUInt16LE(4, o + 2);
      b.writeUInt32LE(flags >>> 0, o + 4);
      b.writeUInt32LE(0, o + 8);
      o += 12;
    }
    b.writeUInt32LE(total, o);
    this.sink(b.subarray(0, total));
  }

  /** Finish (closes the file of toFile). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private block(len: number): Buffer {
    if (len > this.buf.length) this.buf = Buffer.alloc(len * 2);
    return this.buf;
  }
}

/** Bytes taken by an option with a value of `n` bytes. */
function opt(n: number): number {
  return 4 + n + ((4 - (n % 4)) % 4);
}

/** Write option `code` with `value` at `o`; returns the offset after it. */
function putOption(b: Buffer, o: number, code: number, value: Buffer): number {
  b.writeUInt16LE(code, o);
  b.writeUInt16LE(value.length, o + 2);
  value.copy(b, o + 4);
  const end = o + opt(value.length);
  b.fill(0, o + 4 + value.length, end);
  return end;
}
