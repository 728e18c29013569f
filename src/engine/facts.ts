/**
 * Derived facts shared by rules: who owns an address or a MAC, each node's router,
 * the service under investigation, and the clients that talk to it. Computed once
 * per Evidence and cached.
 */
import type { EvidenceRef, FlowSummary } from '../model/analysis.js';
import type { AddressRecord, NeighborRecord, RouteRecord, RuleRecord } from '../model/records/index.js';
import { contains, parseAddr, parsePrefix, sameAddr } from '../netstate/ip.js';
import { Router } from '../netstate/routing.js';
import { displayText } from '../util/sanitize.js';
import { type Evidence, type NodeRecord, recordsOf } from './evidence.js';

/** A link record (ip link / ip addr): interface with index and MAC. */
export interface LinkLike {
  node?: string;
  file: string;
  line?: number;
  ifname: string;
  ifindex?: number;
  mac?: string;
}

/** Addresses used to probe "any off-LAN client" when the bundle names none (simulation only). */
const PROBES = ['203.0.113.254', '198.51.100.254', '192.0.2.254', '100.64.0.1'];

/** Shared, cached facts. */
export class Facts {
  private readonly routers = new Map<string, Router | null>();
  readonly addresses: ReadonlyArray<AddressRecord & { node?: string }>;
  readonly links: LinkLike[];
  readonly neighbors: ReadonlyArray<NeighborRecord & { node?: string }>;

  constructor(readonly ev: Evidence) {
    this.addresses = recordsOf(ev, 'address');
    this.neighbors = recordsOf(ev, 'neighbor');
    const links: LinkLike[] = [];
    for (const r of ev.byType.get('link') ?? []) links.push(r as unknown as LinkLike);
    for (const a of this.addresses)
      if (a.mac)
        links.push({
          node: a.node,
          file: a.file,
          line: a.line,
          ifname: a.ifname,
          ifindex: a.ifindex,
          mac: a.mac,
        });
    this.links = links;
  }

  /** Nodes that have routing state. */
  routedNodes(): string[] {
    return [
      ...new Set(
        recordsOf(this.ev, 'route')
          .map((r) => r.node)
          .filter((n): n is string => !!n),
      ),
    ].sort();
  }

  /** The router of a node, or null without routes. */
  router(node: string): Router | null {
    if (!this.routers.has(node)) {
      const routes = recordsOf(this.ev, 'route').filter((r) => r.node === node) as RouteRecord[];
      const rules = recordsOf(this.ev, 'rule').filter((r) => r.node === node) as RuleRecord[];
      const addresses = this.addresses.filter((r) => r.node === node);
      this.routers.set(node, routes.length ? new Router({ routes, rules, addresses }) : null);
    }
    return this.routers.get(node) ?? null;
  }

  /** Which node/interface holds an IP address (from `ip addr` dumps). */
  ownerOf(ip: string): Array<{ node?: string; ifname: string; rec: AddressRecord }> {
    const a = parseAddr(ip);
    if (!a) return [];
    return this.addresses
      .filter((r) => {
        const b = parseAddr(r.ip);
        return !!b && b.family === a.family && b.value === a.value;
      })
      .map((r) => ({ node: r.node, ifname: r.ifname, rec: r }));
  }

  /** The MAC of a node's interface, from its link or address dumps. */
  macOf(node: string | undefined, ifname: string): string | undefined {
    return this.links.find((l) => l.node === node && l.ifname === ifname && l.mac)?.mac;
  }

  /** Which node/interface a MAC belongs to. */
  macOwner(mac: string): LinkLike | undefined {
    const m = mac.toLowerCase();
    return this.links.find((l) => l.mac?.toLowerCase() === m);
  }

  /** Addresses of a node on an interface. */
  addressesOn(node: string, ifname: string): Array<AddressRecord & { node?: string }> {
    return this.addresses.filter((a) => a.node === node && a.ifname === ifname);
  }

  /** Connected subnets of a node (`ip/prefix`). */
  subnetsOf(node: string): Array<{ ifname: string; cidr: string }> {
    return this.addresses
      .filter((a) => a.node === node)
      .map((a) => ({ ifname: a.ifname, cidr: `${a.ip}/${a.prefix}` }));
  }

  /** The service VIP(s): manifest first, then k8s LoadBalancer IPs, then client targets. */
  serviceIps(): string[] {
    const out = new Set<string>();
    const vip = this.ev.manifest?.service?.vip;
    if (vip) out.add(vip);
    for (const r of this.ev.byType.get('k8s-service') ?? []) {
      const s = r as unknown as { externalIPs?: string[]; loadBalancerIP?: string };
      for (const ip of s.externalIPs ?? []) if (parseAddr(ip)) out.add(ip);
      if (s.loadBalancerIP && parseAddr(s.loadBalancerIP)) out.add(s.loadBalancerIP);
    }
    return [...out];
  }

  /** The service port: manifest, else 443. */
  servicePort(): number {
    return this.ev.manifest?.service?.port ?? 443;
  }

