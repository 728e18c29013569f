#!/usr/bin/env node
/**
 * The `forensic` command line. Each sub-command lives in its own module; this file
 * only dispatches and prints usage.
 */
import { parseArgs } from 'node:util';
import { parseFile, recordLine } from './parse.js';

const USAGE = `forensic — offline network incident forensics

Usage:
  forensic analyze BUNDLE [options]   diagnose a bundle (directory, .tar, .tar.gz, .zip)
  forensic parse FILE [--format jsonl|text] [--as FORMAT] [--tz ZONE]
                                      print what was understood of one file
  forensic --help                     this text

Exit codes: 0 ok, 1 findings at/above --fail-on (analyze) or file rejected (parse), 2 usage error.
`;

/** Exit code for usage errors. */
const EXIT_USAGE = 2;

async function cmdParse(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'jsonl' },
      as: { type: 'string' },
      tz: { type: 'string', default: 'UTC' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stdout.write(
      'Usage: forensic parse FILE [--format jsonl|text] [--as FORMAT] [--tz ZONE]\n\n' +
        'Prints one record per line. Examples:\n  forensic parse capture.pcapng --format text\n  forensic parse traefik.log | jq .cause\n',
    );
    return values.help ? 0 : EXIT_USAGE;
  }
  const file = positionals[0];
  const asText = values.format === 'text';
  if (!asText && values.format !== 'jsonl') {
    process.stderr.write(`forensic parse: unknown --format ${values.format} (jsonl or text)\n`);
    return EXIT_USAGE;
  }
  const out: string[] = [];
  const flush = () => {
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  };
  const res = await parseFile(
    file,
    { file, tz: values.tz ?? 'UTC' },
    (r) => {
      out.push(asText ? recordLine(r) : JSON.stringify(r));
      if (out.length >= 4096) flush();
    },
    values.as,
  );
  flush();
  return res.rejected ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'parse':
        return await cmdParse(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return cmd === undefined ? EXIT_USAGE : 0;
      default:
        process.stderr.write(`forensic: unknown command '${cmd}'\n\n${USAGE}`);
        return EXIT_USAGE;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
      process.stderr.write(`forensic: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`forensic: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`forensic: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 70;
  },
);
