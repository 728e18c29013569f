/**
 * Process-wide V8 heap tuning, applied by the CLI and the benchmark's passes (worker
 * threads share the process's flags; the young-generation size reaches only isolates
 * created after `tuneHeap`, see PARSE_NODE_ARGS).
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

/**
 * Semi-space size of the isolates that parse, in MB: fixed, where V8 starts at 1 MB
 * and grows to 16 MB. Every conversation of a capture survives a scavenge or two
 * before it is summarised; with small semi-spaces each is copied on every one of the
 * frequent scavenges (28 for a 1 GB capture, 10 at 32 MB). Measured on the bench's
 * 1 GB capture, median of 7 runs each, one session: decode + flows 1.13 → 1.03 s
 * wall, 1.68 → 1.49 CPU s, for 30 MB more peak RSS (64 MB: 0.99 s, 60 MB more);
 * a 100 MB log as a text task 3 % faster.
 */
export const SEMI_SPACE_MB = 32;

/**
 * Node arguments that give a process's main isolate the parsing heap (V8 sizes the
 * young generation when an isolate is created: `tuneHeap` reaches only isolates
 * created after it, the worker threads). For child processes that parse in their main
 * thread, such as the benchmark's passes.
 */
export const PARSE_NODE_ARGS: readonly string[] = [
  `--min-semi-space-size=${SEMI_SPACE_MB}`,
  `--max-semi-space-size=${SEMI_SPACE_MB}`,
];

/**
 * Apply the heap flags; call once at start-up, before the heap grows and before any
 * worker thread starts (the semi-space size applies to isolates created afterwards).
 */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  for (const f of [...FLAGS, ...PARSE_NODE_ARGS]) setFlagsFromString(f);
}
