/** Neutralise every string inside a record built from captured text (control characters → visible escapes). */
import { displayText } from '../../../src/util/sanitize.js';

/** Apply displayText to every string in `v`, in place for objects and arrays; returns `v`. */
export function cleanDeep<T>(v: T): T {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = cleanValue(v[i]);
    return v;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = cleanValue(o[k]);
  }
  return v;
}

function cleanValue(x: unknown): unknown {
  return typeof x === 'string' ? displayText(x) : cleanDeep(x);
}
