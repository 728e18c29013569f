/**
 * Timestamps. Internally an instant is epoch seconds + nanoseconds; everywhere it
 * is shown or serialised it is an ISO-8601 UTC string with 9 fractional digits
 * (`2024-05-01T10:00:00.123456789Z`), which sorts lexicographically in time order.
 */

/** `00` … `99`. */
const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
let cachedDay = Number.NaN;
let cachedDayPrefix = '';
/**
 * Character codes of the canonical form, rewritten in place by each call: one
 * `String.fromCharCode` of them makes a flat 30-character string. A template literal
 * made a tree of ~8 cons strings instead (288 heap bytes per timestamp where the flat
 * string takes 48), which every flow summary, ladder step and kept record retained,
 * and it was 3× slower. Bytes, passed as 30 arguments: `fromCharCode.apply` over a
 * plain array boxed every code once the array held a double (~700 heap bytes per call,
 * a quarter of what a capture's parse allocated).
 */
const isoCodes = Uint8Array.from('0000-00-00T00:00:00.000000000Z', (c) => c.charCodeAt(0));

/** Format epoch seconds + nanoseconds as ISO-8601 UTC with nanoseconds. */
export function isoFromEpoch(sec: number, nsec = 0): string {
  const whole = Math.floor(sec);
  // The date part is formatted once per day (flows interleave, so a per-second cache would
  // miss); the time of day is arithmetic.
  const day = Math.floor(whole / 86400);
  if (day !== cachedDay) {
    const d = new Date(day * 86_400_000);
    if (Number.isNaN(d.getTime())) return `@${sec}.${String(nsec).padStart(9, '0')}`;
    const base = d.toISOString(); // YYYY-MM-DDT00:00:00.000Z (or ±YYYYYY for far years)
    cachedDay = day;
    cachedDayPrefix = base.slice(0, base.length - 13);
    if (cachedDayPrefix.length === 11)
      for (let i = 0; i < 11; i++) isoCodes[i] = cachedDayPrefix.charCodeAt(i);
  }
  const s = whole - day * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s - h * 3600) / 60);
  const ss = s - h * 3600 - m * 60;
  if (cachedDayPrefix.length !== 11 || !(nsec >= 0 && nsec < 1e9 && Number.isInteger(nsec)))
    return `${cachedDayPrefix}${TWO[h]}:${TWO[m]}:${TWO[ss]}.${String(nsec).padStart(9, '0')}Z`;
  const c = isoCodes;
  c[11] = 48 + Math.floor(h / 10);
  c[12] = 48 + (h % 10);
  c[14] = 48 + Math.floor(m / 10);
  c[15] = 48 + (m % 10);
  c[17] = 48 + Math.floor(ss / 10);
  c[18] = 48 + (ss % 10);
  let n = nsec;
  for (let i = 28; i >= 20; i--) {
    const q = Math.floor(n / 10);
    c[i] = 48 + n - q * 10;
    n = q;
  }
  // biome-ignore format: one argument per character
  return String.fromCharCode(
    c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14],
    c[15], c[16], c[17], c[18], c[19], c[20], c[21], c[22], c[23], c[24], c[25], c[26], c[27], c[28], c[29],
  );
}

