/**
 * Network-state records: routes, policy rules, interfaces, addresses, neighbours,
 * ARP probes (DESIGN: Inspection).
 *
 * Normalisation shared by every source (ip, net-tools, macOS/BSD, Windows):
 * - MACs are lowercase, colon-separated, two digits per octet (`0:c:29:a:b:c` and
 *   `00-0C-29-0A-0B-0C` both become `00:0c:29:0a:0b:0c`).
 * - Route destinations are `default` or a prefix with its length: a host route printed
 *   as `10.0.0.5` becomes `10.0.0.5/32` (`/128` for IPv6); `0.0.0.0/0` and `::/0` are
 *   `default`; abbreviated BSD prefixes (`192.168.1`, `224.0.0/4`) are expanded.
 * - IPv6 zone suffixes (`fe80::1%en0`) are dropped; the zone is the route's `dev`.
 * - Neighbour `state` uses the Linux NUD names (REACHABLE, STALE, DELAY, PROBE, FAILED,
 *   INCOMPLETE, PERMANENT, NOARP, NONE); other tools map to the nearest one
 *   (permanent/static → PERMANENT, incomplete → INCOMPLETE, Windows invalid → FAILED)
 *   and leave it out when the tool does not say (Windows dynamic, BSD expiring entries).
 */
import { z } from 'zod';
import { base, Endpoint } from './base.js';

/** Address family, named as iproute2 names it. */
export const Family = z.enum(['inet', 'inet6']);

/** One path of a multipath route (`nexthop via … dev … weight …`). */
export const Nexthop = z.object({
  gateway: z.string().optional(),
  dev: z.string().optional(),
  weight: z.number().int().optional(),
  /** Per-path flags as printed: onlink, linkdown, dead, … */
  flags: z.array(z.string()).optional(),
});
export type Nexthop = z.infer<typeof Nexthop>;

/**
 * One route entry (`ip route`, `ip -j route`, `route -n`, `netstat -rn`).
 * `table` is `main` unless the source names another one; local/broadcast/multicast
 * routes printed without a table (as `ip route show table local` does) are in `local`.
 * A multipath route has no top-level `gateway`/`dev`; its paths are in `nexthops`.
 */
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
  /** Route MTU (`mtu 1400`, `mtu lock 1400`, `metrics: [{mtu}]`). */
  mtu: z.number().int().optional(),
  /** Gateway assumed on-link even when no prefix covers it. */
  onlink: z.boolean().optional(),
  /** The outgoing device has no carrier. */
  linkdown: z.boolean().optional(),
  /** Paths of a multipath route. */
  nexthops: z.array(Nexthop).optional(),
  /** IPv6 router preference (low, medium, high). */
  pref: z.string().optional(),
  /** Raw flags column of `route -n` / `netstat -rn` (UG, UGH, UGScg, …). */
  flags: z.string().optional(),
  /** Tokens the parser did not recognise, kept verbatim. */
  extra: z.array(z.string()).optional(),
});
export type RouteRecord = z.infer<typeof RouteRecord>;

/**
 * One `ip rule` policy-routing rule. `from`/`to` are omitted for `all`. `table` is the
 * table looked up; for rules whose action is not a lookup (prohibit, blackhole,
 * unreachable, goto, nop) it is the action's name and `action` says the same.
 */
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
  /** lookup (default), prohibit, blackhole, unreachable, goto, nop. */
  action: z.string().optional(),
  /** The selector is inverted (`not from …`). */
  not: z.boolean().optional(),
  /** `suppress_prefixlength N`. */
  suppressPrefixlength: z.number().int().optional(),
  /** Tokens the parser did not recognise, kept verbatim. */
  extra: z.array(z.string()).optional(),
});
export type RuleRecord = z.infer<typeof RuleRecord>;

/** One address on an interface (`ip addr`, `ip -j addr`, `ip -o addr`, `ip -br addr`). */
export const AddressRecord = z.object({
  type: z.literal('address'),
  ...base,
  ifindex: z.number().int().optional(),
  ifname: z.string(),
  mac: z.string().optional(),
  ip: z.string(),
  prefix: z.number().int(),
  family: Family.optional(),
  scope: z.string().optional(),
  /** Alias label (`eth1:vip`) when it differs from `ifname`. */
  label: z.string().optional(),
  broadcast: z.string().optional(),
  /** Point-to-point peer prefix (`inet A peer B/32`). */
  peer: z.string().optional(),
  secondary: z.boolean().optional(),
  /** Other address flags as printed: dynamic, noprefixroute, tentative, deprecated, nodad, … */
  flags: z.array(z.string()).optional(),
});
export type AddressRecord = z.infer<typeof AddressRecord>;

/**
 * One network interface (`ip link`, and every interface block of `ip addr`, so
 * interfaces without addresses are known): the ifindex→name and MAC→interface maps.
 */
export const LinkRecord = z.object({
  type: z.literal('link'),
  ...base,
  ifindex: z.number().int().optional(),
  ifname: z.string(),
  /** What follows `@` in `eth0.100@eth0` / `veth0@if7`: the parent or peer link. */
  parent: z.string().optional(),
  mac: z.string().optional(),
  /** link/ether, link/loopback, link/none, … without the `link/`. */
  linkType: z.string().optional(),
  mtu: z.number().int().optional(),
  /** Operational state: UP, DOWN, UNKNOWN, LOWERLAYERDOWN, DORMANT, … */
  state: z.string().optional(),
  /** Flags between `<` and `>`: BROADCAST, MULTICAST, UP, LOWER_UP, NO-CARRIER, … */
  flags: z.array(z.string()),
  /** Bridge or bond this interface is enslaved to. */
  master: z.string().optional(),
  altnames: z.array(z.string()).optional(),
});
export type LinkRecord = z.infer<typeof LinkRecord>;

