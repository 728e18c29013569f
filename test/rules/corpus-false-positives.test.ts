/**
 * False-positive guard: every capture of the shared corpus analysed alone (no
 * routing state, no logs) must not produce routing or corruption findings — none
 * of these captures shows an asymmetric path or corrupted payload. What does fire
 * is printed, for the record.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { CORPUS_DIR, CORPUS_SKIP, corpusAvailable } from '../helpers/corpus.js';

const GUARDED = [
  'asymmetric-routing',
  'default-route-mismatch',
  'payload-corruption',
  'vip-unresolved',
  'arp-conflict',
];

const files = corpusAvailable
  ? readdirSync(CORPUS_DIR)
      .filter((f) => !/\.(tsv|md)$/.test(f) && f !== 'oracle')
      .sort()
  : [];

describe.skipIf(!corpusAvailable)(
  `corpus captures analysed alone${corpusAvailable ? '' : ` (${CORPUS_SKIP})`}`,
  () => {
    it.each(files)('%s', async (f) => {
      const a = await analyzeBundle(`${CORPUS_DIR}/${f}`, { workers: 0 });
      const fired = a.findings.map((x) => `${x.rule}(${x.severity})`);
      if (fired.length) console.log(`${f}: ${fired.join(', ')}`);
      expect(a.findings.filter((x) => GUARDED.includes(x.rule)).map((x) => x.summary)).toEqual([]);
      expect(a.coverage.files).toHaveLength(1);
    });
  },
);
