/**
 * Plain-text summary, printed when stdout is not a terminal and no format is
 * given: root cause first, then findings, then timeline highlights and coverage.
 *
 * Sample:
 *   ROOT CAUSE (confidence 0.90) node1: default route leaves by eth0 (management NAT) ...
 *     chain: tls-bad-record-mac#node1 → asymmetric-routing#node1 → default-route-mismatch#node1
 *     fix:   ip route replace default via 192.0.2.1 dev eth1
 *   FINDINGS
 *     high     L3  node1  asymmetric-routing  12 conversations arrive on eth1 and leave on eth0
 */
import type { Analysis } from '../model/analysis.js';
import { SEVERITY_RANK } from '../model/levels.js';
import { clip, displayText } from '../util/sanitize.js';

/** Render the plain-text summary. */
export function renderText(a: Analysis, opts: { timelineMax?: number } = {}): string {
  const out: string[] = [];
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  out.push(
    `forensic: ${displayText(a.bundle.path)} — ${fileCountText(a)}, ${a.bundle.nodes.length} nodes, ${a.flows.length} flows`,
  );
  if (a.bundle.timeRange) out.push(`time range: ${a.bundle.timeRange.first} … ${a.bundle.timeRange.last}`);
  out.push('');
  const rc = a.rootCause;
  if (rc) {
    const f = byId.get(rc.finding);
    out.push(
      `ROOT CAUSE (confidence ${rc.confidence.toFixed(2)})${f?.node ? ` ${f.node}` : ''}: ${displayText(rc.summary)}`,
    );
    out.push(`  chain: ${rc.chain.join(' → ')}`);
    // Why this confidence; for an unexplained symptom, what evidence is missing.
    if (rc.reasons?.length) out.push(`  why:   ${displayText(rc.reasons.join('; '))}`);
    if (f?.remediation) {
      out.push(`  fix:   ${displayText(f.remediation.summary)}`);
      for (const c of f.remediation.commands) out.push(`         $ ${displayText(c)}`);
      // Every way to make it permanent (its first line alone ends in a colon that promises the rest).
      f.remediation.persistent?.split('\n').forEach((line, i) => {
        out.push(`${i === 0 ? '  permanent: ' : '             '}${displayText(line)}`);
      });
    }
    for (const r of rc.ruledOut ?? [])
      out.push(`  ruled out: ${displayText(r.hypothesis)} — ${displayText(r.reason)}`);
  } else {
    out.push('ROOT CAUSE: none — no finding at or above medium severity');
  }
  out.push('');
  out.push('FINDINGS');
  if (a.findings.length === 0) out.push('  (none)');
  const sorted = [...a.findings].sort(
    (x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || x.id.localeCompare(y.id),
  );
  for (const f of sorted) {
    out.push(`  ${f.severity.padEnd(8)} ${f.layer.padEnd(6)} ${(f.node ?? '-').padEnd(14)} ${f.rule}`);
    out.push(`           ${displayText(f.summary)}`);
    for (const e of f.evidence.slice(0, 3)) {
      const where = `${e.file}${e.line ? `:${e.line}` : ''}${e.packet ? `#${e.packet}` : ''}${e.interface ? ` [${e.interface}]` : ''}`;
      out.push(`             · ${displayText(where)}  ${clip(displayText(e.text), 140)}`);
    }
    if (f.evidence.length > 3) out.push(`             · … ${f.evidence.length - 3} more`);
  }
  out.push('');
  const max = opts.timelineMax ?? 30;
  const highlights = a.timeline.filter(
    (t) => t.severity && SEVERITY_RANK[t.severity] >= SEVERITY_RANK.medium,
  );
  out.push(`TIMELINE HIGHLIGHTS (${highlights.length} of ${a.timeline.length} entries)`);
  if (a.timeline.length === 0)
    out.push('  (no timestamped events: the bundle has no captures or timestamped logs)');
  for (const t of highlights.slice(0, max))
    out.push(
      `  ${t.ts}  ${(t.node ?? '-').padEnd(12)} ${t.layer.padEnd(6)} ${t.count && t.count > 1 ? `${t.count}× ` : ''}${clip(displayText(t.text), 120)}  (${displayText(t.ref)})`,
    );
  if (highlights.length > max) out.push(`  … ${highlights.length - max} more`);
  out.push('');
  out.push('COVERAGE');
  // Columns as wide as their longest entry (paths up to 72 characters), so they line up.
  const files = a.coverage.files;
  const width = (f: (c: (typeof files)[number]) => string, min: number, max: number) =>
    Math.min(
      max,
      files.reduce((w, c) => Math.max(w, f(c).length), min),
    );
  const pathW = width((c) => displayText(c.path), 20, 72);
  const formatW = width((c) => c.format ?? '-', 6, 20);
  const nodeW = width((c) => c.node ?? '-', 6, 24);
  for (const c of files) {
    out.push(
      `  ${c.status.padEnd(12)} ${displayText(c.path).padEnd(pathW)} ${(c.format ?? '-').padEnd(formatW)} ${(c.node ?? '-').padEnd(nodeW)} parsed ${c.parsed}, skipped ${c.skipped}, issues ${c.issues}${c.notKept ? `, not kept ${c.notKept}` : ''}`,
    );
    for (const i of c.firstIssues ?? []) {
      const loc = i.line !== undefined ? `line ${i.line}` : i.offset !== undefined ? `byte ${i.offset}` : '';
      out.push(`               ${loc ? `${loc}: ` : ''}${i.code}: ${clip(displayText(i.message), 140)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * How many files the bundle had and what became of them: `21 files` when all were
 * read, else `24 files (21 read, 2 excluded, 1 unrecognised)` — every file counts.
 */
export function fileCountText(a: Analysis): string {
  const by = new Map<string, number>();
  for (const c of a.coverage.files) {
    const k = c.status === 'parsed' || c.status === 'partial' ? 'read' : c.status;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  const total = a.coverage.files.length;
  if ((by.get('read') ?? 0) === total) return `${total} files`;
  const order = ['read', 'excluded', 'unrecognised', 'rejected', 'unreadable'];
  return `${total} files (${order
    .filter((k) => by.has(k))
    .map((k) => `${by.get(k)} ${k}`)
    .join(', ')})`;
}
