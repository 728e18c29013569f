/**
 * Row pieces shared by the views: severity and layer tags, evidence lines,
 * wrapped paragraphs. All text passes through `safe` before layout.
 */
import type { EvidenceRef, Finding, Layer, Severity } from '../../model/analysis.js';
import type { Palette } from '../palette.js';
import { SEV_TAG } from '../palette.js';
import type { Row, Seg } from '../rows.js';
import { cell, clock, safe, wrap } from '../text.js';

/** What every view builder receives besides its own state. */
export interface ViewEnv {
  pal: Palette;
  /** Terminal columns available for a row. */
  width: number;
}

/** `file:line` / `file#packet` reference of an evidence item. */
export function refOf(e: EvidenceRef): string {
  if (e.line !== undefined) return `${e.file}:${e.line}`;
  if (e.packet !== undefined) return `${e.file}#${e.packet}`;
  return e.file;
}

/** Severity tag segment (fixed 4 columns). */
export function sevSeg(s: Severity | undefined, pal: Palette): Seg {
  const sev = s ?? 'info';
  return { t: SEV_TAG[sev], c: pal.severity(sev), b: sev === 'critical' || sev === 'high' };
}

/** Layer tag segment (fixed 7 columns). */
export function layerSeg(l: Layer, pal: Palette): Seg {
  return { t: cell(l, 7), c: pal.layer(l) };
}

/** A paragraph wrapped under an indent, one row per line. */
export function paragraph(
  text: string,
  indent: number,
  width: number,
  style: Partial<Seg> = {},
  hang = 0,
): Row[] {
  const pad = ' '.repeat(indent);
  const lines = wrap(safe(text), Math.max(10, width - indent - hang - 1));
  return lines.map((line, i) => ({
    segs: [{ t: i && hang ? pad + ' '.repeat(hang) : pad }, { ...style, t: line }],
  }));
}

/** One evidence line: `• ref  time  text`, jumping to the timeline (and opening its flow on Enter). */
export function evidenceRow(e: EvidenceRef, indent: number, env: ViewEnv): Row {
  const ref = safe(refOf(e));
  const iface = e.interface ? ` [${safe(e.interface)}]` : '';
  const head = `${' '.repeat(indent)}• `;
  const refW = Math.min(Math.max(ref.length + iface.length, 18), 36);
  const time = e.ts ? `${clock(e.ts)}  ` : '';
  const textW = env.width - head.length - refW - 2 - time.length - 1;
  return {
    segs: [
      { t: head },
      { t: cell(ref + iface, refW), c: env.pal.accent },
      { t: '  ' },
      { t: time, c: env.pal.muted },
      { t: cell(safe(e.text), Math.max(0, textW)) },
    ],
    jump: { ts: e.ts, ref: refOf(e) },
    flow: e.flow,
  };
}

/** The expanded body of a finding: summary, what it explains, evidence, remediation. */
export function findingDetail(f: Finding, indent: number, env: ViewEnv): Row[] {
  const rows: Row[] = paragraph(f.summary, indent, env.width);
  if (f.causes?.length)
    rows.push(...paragraph(`explains: ${f.causes.join(', ')}`, indent, env.width, { c: env.pal.muted }));
  if (f.evidence.length) {
    rows.push({ segs: [{ t: ' '.repeat(indent) }, { t: `evidence (${f.evidence.length})`, b: true }] });
    for (const e of f.evidence.slice(0, 200)) rows.push(evidenceRow(e, indent, env));
    if (f.evidence.length > 200)
      rows.push(...paragraph(`… ${f.evidence.length - 200} more`, indent + 2, env.width));
  }
  if (f.remediation) rows.push(...remediationRows(f, indent, env));
  return rows;
}

/** Remediation: summary, commands, how to make it persistent, assumptions and alternatives. */
export function remediationRows(f: Finding, indent: number, env: ViewEnv): Row[] {
  const r = f.remediation;
  if (!r) return [];
  // The summary wraps (it names hosts, MACs, rules: clipped, it lost what to do); `fix:` in bold.
  const rows: Row[] = paragraph(`fix: ${r.summary}`, indent, env.width, {}, 5);
  const first = rows[0].segs[1].t;
  rows[0] = { segs: [rows[0].segs[0], { t: 'fix: ', b: true }, { t: first.slice(5) }] };
  for (const c of r.commands)
    rows.push({
      segs: [
        { t: ' '.repeat(indent + 2) },
        { t: cell(`$ ${safe(c)}`, env.width - indent - 3), c: env.pal.good, b: true },
      ],
    });
  if (r.persistent) {
    // One paragraph per line: the text holds config snippets whose line breaks matter.
    r.persistent.split('\n').forEach((line, i) => {
      const lead = line.match(/^ */)?.[0].length ?? 0;
      rows.push(
        ...paragraph(
          `${i === 0 ? 'persistent: ' : ''}${line.trimStart()}`,
          indent + 2 + (i ? 12 + lead : 0),
          env.width,
          {},
          i ? 0 : 12,
        ),
      );
    });
  }
  for (const a of r.assumptions ?? [])
    rows.push(...paragraph(`assumes: ${a}`, indent + 2, env.width, { c: env.pal.muted }, 9));
  for (const alt of r.alternatives ?? []) {
    rows.push(
      ...paragraph(
        `alternative: ${alt.summary}${alt.assumes ? ` (assumes ${alt.assumes})` : ''}`,
        indent + 2,
        env.width,
        {},
        13,
      ),
    );
    for (const c of alt.commands)
      rows.push({
        segs: [
          { t: ' '.repeat(indent + 4) },
          { t: cell(`$ ${safe(c)}`, env.width - indent - 5), c: env.pal.good },
        ],
      });
  }
  return rows;
}

/** A section heading row. */
export function heading(text: string, env: ViewEnv, note = ''): Row {
  return {
    segs: [
      { t: ' ' },
      { t: text, b: true, c: env.pal.accent },
      { t: note ? `  ${note}` : '', c: env.pal.muted },
    ],
  };
}

/** An empty spacer row. */
export const BLANK: Row = { segs: [{ t: '' }] };
