/**
 * The TUI's precomputed, read-only view of an Analysis: lookups built once
 * (findings by id, flows by id, the timeline's sorted order) and memoised
 * derived data (filtered timeline index arrays, per-flow log joins). Nothing
 * here runs per keystroke over the whole timeline except an explicit search,
 * filter or jump, each a single linear pass at most.
 */
import type { Analysis, Finding, FlowSummary, TimelineEntry } from '../model/analysis.js';
import { type Filter, isActive, matcher } from './filter.js';

/** Lookups over one Analysis. */
export class TuiModel {
  readonly a: Analysis;
  readonly findingById = new Map<string, Finding>();
  readonly flowById = new Map<string, FlowSummary>();
  /** Sorted order of the timeline when the input is not already sorted by ts (else null). */
  private readonly order: Int32Array | null;
  private filterCache: { text: string; idx: Int32Array | null } = { text: '', idx: null };
  private flowEvents = new Map<string, number[]>();
  /** Whether entries span more than one day (then the time column shows the date). */
  readonly multiDay: boolean;

  constructor(a: Analysis) {
    this.a = a;
    for (const f of a.findings) this.findingById.set(f.id, f);
    for (const f of a.flows) this.flowById.set(f.id, f);
    const tl = a.timeline;
    let sorted = true;
    for (let i = 1; i < tl.length; i++) {
      if (tl[i - 1].ts > tl[i].ts) {
        sorted = false;
        break;
      }
    }
    if (sorted) this.order = null;
    else {
      const o = new Int32Array(tl.length);
      for (let i = 0; i < o.length; i++) o[i] = i;
      o.sort((x, y) => (tl[x].ts < tl[y].ts ? -1 : tl[x].ts > tl[y].ts ? 1 : x - y));
      this.order = o;
    }
    this.multiDay =
      tl.length > 0 && this.entry(0).ts.slice(0, 10) !== this.entry(tl.length - 1).ts.slice(0, 10);
  }

  /** Number of timeline entries. */
  get size(): number {
    return this.a.timeline.length;
  }

  /** Timeline entry k in time order. */
  entry(k: number): TimelineEntry {
    return this.a.timeline[this.order ? this.order[k] : k];
  }

  /** Entry positions (time order) passing the filter, or null for all. Memoised on the filter text. */
  filtered(f: Filter): Int32Array | null {
    if (!isActive(f)) return null;
    if (this.filterCache.text === f.text && this.filterCache.idx) return this.filterCache.idx;
    const m = matcher(f);
    const n = this.size;
    const buf = new Int32Array(n);
    let len = 0;
    for (let k = 0; k < n; k++) if (m(this.entry(k))) buf[len++] = k;
    const idx = buf.slice(0, len);
    this.filterCache = { text: f.text, idx };
    return idx;
  }

  /** Position (time order) of the event nearest a jump target: exact ref match near ts, else first at/after ts. */
  locate(ts: string | undefined, ref: string | undefined): number {
    const n = this.size;
    if (n === 0) return -1;
    if (ts) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.entry(mid).ts < ts) lo = mid + 1;
        else hi = mid;
      }
      if (ref) {
        for (let k = Math.max(0, lo - 50); k < Math.min(n, lo + 500); k++)
          if (this.entry(k).ref === ref) return k;
      }
      return Math.min(lo, n - 1);
    }
    if (ref) for (let k = 0; k < n; k++) if (this.entry(k).ref === ref) return k;
    return -1;
  }

  /** Timeline positions of events joined to a flow (by flow id or by one of its log refs), capped. */
  eventsOfFlow(id: string, cap = 500): number[] {
    const hit = this.flowEvents.get(id);
    if (hit) return hit;
    const refs = new Set(this.flowById.get(id)?.logs ?? []);
    const out: number[] = [];
    for (let k = 0; k < this.size && out.length < cap; k++) {
      const e = this.entry(k);
      if (e.flow === id || refs.has(e.ref)) out.push(k);
    }
    this.flowEvents.set(id, out);
    return out;
  }

  /** The root-cause chain as findings (symptom first), skipping unknown ids. */
  chain(): Finding[] {
    const rc = this.a.rootCause;
    if (!rc) return [];
    return rc.chain.map((id) => this.findingById.get(id)).filter((f): f is Finding => !!f);
  }
}
