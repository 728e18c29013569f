#!/usr/bin/env node
/**
 * The `forensic` command line: dispatches to one module per sub-command.
 */
import { cmdCollect } from './collect.js';
import { cmdAnalyze } from './commands/analyze.js';
import { cmdParse } from './commands/parse.js';
import { cmdExplain, cmdRules } from './commands/rules.js';
import { tuneHeap } from './util/heap.js';

const USAGE = `forensic — offline network incident forensics

Usage:
  forensic analyze BUNDLE [options]    diagnose a bundle (directory, .tar, .tar.gz, .zip)
  forensic parse FILE [options]        print what was understood of one file
  forensic rules [--json]              list the diagnostic rules
  forensic explain RULE                a rule's full description and remediation
  forensic collect [options]           print a shell script that collects a bundle on a host
  forensic --help                      this text

Run 'forensic COMMAND --help' for a command's options and examples.

Examples:
  forensic analyze samples/asymmetric-mangle
  forensic analyze bundle.tar.gz --format html --out report.html
  forensic parse node1/traefik.log --format text

Exit codes: 0 ok; 1 findings at/above --fail-on (analyze) or file rejected (parse);
2 usage error or unreadable bundle.
`;

/** Sub-commands by name. */
const commands: Record<string, (argv: string[]) => Promise<number>> = {
  analyze: cmdAnalyze,
  parse: cmdParse,
  rules: cmdRules,
  explain: cmdExplain,
  collect: cmdCollect,
};

// React's development build is several times slower; the TUI is loaded lazily, after this.
process.env.NODE_ENV ??= 'production';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write('forensic 0.1.0\n');
    return 0;
  }
  const run = commands[cmd];
  if (!run) {
    process.stderr.write(`forensic: unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (
      ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR'].includes(err.code ?? '') ||
      err.code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`forensic ${cmd}: ${err.message}\n`);
      return 2;
    }
    throw e;
  }
}

tuneHeap();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`forensic: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 70;
  },
);
