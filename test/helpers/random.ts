/**
 * Seeded randomness for fuzz tests: the benchmark generators' mulberry32 PRNG (one
 * implementation for both), and a pick from a list.
 */
export { prng } from '../../bench/gen-capture.js';

/** A random element of `xs`. */
export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
