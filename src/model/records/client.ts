/** Records from client-side tool output: curl, ping, traceroute (DESIGN: Inspection). */
import { z } from 'zod';
import { base, IsoTs } from './base.js';

/** A failure a client tool reported. */
export const ClientErrorRecord = z.object({
  type: z.literal('client-error'),
  ...base,
  ts: IsoTs.nullable().optional(),
  tool: z.string(),
  target: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  text: z.string(),
});
export type ClientErrorRecord = z.infer<typeof ClientErrorRecord>;

/** Schemas contributed by this file to the record union. */
export const clientSchemas = [ClientErrorRecord] as const;
