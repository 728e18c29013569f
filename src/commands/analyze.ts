/** `forensic analyze BUNDLE`: run the pipeline and render the Analysis. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzeBundle, BundleError } from '../analyze.js';
import type { Analysis } from '../model/analysis.js';
import { isSeverity, SEVERITIES, SEVERITY_RANK, type Severity } from '../model/levels.js';
import { reportRenderers } from '../report/index.js';
import { redactAnalysis } from '../report/redact.js';
import { isValidZone, parseIsoLike } from '../util/time.js';
import { Progress } from './progress.js';

export const ANALYZE_USAGE = `Usage: forensic analyze BUNDLE [options]

BUNDLE is a directory, a .tar/.tar.gz/.zip of one, or a single file.

Options:
  --format F        tui | text | md | json | html   (default: tui on a terminal, else text)
  --out FILE        write the report to FILE instead of stdout
  --since T         keep timeline events at or after T (ISO-8601, e.g. 2024-05-01T10:00:00Z)
  --until T         keep timeline events at or before T
  --node NAME       only findings, flows and events of node NAME
  --tz ZONE         time zone for timestamps without one (default: manifest, else UTC)
  --manifest FILE   use FILE instead of the bundle's forensic.yaml/forensic.json
  --fail-on SEV     exit 1 when a finding is at or above SEV (info|low|medium|high|critical)
  --redact          replace IPs, MACs, host and SNI names with consistent pseudonyms in every output
  --redact-map FILE where to write the pseudonym mapping (default: OUT.redaction.json or
                    ./forensic-redaction.json); keep it out of the ticket
  --export-evidence DIR
                    write the packets of the flows the findings cite, one pcapng per flow
  --workers N       parser threads (default: one per core; 0 = in-process)
  --timings         print where the time went (start-up, each phase, render) on stderr
  --quiet           no progress bar on stderr
  --no-color        no colours (also honoured: NO_COLOR)
  -h, --help        this text

Examples:
  forensic analyze samples/asymmetric-mangle
  forensic analyze bundle.tar.gz --format md --out incident.md
  forensic analyze bundle/ --format json | jq .rootCause
  forensic analyze bundle/ --node node1 --since 2024-05-01T10:00:00Z --fail-on high

Exit codes: 0 analysed, 1 a finding at or above --fail-on, 2 usage error or unreadable bundle.
`;

/** Run the analyze command; returns the exit code. */
export async function cmdAnalyze(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      node: { type: 'string' },
      tz: { type: 'string' },
      manifest: { type: 'string' },
      'fail-on': { type: 'string' },
      redact: { type: 'boolean' },
      'redact-map': { type: 'string' },
      'export-evidence': { type: 'string' },
      workers: { type: 'string' },
      timings: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(ANALYZE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`forensic analyze: expected one BUNDLE argument\n\n${ANALYZE_USAGE}`);
    return 2;
  }
  const interactive = process.stdout.isTTY && !values.out;
  const format = values.format ?? (interactive ? 'tui' : 'text');
  if (format !== 'tui' && !reportRenderers.has(format)) {
    process.stderr.write(
      `forensic analyze: unknown --format ${format} (${['tui', ...reportRenderers.keys()].join(', ')})\n`,
    );
    return 2;
  }
  let failOn: Severity | undefined;
  if (values['fail-on']) {
    const s = values['fail-on'];
    if (!isSeverity(s)) {
      process.stderr.write(`forensic analyze: --fail-on must be one of ${SEVERITIES.join(', ')}\n`);
      return 2;
    }
    failOn = s;
  }
  if (values.tz !== undefined && !isValidZone(values.tz)) {
    process.stderr.write(
      `forensic analyze: --tz ${values.tz}: unknown time zone (an IANA name such as Europe/Paris, or UTC)\n`,
    );
    return 2;
  }
  const since = values.since ? parseIsoLike(values.since, values.tz ?? 'UTC') : undefined;
  const until = values.until ? parseIsoLike(values.until, values.tz ?? 'UTC') : undefined;
  if (since === null || until === null) {
    process.stderr.write(
      'forensic analyze: --since/--until take an ISO-8601 time, e.g. 2024-05-01T10:00:00Z\n',
    );
    return 2;
  }
  const workers = values.workers !== undefined ? Number(values.workers) : undefined;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    process.stderr.write('forensic analyze: --workers takes a whole number\n');
    return 2;
  }
  const progress = !values.quiet && process.stderr.isTTY ? new Progress(process.stderr) : null;
  // Wall seconds per phase for --timings; start-up is the time until this command ran.
  const timings: Array<[string, number]> = [['start-up', performance.now() / 1000]];
  let analysis: Analysis;
  try {
    analysis = await analyzeBundle(positionals[0], {
      onPhase: values.timings ? (name, s) => timings.push([name, s]) : undefined,
      tz: values.tz,
      manifest: values.manifest,
      since,
      until,
      node: values.node,
      workers,
      onProgress: progress ? (p) => progress.update(p) : undefined,
      exportEvidence: values['export-evidence'],
      onEvidenceExported: (flows) =>
        process.stderr.write(
          `forensic: exported ${flows.length} flow(s), ${flows.reduce((n, f) => n + f.packets, 0)} packet(s) to ${values['export-evidence']}\n`,
        ),
    });
  } catch (e) {
    progress?.done();
    if (e instanceof BundleError) {
      process.stderr.write(`forensic analyze: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  progress?.done();
  if (values.redact) {
    const r = redactAnalysis(analysis);
    analysis = r.analysis;
    const mapFile =
      values['redact-map'] ?? (values.out ? `${values.out}.redaction.json` : 'forensic-redaction.json');
    await writeFile(mapFile, `${JSON.stringify(r.map, null, 2)}\n`, { mode: 0o600 });
    process.stderr.write(`forensic: redacted; pseudonym mapping written to ${mapFile} (do not attach it)\n`);
  }
  if (format === 'tui') {
    const { runTui } = await import('../tui/index.js');
    await runTui(analysis, {
      noColor: values['no-color'] || !!process.env.NO_COLOR,
      exportReport: async (fmt, path) => {
        const r = reportRenderers.get(fmt);
        if (!r) throw new Error(`no ${fmt} renderer`);
        await writeFile(path, r.render(analysis));
      },
    });
  } else {
    const t0 = performance.now();
    const doc = reportRenderers.get(format)?.render(analysis) ?? '';
    if (values.out) await writeFile(values.out, doc);
    else process.stdout.write(doc);
    timings.push(['render', (performance.now() - t0) / 1000]);
  }
  if (values.timings)
    process.stderr.write(
      `forensic: timings: ${timings.map(([n, s]) => `${n} ${s.toFixed(2)} s`).join(', ')}\n`,
    );
  if (failOn) {
    const threshold = SEVERITY_RANK[failOn];
    if (analysis.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold)) return 1;
  }
  return 0;
}
