/**
 * isoFromEpoch against Date's own formatting: the day is cached and the time of day is
 * arithmetic, so day and year boundaries, negative epochs and far years must all agree.
 */
import { describe, expect, it } from 'vitest';
import { epochFromIso, isoFromEpoch } from '../../src/util/time.js';

/** The reference: Date's ISO text with the nanoseconds spliced in. */
function reference(sec: number, nsec: number): string {
  const iso = new Date(Math.floor(sec) * 1000).toISOString();
  return `${iso.slice(0, -5)}.${String(nsec).padStart(9, '0')}Z`;
}

describe('isoFromEpoch', () => {
  it('agrees with Date at boundaries and on a seeded spread of instants', () => {
    const secs = [0, 1, 59, 60, 3599, 3600, 86399, 86400, -1, -86400, -86401, 1.5, 1_700_000_000];
    secs.push(253402300799, 253402300800, -62135596800, 8.64e12, -8.64e12);
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      secs.push(Math.floor((x / 2 ** 32 - 0.3) * 1e11));
    }
    for (const s of secs) expect(isoFromEpoch(s, 7), String(s)).toBe(reference(s, 7));
  });

  it('writes every nanosecond digit, and keeps the padded text for fractional or out-of-range nanoseconds', () => {
    let x = 7;
    for (let i = 0; i < 5000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const nsec = x % 1e9;
      const sec = 1_700_000_000 + (x % 200_000) - 100_000;
      expect(isoFromEpoch(sec, nsec), `${sec} ${nsec}`).toBe(reference(sec, nsec));
    }
    for (const nsec of [0, 9, 10, 999_999_999, 100_000_000])
      expect(isoFromEpoch(86_399, nsec)).toBe(reference(86_399, nsec));
    expect(isoFromEpoch(0, 1.5)).toBe('1970-01-01T00:00:00.0000001.5Z');
    expect(isoFromEpoch(0, 1e9)).toBe('1970-01-01T00:00:00.1000000000Z');
    expect(isoFromEpoch(0, -1)).toBe('1970-01-01T00:00:00.0000000-1Z');
  });

  it('keeps nanoseconds and round-trips through epochFromIso', () => {
    expect(isoFromEpoch(1_700_000_000, 123_456_789)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(epochFromIso(isoFromEpoch(1_700_000_000, 5))).toEqual([1_700_000_000, 5]);
  });

  it('epochFromIso reads back what isoFromEpoch wrote, and other ISO forms through the general path', () => {
    let x = 99;
    for (let i = 0; i < 2000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const sec = Math.floor((x / 2 ** 32) * 4e9) - 1e9;
      const nsec = (x * 7919) % 1e9;
      expect(epochFromIso(isoFromEpoch(sec, nsec))).toEqual([sec, nsec]);
    }
    expect(epochFromIso('2024-05-01T10:00:00Z')).toEqual([1714557600, 0]);
    expect(epochFromIso('2024-05-01T10:00:00.5Z')).toEqual([1714557600, 500_000_000]);
    expect(epochFromIso('2024-05-01T10:00:00.12345678xZ')[0]).toBeNaN();
    expect(epochFromIso('not a time')[0]).toBeNaN();
  });

  it('marks an instant Date cannot represent instead of throwing', () => {
    expect(isoFromEpoch(1e15, 0)).toBe('@1000000000000000.000000000');
  });
});
