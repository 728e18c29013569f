/**
 * Fast timestamp readers for log lines. Each checks the shape with character
 * tests (no regex, no backtracking) and converts through src/util/time.ts, caching
 * the whole-second part so a chronological log costs one string concat per line.
 *
 * Shapes: RFC 3339 (`2024-05-01T10:00:00.123Z`, `+02:00`, `+0200`, naive),
 * Go `log` (`2017/08/03 09:39:51.123456`, naive), CLF (`10/Oct/2000:13:55:36 -0700`),
 * klog (`0803 09:39:51.123456`, no year), epoch numbers (s, ms, µs, ns).
 */
import { isoFromEpoch, wallClockToIso } from '../../../src/util/time.js';

/** A timestamp found in a line: ISO instant (null when the text was impossible) and its span. */
export interface TsHit {
  iso: string | null;
  /** End index (exclusive) of the timestamp text. */
  end: number;
  /** True when the text carried a zone (`Z`, `+02:00`); naive times were read in the file's zone. */
  zoned: boolean;
}

/** Per-file converter state: zone for naive times and caches of whole seconds. */
export class TsReader {
  private cache = new Map<string, string | null>();
  /** Per shape (0 RFC 3339, 1 Go log, 2 CLF): the last whole-second text, its zone text and result. */
  private slotRaw = ['', '', ''];
  private slotOff = ['', '', ''];
  private slotBase: Array<string | null> = [null, null, null];
  /** The slot's ISO text with a zero fraction (the common case, built once per second). */
  private slotIso: Array<string | null> = [null, null, null];
  /** The slot's year (when its text was a valid time), for `lastYear` on a slot hit. */
  private slotYear: Array<number | undefined> = [undefined, undefined, undefined];
  private readonly utc: boolean;
  /** Year of the last absolute timestamp seen (used for klog, which has none). */
  lastYear: number | undefined;

  constructor(
    readonly tz: string,
    readonly year?: number,
  ) {
    this.utc = tz === 'UTC' || tz === 'Etc/UTC' || tz === 'Z';
  }

  /** Whole-second ISO prefix (`YYYY-MM-DDTHH:MM:SS`) for wall-clock fields; `key` caches zone lookups. */
  private base(
    key: string,
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    s: number,
    off: number | undefined,
  ): string | null {
    let b: string | null | undefined;
    if ((off === 0 || (off === undefined && this.utc)) && h < 24) {
      // UTC wall clock: the ISO text is the fields themselves, no Date needed.
      b =
        mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && mi < 60 && s <= 60
          ? `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(Math.min(s, 59), 2)}`
          : null;
    } else {
      b = this.cache.get(key);
      if (b === undefined) {
        const iso = wallClockToIso(
          { year: y, month: mo, day: d, hour: h, minute: mi, second: s, frac: '', offsetMinutes: off },
          this.tz,
        );
        b = iso && iso.length === 30 ? iso.slice(0, 19) : null;
        if (this.cache.size > 4096) this.cache.clear();
        this.cache.set(key, b);
      }
    }
    if (b !== null) this.lastYear = y;
    return b;
  }

  /**
   * RFC 3339 / ISO 8601 at `i`: `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM|±HHMM]`.
   * `sep` allows a space between date and time. Returns null when the shape does not match.
   */
  rfc3339(s: string, i: number, sep = false): TsHit | null {
    if (s.length < i + 19) return null;
    const t = s.charCodeAt(i + 10);
    if (!(t === 84 || (sep && t === 32))) return null;
    // The same whole second as the last time read: its text was checked then.
    const same = this.slotRaw[0] !== '' && s.startsWith(this.slotRaw[0], i);
    if (!same) {
      if (!isDigits(s, i, 4) || s.charCodeAt(i + 4) !== 45 || !isDigits(s, i + 5, 2)) return null;
      if (s.charCodeAt(i + 7) !== 45 || !isDigits(s, i + 8, 2)) return null;
    }
    return this.clock(s, i, i + 11, true, 0, same);
  }

  /** Go `log` date at `i`: `YYYY/MM/DD HH:MM:SS[.frac]` (naive). */
  goStd(s: string, i: number): TsHit | null {
    if (s.length < i + 19 || s.charCodeAt(i + 4) !== 47 || s.charCodeAt(i + 10) !== 32) return null;
    const same = this.slotRaw[1] !== '' && s.startsWith(this.slotRaw[1], i);
    if (!same) {
      if (!isDigits(s, i, 4) || !isDigits(s, i + 5, 2)) return null;
      if (s.charCodeAt(i + 7) !== 47 || !isDigits(s, i + 8, 2)) return null;
    }
    return this.clock(s, i, i + 11, false, 1, same);
  }

