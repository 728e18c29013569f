/**
 * Root cause view: the verdict, the chain symptom → cause (each link expands
 * into its evidence), the fix, the ruled-out hypotheses and the alternatives.
 *
 *   VERDICT  node1 replies to off-subnet clients through the management NAT …
 *   confidence 92%  [##################--]
 *   CHAIN  symptom → cause
 *   ▸ L7    HIGH  tls-bad-record-mac        TLS bad record MAC on 192.0.2.240:443
 *     │ explained by
 *   ▾ L3    CRIT  default-route-mismatch    Default route leaves by eth0 …   ◀ root cause
 *       • node1/ip-route.txt:1   00:00:00.000  default via 198.51.100.1 dev eth0 …
 *   RULED OUT
 *     ✗ ARP / VIP not resolvable — ARP for 192.0.2.240 answered by exactly one MAC
 */
import type { Finding } from '../../model/analysis.js';
import type { TuiModel } from '../model.js';
import { arraySource, type Row, type RowSource } from '../rows.js';
import { cell, safe } from '../text.js';
import {
  BLANK,
  evidenceRow,
  findingDetail,
  heading,
  layerSeg,
  paragraph,
  refOf,
  remediationRows,
  sevSeg,
  type ViewEnv,
} from './common.js';

/** Expansion key of a chain link. */
export const linkKey = (f: Finding): string => `link:${f.id}`;

/** One finding as a table line: `▸ L3    CRIT  rule  title`. */
export function findingLine(f: Finding, open: boolean, env: ViewEnv, suffix = '', ruleW = 24): Row {
  const titleW = env.width - 3 - 7 - 6 - ruleW - 1 - suffix.length - 1;
  return {
    segs: [
      { t: open ? ' ▾ ' : ' ▸ ' },
      layerSeg(f.layer, env.pal),
      sevSeg(f.severity, env.pal),
      { t: '  ' },
      { t: cell(safe(f.rule), ruleW), c: env.pal.accent },
      { t: ' ' },
      { t: cell(safe(f.title), Math.max(0, titleW)) },
      { t: suffix, c: env.pal.bad, b: true },
    ],
    toggle: `link:${f.id}`,
    jump: f.evidence[0] ? { ts: f.evidence[0].ts, ref: refOf(f.evidence[0]) } : undefined,
  };
}

/** Width of the rule column: the longest rule id, 12..26. */
export function ruleWidth(m: TuiModel): number {
  return Math.min(26, Math.max(12, ...m.a.findings.map((f) => f.rule.length))) + 1;
}

/** Build the root-cause rows. */
export function rootCauseView(m: TuiModel, expanded: ReadonlySet<string>, env: ViewEnv): RowSource {
  const rc = m.a.rootCause;
  const rows: Row[] = [];
  if (!rc) {
    rows.push(heading('NO ROOT CAUSE', env));
    rows.push(
      ...paragraph(
        m.a.findings.length
          ? `The rules found ${m.a.findings.length} finding(s) but none explains the others. See Findings (4).`
          : 'No findings: nothing in the bundle matched a rule. Check Files (5) for what was parsed.',
        2,
        env.width,
      ),
    );
    return arraySource([], rows);
  }
  const verdict = paragraph(rc.summary, 10, env.width);
  verdict[0] = {
    segs: [{ t: ' ' }, { t: 'VERDICT  ', b: true, c: env.pal.accent }, ...verdict[0].segs.slice(1)],
  };
  rows.push(...verdict);
  const pct = Math.round(rc.confidence * 100);
  const bar = Math.round(rc.confidence * 20);
  rows.push({
    segs: [
      { t: ' confidence ' },
      { t: `${pct}%`, b: true },
      { t: '  [' },
      { t: '#'.repeat(bar), c: pct >= 70 ? env.pal.good : env.pal.severity('medium') },
      { t: `${'-'.repeat(20 - bar)}]` },
    ],
  });
  for (const r of rc.reasons ?? []) rows.push(...paragraph(`+ ${r}`, 3, env.width, { c: env.pal.muted }, 2));
  rows.push(BLANK);
  rows.push(heading('CHAIN', env, 'symptom → cause · Enter expands a link into its evidence'));
  const chain = m.chain();
  const ruleW = ruleWidth(m);
  chain.forEach((f, i) => {
    const open = expanded.has(linkKey(f));
    rows.push(findingLine(f, open, env, f.id === rc.finding ? ' ◀ root cause' : '', ruleW));
    if (open) rows.push(...findingDetail(f, 7, env));
    if (i < chain.length - 1) rows.push({ segs: [{ t: '   │ ' }, { t: 'explained by', c: env.pal.muted }] });
  });
  const root = m.findingById.get(rc.finding);
  if (root?.remediation) {
    rows.push(BLANK);
    rows.push(heading('FIX', env));
    rows.push(...remediationRows(root, 3, env));
  }
  if (rc.ruledOut?.length) {
    rows.push(BLANK);
    rows.push(heading('RULED OUT', env));
    for (const r of rc.ruledOut) {
      const p = paragraph(`${r.hypothesis} — ${r.reason}`, 5, env.width);
      p[0] = { segs: [{ t: '   ' }, { t: '✗ ', c: env.pal.good, b: true }, ...p[0].segs.slice(1)] };
      rows.push(...p);
      for (const e of r.evidence ?? []) rows.push(evidenceRow(e, 5, env));
    }
  }
  if (rc.alternatives?.length) {
    rows.push(BLANK);
    rows.push(heading('ALTERNATIVES', env, 'scored lower'));
    for (const alt of rc.alternatives) {
      const f = m.findingById.get(alt.finding);
      rows.push(
        ...paragraph(
          // The score ranks explanations (severity, evidence, what they explain); it is not a probability.
          `${f?.rule ?? alt.finding} (score ${alt.score.toFixed(1)}) — ${alt.why}`,
          3,
          env.width,
          {},
          5,
        ),
      );
    }
  }
  return arraySource([], rows);
}
