/**
 * The lab network: namespaces, veth pairs and one bridge, all created by the lab and
 * removed by it. Nothing is created in the caller's namespace; every veth is created
 * directly between two lab namespaces.
 *
 * ```
 *                        LAN 192.0.2.0/24 (bridge br0 in <p>-sw)
 *   client-lan .50 ─┐                                   ┌─ router .1 ── 203.0.113.1 ─ client-remote .50
 *                   ├──────────────── br0 ──────────────┤            (203.0.113.0/24)
 *   node1 eth1 .10 ─┘  (+ VIP .240)                     └─ hypervisor eth0 .2 (NAT uplink)
 *   node1 eth0 198.51.100.15 ── hypervisor mgmt0 198.51.100.1   (management NAT 198.51.100.0/24)
 * ```
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Fixed addressing of the lab (documentation ranges only). */
export const ADDR = {
  lanPrefix: '192.0.2.0/24',
  lanGateway: '192.0.2.1',
  hvLan: '192.0.2.2',
  nodeLan: '192.0.2.10',
  vip: '192.0.2.240',
  clientLan: '192.0.2.50',
  mgmtPrefix: '198.51.100.0/24',
  mgmtGateway: '198.51.100.1',
  nodeMgmt: '198.51.100.15',
  remotePrefix: '203.0.113.0/24',
  routerRemote: '203.0.113.1',
  clientRemote: '203.0.113.50',
} as const;

/**
 * IPv6 addressing of the dual-stack scenarios (2001:db8::/32, documentation): the same
 * three networks, each a /64, hosts at the same host numbers as in IPv4.
 */
export const ADDR6 = {
  lanPrefix: '2001:db8:0:2::/64',
  lanGateway: '2001:db8:0:2::1',
  hvLan: '2001:db8:0:2::2',
  nodeLan: '2001:db8:0:2::10',
  vip: '2001:db8:0:2::240',
  clientLan: '2001:db8:0:2::50',
  mgmtPrefix: '2001:db8:0:51::/64',
  mgmtGateway: '2001:db8:0:51::1',
  nodeMgmt: '2001:db8:0:51::15',
  remotePrefix: '2001:db8:0:113::/64',
  routerRemote: '2001:db8:0:113::1',
  clientRemote: '2001:db8:0:113::50',
} as const;

/** Fixed, locally administered MACs. */
export const MAC = {
  nodeEth0: '02:00:00:00:0a:00',
  nodeEth1: '02:00:00:00:0a:01',
  hvMgmt: '02:00:00:00:01:00',
  hvLan: '02:00:00:00:01:01',
  routerLan: '02:00:00:00:02:01',
  routerRemote: '02:00:00:00:02:02',
  clientLan: '02:00:00:00:03:01',
  clientRemote: '02:00:00:00:04:01',
} as const;

/** Lab hosts (namespace suffixes). `sw` only holds the bridge. */
export const HOSTS = ['sw', 'node1', 'hv', 'router', 'client-lan', 'client-remote'] as const;
/** One lab host. */
export type Host = (typeof HOSTS)[number];

/** How the node routes replies: via the management NAT (wrong) or the LAN gateway (right). */
export type NodeRouting = 'mgmt-default' | 'lan-default';

/** Options for building the topology. */
export interface TopologyOptions {
  routing: NodeRouting;
  /** Whether node1 holds the VIP on eth1. */
  vipHeld: boolean;
  /** Also give every host its IPv6 address and routes (ADDR6), routed as in IPv4. */
  ipv6?: boolean;
}

