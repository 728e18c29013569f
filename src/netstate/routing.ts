/**
 * Route simulation for one node: which interface and next hop the node would use
 * to send to X from source Y — `ip route get` done offline from the node's dumps.
 * Policy rules in priority order (from/to/iif/oif/fwmark selectors, lookup table,
 * unreachable/blackhole/prohibit), longest-prefix match per table with metrics,
 * multipath, the local table, and source address selection. Every answer says why:
 * the rule and route that matched, and the routes that lost.
 */
import type { AddressRecord, RouteRecord, RuleRecord } from '../model/records/index.js';
import { type Addr, contains, formatAddr, formatPrefix, type Prefix, parseAddr, parsePrefix } from './ip.js';

/** Well-known table names and ids. */
const TABLE_ALIASES: Record<string, string> = {
  '255': 'local',
  '254': 'main',
  '253': 'default',
  '0': 'unspec',
};

/** Normalise a table id/name (`254` → `main`). */
export function tableName(t: string | number | undefined): string {
  const s = t === undefined ? 'main' : String(t);
  return TABLE_ALIASES[s] ?? s;
}

/** A next hop of a route. */
export interface NextHop {
  gateway?: string;
  dev?: string;
  weight?: number;
}

/** The routing state of one node. */
export interface RoutingState {
  routes: readonly RouteRecord[];
  rules: readonly RuleRecord[];
  addresses: readonly AddressRecord[];
}

/** A query: like `ip route get DST [from SRC] [iif IF] [oif IF] [mark M]`. */
export interface RouteQuery {
  dst: string;
  src?: string;
  iif?: string;
  oif?: string;
  fwmark?: number;
}

/** The answer, with its explanation. */
export interface RouteDecision {
  /** `unicast`, `local`, `broadcast`, `blackhole`, `unreachable`, `prohibit`, or `none` (no route). */
  type: string;
  dev?: string;
  gateway?: string;
  src?: string;
  table?: string;
  route?: RouteRecord;
  nexthops?: NextHop[];
  /** The policy rule that led to the table. */
  rule?: { priority: number; text: string };
  /** Candidate routes that matched the destination but lost, with why. */
  losers: Array<{ route: RouteRecord; why: string }>;
  /** Human-readable steps (`rule 0 from all lookup local: no match`, …). */
  steps: string[];
}

interface PreparedRoute {
  rec: RouteRecord;
  prefix: Prefix;
  table: string;
  metric: number;
}

/** Default policy rules when no `ip rule` dump is present. */
const DEFAULT_RULES: RuleRecord[] = [
  { type: 'rule', file: '(default)', priority: 0, table: 'local' },
  { type: 'rule', file: '(default)', priority: 32766, table: 'main' },
  { type: 'rule', file: '(default)', priority: 32767, table: 'default' },
];

/** Describe a rule like `ip rule` prints it. */
export function ruleText(r: RuleRecord): string {
  const parts = [`${r.priority}:`, `from ${r.from ?? 'all'}`];
  if (r.to) parts.push(`to ${r.to}`);
  if (r.iif) parts.push(`iif ${r.iif}`);
  if (r.oif) parts.push(`oif ${r.oif}`);
  if (r.fwmark) parts.push(`fwmark ${r.fwmark}`);
  const t = tableName(r.table);
  parts.push(['unreachable', 'blackhole', 'prohibit'].includes(t) ? t : `lookup ${t}`);
  return parts.join(' ');
}

/** Describe a route like `ip route` prints it. */
export function routeText(r: RouteRecord): string {
  const parts: string[] = [];
  if (r.routeType && r.routeType !== 'unicast') parts.push(r.routeType);
  parts.push(r.dst);
  if (r.gateway) parts.push(`via ${r.gateway}`);
  if (r.dev) parts.push(`dev ${r.dev}`);
  const t = tableName(r.table);
  if (t !== 'main') parts.push(`table ${t}`);
  if (r.proto) parts.push(`proto ${r.proto}`);
  if (r.scope) parts.push(`scope ${r.scope}`);
  if (r.src) parts.push(`src ${r.src}`);
  if (r.metric !== undefined) parts.push(`metric ${r.metric}`);
  return parts.join(' ');
}

/** A prepared routing table set for repeated lookups. */
export class Router {
  private readonly routes: PreparedRoute[] = [];
  private readonly rules: RuleRecord[];
  private readonly addrs: Array<{ rec: AddressRecord; addr: Addr; prefix: Prefix }> = [];

  constructor(state: RoutingState) {
    for (const a of state.addresses) {
      const addr = parseAddr(a.ip);
      if (!addr) continue;
      const prefix = parsePrefix(`${a.ip}/${a.prefix}`);
      if (prefix) this.addrs.push({ rec: a, addr, prefix });
    }
    // The same route from two dumps of one node (`ip route show table all` lists IPv6 too,
    // and bundles often add `ip -6 route`) is one route, not a rival that lost on metric.
    const seen = new Set<string>();
    for (const r of state.routes) {
      const fam = r.family === 'inet6' ? 6 : 4;
      const prefix = parsePrefix(r.dst, fam);
      if (!prefix) continue;
      const table = tableName(r.table);
      const metric = r.metric ?? 0;
      const hops = JSON.stringify((r as RouteRecord & { nexthops?: NextHop[] }).nexthops ?? null);
      const key = [table, r.routeType, formatPrefix(prefix), r.dev, r.gateway, metric, r.src, hops].join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      this.routes.push({ rec: r, prefix, table, metric });
    }
    // Without a local table in the dump, synthesise it from the addresses (as the kernel does).
    if (!this.routes.some((r) => r.table === 'local')) {
      for (const a of this.addrs) {
        const len = a.addr.family === 4 ? 32 : 128;
        this.routes.push({
          rec: {
            type: 'route',
            file: a.rec.file,
            table: 'local',
            routeType: 'local',
            dst: `${a.rec.ip}/${len}`,
            dev: a.rec.ifname,
            scope: 'host',
            src: a.rec.ip,
            family: a.addr.family === 4 ? 'inet' : 'inet6',
          },
          prefix: { family: a.addr.family, network: a.addr.value, length: len },
          table: 'local',
          metric: 0,
        });
      }
    }
    this.rules = [...(state.rules.length ? state.rules : DEFAULT_RULES)].sort(
      (a, b) => a.priority - b.priority,
    );
  }

