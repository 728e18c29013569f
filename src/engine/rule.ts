/**
 * The rule contract (DESIGN: Contracts / Rule): a module with zod-validated
 * metadata and a pure `evaluate(evidence, priorFindings) → Finding[]`. Rules are
 * listed in rules/index.ts in evaluation order (L7 → L2, then config).
 */
import { z } from 'zod';
import { type Finding, Layer, Severity } from '../model/analysis.js';
import type { Evidence } from './evidence.js';

/** Rule metadata, validated when the table is built. */
export const RuleMeta = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3),
    layer: Layer,
    /** Default severity; a finding may raise or lower it with a reason. */
    severity: Severity,
    /** Evidence kinds the rule reads (record types, `flows`, `arp`, `routes`…), for `forensic explain`. */
    needs: z.array(z.string()).min(1),
    description: z.string().min(20),
    /** Remediation template shown by `forensic explain`; placeholders in {braces}. */
    remediation: z.string().optional(),
  })
  .strict();
export type RuleMeta = z.infer<typeof RuleMeta>;

/** A diagnostic rule. */
export interface Rule {
  meta: RuleMeta;
  /** Pure: reads the evidence and the findings of rules evaluated before it. */
  evaluate(evidence: Evidence, prior: readonly Finding[]): Finding[];
}

/** Build the rule table: validates metadata, rejects duplicate ids. */
export function ruleTable(rules: readonly Rule[]): readonly Rule[] {
  const seen = new Set<string>();
  for (const r of rules) {
    RuleMeta.parse(r.meta);
    if (seen.has(r.meta.id)) throw new Error(`duplicate rule id ${r.meta.id}`);
    seen.add(r.meta.id);
  }
  return rules;
}
