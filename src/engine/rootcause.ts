/**
 * Root cause: from findings linked by `causes` (a finding names the findings it
 * explains), pick the best-supported explanation and its chain, symptom first.
 * Competing explanations are ranked by evidence; ruled-out hypotheses that rules
 * recorded (`facts.ruledOut`) are collected.
 */
import type { Finding, RootCause, RuledOut } from '../model/analysis.js';
import { SEVERITY_RANK } from '../model/levels.js';

/** Score of an explanation: severity, how much it explains, how much evidence it has. */
function score(f: Finding, byId: Map<string, Finding>, seen = new Set<string>()): number {
  if (seen.has(f.id)) return 0;
  seen.add(f.id);
  const own =
    SEVERITY_RANK[f.severity] * 2 + Math.log2(1 + f.evidence.length) + Number(f.facts?.confidence ?? 0) * 3;
  let explained = 0;
  for (const c of f.causes ?? []) {
    const e = byId.get(c);
    if (e) explained = Math.max(explained, 1 + score(e, byId, seen));
  }
  return own + explained;
}

/** The effect path from `root` down to a symptom, picking the strongest effect at each step. */
function effectPath(root: Finding, byId: Map<string, Finding>): Finding[] {
  const path = [root];
  const seen = new Set([root.id]);
  let cur = root;
  for (;;) {
    const effects = (cur.causes ?? [])
      .map((id) => byId.get(id))
      .filter((f): f is Finding => !!f && !seen.has(f.id))
      .sort((a, b) => score(b, byId) - score(a, byId) || a.id.localeCompare(b.id));
    const next = effects[0];
    if (!next) return path;
    path.push(next);
    seen.add(next.id);
    cur = next;
  }
}

/** Build the root cause, or null when nothing at or above `medium` needs explaining. */
export function buildRootCause(findings: readonly Finding[]): RootCause | null {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const explained = new Set(findings.flatMap((f) => f.causes ?? []));
  const significant = findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium);
  if (significant.length === 0) return null;
  // Roots explain something and are not explained by anything else.
  const roots = findings.filter((f) => (f.causes?.length ?? 0) > 0 && !explained.has(f.id));
  const ruledOut: RuledOut[] = [];
  for (const f of findings) {
    const r = f.facts?.ruledOut;
    if (Array.isArray(r)) for (const x of r) ruledOut.push(x as RuledOut);
  }
  const dedupRuledOut = [...new Map(ruledOut.map((r) => [r.hypothesis, r])).values()];
  if (roots.length === 0) {
    // Symptoms with no explanation: report the most severe one, with low confidence.
    const top = [...significant].sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        b.evidence.length - a.evidence.length ||
        a.id.localeCompare(b.id),
    )[0];
    return {
      finding: top.id,
      chain: [top.id],
      confidence: 0.3,
      summary: `Unexplained: ${top.summary}`,
      reasons: [
        'no finding in the bundle explains this symptom; more evidence (captures on the path, routing state) is needed',
      ],
      ruledOut: dedupRuledOut,
    };
  }
  const ranked = roots
    .map((f) => ({ f, s: score(f, byId) }))
    .sort((a, b) => b.s - a.s || a.f.id.localeCompare(b.f.id));
  const best = ranked[0].f;
  const path = effectPath(best, byId);
  const chain = path.map((f) => f.id).reverse();
  const ruleConfidence = typeof best.facts?.confidence === 'number' ? best.facts.confidence : undefined;
  const margin = ranked.length > 1 ? ranked[0].s - ranked[1].s : ranked[0].s;
  const derived = Math.min(0.95, 0.5 + 0.1 * (path.length - 1) + Math.min(0.2, margin / 20));
  const confidence = Math.round((ruleConfidence ?? derived) * 100) / 100;
  const reasons = [
    `${path.length - 1} linked finding(s) from the symptom to the cause`,
    ...(Array.isArray(best.facts?.confidenceReasons) ? (best.facts.confidenceReasons as string[]) : []),
  ];
  return {
    finding: best.id,
    chain,
    confidence,
    summary: best.summary,
    reasons,
    ruledOut: dedupRuledOut,
    alternatives: ranked.slice(1).map((r) => ({
      finding: r.f.id,
      score: Math.round(r.s * 100) / 100,
      why: `explains less: ${r.f.summary}`,
    })),
  };
}

/**
 * The findings that carry a remediation, in the order to act on them: the root cause's
 * first, then the rest of its chain from cause towards symptom, then the others as listed.
 */
export function fixOrder(findings: readonly Finding[], root: RootCause | null): Finding[] {
  const chain = root ? [...root.chain].reverse() : [];
  const rank = (f: Finding) => {
    const i = chain.indexOf(f.id);
    return i < 0 ? chain.length : i;
  };
  return findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.remediation)
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}
