/**
 * The log formats stay out of other formats' files: on every sample embedded in
 * every other registered text format, traefik, go-log and access-log are less
 * confident than the sample's own format.
 */
import { describe, expect, it } from 'vitest';
import { textFormats } from '../../../parsers/text/registry.js';

const MINE = new Set(['traefik', 'go-log', 'access-log']);

const cases = [...textFormats.values()]
  .filter((f) => !MINE.has(f.id))
  .flatMap((f) => f.samples.map((s, i) => ({ name: `${f.id} #${i + 1}`, format: f, input: s.input })));

describe('log formats do not claim other formats’ samples', () => {
  it.each(cases)('$name', ({ format, input }) => {
    const lines = input.split('\n');
    const own = format.sniff(lines, 'sample.txt');
    for (const id of MINE) {
      const mine = textFormats.get(id)?.sniff(lines, 'sample.txt') ?? 0;
      if (mine > 0) expect(mine, `${id} vs ${format.id}`).toBeLessThan(own);
    }
  });
});
