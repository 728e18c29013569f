/**
 * Process-wide V8 heap tuning, applied by the CLI and the benchmark's passes (worker
 * threads share the process's flags).
 *
 * When collection is cheap, V8 lets the old generation grow to about four times what
 * survived the last full collection before collecting again. The flow table promotes
 * every conversation (each lives longer than two scavenges) and drops it a few
 * seconds after it closes, so peak RSS followed the garbage, not the live set: a
 * 2 GB capture peaked at 305 MB with 57 MB live. Growing by at most 50 % per step
 * keeps the peak near the live set (180 MB on the same capture) for a few more,
 * short, full collections.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Allocation-site pretenuring is off: when the first records of a log are kept (they
 * survive), V8 marks their allocation sites long-lived and from then on allocates every
 * record of the file in the old generation, where the millions that are dropped can only
 * be reclaimed by full collections. Off, a 100 MB Traefik log parses 1.45× faster (2.7 s
 * vs 4.0 s, 3.5 vs 5.3 CPU seconds); captures are unaffected.
 */
const FLAGS = ['--no-allocation-site-pretenuring'];

/** Old-generation growth per step, in percent (V8 decides it dynamically when 0). */
export const HEAP_GROWING_PERCENT = 50;

/** Apply the heap flags; call once at start-up, before the heap grows. */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  for (const f of FLAGS) setFlagsFromString(f);
}
