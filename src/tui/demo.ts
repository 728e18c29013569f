#!/usr/bin/env node
/**
 * Development entry until `forensic analyze DIR` opens the TUI: loads an
 * Analysis JSON file, validates it and runs the TUI on it.
 *
 *   node dist/src/tui/demo.js test/tui/fixtures/reference-analysis.json [--no-color]
 */
import { readFile } from 'node:fs/promises';
import { Analysis } from '../model/analysis.js';

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: node dist/src/tui/demo.js ANALYSIS.json [--no-color]\n');
    return 2;
  }
  const parsed = Analysis.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    process.stderr.write(`${file}: not a valid Analysis: ${parsed.error.message}\n`);
    return 1;
  }
  // React's production build renders several times faster; it is chosen when React is first imported.
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('./index.js');
  await runTui(parsed.data, { noColor: argv.includes('--no-color') });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