/** Epoch string `sec.nnnnnnnnn` as tshark prints frame.time_epoch. */
export function epochString(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Epoch seconds of `YYYY-MM-DD` days seen by epochFromIso (bounded). */
const daySeconds = new Map<string, number>();

/** Value of the `n` decimal digits at iso[at…], or -1 when one is not a digit. */
function digits(iso: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = iso.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Parse an ISO string produced by isoFromEpoch back to [sec, nsec]. */
export function epochFromIso(iso: string): [number, number] {
  // Fast path for the canonical form YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ: the day is looked up once.
  if (iso.length === 30 && iso.charCodeAt(10) === 84 /* T */ && iso.charCodeAt(19) === 46 /* . */) {
    const day = iso.slice(0, 10);
    let ds = daySeconds.get(day);
    if (ds === undefined) {
      ds = Date.parse(`${day}T00:00:00Z`) / 1000;
      if (daySeconds.size >= 4096) daySeconds.clear();
      daySeconds.set(day, ds);
    }
    const h = digits(iso, 11, 2);
    const m = digits(iso, 14, 2);
    const sec = digits(iso, 17, 2);
    const ns = digits(iso, 20, 9);
    if (Number.isFinite(ds) && h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 60 && ns >= 0)
      if (iso.charCodeAt(13) === 58 && iso.charCodeAt(16) === 58 && iso.charCodeAt(29) === 90)
        return [ds + h * 3600 + m * 60 + sec, ns];
  }
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) return [Number.NaN, 0];
  const sec = Math.floor(Date.parse(`${m[1]}Z`) / 1000);
  const frac = (m[2] ?? '').padEnd(9, '0');
  return [sec, Number(frac)];
}

/** Difference a - b in seconds (float) between two ISO timestamps. */
export function isoDiffSeconds(a: string, b: string): number {
  const [as, an] = epochFromIso(a);
  const [bs, bn] = epochFromIso(b);
  return as - bs + (an - bn) / 1e9;
}

/** Shift an ISO timestamp by a (possibly fractional, possibly negative) number of seconds. */
export function isoShift(iso: string, seconds: number): string {
  const [s, n] = epochFromIso(iso);
  const totalNs = BigInt(s) * 1_000_000_000n + BigInt(n) + BigInt(Math.round(seconds * 1e9));
  const sec = totalNs / 1_000_000_000n;
  let ns = totalNs % 1_000_000_000n;
  let secN = Number(sec);
  if (ns < 0n) {
    ns += 1_000_000_000n;
    secN -= 1;
  }
  return isoFromEpoch(secN, Number(ns));
}

const offsetCache = new Map<string, Intl.DateTimeFormat>();

/** Offset of an IANA zone from UTC, in minutes, at a UTC instant (ms). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Z' || zone === 'Etc/UTC') return 0;
  let fmt = offsetCache.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetCache.set(zone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    +parts.year,
    +parts.month - 1,
    +parts.day,
    +parts.hour,
    +parts.minute,
    +parts.second,
  );
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** True when `zone` is an IANA zone name this runtime knows (or UTC). */
export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Calendar fields of a wall-clock time, as found in a log line. */
export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second as a digit string (up to 9 digits used), '' when absent. */
  frac: string;
  /** Explicit UTC offset in minutes when the text had one (`Z` = 0); undefined for naive times. */
  offsetMinutes?: number;
}

/**
 * Turn wall-clock fields into an ISO UTC instant. Naive times (no offset) are
 * read in `zone` (IANA name, default UTC). Returns null for impossible dates.
 */
export function wallClockToIso(w: WallClock, zone = 'UTC'): string | null {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 24 || w.minute > 59 || w.second > 60)
    return null;
  const naiveMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, Math.min(w.second, 59));
  if (Number.isNaN(naiveMs)) return null;
  let offset = w.offsetMinutes;
  if (offset === undefined) {
    // Two passes handle the instant near a DST change.
    offset = zoneOffsetMinutes(zone, naiveMs);
    offset = zoneOffsetMinutes(zone, naiveMs - offset * 60000);
  }
  const utcMs = naiveMs - offset * 60000;
  const nsec = Number((w.frac || '0').slice(0, 9).padEnd(9, '0'));
  return isoFromEpoch(Math.floor(utcMs / 1000), nsec);
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Month number from an English abbreviation (`Aug` → 8), or 0. */
export function monthFromName(name: string): number {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? 0;
}

/** Parse `+0200`, `+02:00`, `-05`, `Z` to minutes; undefined when not an offset. */
export function parseOffset(s: string | undefined): number | undefined {
  if (!s) return undefined;
  if (s === 'Z' || s === 'z' || s === 'UTC' || s === 'GMT') return 0;
  const m = /^([+-])(\d\d):?(\d\d)?$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -v : v;
}

const ISO_LIKE =
  /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|z|[+-]\d\d(?::?\d\d)?|UTC|GMT)?$/;

/**
 * Parse the common absolute timestamp shapes: RFC 3339 / ISO 8601 with or without
 * zone, `YYYY/MM/DD HH:MM:SS(.frac)`, with `T` or space. Naive values are read in `zone`.
 */
export function parseIsoLike(text: string, zone = 'UTC'): string | null {
  const m = ISO_LIKE.exec(text.trim());
  if (!m) return null;
  return wallClockToIso(
    {
      year: +m[1],
      month: +m[2],
      day: +m[3],
      hour: +m[4],
      minute: +m[5],
      second: +m[6],
      frac: m[7] ?? '',
      offsetMinutes: parseOffset(m[8]),
    },
    zone,
  );
}