/** Run a command, throwing with its stderr on failure. */
export function sh(cmd: string, args: string[], input?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

/** True when we are root, `ip netns` works and the tools `Topology.create` runs are installed. */
export function labAvailable(): { ok: true } | { ok: false; reason: string } {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return { ok: false, reason: 'not root (the lab creates network namespaces)' };
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    return { ok: false, reason: `ip netns unavailable: ${r.error?.message ?? r.stderr.trim()}` };
  const missing = ['nft', 'sysctl'].filter((t) => spawnSync(t, ['--version']).error);
  if (missing.length) return { ok: false, reason: `missing tools: ${missing.join(', ')} (nftables, procps)` };
  return { ok: true };
}

/** A lab instance: namespaces named `<prefix>-<host>`. */
export class Topology {
  readonly prefix: string;
  private created: string[] = [];

  constructor(prefix: string) {
    if (!/^[a-z][a-z0-9]{1,15}$/.test(prefix)) throw new Error(`bad lab prefix ${prefix}`);
    this.prefix = prefix;
  }

  /** Namespace name of a host. */
  ns(h: Host): string {
    return `${this.prefix}-${h}`;
  }

  /** Run `cmd args` inside a host's namespace; returns stdout. */
  exec(h: Host, cmd: string, args: string[], input?: string): string {
    return sh('ip', ['netns', 'exec', this.ns(h), cmd, ...args], input);
  }

  /** Like exec but never throws: returns stdout+stderr as a terminal would show them, and the status. */
  run(h: Host, cmd: string, args: string[], timeoutMs = 30_000): { out: string; status: number | null } {
    const r = spawnSync('ip', ['netns', 'exec', this.ns(h), cmd, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { out: (r.stdout ?? '') + (r.stderr ?? ''), status: r.status };
  }

  /** `ip -n NS args`. */
  ip(h: Host, ...args: string[]): string {
    return sh('ip', ['-n', this.ns(h), ...args]);
  }

  /** Namespaces of this prefix that already exist. */
  existing(): string[] {
    const list = sh('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0]);
    return HOSTS.map((h) => this.ns(h)).filter((n) => list.includes(n));
  }

  /** Build the topology. Refuses when any of its namespaces already exist. */
  create(opts: TopologyOptions): void {
    const clash = this.existing();
    if (clash.length)
      throw new Error(`lab namespaces already exist: ${clash.join(', ')} (another lab running?)`);
    for (const h of HOSTS) {
      sh('ip', ['netns', 'add', this.ns(h)]);
      this.created.push(this.ns(h));
      this.ip(h, 'link', 'set', 'lo', 'up');
    }
    // The switch is a plain L2 device: no IPv6 (no link-local chatter from its ports).
    this.exec('sw', 'sysctl', [
      '-qw',
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
    ]);
    this.ip('sw', 'link', 'add', 'br0', 'address', '02:00:00:00:ff:00', 'type', 'bridge');
    this.ip('sw', 'link', 'set', 'br0', 'up');
    // veth pair ifa@a <-> ifb@b; switch ports get 02:00:00:00:ff:NN.
    let port = 0;
    const link = (a: Host, ifa: string, maca: string, b: Host, ifb: string, macb?: string) => {
      const peerMac = macb ?? `02:00:00:00:ff:${(++port).toString(16).padStart(2, '0')}`;
      const args = ['link', 'add', ifa, 'address', maca, 'type', 'veth', 'peer', 'name', ifb];
      args.push('address', peerMac, 'netns', this.ns(b));
      this.ip(a, ...args);
      this.ip(a, 'link', 'set', ifa, 'up');
      if (b === 'sw') this.ip('sw', 'link', 'set', ifb, 'master', 'br0');
      this.ip(b, 'link', 'set', ifb, 'up');
    };
    link('node1', 'eth1', MAC.nodeEth1, 'sw', 'p-node1');
    link('node1', 'eth0', MAC.nodeEth0, 'hv', 'mgmt0', MAC.hvMgmt);
    link('hv', 'eth0', MAC.hvLan, 'sw', 'p-hv');
    link('router', 'eth0', MAC.routerLan, 'sw', 'p-router');
    link('client-lan', 'eth0', MAC.clientLan, 'sw', 'p-clientlan');
    link('router', 'eth1', MAC.routerRemote, 'client-remote', 'eth0', MAC.clientRemote);

    this.ip('node1', 'addr', 'add', `${ADDR.nodeLan}/24`, 'dev', 'eth1');
    if (opts.vipHeld) this.ip('node1', 'addr', 'add', `${ADDR.vip}/32`, 'dev', 'eth1');
    this.ip('node1', 'addr', 'add', `${ADDR.nodeMgmt}/24`, 'dev', 'eth0');
    if (opts.routing === 'mgmt-default')
      this.ip('node1', 'route', 'add', 'default', 'via', ADDR.mgmtGateway, 'dev', 'eth0');
    else this.ip('node1', 'route', 'add', 'default', 'via', ADDR.lanGateway, 'dev', 'eth1');
    // Loose reverse-path filtering, as Debian/Ubuntu ship it: eth1 ingress from an
    // off-LAN client is accepted because a route back exists (via eth0).
    this.exec('node1', 'sysctl', [
      '-qw',
      'net.ipv4.conf.all.rp_filter=2',
      'net.ipv4.conf.default.rp_filter=2',
    ]);

    this.ip('hv', 'addr', 'add', `${ADDR.mgmtGateway}/24`, 'dev', 'mgmt0');
    this.ip('hv', 'addr', 'add', `${ADDR.hvLan}/24`, 'dev', 'eth0');
    this.ip('hv', 'route', 'add', 'default', 'via', ADDR.lanGateway);
    this.ip('router', 'addr', 'add', `${ADDR.lanGateway}/24`, 'dev', 'eth0');
    this.ip('router', 'addr', 'add', `${ADDR.routerRemote}/24`, 'dev', 'eth1');
    this.ip('client-lan', 'addr', 'add', `${ADDR.clientLan}/24`, 'dev', 'eth0');
    this.ip('client-lan', 'route', 'add', 'default', 'via', ADDR.lanGateway);
    this.ip('client-remote', 'addr', 'add', `${ADDR.clientRemote}/24`, 'dev', 'eth0');
    this.ip('client-remote', 'route', 'add', 'default', 'via', ADDR.routerRemote);
    for (const h of ['hv', 'router'] as const) this.exec(h, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    if (opts.ipv6) this.addIpv6(opts);
    // The hypervisor NATs the management network onto the LAN, statefully.
    this.nft(
      'hv',
      `table ip hvnat {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    oifname "eth0" ip saddr ${ADDR.mgmtPrefix} masquerade
  }
}`,
    );
  }

  /**
   * IPv6 on top of the IPv4 set-up: the same addresses per host (`nodad`: usable at
   * once), node1's default route as in IPv4, forwarding on the hypervisor and router.
   * There is no reverse-path filter for IPv6 in the kernel (that is netfilter's rpfilter).
   */
  private addIpv6(opts: TopologyOptions): void {
    const addr = (h: Host, a: string, dev: string) =>
      this.ip(h, '-6', 'addr', 'add', `${a}/64`, 'dev', dev, 'nodad');
    addr('node1', ADDR6.nodeLan, 'eth1');
    if (opts.vipHeld) this.ip('node1', '-6', 'addr', 'add', `${ADDR6.vip}/128`, 'dev', 'eth1', 'nodad');
    addr('node1', ADDR6.nodeMgmt, 'eth0');
    if (opts.routing === 'mgmt-default')
      this.ip('node1', '-6', 'route', 'add', 'default', 'via', ADDR6.mgmtGateway, 'dev', 'eth0');
    else this.ip('node1', '-6', 'route', 'add', 'default', 'via', ADDR6.lanGateway, 'dev', 'eth1');
    addr('hv', ADDR6.mgmtGateway, 'mgmt0');
    addr('hv', ADDR6.hvLan, 'eth0');
    this.ip('hv', '-6', 'route', 'add', 'default', 'via', ADDR6.lanGateway);
    addr('router', ADDR6.lanGateway, 'eth0');
    addr('router', ADDR6.routerRemote, 'eth1');
    addr('client-lan', ADDR6.clientLan, 'eth0');
    this.ip('client-lan', '-6', 'route', 'add', 'default', 'via', ADDR6.lanGateway);
    addr('client-remote', ADDR6.clientRemote, 'eth0');
    this.ip('client-remote', '-6', 'route', 'add', 'default', 'via', ADDR6.routerRemote);
    for (const h of ['hv', 'router'] as const)
      this.exec(h, 'sysctl', ['-qw', 'net.ipv6.conf.all.forwarding=1']);
  }

  /** Load an nftables ruleset into a host's namespace. */
  nft(h: Host, ruleset: string): void {
    this.exec(h, 'nft', ['-f', '-'], ruleset);
  }

  /**
   * Remove what this instance created: kill processes still inside its namespaces
   * (only ours can be there), then delete the namespaces, which removes their veths,
   * bridge and nft tables. Never throws; safe to call twice and from an exit handler.
   */
  destroy(): void {
    const names = [...this.created];
    for (const ns of names) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
      for (const p of pids.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    for (const ns of names) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    this.created = [];
  }
}
