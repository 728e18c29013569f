/**
 * The schema of rule metadata (DESIGN: Contracts / Rule). Rules are code, not
 * input: test/rules/meta.test.ts validates every listed rule against it, so the
 * CLI does not load zod to re-check them at each start.
 */
import { z } from 'zod';
import { Layer, Severity } from '../model/analysis.js';

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
