/**
 * Agreement with tshark on the real-capture corpus: TCP conversations
 * (`tcpconv-exact.tsv`: tcp.stream grouping, endpoints, frames and bytes per
 * direction) for every file that has the oracle.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/flows/analyze.js';
import type { Flow } from '../../src/flows/flow.js';
import { addrA, addrB } from '../../src/flows/summary.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile, manifest, oracle } from '../helpers/corpus.js';

const rows = manifest().filter((r) => oracle(r.file, 'tcpconv-exact.tsv') !== null);

/** One conversation as `A B framesAB bytesAB framesBA bytesBA` with A the first packet's source. */
function line(a: string, b: string, fab: number, bab: number, fba: number, bba: number): string {
  return `${a} ${b} ${fab} ${bab} ${fba} ${bba}`;
}

function oracleConvs(text: string): string[] {
  const [, ...body] = text.trimEnd().split('\n');
  return body
    .filter((l) => l.length > 0)
    .map((l) => {
      const c = l.split('\t');
      return `${c[0]}: ${line(c[1], c[2], +c[3], +c[4], +c[5], +c[6])}`;
    });
}

function ours(f: Flow): string {
  const a = `${addrA(f)}:${f.pa}`;
  const b = `${addrB(f)}:${f.pb}`;
  const s =
    f.firstDir === 0
      ? line(a, b, f.d0.packets, f.d0.bytes, f.d1.packets, f.d1.bytes)
      : line(b, a, f.d1.packets, f.d1.bytes, f.d0.packets, f.d0.bytes);
  return `${f.index}: ${s}`;
}

describe.skipIf(!corpusAvailable)('TCP conversations agree with tshark conv,tcp', () => {
  it.each(rows.map((r) => r.file))('%s', async (file) => {
    const flows: Flow[] = [];
    await analyzeCapture(corpusFile(file), {
      file,
      idleTimeout: Number.POSITIVE_INFINITY,
      onFlowDone: (f) => {
        if (f.proto === 6) flows.push(f);
      },
    });
    const got = flows.sort((x, y) => x.index - y.index).map(ours);
    expect(got).toEqual(oracleConvs(oracle(file, 'tcpconv-exact.tsv')!));
  });
});

// Only when the corpus is missing: a skipped test whose title says why.
if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});
