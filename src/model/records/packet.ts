/** The `packet` record printed by `forensic parse CAPTURE` (DESIGN: Inspection). */
import { z } from 'zod';
import { base, IsoTs } from './base.js';

export const PacketRecord = z.object({
  type: z.literal('packet'),
  ...base,
  packet: z.number().int().positive(),
  ts: IsoTs.nullable(),
  interface: z.string().nullable(),
  direction: z.enum(['in', 'out']).nullable(),
  caplen: z.number().int().nonnegative(),
  len: z.number().int().nonnegative(),
  layers: z.array(z.string()),
  src: z.string().nullable(),
  dst: z.string().nullable(),
  sport: z.number().int().nullable(),
  dport: z.number().int().nullable(),
  tcpFlags: z.string().nullable(),
  tls: z.array(z.string()),
});
export type PacketRecord = z.infer<typeof PacketRecord>;

/** Schemas contributed by this file to the record union. */
export const packetSchemas = [PacketRecord] as const;
