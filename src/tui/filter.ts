/**
 * The `f` filter: a one-line query over node, layer, severity, source and a
 * time window, e.g. `node:node1 layer:L3,L7 sev:high source:traefik from:10:14:02 to:10:14:09`.
 * Bare words match the event text. Parsing never throws; it returns an error string.
 */
import { type Layer, SEVERITY_RANK, type Severity } from '../model/levels.js';

/** A parsed filter; empty fields match everything. */
export interface Filter {
  nodes: string[];
  layers: Layer[];
  /** Minimum severity. */
  severity?: Severity;
  sources: string[];
  /** Time window bounds: full ISO or a `HH:MM[:SS[.fff]]` clock compared to the time of day. */
  from?: string;
  to?: string;
  words: string[];
  /** The text the filter was parsed from (shown in the status line). */
  text: string;
}

/** The filter that matches everything. */
export const NO_FILTER: Filter = { nodes: [], layers: [], sources: [], words: [], text: '' };

const LAYERS: Layer[] = ['L2', 'L3', 'L4', 'L7', 'config'];
const SEVS = Object.keys(SEVERITY_RANK) as Severity[];
const SEV_ALIAS: Record<string, Severity> = {
  crit: 'critical',
  med: 'medium',
  warn: 'medium',
  err: 'high',
  error: 'high',
};

/** Parse filter text; returns the filter or an error message. */
export function parseFilter(text: string): Filter | string {
  const f: Filter = { nodes: [], layers: [], sources: [], words: [], text: text.trim() };
  for (const tok of text.trim().split(/\s+/)) {
    if (!tok) continue;
    const colon = tok.indexOf(':');
    const key = colon > 0 ? tok.slice(0, colon).toLowerCase() : '';
    const val = colon > 0 ? tok.slice(colon + 1) : tok;
    const list = val.split(',').filter(Boolean);
    switch (key) {
      case 'node':
        f.nodes.push(...list);
        break;
      case 'layer':
        for (const v of list) {
          const l = LAYERS.find((x) => x.toLowerCase() === v.toLowerCase());
          if (!l) return `unknown layer '${v}' (L2, L3, L4, L7, config)`;
          f.layers.push(l);
        }
        break;
      case 'sev':
      case 'severity': {
        const v = val.toLowerCase().replace(/\+$/, '');
        const s = SEVS.find((x) => x === v) ?? SEV_ALIAS[v];
        if (!s) return `unknown severity '${val}' (info, low, medium, high, critical)`;
        f.severity = s;
        break;
      }
      case 'source':
      case 'src':
        f.sources.push(...list);
        break;
      case 'from':
      case 'to': {
        if (!/^\d\d(:\d\d){1,2}(\.\d+)?$|^\d{4}-\d\d-\d\dT/.test(val))
          return `bad time '${val}' (HH:MM[:SS] or ISO)`;
        f[key] = val;
        break;
      }
      default:
        if (key && !['http', 'https'].includes(key))
          return `unknown filter key '${key}' (node, layer, sev, source, from, to)`;
        f.words.push(tok.toLowerCase());
    }
  }
  return f;
}

/** Whether a filter restricts anything. */
export function isActive(f: Filter): boolean {
  return (
    f.nodes.length > 0 ||
    f.layers.length > 0 ||
    f.severity !== undefined ||
    f.sources.length > 0 ||
    f.from !== undefined ||
    f.to !== undefined ||
    f.words.length > 0
  );
}

/** Compare a timestamp against a bound: ISO bounds compare whole strings, clock bounds the time of day. */
function timeKey(ts: string, bound: string): string {
  if (bound.includes('T')) return ts;
  const t = ts.indexOf('T');
  return t > 0 ? ts.slice(t + 1, t + 1 + bound.length) : ts;
}

/** A fast predicate for the filter over anything with the timeline/finding fields. */
export function matcher(
  f: Filter,
): (e: {
  node?: string;
  layer: Layer;
  severity?: Severity;
  source?: string;
  ts?: string;
  text: string;
}) => boolean {
  const minRank = f.severity ? SEVERITY_RANK[f.severity] : -1;
  return (e) => {
    if (f.nodes.length && !(e.node && f.nodes.includes(e.node))) return false;
    if (f.layers.length && !f.layers.includes(e.layer)) return false;
    if (minRank >= 0 && SEVERITY_RANK[e.severity ?? 'info'] < minRank) return false;
    if (f.sources.length && !(e.source && f.sources.some((s) => e.source!.includes(s)))) return false;
    if (f.from && (!e.ts || timeKey(e.ts, f.from) < f.from)) return false;
    if (f.to && (!e.ts || timeKey(e.ts, f.to) > f.to)) return false;
    if (f.words.length) {
      const t = e.text.toLowerCase();
      for (const w of f.words) if (!t.includes(w)) return false;
    }
    return true;
  };
}
