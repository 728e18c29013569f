/**
 * Process-wide V8 heap tuning, applied by the CLI and the benchmark's passes.
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

/** Old-generation growth per step, in percent (V8 decides it dynamically when 0). */
export const HEAP_GROWING_PERCENT = 50;

/** Apply the heap flags; call once at start-up, before the heap grows. */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
