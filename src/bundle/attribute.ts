/**
 * Attribution: which node (or client) each file belongs to, and which interface a
 * single-interface capture was taken on. Sources, strongest first: the manifest,
 * a manifest written by `forensic collect` inside a host's directory, the
 * sub-directory a file sits in, a file-name prefix naming a known node.
 */
import type { Manifest } from './manifest.js';

/** Directory names that group files by kind, not by host. */
const GENERIC_DIRS = new Set([
  'logs',
  'log',
  'captures',
  'capture',
  'pcap',
  'pcaps',
  'net',
  'network',
  'netstate',
  'state',
  'k8s',
  'kube',
  'kubectl',
  'kubernetes',
  'dumps',
  'dump',
  'files',
  'data',
  'bundle',
  'collect',
  'output',
  'out',
  'evidence',
  'traefik',
  'metallb',
  'cert-manager',
  'clients',
  'nodes',
  'hosts',
  'tmp',
  'misc',
  'text',
  'routes',
  'arp',
]);

/** True for a directory name that groups files by kind (`logs`, `captures`, …), not by host. */
export function isGenericDir(name: string): boolean {
  return GENERIC_DIRS.has(name.toLowerCase());
}

/** Interface-like names as they appear in capture file names (`eth1.pcap`, `node1-ens18.pcapng`). */
const IFACE_RE =
  /(?:^|[-_.@])((?:eth|ens|enp|eno|em|en|wlan|wlp|bond|br|vlan|veth|tun|tap|wg|cni|docker|cali|flannel|vxlan|lan|wan|mgmt)[0-9][\w.]*|enp\w+|lo|br-\w+|flannel\.\d+)$/i;

/** Words a file name starts with that name a tool or a kind of data, not a host. */
const NOT_HOSTS = new Set([
  ...GENERIC_DIRS,
  'ip',
  'curl',
  'ping',
  'tcpdump',
  'dumpcap',
  'tshark',
  'access',
  'error',
  'errors',
  'ss',
  'netstat',
  'route',
  'neigh',
  'addr',
  'link',
  'rule',
  'rules',
  'iptables',
  'nft',
  'nftables',
  'conntrack',
  'ethtool',
  'dmesg',
  'journal',
  'journalctl',
  'syslog',
  'messages',
  'trace',
  'debug',
  'dump',
  'report',
  'forensic',
  'expected',
]);

/** True when `name` can be a host's: not a tool's or a kind of data's name, an interface, or a date or number. */
export function mayNameHost(name: string): boolean {
  return !NOT_HOSTS.has(name.toLowerCase()) && !/^[\d.:_-]+$/.test(name) && !IFACE_RE.test(name);
}

/**
 * Host names that prefix the names of files outside any host directory, as in a flat
 * bundle (`node1_ip_r.log`, `client-lan_curl-v.txt`, `node2-eth0.pcap`): the text before
 * the first `_` or `@`, or before the first `-` when it ends in a digit, that at least
 * two files share and that may name a host (mayNameHost). A lone such prefix must start
 * half the files at least (`app_server.log` and `app_client.log` among a host's dumps
 * name an application, not a host).
 */
export function hostPrefixes(fileNames: readonly string[]): string[] {
  const count = new Map<string, { name: string; n: number }>();
  for (const f of fileNames) {
    const m = /^([A-Za-z0-9][A-Za-z0-9.-]*?)[_@]./.exec(f) ?? /^([A-Za-z][A-Za-z0-9]*\d)-./.exec(f);
    if (!m) continue;
    const name = m[1];
    if (!mayNameHost(name)) continue;
    const k = name.toLowerCase();
    const c = count.get(k) ?? { name, n: 0 };
    c.n++;
    count.set(k, c);
  }
  const shared = [...count.values()].filter((c) => c.n >= 2);
  if (shared.length === 1 && shared[0].n * 2 < fileNames.length) return [];
  return shared.map((c) => c.name);
}

