/** Test helper: real iproute2/net-tools/arping output captured in throwaway namespaces. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rankTextFormats } from '../../../../parsers/sniff.js';
import type { TextFormat } from '../../../../parsers/types.js';
import { checkRecord } from '../../../../src/model/records/index.js';
import { parseString } from '../../../helpers/text.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'netstate');

/** The text of one fixture file. */
export function fixture(name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

/** Lines of a fixture as sniffing sees them (no trailing empty line). */
export function fixtureLines(name: string): string[] {
  const l = fixture(name).split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** The id of the format sniffing ranks first for a fixture. */
export function bestFormat(name: string): string | undefined {
  return rankTextFormats(fixtureLines(name), name)[0]?.format.id;
}

/** Parse a fixture, asserting every record validates; returns records, issues and counts. */
export async function parseFixture(format: TextFormat, name: string) {
  const res = await parseString(format, fixture(name), { file: name });
  for (const r of [...res.records, ...res.issues]) {
    const err = checkRecord(r);
    if (err) throw new Error(`${name}: invalid record ${JSON.stringify(r)}: ${err}`);
  }
  if (res.counts.parsed + res.counts.skipped + res.counts.issues !== res.counts.lines)
    throw new Error(`${name}: line counts do not add up ${JSON.stringify(res.counts)}`);
  return res;
}