/** One neighbour (ARP/NDP) entry. `mac` is null when incomplete or failed. */
export const NeighborRecord = z.object({
  type: z.literal('neighbor'),
  ...base,
  ip: z.string(),
  mac: z.string().nullable(),
  dev: z.string().optional(),
  state: z.string().optional(),
  /** The neighbour announced itself as an IPv6 router (`router`). */
  router: z.boolean().optional(),
  /** Host name printed by `arp -a` (not `?`). */
  hostname: z.string().optional(),
  /** Windows: the interface is named by its address and index (`Interface: A --- 0x4`). */
  ifaddr: z.string().optional(),
  ifindex: z.number().int().optional(),
});
export type NeighborRecord = z.infer<typeof NeighborRecord>;

/**
 * What one `arping` run learnt about one target: one record per MAC that answered
 * (`count` replies), or one with `mac: null, count: 0` when nobody answered. Several
 * records with different MACs for one target are evidence of an address conflict.
 */
export const ArpingRecord = z.object({
  type: z.literal('arping'),
  ...base,
  target: z.string(),
  mac: z.string().nullable(),
  count: z.number().int().nonnegative(),
  /** Probes sent in the run, when the summary says. */
  sent: z.number().int().nonnegative().optional(),
  /** Source address and interface of the probes (iputils header). */
  source: z.string().optional(),
  dev: z.string().optional(),
});
export type ArpingRecord = z.infer<typeof ArpingRecord>;

/**
 * One kernel parameter (`sysctl -a`, `sysctl KEY…`, `grep -H . /proc/sys/…`, BSD
 * `sysctl -a`). `key` is in sysctl's dotted form, an interface name's own dots
 * written as `/` as sysctl does (`net.ipv4.conf.eth0/100.rp_filter`); `value` as
 * printed (multi-field values keep their tabs collapsed to single spaces).
 */
export const SysctlRecord = z.object({
  type: z.literal('sysctl'),
  ...base,
  key: z.string(),
  value: z.string(),
});
export type SysctlRecord = z.infer<typeof SysctlRecord>;

/**
 * One socket from a socket table (`ss -tan`, `netstat -tan`, BSD/macOS `netstat -an`,
 * Windows `netstat -an`). `state` uses the Linux names as ss prints them, spelled out:
 * ESTABLISHED, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, CLOSE, CLOSE-WAIT,
 * LAST-ACK, LISTEN, CLOSING, UNCONN (netstat's `SYN_RECV`, BSD `SYN_RCVD`, Windows
 * `SYN_RECEIVED` and `LISTENING` map to them). A wildcard address (`*`) has `ip: null`;
 * a wildcard port is left out. IPv4-mapped IPv6 addresses are written as IPv4.
 */
export const SocketRecord = z.object({
  type: z.literal('socket'),
  ...base,
  /** tcp, udp, raw, sctp, … (tcp6/tcp4 are tcp). */
  proto: z.string(),
  state: z.string().optional(),
  local: Endpoint,
  peer: Endpoint,
  /** Interface a socket is bound to (`192.0.2.10%eth1:443`). */
  dev: z.string().optional(),
  /** Owning process as printed (`users:(("traefik",pid=812,fd=7))`, `812/traefik`). */
  process: z.string().optional(),
});
export type SocketRecord = z.infer<typeof SocketRecord>;

/** Schemas contributed by this file to the record union. */
/**
 * One entry of a packet filter's ruleset (`nft list ruleset`, `iptables-save`,
 * `ip6tables-save`): a chain's header (`kind: 'chain'`, with its hook and policy when it
 * is a base chain) or one of its rules (`kind: 'rule'`, in order: `index` from 1). The
 * rule's conditions stay in `text`, as written (src/netstate/firewall.ts reads them);
 * its verdict is pulled out. iptables' built-in chains are base chains with the hook of
 * their name (INPUT → input). Counters are kept when the dump has them.
 */
export const FirewallRecord = z.object({
  type: z.literal('firewall'),
  ...base,
  /** nft's family (ip, ip6, inet, arp, bridge, netdev); iptables-save `ip`, ip6tables-save `ip6`. */
  family: z.string(),
  table: z.string(),
  chain: z.string(),
  kind: z.enum(['chain', 'rule']),
  /** Base chains: input, forward, output, prerouting, postrouting, ingress, egress. */
  hook: z.string().optional(),
  /** Base chains: nft priority (a number; named priorities resolved: filter 0, raw -300, mangle -150, …). */
  priority: z.number().optional(),
  /** Base chains: accept or drop. */
  policy: z.string().optional(),
  /** Rules: their position in the chain, from 1. */
  index: z.number().int().positive().optional(),
  /** Rules: the rule as written (counters included), without nft's `# handle N`. */
  rule: z.string().optional(),
  /** Rules: accept, drop, reject, jump, goto, return, queue, … (iptables targets lower-cased); absent when none. */
  verdict: z.string().optional(),
  /** Rules: the chain of a jump / goto. */
  target: z.string().optional(),
  packets: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative().optional(),
});
export type FirewallRecord = z.infer<typeof FirewallRecord>;

export const netstateSchemas = [
  RouteRecord,
  RuleRecord,
  AddressRecord,
  LinkRecord,
  NeighborRecord,
  ArpingRecord,
  SysctlRecord,
  SocketRecord,
  FirewallRecord,
] as const;
