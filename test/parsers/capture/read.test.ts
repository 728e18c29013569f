/**
 * Unit tests of the capture reader on hand-written fixtures (annotated hex), plus
 * chunk-boundary and gzip-damage checks over the corpus.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture, sniffCapture } from '../../../parsers/capture/read.js';
import type { CaptureInterface, CaptureSummary } from '../../../parsers/capture/types.js';
import type { IssueRecord } from '../../../src/model/records/index.js';
import { corpusAvailable, corpusFile, manifest } from '../../helpers/corpus.js';

/** Annotated hex → bytes (everything after `#` on a line is a comment). */
function hex(s: string): Buffer {
  return Buffer.from(
    s
      .split('\n')
      .map((l) => l.replace(/#.*/, ''))
      .join('')
      .replace(/\s+/g, ''),
    'hex',
  );
}

interface Got {
  summary: CaptureSummary;
  frames: Array<{
    packet: number;
    ts: string;
    iface: number;
    spb: boolean;
    caplen: number;
    len: number;
    flags: number;
    data: string;
    at: number;
  }>;
  ifaces: CaptureInterface[];
  issues: IssueRecord[];
}

const tmp = mkdtempSync(join(tmpdir(), 'forensic-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function readBytes(name: string, bytes: Buffer, chunkSize?: number, blocking?: boolean): Promise<Got> {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return readPath(path, chunkSize, blocking);
}

async function readPath(path: string, chunkSize?: number, blocking?: boolean): Promise<Got> {
  const got: Got = { summary: undefined as unknown as CaptureSummary, frames: [], ifaces: [], issues: [] };
  got.summary = await readCapture(
    path,
    {
      onInterface: (i) => got.ifaces.push(i),
      onFrame: (f) =>
        got.frames.push({
          packet: f.packet,
          ts: f.hasTs ? `${f.sec}.${String(f.nsec).padStart(9, '0')}` : 'none',
          iface: f.iface,
          spb: f.fromSpb,
          caplen: f.caplen,
          len: f.len,
          flags: f.epbFlags,
          data: f.buf.toString('hex', f.offset, f.offset + f.caplen),
          at: f.recordOffset,
        }),
      onIssue: (i) => got.issues.push(i),
    },
    { file: 'fixture', chunkSize, blocking },
  );
  return got;
}

/** Two sections of different byte order; checked against tshark 4.0 where it is right. */
const MIXED = hex(`
# --- section 1, little-endian ---
0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000   # SHB, 28 bytes, v1.0, length unknown
01000000 34000000 0100 0000 00000000                              # IDB, 52 bytes: Ethernet, snaplen 0
  0200 0400 65746831                                              #   if_name "eth1"
  0900 0100 94000000                                              #   if_tsresol 0x94 = 2^-20 s
  0e00 0800 6400000000000000                                      #   if_tsoffset +100 s
  0000 0000                                                       #   opt_endofopt
34000000
06000000 30000000 00000000 00000000 00003800 04000000 3c000000    # EPB @80, 48 bytes: if 0, ts 0x380000 (3.5 s), caplen 4, len 60
  deadbeef                                                        #   data
  0200 0400 02000000                                              #   epb_flags: outbound
  0000 0000
30000000
# --- section 2, big-endian ---
0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c   # SHB, 28 bytes
00000001 00000028 0001 0000 0000ffff                              # IDB, 40 bytes: Ethernet, snaplen 65535
  0002 0004 65746830                                              #   if_name "eth0"
  0009 0001 09000000                                              #   if_tsresol 9 = ns
  0000 0000
00000028
00000001 00000020 0001 0000 00000000                              # IDB, 32 bytes, no if_name
  0009 0001 0c000000                                              #   if_tsresol 12 = ps
  0000 0000
00000020
00000006 00000024 00000000 00300000 00000001 00000004 00000004    # EPB @228, 36 bytes: if 0, ts 0x0030000000000001 ns (> 2^53)
  cafebabe
00000024
00000006 00000024 00000001 0000011f 71fb04cb 00000004 00000040    # EPB, 36 bytes: if 1, ts 1234567890123 ps
  01020304
00000024
00000003 00000014 00000004 0a0b0c0d 00000014                      # SPB, 20 bytes: len 4 (interface 0 of the section)
`);

describe('pcapng fixtures', () => {
  it('reads mixed-endian sections, power-of-2 / 10^-12 resolutions, tsoffset, >2^53 timestamps, flags, SPB', async () => {
    const g = await readBytes('mixed.pcapng', MIXED);
    expect(g.issues).toEqual([]);
    expect(g.summary).toMatchObject({ format: 'pcapng', packets: 4, rejected: false, bytes: MIXED.length });
    expect(g.ifaces.map((i) => [i.id, i.localId, i.section, i.name, i.snaplen])).toEqual([
      [0, 0, 0, 'eth1', 0],
      [1, 0, 1, 'eth0', 65535],
      [2, 1, 1, null, 0],
    ]);
    expect(g.frames).toEqual([
      // 3.5 s in 2^-20 units, +100 s offset (tshark: 103.500000000).
      {
        packet: 1,
        ts: '103.500000000',
        iface: 0,
        spb: false,
        caplen: 4,
        len: 60,
        flags: 2,
        data: 'deadbeef',
        at: 80,
      },
      // 0x0030000000000001 ns = 13510798882111489 ns, above 2^53 (tshark: 13510798.882111489).
      {
        packet: 2,
        ts: '13510798.882111489',
        iface: 1,
        spb: false,
        caplen: 4,
        len: 4,
        flags: 0,
        data: 'cafebabe',
        at: 228,
      },
      // 1234567890123 ps = 1.234567890123 s, truncated to ns (tshark 4.0 overflows here and prints 1.013206961).
      {
        packet: 3,
        ts: '1.234567890',
        iface: 2,
        spb: false,
        caplen: 4,
        len: 64,
        flags: 0,
        data: '01020304',
        at: 264,
      },
      // SPB: interface 0 of its section, no timestamp.
      { packet: 4, ts: 'none', iface: 1, spb: true, caplen: 4, len: 4, flags: 0, data: '0a0b0c0d', at: 300 },
    ]);
  });

  it('frames identically whatever the read size (records straddling chunks)', async () => {
    const whole = await readBytes('mixed.pcapng', MIXED);
    for (const chunk of [1, 5, 12, 13, 47]) {
      const g = await readBytes('mixed.pcapng', MIXED, chunk);
      expect(g.frames, `chunk ${chunk}`).toEqual(whole.frames);
      expect(g.issues).toEqual([]);
    }
  });

  it('stops at a block whose trailing length disagrees, keeping earlier packets', async () => {
    const bad = Buffer.from(MIXED);
    bad.writeUInt32BE(0x25, 260); // trailer of the first big-endian EPB (36 → 37)
    const g = await readBytes('bad-trailer.pcapng', bad);
    expect(g.frames.map((f) => f.packet)).toEqual([1]);
    expect(g.issues).toHaveLength(1);
    expect(g.issues[0]).toMatchObject({ code: 'bad-block', offset: 260, file: 'fixture' });
    expect(g.issues[0].message).toContain("total block lengths (first 36 and second 37) don't match");
    expect(g.issues[0].message).toContain('byte offset 228');
  });

  it('refuses an EPB that names an undeclared interface', async () => {
    const bad = Buffer.from(MIXED);
    bad.writeUInt32BE(7, 236); // interface id of the first big-endian EPB
    const g = await readBytes('bad-iface.pcapng', bad);
    expect(g.frames).toHaveLength(1);
    expect(g.issues.map((i) => [i.code, i.offset])).toEqual([['bad-interface', 236]]);
  });

  it('reports a block cut short with its offset', async () => {
    const g = await readBytes('cut.pcapng', MIXED.subarray(0, 250));
    expect(g.frames).toHaveLength(1);
    expect(g.issues.map((i) => [i.code, i.offset])).toEqual([['truncated', 228]]);
    expect(g.issues[0].message).toMatch(/claims 36 bytes but only 22 remain/);
  });
});

describe('classic pcap fixtures', () => {
  const BE_NS = hex(`
a1b23c4d 0002 0004 00000000 00000000 00000100 00000071   # big-endian ns magic, v2.4, snaplen 256, LINUX_SLL (113)
00000001 3b9ac9ff 00000002 00000010 beef                 # ts 1.999999999, caplen 2, len 16
ffffffff 00000000 00000001 00000001 aa                   # ts 4294967295.0 (u32 seconds)
`);

  it('reads big-endian nanosecond records, u32 seconds', async () => {
    const g = await readBytes('be-ns.pcap', BE_NS);
    expect(g.issues).toEqual([]);
    expect(g.summary).toMatchObject({ format: 'pcap', packets: 2, bytes: BE_NS.length });
    expect(g.ifaces).toEqual([
      { id: 0, localId: 0, section: 0, name: null, description: null, linktype: 113, snaplen: 256 },
    ]);
    expect(g.frames.map((f) => [f.ts, f.caplen, f.len, f.data])).toEqual([
      ['1.999999999', 2, 16, 'beef'],
      ['4294967295.000000000', 1, 1, 'aa'],
    ]);
  });

  it('reads the Kuznetzov modified format (24-byte record headers)', async () => {
    const g = await readBytes(
      'kuz.pcap',
      hex(`
34cdb2a1 0200 0400 00000000 00000000 ffff0000 01000000   # little-endian a1b2cd34, Ethernet
02000000 40420f00 03000000 03000000                      # ts 2 s + 1000000 µs (carried), caplen 3, len 3
  05000000 0008 00 00                                    # ifindex 5, protocol, pkt_type, pad
  010203
`),
    );
    expect(g.frames.map((f) => [f.ts, f.data])).toEqual([['3.000000000', '010203']]);
    expect(g.issues.map((i) => i.code)).toEqual(['invalid-timestamp']);
  });

  it('rejects an unknown magic and a bad major version with offsets', async () => {
    const a = await readBytes('magic.pcap', hex('a1b2c3d5 0002 0004 00000000 00000000 0000ffff 00000001'));
    expect(a.summary).toMatchObject({ rejected: true, format: 'unknown', packets: 0 });
    expect(a.issues.map((i) => [i.code, i.offset])).toEqual([['bad-magic', 0]]);
    const b = await readBytes('v3.pcap', hex('a1b2c3d4 0003 0000 00000000 00000000 0000ffff 00000001'));
    expect(b.summary.rejected).toBe(true);
    expect(b.issues.map((i) => [i.code, i.offset])).toEqual([['unsupported-version', 4]]);
  });

  it('frames identically when a record outgrows the read buffer mid-file', async () => {
    // 400 records of 1000 bytes with one of 10000 bytes (larger than a 4 KiB buffer) at #150.
    const parts = [hex('d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000')];
    for (let i = 0; i < 400; i++) {
      const n = i === 150 ? 10000 : 1000;
      const h = Buffer.alloc(16);
      h.writeUInt32LE(i, 0);
      h.writeUInt32LE(n, 8);
      h.writeUInt32LE(n, 12);
      parts.push(h, Buffer.alloc(n, i & 0xff));
    }
    const bytes = Buffer.concat(parts);
    const whole = await readBytes('reserve.pcap', bytes);
    expect(whole.frames).toHaveLength(400);
    // 65536: the 1016-byte records fit the 4 KiB headroom (buffers swap), the big one does not
    // (it is copied); 4096: none fits. Blocking reads never read ahead.
    for (const chunk of [4096, 5000, 65536])
      for (const blocking of [false, true]) {
        const g = await readBytes('reserve.pcap', bytes, chunk, blocking);
        expect(g.issues).toEqual([]);
        expect(g.frames, `chunk ${chunk}${blocking ? ' blocking' : ''}`).toEqual(whole.frames);
      }
  });

  it('sniffs capture magics', () => {
    expect(sniffCapture(hex('0a0d0d0a'))).toBe('pcapng');
    expect(sniffCapture(hex('4d3cb2a1'))).toBe('pcap');
    expect(sniffCapture(hex('a1b2cd34'))).toBe('pcap');
    expect(sniffCapture(hex('7f454c46'))).toBeNull();
    expect(sniffCapture(hex('0a0d'))).toBeNull();
  });
});

describe.skipIf(!corpusAvailable)('corpus invariants', () => {
  it('every corpus file frames identically with 3-byte, 4 KiB and default (1 MiB) reads', async () => {
    for (const row of manifest()) {
      const path = corpusFile(row.file);
      const big = await readPath(path);
      for (const chunk of [3, 4096]) {
        const small = await readPath(path, chunk);
        expect(small.frames, `${row.file} chunk ${chunk}`).toEqual(big.frames);
        expect(small.issues.map((i) => [i.code, i.offset])).toEqual(
          big.issues.map((i) => [i.code, i.offset]),
        );
      }
    }
  });

  it('a gzip stream cut in half keeps the packets before the damage and says where', async () => {
    const raw = readFileSync(corpusFile('tls2.pcap'));
    const gz = gzipSync(raw);
    const g = await readBytes('cut.pcap.gz', gz.subarray(0, gz.length >> 1));
    const whole = await readPath(corpusFile('tls2.pcap'));
    expect(g.summary.gzip).toBe(true);
    expect(g.frames.length).toBeGreaterThan(100);
    expect(g.frames.length).toBeLessThan(whole.frames.length);
    expect(g.frames).toEqual(whole.frames.slice(0, g.frames.length));
    expect(g.issues.length).toBeGreaterThanOrEqual(1);
    expect(g.issues[0].code).toBe('read-error');
    expect(g.issues[0].message).toMatch(/gzip: .*byte offset \d+/);
  });
});