  /** Interfaces whose connected subnet contains `ip`. */
  connectedIfaces(ip: string): string[] {
    const a = parseAddr(ip);
    if (!a) return [];
    return [...new Set(this.addrs.filter((x) => contains(x.prefix, a)).map((x) => x.rec.ifname))];
  }

  /** Answer a query. */
  get(q: RouteQuery): RouteDecision {
    const steps: string[] = [];
    const dst = parseAddr(q.dst);
    if (!dst) return { type: 'none', losers: [], steps: [`invalid destination ${q.dst}`] };
    const src = q.src ? parseAddr(q.src) : null;
    for (const rule of this.rules) {
      const why = this.ruleMismatch(rule, dst, src, q);
      const text = ruleText(rule);
      if (why) {
        steps.push(`rule ${text}: skipped (${why})`);
        continue;
      }
      const table = tableName(rule.table);
      if (table === 'unreachable' || table === 'blackhole' || table === 'prohibit') {
        steps.push(`rule ${text}: ${table}`);
        return { type: table, rule: { priority: rule.priority, text }, losers: [], steps };
      }
      const cands = this.routes
        .filter(
          (r) =>
            r.table === table && contains(r.prefix, dst) && (!q.oif || !r.rec.dev || r.rec.dev === q.oif),
        )
        .sort((a, b) => b.prefix.length - a.prefix.length || a.metric - b.metric);
      const best = cands[0];
      if (!best || best.rec.routeType === 'throw') {
        steps.push(`rule ${text}: ${best ? 'throw route' : 'no matching route'} in table ${table}`);
        continue;
      }
      steps.push(`rule ${text}: matched ${routeText(best.rec)}`);
      const losers = cands.slice(1).map((c) => ({
        route: c.rec,
        why:
          c.prefix.length < best.prefix.length
            ? `shorter prefix /${c.prefix.length} than /${best.prefix.length}`
            : `higher metric ${c.metric} than ${best.metric}`,
      }));
      const type = best.rec.routeType || 'unicast';
      const nexthops = (best.rec as RouteRecord & { nexthops?: NextHop[] }).nexthops;
      const dev = best.rec.dev ?? nexthops?.[0]?.dev;
      const gateway = best.rec.gateway ?? nexthops?.[0]?.gateway;
      const decision: RouteDecision = {
        type,
        dev: type === 'local' ? 'lo' : dev,
        gateway,
        table,
        route: best.rec,
        rule: { priority: rule.priority, text },
        losers,
        steps,
      };
      if (nexthops && nexthops.length > 1) {
        decision.nexthops = nexthops;
        steps.push(
          `multipath: one of ${nexthops.map((n) => `${n.gateway ?? ''} dev ${n.dev ?? '?'}`).join(', ')} by flow hash`,
        );
      }
      if (['blackhole', 'unreachable', 'prohibit'].includes(type)) return decision;
      decision.src = q.src ?? this.selectSource(best, dev, gateway, dst);
      return decision;
    }
    steps.push('no rule produced a route: network is unreachable');
    return { type: 'none', losers: [], steps };
  }

  private ruleMismatch(rule: RuleRecord, dst: Addr, src: Addr | null, q: RouteQuery): string | null {
    if (rule.from && rule.from !== 'all') {
      const p = parsePrefix(rule.from, dst.family);
      if (!p) return `unparsable from ${rule.from}`;
      if (!src) return 'query has no source address';
      if (!contains(p, src)) return `source not in ${rule.from}`;
    }
    if (rule.to && rule.to !== 'all') {
      const p = parsePrefix(rule.to, dst.family);
      if (!p || !contains(p, dst)) return `destination not in ${rule.to}`;
    }
    // Locally generated traffic has iif lo.
    if (rule.iif && rule.iif !== (q.iif ?? 'lo')) return `iif ${q.iif ?? 'lo'} is not ${rule.iif}`;
    if (rule.oif && rule.oif !== q.oif) return `oif is not ${rule.oif}`;
    if (rule.fwmark) {
      const [v, m] = rule.fwmark.split('/');
      const value = Number(v);
      const msk = m !== undefined ? Number(m) : 0xffffffff;
      if (((q.fwmark ?? 0) & msk) !== (value & msk))
        return `fwmark ${q.fwmark ?? 0} does not match ${rule.fwmark}`;
    }
    return null;
  }

  /** Source address selection: route `src`, else a primary address on the device sharing the next hop's subnet. */
  private selectSource(
    r: PreparedRoute,
    dev: string | undefined,
    gateway: string | undefined,
    dst: Addr,
  ): string | undefined {
    if (r.rec.src) return r.rec.src;
    const target = gateway ? parseAddr(gateway) : dst;
    const onDev = this.addrs.filter((a) => a.rec.ifname === dev && a.addr.family === dst.family);
    const inSubnet = target ? onDev.find((a) => contains(a.prefix, target)) : undefined;
    const pick = inSubnet ?? onDev[0] ?? this.addrs.find((a) => a.addr.family === dst.family);
    return pick ? formatAddr(pick.addr) : undefined;
  }
}
