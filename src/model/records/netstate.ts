/** Network-state records: routes, policy rules, addresses, neighbours (DESIGN: Inspection). */
import { z } from 'zod';
import { base } from './base.js';

export const Family = z.enum(['inet', 'inet6']);

/** One route entry (`ip route`, `ip -j route`, `route -n`, `netstat -rn`). */
export const RouteRecord = z.object({
  type: z.literal('route'),
  ...base,
  table: z.string(),
  /** unicast, local, broadcast, unreachable, blackhole, prohibit, multicast, throw, nat, anycast */
  routeType: z.string(),
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  proto: z.string().optional(),
  scope: z.string().optional(),
  src: z.string().optional(),
  metric: z.number().optional(),
  family: Family,
});
export type RouteRecord = z.infer<typeof RouteRecord>;

/** One `ip rule` policy-routing rule. */
export const RuleRecord = z.object({
  type: z.literal('rule'),
  ...base,
  priority: z.number().int(),
  from: z.string().optional(),
  to: z.string().optional(),
  iif: z.string().optional(),
  oif: z.string().optional(),
  fwmark: z.string().optional(),
  table: z.string(),
});
export type RuleRecord = z.infer<typeof RuleRecord>;

/** One address on an interface (`ip addr`, `ip -j addr`). */
export const AddressRecord = z.object({
  type: z.literal('address'),
  ...base,
  ifindex: z.number().int().optional(),
  ifname: z.string(),
  mac: z.string().optional(),
  ip: z.string(),
  prefix: z.number().int(),
});
export type AddressRecord = z.infer<typeof AddressRecord>;

/** One neighbour (ARP/NDP) entry. `mac` is null when incomplete or failed. */
export const NeighborRecord = z.object({
  type: z.literal('neighbor'),
  ...base,
  ip: z.string(),
  mac: z.string().nullable(),
  dev: z.string().optional(),
  state: z.string().optional(),
});
export type NeighborRecord = z.infer<typeof NeighborRecord>;

/** Schemas contributed by this file to the record union. */
export const netstateSchemas = [RouteRecord, RuleRecord, AddressRecord, NeighborRecord] as const;