  /** True when `ip` lies in one of the node's connected subnets on `ifname` (or any interface when omitted). */
  onLink(node: string, ip: string, ifname?: string): boolean {
    const a = parseAddr(ip);
    if (!a) return false;
    return this.addresses.some((r) => {
      if (r.node !== node || (ifname && r.ifname !== ifname)) return false;
      const p = parsePrefix(`${r.ip}/${r.prefix}`);
      return !!p && p.length < (p.family === 4 ? 32 : 128) && contains(p, a);
    });
  }

  /**
   * Service addresses `node` holds, each with the interface its requests arrive on: the
   * service VIPs it owns (arrival = the interface holding the address), then the servers
   * of its captured flows (arrival = where their requests were captured), then the local
   * ends its proxy's TLS errors name (`read tcp 192.0.2.240:443->…`; arrival = the holder).
   */
  nodeServices(node: string): Map<string, string> {
    const out = new Map<string, string>();
    // The interface of the node's `ip addr` dump that holds an address (routing state not needed).
    const holder = (ip: string) => this.ownerOf(ip).find((o) => o.node === node)?.ifname;
    for (const ip of this.serviceIps()) {
      const own = holder(ip);
      if (own) out.set(ip, own);
    }
    for (const f of this.ev.flows) {
      if (f.node !== node) continue;
      const own = holder(f.server.ip);
      if (own && own !== 'lo' && !out.has(f.server.ip)) out.set(f.server.ip, f.interfaces.toServer[0] ?? own);
    }
    // Without a manifest or a capture, the proxy's own errors name the address it serves on.
    for (const r of recordsOf(this.ev, 'tls-handshake-error')) {
      const ip = r.server?.ip;
      if (r.node !== node || !ip || out.has(ip)) continue;
      const own = holder(ip);
      if (own && own !== 'lo') out.set(ip, own);
    }
    return out;
  }

  /**
   * Every client the bundle shows trying `node`'s service `svc`, sorted: the node's flows
   * to it, its TLS error and access logs, the peers of its sockets on the address (half-open
   * ones above all), and `more`.
   */
  serviceClients(node: string, svc: string, more: Iterable<string> = []): string[] {
    const all = new Set<string>(more);
    for (const f of this.ev.flows) if (f.node === node && f.server.ip === svc) all.add(f.client.ip);
    for (const r of recordsOf(this.ev, 'tls-handshake-error'))
      if (r.node === node && r.client.ip) all.add(r.client.ip);
    for (const r of recordsOf(this.ev, 'access')) if (r.node === node && r.client.ip) all.add(r.client.ip);
    for (const r of recordsOf(this.ev, 'socket'))
      if (r.node === node && r.local.ip === svc && r.peer.ip && r.state !== 'LISTEN') all.add(r.peer.ip);
    return [...all].sort();
  }

  /**
   * Clients of `node`'s service `svc` (serviceClients, with `more`) that are not on
   * `arrival`'s subnets, of the service's address family. Without any, one documentation
   * address stands in for "any off-LAN client" (`probing`), for route simulation only.
   */
  offLinkClients(
    node: string,
    svc: string,
    arrival: string,
    more: Iterable<string> = [],
  ): { clients: string[]; probing: boolean } {
    const family = parseAddr(svc)?.family;
    const clients = this.serviceClients(node, svc, more).filter(
      (c) => parseAddr(c)?.family === family && !this.onLink(node, c, arrival),
    );
    if (clients.length) return { clients, probing: false };
    return { clients: PROBES.filter((p) => !this.onLink(node, p)).slice(0, 1), probing: true };
  }

  /** Flows whose server is a given IP (any port when omitted). */
  flowsTo(ip: string, port?: number): FlowSummary[] {
    return this.ev.flows.filter((f) => f.server.ip === ip && (port === undefined || f.server.port === port));
  }

  /** Neighbour entries (all nodes) for an IP. */
  neighborsFor(ip: string): Array<NeighborRecord & { node?: string }> {
    return this.neighbors.filter((n) => sameAddr(n.ip, ip));
  }
}

/** A neighbour entry that resolved: it has a MAC and is not FAILED or INCOMPLETE. */
export function neighborResolved(n: NeighborRecord): boolean {
  return !!n.mac && !/FAILED|INCOMPLETE/i.test(n.state ?? '');
}

const cache = new WeakMap<Evidence, Facts>();

/** Facts for an Evidence store (cached). */
export function factsOf(ev: Evidence): Facts {
  let f = cache.get(ev);
  if (!f) {
    f = new Facts(ev);
    cache.set(ev, f);
  }
  return f;
}

/** Evidence reference for a record. */
export function recordRef(r: NodeRecord, text?: string): EvidenceRef {
  const rec = r as NodeRecord & { ts?: string | null; text?: string };
  return {
    file: r.file,
    ...(r.line !== undefined ? { line: r.line } : {}),
    ...(r.node ? { node: r.node } : {}),
    ...(typeof rec.ts === 'string' ? { ts: rec.ts } : {}),
    text: displayText(text ?? rec.text ?? r.type),
  };
}
