/**
 * `npm run bench` entry (compiled to dist/bench/run.js). Runs the sections listed
 * in the table below, or only some of them:
 *
 *   node dist/bench/run.js [--only capture,text] [--mb 1000] [--seed 1] [--repeat 2]
 *                          [--no-tshark] [--no-flat]
 *
 * Environment: FORENSIC_BENCH_MB (input size, default 1000 — use 50 for a quick
 * run), FORENSIC_BENCH_ONLY (same as --only). Add a section by adding a row.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSection } from './bundle.js';
import { captureSection } from './capture.js';
import { runTextBench } from './text.js';
import type { BenchOptions } from './types.js';

/** One benchmark section. */
interface Section {
  id: string;
  title: string;
  run(opts: BenchOptions): Promise<void>;
}

/** Every section, in run order. A duplicate id is an error. */
const sections: readonly Section[] = [
  {
    id: 'capture',
    title: 'capture: framing, decode + flows, peers (pcap-parser, tshark)',
    run: captureSection,
  },
  {
    id: 'text',
    title: 'text: log parsing vs wc -l / grep -c',
    run: async (o) => {
      await runTextBench({ sizeMB: o.mb });
    },
  },
  {
    id: 'bundle',
    title: 'bundle: 4 captures analysed by the CLI with 1 vs 2 workers (wall time, peak RSS)',
    run: bundleSection,
  },
  {
    id: 'tui',
    title: 'tui: time to first frame and per-keystroke render time, 1,000,000-event timeline',
    // In a child process: ink keeps the event loop alive and React must load in production mode.
    run: async () => {
      spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'tui.js')], {
        stdio: 'inherit',
      });
    },
  },
];

function parseArgs(argv: string[]): { only: string[] | null; opts: BenchOptions } {
  const env = process.env;
  const opts: BenchOptions = {
    mb: Number(env.FORENSIC_BENCH_MB ?? 1000),
    seed: 1,
    repeat: 2,
    tshark: true,
    flat: true,
  };
  let only: string[] | null = env.FORENSIC_BENCH_ONLY ? env.FORENSIC_BENCH_ONLY.split(',') : null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--only') only = val().split(',');
    else if (a === '--mb') opts.mb = Number(val());
    else if (a === '--seed') opts.seed = Number(val());
    else if (a === '--repeat') opts.repeat = Number(val());
    else if (a === '--no-tshark') opts.tshark = false;
    else if (a === '--no-flat') opts.flat = false;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(opts.mb > 0)) throw new Error(`invalid size ${opts.mb} MB`);
  return { only, opts };
}

const ids = new Set<string>();
for (const s of sections) {
  if (ids.has(s.id)) throw new Error(`duplicate bench section ${s.id}`);
  ids.add(s.id);
}
const { only, opts } = parseArgs(process.argv.slice(2));
for (const id of only ?? [])
  if (!ids.has(id)) throw new Error(`unknown section ${id} (known: ${[...ids].join(', ')})`);
console.log(
  `forensic bench: node ${process.version}, ${opts.mb} MB inputs, sections ${(only ?? [...ids]).join(', ')}`,
);
for (const s of sections) {
  if (only && !only.includes(s.id)) continue;
  console.log(`\n== ${s.title}`);
  await s.run(opts);
}
