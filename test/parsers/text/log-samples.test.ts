/**
 * The samples of the log formats, run directly (independent of the registry) so a
 * failure names the format and variant; same checks as samples.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { accessLog } from '../../../parsers/text/access-log.js';
import { goLog } from '../../../parsers/text/go-log.js';
import { traefik } from '../../../parsers/text/traefik.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { parseString, subsetMismatch } from '../../helpers/text.js';

const cases = [traefik, goLog, accessLog].flatMap((f) =>
  f.samples.map((s, i) => ({ name: `${f.id} #${i + 1} ${s.note ?? ''}`, format: f, sample: s })),
);

describe('log format samples', () => {
  it.each(cases)('$name', async ({ format, sample }) => {
    const { records, issues, counts } = await parseString(format, sample.input);
    expect(issues.length, JSON.stringify(issues)).toBe(sample.issues ?? 0);
    for (const r of [...records, ...issues]) expect(checkRecord(r), JSON.stringify(r)).toBeNull();
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
    expect(records.length, JSON.stringify(records, null, 1)).toBe(sample.records.length);
    sample.records.forEach((exp, i) => {
      expect(subsetMismatch(records[i], exp), `record ${i}: ${JSON.stringify(records[i])}`).toBeNull();
    });
    expect(format.sniff(sample.input.split('\n'), 'sample.txt')).toBeGreaterThan(0);
  });
});
