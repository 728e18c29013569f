/**
 * Timestamp readers cache the whole second of the last time per shape and skip
 * re-checking its digits when the next text starts the same way. That cache must
 * never change an answer: a reader fed a long mixed sequence agrees, call by
 * call, with a fresh reader for every call.
 */
import { describe, expect, it } from 'vitest';
import { TsReader } from '../../../../parsers/text/log/time.js';
import { pick, prng } from '../../../helpers/random.js';

/** Texts that share seconds often, with every variation the readers look at. */
function texts(r: () => number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = pick(r, ['2024-05-01', '2024-02-29', '2023-02-29', '2024-13-01', '2024-05-1x']);
    const sec = pick(r, ['10:00:00', '10:00:01', '23:59:60', '24:00:00', '10:60:00', '10:0a:00']);
    const frac = pick(r, ['', '.5', '.123456789', '.1234567891234', ',25', '.']);
    const zone = pick(r, ['', 'Z', 'z', '+02:00', '-0530', '+02', '+2', ' +0000']);
    const sep = pick(r, ['T', ' ', 't']);
    const kind = r();
    if (kind < 0.6) out.push(`${day}${sep}${sec}${frac}${zone}`);
    else if (kind < 0.8) out.push(`${day.replace(/-/g, '/')} ${sec}${frac}`);
    else {
      const mon = pick(r, ['May', 'Feb', 'Foo']);
      out.push(
        `${day.slice(8, 10)}/${mon}/${day.slice(0, 4)}:${sec}${frac}${pick(r, ['', ' +0000', ' -0700', ' +02'])}`,
      );
    }
  }
  return out;
}

/** Everything a reader says about one text. */
function read(ts: TsReader, s: string) {
  return [ts.rfc3339(s, 0, false), ts.rfc3339(s, 0, true), ts.goStd(s, 0), ts.clf(s, 0), ts.fromString(s)];
}

describe('TsReader whole-second cache', () => {
  for (const tz of ['UTC', 'Europe/Berlin']) {
    it(`a shared reader answers like a fresh one (${tz})`, () => {
      const r = prng(tz.length);
      const shared = new TsReader(tz, 2024);
      let valid = 0;
      for (const s of texts(r, 4000)) {
        const got = read(shared, s);
        expect(got, s).toEqual(read(new TsReader(tz, 2024), s));
        if (got.some((h) => h !== null && (typeof h === 'string' || h.iso !== null))) valid++;
      }
      // The mix must exercise real times, not only rejections.
      expect(valid).toBeGreaterThan(500);
    });
  }

  it('remembers the year of the last time read, cached or not (klog takes it)', () => {
    const r = prng(7);
    const shared = new TsReader('UTC');
    let changes = 0;
    for (const s of texts(r, 4000)) {
      const fresh = new TsReader('UTC');
      fresh.lastYear = shared.lastYear;
      const before = shared.lastYear;
      read(shared, s);
      read(fresh, s);
      expect(shared.lastYear, s).toBe(fresh.lastYear);
      if (shared.lastYear !== before) changes++;
    }
    expect(changes).toBeGreaterThan(50);
  });

  it('reads the fraction and zone after a cached second', () => {
    const ts = new TsReader('UTC');
    expect(ts.rfc3339('2024-05-01T10:00:00Z', 0)?.iso).toBe('2024-05-01T10:00:00.000000000Z');
    expect(ts.rfc3339('2024-05-01T10:00:00.25+02:00', 0)?.iso).toBe('2024-05-01T08:00:00.250000000Z');
    expect(ts.rfc3339('2024-05-01T10:00:00.123456789Z', 0)?.iso).toBe('2024-05-01T10:00:00.123456789Z');
    // Same digits with a space: only accepted where a space separator is allowed.
    expect(ts.rfc3339('2024-05-01 10:00:00Z', 0, false)).toBeNull();
    expect(ts.rfc3339('2024-05-01 10:00:00Z', 0, true)?.iso).toBe('2024-05-01T10:00:00.000000000Z');
    expect(ts.clf('01/May/2024:10:00:00 +0000', 0)?.iso).toBe('2024-05-01T10:00:00.000000000Z');
    expect(ts.clf('01/May/2024:10:00:00.5 -0100', 0)?.iso).toBe('2024-05-01T11:00:00.500000000Z');
  });
});
