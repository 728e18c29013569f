/** `forensic parse FILE`: print what the analyzer understood of one file, one record per line. */
import { parseArgs } from 'node:util';
import { parseFile, recordLine } from '../parse.js';

export const PARSE_USAGE = `Usage: forensic parse FILE [--format jsonl|text] [--as FORMAT] [--tz ZONE]

Prints one record per line (DESIGN "Inspection" vocabulary: packet, tls-handshake-error,
log, access, route, rule, address, neighbor, client-error, …). A file the parser rejects
prints an issue record and exits 1.

Examples:
  forensic parse capture.pcapng --format text
  forensic parse traefik.log | jq 'select(.type=="tls-handshake-error") | .cause'
  forensic parse routes.out --as ip-route
`;

/** Run the parse command; returns the exit code. */
export async function cmdParse(argv: string[]): Promise<number> {
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
  if (values.help) {
    process.stdout.write(PARSE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(PARSE_USAGE);
    return 2;
  }
  const file = positionals[0];
  const asText = values.format === 'text';
  if (!asText && values.format !== 'jsonl') {
    process.stderr.write(`forensic parse: unknown --format ${values.format} (jsonl or text)\n`);
    return 2;
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
