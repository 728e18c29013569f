/**
 * Fuzz-style robustness: corpus files are mutated deterministically (seeded
 * truncations at many offsets, bit flips, absurd length fields) and every read must
 * finish without an exception, report only well-formed issues and frames, and keep
 * memory bounded (a record claiming gigabytes is an issue, not an allocation).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD } from '../../../parsers/capture/context.js';
import { readCapture } from '../../../parsers/capture/read.js';
import type { CaptureSummary } from '../../../parsers/capture/types.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile } from '../../helpers/corpus.js';
import { prng } from '../../helpers/random.js';

/** Small files covering every framing path (byte orders, ns, Kuznetzov, sections, SPB/OPB, custom, gzip). */
const SEEDS = [
  'tcp-handshake-nano.pcap',
  'nanosecs_big_endian.pcap',
  'modified-format.pcap',
  'pptp.pcap',
  'truncated_dns_2.pcap',
  'test202.pcapng',
  'test201.pcapng',
  'test102.pcapng',
  'test006.ntar',
  'pcapng-example.pcapng',
  'many_interfaces-1.pcapng',
  'portmapper-many-unanswered-calls.pcapng.gz',
];

const TIMEOUT_MS = 5000;
let peakArrayBuffers = 0;

/** Read one mutated file and check every invariant of the reader's output. */
async function check(path: string, label: string): Promise<CaptureSummary> {
  let frames = 0;
  let custom = 0;
  const problems: string[] = [];
  const run = readCapture(path, {
    onFrame(f) {
      frames++;
      if (f.offset < 0 || f.offset + f.caplen > f.buf.length)
        problems.push(`frame ${f.packet} outside buffer`);
      if (f.caplen > MAX_RECORD) problems.push(`frame ${f.packet} caplen ${f.caplen}`);
      if (!(f.nsec >= 0 && f.nsec < 1e9) || !Number.isFinite(f.sec)) problems.push(`frame ${f.packet} ts`);
      if (f.packet !== frames + custom) problems.push(`frame numbering ${f.packet}`);
    },
    onCustomBlock(b) {
      custom++;
      if (b.packet !== frames + custom) problems.push(`custom numbering ${b.packet}`);
    },
    onIssue(i) {
      if (typeof i.offset !== 'number' || !Number.isInteger(i.offset) || i.offset < 0)
        problems.push(`issue without offset: ${i.message}`);
      if (!/offset \d+/.test(i.message) && i.code !== 'io-error')
        problems.push(`message without offset: ${i.message}`);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const s = await Promise.race([
    run,
    new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`${label}: no result after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
  expect(problems, label).toEqual([]);
  expect(s.packets, label).toBe(frames + custom);
  return s;
}

describe.skipIf(!corpusAvailable)('capture reader under mutation (fuzz)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'forensic-fuzz-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const heapBefore = process.memoryUsage().heapUsed;
  const fds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
  const fdsBefore = fds();

  for (const seed of SEEDS) {
    it(`${seed}: truncations, bit flips and absurd lengths`, async () => {
      const raw = readFileSync(corpusFile(seed));
      const gz = seed.endsWith('.gz');
      const orig = gz ? gunzipSync(raw) : raw;
      const rnd = prng(orig.length ^ 0x5eed);
      const out = join(tmp, seed);
      const write = (b: Buffer) => writeFileSync(out, gz ? gzipSync(b) : b);
      let runs = 0;
      const n = gz ? 40 : 100; // gzip variants cost a compression each

      // Truncations: every offset of the first 2n bytes, then n seeded offsets.
      const cuts = new Set<number>();
      for (let i = 0; i < Math.min(2 * n, orig.length); i++) cuts.add(i);
      for (let i = 0; i < n; i++) cuts.add(Math.floor(rnd() * orig.length));
      for (const cut of cuts) {
        write(orig.subarray(0, cut));
        const s = await check(out, `${seed} cut at ${cut}`);
        // Either the cut fell on a record boundary (every byte consumed) or it is reported.
        if (s.issues === 0) expect(s.bytes, `${seed} cut at ${cut}: silent`).toBe(cut);
        runs++;
      }
      // Bit flips: 1..8 flipped bits per variant.
      for (let i = 0; i < n; i++) {
        const b = Buffer.from(orig);
        const flips = 1 + Math.floor(rnd() * 8);
        for (let k = 0; k < flips; k++) {
          const at = Math.floor(rnd() * b.length);
          b[at] ^= 1 << Math.floor(rnd() * 8);
        }
        write(b);
        await check(out, `${seed} bit flips #${i}`);
        runs++;
      }
      // Absurd 32-bit length-like values at 4-aligned offsets (both byte orders).
      const absurd = [
        0xffffffff,
        0x7fffffff,
        0x80000000,
        MAX_RECORD + 1,
        0x0fffffff,
        orig.length + 1,
        0,
        1,
        11,
        13,
      ];
      for (let i = 0; i < n; i++) {
        const b = Buffer.from(orig);
        const at = Math.floor((rnd() * (b.length - 4)) / 4) * 4;
        const v = absurd[i % absurd.length];
        if (rnd() < 0.5) b.writeUInt32LE(v >>> 0, at);
        else b.writeUInt32BE(v >>> 0, at);
        write(b);
        await check(out, `${seed} value ${v} at ${at}`);
        runs++;
      }
      expect(runs).toBeGreaterThanOrEqual(3 * n);
    });
  }

  it('kept memory bounded across all mutated reads', () => {
    // Each read owns one 4 MiB chunk buffer; garbage ones are collected lazily.
    expect(peakArrayBuffers).toBeLessThan(256 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(128 * 1024 * 1024);
  });

  it('closed every file it opened (also when a gzip read stopped early)', async () => {
    await new Promise((r) => setTimeout(r, 50)); // stream destruction completes asynchronously
    expect(fds()).toBeLessThanOrEqual(fdsBefore + 2);
  });
});

describe('hostile lengths without the corpus', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'forensic-fuzz-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a gzip stream whose record claims 200 MiB allocates only what arrives', async () => {
    // pcap LE µs header, then one record header: ts 1/0, caplen = len = 200 MiB, then 1 KiB of data.
    const hdr = Buffer.from(
      'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000'.replace(/ /g, ''),
      'hex',
    );
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1, 0);
    rec.writeUInt32LE(200 * 1024 * 1024, 8);
    rec.writeUInt32LE(200 * 1024 * 1024, 12);
    const path = join(tmp, 'claims-200MiB.pcap.gz');
    writeFileSync(path, gzipSync(Buffer.concat([hdr, rec, Buffer.alloc(1024)])));
    const before = process.memoryUsage().arrayBuffers;
    const issues: string[] = [];
    const s = await readCapture(path, { onFrame() {}, onIssue: (i) => issues.push(`${i.code}@${i.offset}`) });
    expect(s.packets).toBe(0);
    expect(issues).toEqual(['truncated@24']);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('a plain file whose record claims 4 GiB is an issue, not an allocation', async () => {
    const hdr = Buffer.from(
      'a1b2c3d4 0002 0004 00000000 00000000 0000ffff 00000001'.replace(/ /g, ''),
      'hex',
    );
    const rec = Buffer.from('00000001 00000000 ffffffff ffffffff'.replace(/ /g, ''), 'hex');
    const path = join(tmp, 'claims-4GiB.pcap');
    writeFileSync(path, Buffer.concat([hdr, rec, Buffer.alloc(64)]));
    const issues: string[] = [];
    const s = await readCapture(path, { onFrame() {}, onIssue: (i) => issues.push(`${i.code}@${i.offset}`) });
    expect(s.packets).toBe(0);
    expect(issues).toEqual(['record-too-large@24']);
  });
});

if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});
