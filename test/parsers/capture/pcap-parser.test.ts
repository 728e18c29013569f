/**
 * Differential test against the `pcap-parser` npm package: on every classic pcap of
 * the corpus (gzip ones gunzipped first) our reader yields byte-identical packet
 * data and identical record headers (ts sec/usec, caplen, len). pcap-parser only
 * knows the microsecond magic, so nanosecond / Kuznetzov files must make it fail
 * with "unknown magic number" (and are compared against tshark in corpus.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../../parsers/capture/read.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile, manifest } from '../../helpers/corpus.js';

interface Pkt {
  sec: number;
  usec: number;
  caplen: number;
  len: number;
  data: Buffer;
}

const require = createRequire(import.meta.url);
const pcapp = require('pcap-parser') as {
  parse(input: string): NodeJS.EventEmitter;
};

/** All packets as pcap-parser sees them, or its error message. */
function peer(path: string): Promise<{ packets: Pkt[]; error: string | null }> {
  return new Promise((resolve) => {
    const packets: Pkt[] = [];
    let error: string | null = null;
    const p = pcapp.parse(path);
    p.on('packet', (pk: { header: Record<string, number>; data: Buffer }) => {
      const h = pk.header;
      packets.push({
        sec: h.timestampSeconds,
        usec: h.timestampMicroseconds,
        caplen: h.capturedLength,
        len: h.originalLength,
        data: Buffer.from(pk.data),
      });
    });
    p.on('error', (e: Error) => {
      error = e.message;
    });
    p.on('end', () => resolve({ packets, error }));
  });
}

/** All packets as our reader sees them. */
async function ours(path: string): Promise<{ packets: Pkt[]; rejected: boolean; nano: boolean }> {
  const packets: Pkt[] = [];
  const s = await readCapture(path, {
    onFrame(f) {
      packets.push({
        sec: f.sec,
        usec: Math.floor(f.nsec / 1000),
        caplen: f.caplen,
        len: f.len,
        data: Buffer.from(f.buf.subarray(f.offset, f.offset + f.caplen)),
      });
    },
    onIssue() {},
  });
  return { packets, rejected: s.rejected, nano: false };
}

describe.skipIf(!corpusAvailable)('capture reader vs pcap-parser (classic pcap corpus)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'forensic-pcap-parser-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const rows = manifest().filter((r) => r.format === 'pcap');

  it('covers the classic pcap files', () => {
    expect(rows.length).toBeGreaterThan(30);
  });

  let compared = 0;
  for (const row of rows) {
    it(`${row.file}`, async () => {
      let path = corpusFile(row.file);
      if (row.file.endsWith('.gz')) {
        path = join(tmp, row.file.slice(0, -3));
        writeFileSync(path, gunzipSync(readFileSync(corpusFile(row.file))));
      }
      const head = readFileSync(path).subarray(0, 4).toString('hex');
      const theirs = await peer(path);
      const mine = await ours(path);
      if (head !== 'd4c3b2a1' && head !== 'a1b2c3d4') {
        // Nanosecond or Kuznetzov magic: outside pcap-parser's format.
        expect(theirs.error).toMatch(/unknown magic number/);
        expect(mine.packets.length).toBeGreaterThan(0);
        return;
      }
      if (mine.rejected) {
        // Headers tshark refuses (bad version, reserved linktype bits): pcap-parser has no such checks.
        expect(row.packets).toMatch(/^error:/);
        return;
      }
      expect(theirs.error).toBeNull();
      expect(mine.packets.length).toBe(theirs.packets.length);
      for (let i = 0; i < mine.packets.length; i++) {
        const a = mine.packets[i];
        const b = theirs.packets[i];
        expect({ n: i + 1, sec: a.sec, usec: a.usec, caplen: a.caplen, len: a.len }).toEqual({
          n: i + 1,
          sec: b.sec,
          usec: b.usec,
          caplen: b.caplen,
          len: b.len,
        });
        expect(a.data.equals(b.data), `packet ${i + 1} bytes`).toBe(true);
      }
      compared++;
    });
  }

  it('compared most classic files packet by packet', () => {
    expect(compared).toBeGreaterThanOrEqual(rows.length - 6);
  });
});

if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});