/** What attribution decided for one file. */
export interface Attribution {
  node?: string;
  /** Interface a single-interface capture was taken on, when the name or manifest says so. */
  iface?: string;
  /** How the node was decided (for coverage and the JSON output). */
  basis?: 'manifest' | 'host-manifest' | 'directory' | 'file-name' | 'default';
}

/** Canonical node names with their aliases, built from the manifest and the bundle's directories. */
export class NodeNames {
  private readonly canon = new Map<string, string>();

  constructor(manifest: Manifest | null) {
    for (const [name, n] of Object.entries(manifest?.nodes ?? {})) {
      this.add(name, name);
      for (const a of n.aliases ?? []) this.add(a, name);
    }
  }

  /** Register `alias` as a name of `node`. The first registration of an alias wins. */
  add(alias: string, node: string): void {
    const k = alias.toLowerCase();
    if (!this.canon.has(k)) this.canon.set(k, node);
  }

  /** The canonical node for a name or alias. */
  resolve(name: string): string | undefined {
    return this.canon.get(name.toLowerCase());
  }

  /** All aliases, longest first (so `node10` is tried before `node1`). */
  aliases(): string[] {
    return [...this.canon.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  }
}

/** The host directory of a bundle-relative path: the first non-generic directory segment. */
export function hostDir(rel: string): string | undefined {
  const parts = rel.split('/');
  parts.pop();
  return parts.find((p) => !isGenericDir(p));
}

/** The interface a capture file name names, if any (`eth1.pcap` → eth1, `node1-eth0.pcapng.gz` → eth0). */
export function ifaceFromName(fileName: string): string | undefined {
  const stem = fileName.replace(/(\.gz)?$/i, '').replace(/\.(pcapng|pcap|cap|ntar|dmp|trace)$/i, '');
  const m = IFACE_RE.exec(stem);
  if (!m) return undefined;
  const name = m[1];
  return name.toLowerCase() === 'any' ? undefined : name;
}

/**
 * Decide the node of a file. `names` holds known nodes; `hostManifests` maps a
 * directory to the hostname its own manifest declares.
 */
export function attributeFile(
  rel: string,
  manifest: Manifest | null,
  names: NodeNames,
  hostManifests: ReadonlyMap<string, string>,
  defaultNode: string | undefined,
): Attribution {
  const spec = manifest?.files?.[rel];
  const base = rel.split('/').pop() ?? rel;
  const out: Attribution = {};
  if (spec?.node) {
    out.node = names.resolve(spec.node) ?? spec.node;
    out.basis = 'manifest';
  } else {
    const dirs = rel.split('/').slice(0, -1);
    // A collect manifest in any enclosing directory names the host.
    for (let i = dirs.length; i > 0 && !out.node; i--) {
      const h = hostManifests.get(dirs.slice(0, i).join('/'));
      if (h) {
        out.node = names.resolve(h) ?? h;
        out.basis = 'host-manifest';
      }
    }
    if (!out.node) {
      for (const d of dirs) {
        const known = names.resolve(d);
        if (known) {
          out.node = known;
          out.basis = 'directory';
          break;
        }
      }
    }
    if (!out.node) {
      const lower = base.toLowerCase();
      for (const a of names.aliases()) {
        if (lower.startsWith(a) && /^[-_.@]/.test(lower.slice(a.length))) {
          out.node = names.resolve(a);
          out.basis = 'file-name';
          break;
        }
      }
    }
    if (!out.node) {
      const d = hostDir(rel);
      if (d) {
        out.node = names.resolve(d) ?? d;
        out.basis = 'directory';
      }
    }
    if (!out.node && defaultNode) {
      out.node = defaultNode;
      out.basis = 'default';
    }
  }
  const nodeIfaces = out.node ? manifest?.nodes?.[out.node]?.interfaces : undefined;
  out.iface = spec?.interface ?? nodeIfaces?.[base] ?? ifaceFromName(base);
  return out;
}
