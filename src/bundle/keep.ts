/**
 * What a text task keeps of a huge log, so memory stays bounded: the first RECORDS_CAP
 * records of a file, then LATE_PER_MINUTE per kind (type and cause, level or status
 * class) and minute, so an incident late in a long log still reaches the timeline and
 * the rules; the rest is counted (coverage `notKept`).
 *
 * The rule composes: a part of a file filtered on its own keeps every record the whole
 * file's filter keeps from that part, so filtering the parts' kept records again, in
 * file order, gives exactly the whole file's (src/bundle/split.ts relies on it). Why:
 * before a record x of the part, the whole-file count is at least min(cap, the part's own
 * count) (it keeps everything until its cap, and more came before). So when the part drops
 * x (its count past the cap, and LATE_PER_MINUTE earlier records of x's kind and minute
 * kept past it), the whole-file filter is past the cap at x and at each of those records,
 * each of which it kept (its bucket grew) or dropped (its bucket was full): its bucket is
 * full at x and x is dropped. Records a filter drops change neither count nor buckets, so
 * the join, fed only the parts' kept records, decides like the whole-file filter.
 */
import type { AnyRecord } from '../model/records/index.js';

/** Issue records kept per file (the count is always exact). */
export const MAX_ISSUES_KEPT = 200;
/** Records kept per file before sampling. */
export const RECORDS_CAP = 100_000;
/** Records kept per kind and minute once RECORDS_CAP is reached. */
export const LATE_PER_MINUTE = 5;

/** The kind of a record beyond its type, for sampling: cause, tool and code, level or status class. */
function subKind(r: AnyRecord): string | number {
  if (r.type === 'tls-handshake-error') return r.cause;
  if (r.type === 'client-error') return `${r.tool}|${r.code ?? ''}`;
  if (r.type === 'log') return r.level ?? '';
  if (r.type === 'access') return r.status === null ? -1 : Math.floor(r.status / 100);
  return '';
}

/** The key of a record's kind in `notKeptByKind`: `type|sub-kind` (`tls-handshake-error|bad-record-mac`, `access|5`). */
export function kindKey(type: string, sub: string | number): string {
  return `${type}|${sub}`;
}

/** Counts per kind key, summed into `into`. */
export function addKindCounts(
  into: Record<string, number>,
  from: Readonly<Record<string, number>> | undefined,
): void {
  if (from) for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/** Counts per kind key with the keys in order (the form coverage shows), or undefined when there are none. */
export function sortedKindCounts(
  counts: Readonly<Record<string, number>>,
): Record<string, number> | undefined {
  const keys = Object.keys(counts).sort();
  return keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, counts[k]])) : undefined;
}

/** The map under `k` (made when missing). */
function child<K, V>(m: Map<K, Map<string | number, V>>, k: K): Map<string | number, V> {
  let c = m.get(k);
  if (!c) {
    c = new Map();
    m.set(k, c);
  }
  return c;
}

/** The keep rule over one file's records, fed in file order. */
export class KeepFilter {
  private kept = 0;
  /** Records not kept, by type and sub-kind. */
  private readonly dropped = new Map<string, Map<string | number, number>>();
  /** Records kept beyond the cap per minute (`YYYY-MM-DDTHH:MM`, '' without a time), type and sub-kind. */
  private readonly late = new Map<string, Map<string | number, Map<string | number, number>>>();
  /** The last minute looked up and its map (records come mostly in time order). */
  private minute = '\0';
  private byType: Map<string | number, Map<string | number, number>> = new Map();

  constructor(
    private readonly cap = RECORDS_CAP,
    private readonly perMinute = LATE_PER_MINUTE,
  ) {}

  /** True when `r` is kept (then it counts towards the cap or its kind and minute). */
  keep(r: AnyRecord): boolean {
    if (this.kept >= this.cap) {
      const bySub = this.bucket(r);
      const sub = subKind(r);
      const n = bySub.get(sub) ?? 0;
      if (n >= this.perMinute) {
        this.drop(r.type, sub);
        return false;
      }
      bySub.set(sub, n + 1);
    }
    this.kept++;
    return true;
  }

  /** What was not kept, by kind key (sorted), or undefined when everything was kept. */
  notKeptByKind(): Record<string, number> | undefined {
    const counts: Record<string, number> = {};
    for (const [type, bySub] of this.dropped) for (const [sub, n] of bySub) counts[kindKey(type, sub)] = n;
    return sortedKindCounts(counts);
  }

  private drop(type: string, sub: string | number): void {
    const bySub = child(this.dropped, type);
    bySub.set(sub, (bySub.get(sub) ?? 0) + 1);
  }

  /** Counts of `r`'s minute and type, by sub-kind. */
  private bucket(r: AnyRecord): Map<string | number, number> {
    const ts = (r as { ts?: unknown }).ts;
    const t = typeof ts === 'string' ? ts : '';
    if (!(t.length >= 16 ? this.minute.length === 16 && t.startsWith(this.minute) : t === this.minute)) {
      this.minute = t.slice(0, 16);
      this.byType = child(this.late, this.minute);
    }
    return child(this.byType, r.type);
  }
}
