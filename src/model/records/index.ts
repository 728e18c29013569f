/**
 * The record union: every record any parser yields. Each file under records/
 * contributes the schemas of one family; this table lists them all.
 */
import type { z } from 'zod';
import { IssueRecord } from './base.js';
import { clientSchemas } from './client.js';
import { k8sSchemas } from './k8s.js';
import { logSchemas } from './logs.js';
import { netstateSchemas } from './netstate.js';
import { packetSchemas } from './packet.js';

export * from './base.js';
export * from './client.js';
export * from './k8s.js';
export * from './logs.js';
export * from './netstate.js';
export * from './packet.js';

/** Every record schema, keyed by its `type` literal. A duplicate type is an error. */
const all = [
  IssueRecord,
  ...packetSchemas,
  ...logSchemas,
  ...netstateSchemas,
  ...clientSchemas,
  ...k8sSchemas,
];

export const recordSchemas: ReadonlyMap<string, z.ZodTypeAny> = (() => {
  const m = new Map<string, z.ZodTypeAny>();
  for (const s of all) {
    const t = (s.shape.type as z.ZodLiteral<string>).value;
    if (m.has(t)) throw new Error(`duplicate record type ${t}`);
    m.set(t, s);
  }
  return m;
})();

/** Any record. */
export type AnyRecord = z.infer<(typeof all)[number]>;

/** Validate a record against its type's schema; returns the zod error message or null. */
export function checkRecord(r: { type: string }): string | null {
  const s = recordSchemas.get(r.type);
  if (!s) return `unknown record type ${r.type}`;
  const res = s.safeParse(r);
  return res.success ? null : res.error.message;
}
