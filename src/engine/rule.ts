/**
 * The rule contract (DESIGN: Contracts / Rule): a module with zod-validated
 * metadata (rule-meta.ts) and a pure `evaluate(evidence, priorFindings) → Finding[]`. Rules are
 * listed in rules/index.ts in evaluation order (L7 → L2, then config).
 */
import type { Finding } from '../model/analysis.js';
import type { Evidence } from './evidence.js';
import type { RuleMeta } from './rule-meta.js';

/** A diagnostic rule. */
export interface Rule {
  meta: RuleMeta;
  /** Pure: reads the evidence and the findings of rules evaluated before it. */
  evaluate(evidence: Evidence, prior: readonly Finding[]): Finding[];
}

/** Build the rule table: rejects duplicate ids (the metadata schema is checked by a test, see rule-meta.ts). */
export function ruleTable(rules: readonly Rule[]): readonly Rule[] {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.meta.id)) throw new Error(`duplicate rule id ${r.meta.id}`);
    seen.add(r.meta.id);
  }
  return rules;
}
