/** Shared by the client/k8s format tests: run one format's embedded samples as separate tests. */
import { expect, it } from 'vitest';
import type { TextFormat } from '../../../parsers/types.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { parseString, subsetMismatch } from '../../helpers/text.js';

/** Register one vitest case per sample of `format`. */
export function sampleCases(format: TextFormat): void {
  it.each(format.samples.map((s, i) => ({ i, s, note: s.note ?? '' })))('sample $i: $note', async ({ s }) => {
    const { records, issues, counts } = await parseString(format, s.input);
    expect(issues.length, JSON.stringify(issues)).toBe(s.issues ?? 0);
    for (const r of [...records, ...issues]) expect(checkRecord(r), JSON.stringify(r)).toBeNull();
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
    expect(records.length, JSON.stringify(records, null, 1)).toBe(s.records.length);
    for (let i = 0; i < s.records.length; i++)
      expect(subsetMismatch(records[i], s.records[i]), `record ${i}`).toBeNull();
    expect(format.sniff(s.input.split('\n'), 'sample.txt')).toBeGreaterThan(0);
  });
}
