/**
 * Child-process entry of the benchmark: `node dist/bench/pass.js NAME FILE` runs one
 * registered pass and prints one JSON line `{ ms, rssMb, packets, bytes, note }`.
 * Sections register their passes in the table below.
 */
import { tuneHeap } from '../src/util/heap.js';
import { capturePasses } from './capture.js';
import type { PassResult } from './types.js';

/** Every pass, by name. A duplicate name is an error. */
const passes = new Map<string, (file: string) => Promise<Omit<PassResult, 'ms' | 'rssMb'>>>();
for (const table of [capturePasses]) {
  for (const [name, fn] of Object.entries(table)) {
    if (passes.has(name)) throw new Error(`duplicate bench pass ${name}`);
    passes.set(name, fn);
  }
}

// Passes run with the CLI's heap settings (runPass also gives the main isolate the parsing workers' young generation).
tuneHeap();
const [name, file] = process.argv.slice(2);
const fn = passes.get(name ?? '');
if (!fn || !file) {
  console.error(`usage: pass.js NAME FILE (passes: ${[...passes.keys()].join(', ')})`);
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const r = await fn(file);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const c = process.cpuUsage(c0);
const cpuMs = (c.user + c.system) / 1000;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms, cpuMs, rssMb, ...r }));
