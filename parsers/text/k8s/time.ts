/** Numeric log timestamps (go-kit / klog JSON `ts`) → ISO UTC with nanoseconds. */
import { isoFromEpoch } from '../../../src/util/time.js';

/** Epoch seconds, or milliseconds when the value is too large to be seconds (klog JSON). */
export function isoFromEpochNumber(v: number): string | null {
  if (!Number.isFinite(v) || v < 0) return null;
  const ms = v > 1e11;
  const sec = Math.floor(ms ? v / 1000 : v);
  // Subtract in the input's unit so the fraction keeps the precision it was written with.
  const frac = ms ? (v - sec * 1000) / 1000 : v - sec;
  return isoFromEpoch(sec, Math.min(999_999_999, Math.round(frac * 1e9)));
}