  /**
   * Shared tail of rfc3339/goStd: `HH:MM:SS[.frac][zone]` at `j`, date at `i`; `same`
   * when s[i, j+8) equals the slot's last text (already checked).
   */
  private clock(s: string, i: number, j: number, zone: boolean, slot: number, same: boolean): TsHit | null {
    if (!same) {
      if (!isDigits(s, j, 2) || s.charCodeAt(j + 2) !== 58 || !isDigits(s, j + 3, 2)) return null;
      if (s.charCodeAt(j + 5) !== 58 || !isDigits(s, j + 6, 2)) return null;
    }
    let k = j + 8;
    let f0 = k;
    let f1 = k;
    const dot = s.charCodeAt(k);
    if ((dot === 46 || dot === 44) && isDigit(s.charCodeAt(k + 1))) {
      f0 = k + 1;
      k = f0;
      while (k < s.length && k - f0 < 12 && isDigit(s.charCodeAt(k))) k++;
      f1 = Math.min(k, f0 + 9);
    }
    let off: number | undefined;
    let offText = '';
    if (zone) {
      const z = s.charCodeAt(k);
      if (z === 90 || z === 122) {
        off = 0;
        offText = 'Z';
        k++;
      } else if ((z === 43 || z === 45) && isDigits(s, k + 1, 2)) {
        let m = 0;
        let e = k + 3;
        if (s.charCodeAt(e) === 58 && isDigits(s, e + 1, 2)) {
          m = num(s, e + 1, 2);
          e += 3;
        } else if (isDigits(s, e, 2)) {
          m = num(s, e, 2);
          e += 2;
        }
        const v = num(s, k + 1, 2) * 60 + m;
        off = z === 45 ? -v : v;
        offText = s.slice(k, e);
        k = e;
      }
    }
    if (!same || offText !== this.slotOff[slot]) {
      const raw = s.slice(i, j + 8);
      const b = this.base(
        raw + offText,
        num(s, i, 4),
        num(s, i + 5, 2),
        num(s, i + 8, 2),
        num(s, j, 2),
        num(s, j + 3, 2),
        num(s, j + 6, 2),
        off,
      );
      this.setSlot(slot, raw, offText, b);
    } else this.hitSlot(slot);
    return { iso: this.iso(slot, s, f0, f1), end: k, zoned: off !== undefined };
  }

  /** Remember the last whole second of a shape. */
  private setSlot(slot: number, raw: string, offText: string, b: string | null): void {
    this.slotRaw[slot] = raw;
    this.slotOff[slot] = offText;
    this.slotBase[slot] = b;
    this.slotIso[slot] = b === null ? null : `${b}.000000000Z`;
    this.slotYear[slot] = b === null ? undefined : this.lastYear; // base() just set it
  }

  /** The slot's second read again: it is the last absolute timestamp seen, as base() would record. */
  private hitSlot(slot: number): void {
    if (this.slotBase[slot] !== null) this.lastYear = this.slotYear[slot];
  }

  /** ISO text of the slot's second with the fraction s[f0, f1) (at most 9 digits). */
  private iso(slot: number, s: string, f0: number, f1: number): string | null {
    if (f1 === f0) return this.slotIso[slot];
    const b = this.slotBase[slot];
    return b === null ? null : `${b}.${s.slice(f0, f1)}${ZEROS[9 - (f1 - f0)]}Z`;
  }

  /** CLF date at `i` (after `[`): `10/Oct/2000:13:55:36 -0700`. */
  clf(s: string, i: number): TsHit | null {
    if (s.length < i + 20) return null;
    const j = i + 12;
    const same = this.slotRaw[2] !== '' && s.startsWith(this.slotRaw[2], i);
    let mo = 0;
    if (!same) {
      if (!isDigits(s, i, 2) || s.charCodeAt(i + 2) !== 47) return null;
      mo = monthAt(s, i + 3);
      if (!mo || s.charCodeAt(i + 6) !== 47 || !isDigits(s, i + 7, 4) || s.charCodeAt(i + 11) !== 58)
        return null;
      if (!isDigits(s, j, 2) || s.charCodeAt(j + 2) !== 58 || !isDigits(s, j + 3, 2)) return null;
      if (s.charCodeAt(j + 5) !== 58 || !isDigits(s, j + 6, 2)) return null;
    }
    let k = j + 8;
    let f0 = k;
    let f1 = k;
    if (s.charCodeAt(k) === 46 && isDigit(s.charCodeAt(k + 1))) {
      f0 = ++k;
      while (k < s.length && k - f0 < 12 && isDigit(s.charCodeAt(k))) k++;
      f1 = Math.min(k, f0 + 9);
    }
    let off: number | undefined;
    const z = s.charCodeAt(k + 1);
    if (s.charCodeAt(k) === 32 && (z === 43 || z === 45) && isDigits(s, k + 2, 4)) {
      const v = num(s, k + 2, 2) * 60 + num(s, k + 4, 2);
      off = z === 45 ? -v : v;
      k += 6;
    }
    const so = this.slotOff[2];
    const sameOff = off === undefined ? so === '' : so.length === 5 && s.startsWith(so, k - 5);
    if (!same || !sameOff) {
      const offText = off === undefined ? '' : s.slice(k - 5, k);
      const raw = s.slice(i, j + 8);
      const b = this.base(
        `c${raw}${offText}`,
        num(s, i + 7, 4),
        mo || monthAt(s, i + 3),
        num(s, i, 2),
        num(s, j, 2),
        num(s, j + 3, 2),
        num(s, j + 6, 2),
        off,
      );
      this.setSlot(2, raw, offText, b);
    } else this.hitSlot(2);
    return { iso: this.iso(2, s, f0, f1), end: k, zoned: off !== undefined };
  }

