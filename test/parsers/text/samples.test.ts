/**
 * Runs every sample embedded in every registered text format (DESIGN house style 6):
 * the records that come out match the sample's expectations, validate against the
 * record schemas, and every input line is accounted for.
 */
import { describe, expect, it } from 'vitest';
import { textFormats } from '../../../parsers/text/registry.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { parseString, subsetMismatch } from '../../helpers/text.js';

const cases = [...textFormats.values()].flatMap((f) =>
  f.samples.map((s, i) => ({
    name: `${f.id} #${i + 1}${s.note ? ` (${s.note})` : ''}`,
    format: f,
    sample: s,
  })),
);

describe('text format samples', () => {
  it('every format has samples', () => {
    for (const f of textFormats.values()) expect(f.samples.length, f.id).toBeGreaterThan(0);
  });
  it.each(cases)('$name', async ({ format, sample }) => {
    const { records, issues, counts } = await parseString(format, sample.input);
    expect(issues.length, JSON.stringify(issues)).toBe(sample.issues ?? 0);
    for (const r of [...records, ...issues]) expect(checkRecord(r), JSON.stringify(r)).toBeNull();
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
    expect(records.length, JSON.stringify(records, null, 1)).toBe(sample.records.length);
    sample.records.forEach((exp, i) => {
      expect(subsetMismatch(records[i], exp), `record ${i}`).toBeNull();
    });
    expect(format.sniff(sample.input.split('\n'), 'sample.txt'), 'sniffs its own sample').toBeGreaterThan(0);
  });
});
