/**
 * Layers and severities as plain values: the renderers, rules and CLI use them at
 * run time without loading the zod schemas of model/analysis.ts (zod and the
 * schemas cost every start-up ~60 ms of evaluation, plus loading 95 modules).
 */

export const LAYERS = ['L2', 'L3', 'L4', 'L7', 'config'] as const;
export type Layer = (typeof LAYERS)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity order for comparisons (`--fail-on`). */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** True when `s` names a severity. */
export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}
