/**
 * Small builders shared by the network-state parsers so every source produces
 * the same record shapes (route defaults, neighbour state names).
 */
import type { NeighborRecord, RouteRecord } from '../../../src/model/records/index.js';
import { familyOf } from './common.js';

/** Route types that iproute2 prints in front of the destination. */
export const ROUTE_TYPES: ReadonlySet<string> = new Set([
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'throw',
  'unreachable',
  'prohibit',
  'blackhole',
  'nat',
  'anycast',
]);

/** Route types the kernel keeps in the local table when the source does not name one. */
const LOCAL_TABLE_TYPES: ReadonlySet<string> = new Set(['local', 'broadcast', 'anycast', 'multicast']);

/** Default table for a route that did not name one. `hint` comes from an echoed command. */
export function defaultTable(routeType: string, hint: string | undefined): string {
  if (hint) return hint;
  return LOCAL_TABLE_TYPES.has(routeType) ? 'local' : 'main';
}

/**
 * Family of a route: from its destination, else its gateway, source or first
 * nexthop, else `pref` (printed for IPv6 only), else the file's hint, else inet.
 */
export function routeFamily(r: Partial<RouteRecord>, hint: 'inet' | 'inet6' | undefined): 'inet' | 'inet6' {
  return (
    familyOf(r.dst) ??
    familyOf(r.gateway) ??
    familyOf(r.src) ??
    familyOf(r.nexthops?.[0]?.gateway) ??
    (r.pref !== undefined ? 'inet6' : undefined) ??
    hint ??
    'inet'
  );
}

/** NUD state names as the kernel prints them. */
export const NUD_STATES: ReadonlySet<string> = new Set([
  'REACHABLE',
  'STALE',
  'DELAY',
  'PROBE',
  'FAILED',
  'INCOMPLETE',
  'PERMANENT',
  'NOARP',
  'NONE',
]);

/** A neighbour record with `mac` forced to null for INCOMPLETE/FAILED entries. */
export function neighbor(
  file: string,
  line: number,
  ip: string,
  mac: string | null,
  rest: Partial<NeighborRecord>,
): NeighborRecord {
  const failed = rest.state === 'INCOMPLETE' || rest.state === 'FAILED';
  return { type: 'neighbor', file, line, ip, mac: failed ? null : mac, ...rest };
}