  /** klog date at `i`: `MMDD HH:MM:SS.ffffff` (naive, no year: ctx year, else the last year seen). */
  klog(s: string, i: number): TsHit | null {
    if (s.length < i + 14 || !isDigits(s, i, 4) || s.charCodeAt(i + 4) !== 32) return null;
    const j = i + 5;
    if (!isDigits(s, j, 2) || s.charCodeAt(j + 2) !== 58 || !isDigits(s, j + 3, 2)) return null;
    if (s.charCodeAt(j + 5) !== 58 || !isDigits(s, j + 6, 2)) return null;
    let k = j + 8;
    let frac = '';
    if (s.charCodeAt(k) === 46 && isDigit(s.charCodeAt(k + 1))) {
      const f0 = ++k;
      while (k < s.length && k - f0 < 12 && isDigit(s.charCodeAt(k))) k++;
      frac = s.slice(f0, Math.min(k, f0 + 9));
    }
    const year = this.year ?? this.lastYear;
    if (year === undefined) return { iso: null, end: k, zoned: false };
    const keep = this.lastYear;
    const b = this.base(
      `k${year}${s.slice(i, j + 8)}`,
      year,
      num(s, i, 2),
      num(s, i + 2, 2),
      num(s, j, 2),
      num(s, j + 3, 2),
      num(s, j + 6, 2),
      undefined,
    );
    this.lastYear = keep;
    return { iso: b === null ? null : `${b}.${frac.padEnd(9, '0')}Z`, end: k, zoned: false };
  }

  /** An ISO-ish string value (JSON `time`): RFC 3339 with `T` or space, else null. */
  fromString(v: string): string | null {
    const h = this.rfc3339(v, 0, true);
    return h && h.end === v.length ? h.iso : null;
  }
}

/** Epoch number (seconds, or ms/µs/ns judged by magnitude) to ISO; null when not plausible. */
export function isoFromEpochNumber(v: number): string | null {
  if (!Number.isFinite(v) || v <= 0) return null;
  let sec: number;
  let nsec: number;
  if (v >= 1e17) {
    sec = Math.floor(v / 1e9);
    nsec = Math.round(v - sec * 1e9);
  } else if (v >= 1e14) {
    sec = Math.floor(v / 1e6);
    nsec = Math.round((v - sec * 1e6) * 1e3);
  } else if (v >= 1e11) {
    sec = Math.floor(v / 1e3);
    nsec = Math.round((v - sec * 1e3) * 1e6);
  } else {
    sec = Math.floor(v);
    nsec = Math.round((v - sec) * 1e6) * 1e3; // float seconds carry ~µs precision
  }
  if (nsec >= 1e9) {
    sec += 1;
    nsec -= 1e9;
  }
  if (sec > 253402300799) return null;
  return isoFromEpoch(sec, Math.max(0, nsec));
}

/** `ZEROS[n]` is n zeros: pads a fraction to nanoseconds. */
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** Month number of the English abbreviation at s[i, i+3) (`Aug` → 8), or 0. */
function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i);
  for (let m = 0; m < 12; m++)
    if (
      MONTHS.charCodeAt(m * 3) === a &&
      MONTHS.charCodeAt(m * 3 + 1) === s.charCodeAt(i + 1) &&
      MONTHS.charCodeAt(m * 3 + 2) === s.charCodeAt(i + 2)
    )
      return m + 1;
  return 0;
}

/** True when c is an ASCII digit code. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when s[i, i+n) are all ASCII digits. */
export function isDigits(s: string, i: number, n: number): boolean {
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Zero-padded decimal. */
function pad(v: number, n: number): string {
  const t = String(v);
  return t.length >= n ? t : '0000'.slice(0, n - t.length) + t;
}

/** Days in a month of the proleptic Gregorian calendar. */
function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Decimal value of s[i, i+n) (caller checked the digits). */
function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}
