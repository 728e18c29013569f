/**
 * Packet-filter simulation: which verdict a node's ruleset (`nft list ruleset`,
 * `iptables-save`; FirewallRecord) gives the first packet of a connection.
 *
 *   const fw = new Firewall(records);
 *   fw.decide({ family: 4, src: '203.0.113.50', dst: '192.0.2.240', proto: 'tcp', dport: 443, iif: 'eth1' }, 'input')
 *   // { verdict: 'drop', rule: <inet hostfw input #4 "tcp dport 443 counter packets 16 bytes 960 drop">, certain: true, … }
 *
 * Every base chain on the packet's path (prerouting, then input or forward), in priority
 * order, judges it: a drop or reject anywhere is final, an accept passes it to the next
 * base chain (nftables and iptables tables alike); a chain's end gives its policy. User
 * chains are followed through jump (back on return or at their end) and goto. The
 * conditions read are the ones that decide who may connect: addresses, protocol, ports,
 * interfaces, conntrack state. A rule with any other condition (a named set, a mark, a
 * rate limit) might match or not: it is assumed not to, the decision is then not
 * `certain`, and a drop or reject it would have given is listed in `maybe`.
 */
import type { FirewallRecord } from '../model/records/index.js';
import { contains, parseAddr, parsePrefix } from './ip.js';

/** The first packet of a connection, as the filter sees it. */
export interface FwPacket {
  family: 4 | 6;
  src: string;
  dst: string;
  proto: 'tcp' | 'udp';
  sport?: number;
  dport: number;
  /** Interface it arrived on. */
  iif?: string;
}

/** What the ruleset does with a packet. */
export interface FwDecision {
  verdict: 'accept' | 'drop' | 'reject';
  /** The rule that decided; null when a chain's policy (or no ruleset) did. */
  rule: FirewallRecord | null;
  /** The base chain whose rule or policy decided (null: nothing in the path decided, accepted). */
  chain: FirewallRecord | null;
  /** False when a rule on the way had conditions that could not be read. */
  certain: boolean;
  /** Rules with unread conditions that would have dropped or rejected it, had they matched. */
  maybe: FirewallRecord[];
}

type Tri = 'yes' | 'no' | 'maybe';

/** The hooks a packet passes, in order, for the local delivery and forwarding paths. */
const PATHS: Record<'input' | 'forward', readonly string[]> = {
  input: ['prerouting', 'input'],
  forward: ['prerouting', 'forward'],
};

/** Verdicts that end the packet's journey through a chain. */
const FINAL = new Set(['accept', 'drop', 'reject']);

/** Well-known service names nft and iptables print instead of port numbers. */
const SERVICES: Record<string, number> = {
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  http: 80,
  www: 80,
  pop3: 110,
  ntp: 123,
  imap: 143,
  snmp: 161,
  ldap: 389,
  https: 443,
  submission: 587,
  ldaps: 636,
  'http-alt': 8080,
};

/** A node's ruleset, ready for questions. */
export class Firewall {
  private readonly chains = new Map<string, FirewallRecord>();
  private readonly rules = new Map<string, FirewallRecord[]>();

  constructor(records: readonly FirewallRecord[]) {
    for (const r of records) {
      const key = chainKey(r);
      if (r.kind === 'chain') this.chains.set(key, r);
      else {
        const list = this.rules.get(key) ?? [];
        list.push(r);
        this.rules.set(key, list);
      }
    }
    for (const list of this.rules.values()) list.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  /** True when the ruleset has a base chain on the packet's path. */
  get empty(): boolean {
    return ![...this.chains.values()].some((c) => c.hook);
  }

  /** The verdict for `pkt` on its way to a local socket (`input`) or through the node (`forward`). */
  decide(pkt: FwPacket, path: 'input' | 'forward'): FwDecision {
    const state = { certain: true, maybe: [] as FirewallRecord[] };
    const hooks = PATHS[path];
    const bases = [...this.chains.values()]
      .filter((c) => c.hook && hooks.includes(c.hook) && familyApplies(c.family, pkt.family))
      .sort(
        (a, b) =>
          hooks.indexOf(a.hook as string) - hooks.indexOf(b.hook as string) ||
          (a.priority ?? 0) - (b.priority ?? 0) ||
          `${a.table} ${a.chain}`.localeCompare(`${b.table} ${b.chain}`),
      );
    for (const base of bases) {
      const r = this.run(base, pkt, state, 0);
      // The end of a base chain, or a `return` in it, gives the chain's policy.
      const verdict = r.verdict && r.verdict !== 'return' ? r.verdict : (base.policy ?? 'accept');
      if (verdict === 'drop' || verdict === 'reject')
        return { verdict, rule: verdict === r.verdict ? r.rule : null, chain: base, ...state };
    }
    return { verdict: 'accept', rule: null, chain: null, ...state };
  }

  /** Run one chain: a final verdict with its rule, 'return', or null at the chain's end. */
  private run(
    chain: FirewallRecord,
    pkt: FwPacket,
    state: { certain: boolean; maybe: FirewallRecord[] },
    depth: number,
  ): { verdict: string | null; rule: FirewallRecord | null } {
    if (depth > 16) {
      state.certain = false;
      return { verdict: null, rule: null };
    }
    for (const rule of this.rules.get(chainKey(chain)) ?? []) {
      const v = rule.verdict;
      if (!v) continue;
      const m = matches(rule, pkt);
      if (m === 'no') continue;
      if (m === 'maybe') {
        state.certain = false;
        if (v === 'drop' || v === 'reject') state.maybe.push(rule);
        continue;
      }
      if (FINAL.has(v)) return { verdict: v, rule };
      if (v === 'return') return { verdict: 'return', rule };
      if ((v === 'jump' || v === 'goto') && rule.target) {
        const target = this.chains.get(chainKey({ ...chain, chain: rule.target }));
        if (!target) {
          state.certain = false;
          continue;
        }
        const r = this.run(target, pkt, state, depth + 1);
        if (r.verdict && FINAL.has(r.verdict)) return r;
        if (v === 'goto') return { verdict: null, rule: null };
      }
      // Other verdicts (log, mark, dnat, continue, queue…) do not decide here.
    }
    return { verdict: null, rule: null };
  }
}

/**
 * A chain, by the file it was dumped in too: `nft list ruleset` on an iptables-nft host
 * shows the tables iptables-save shows, and the two dumps must not merge into one chain.
 */
function chainKey(r: Pick<FirewallRecord, 'file' | 'family' | 'table' | 'chain'>): string {
  return `${r.file} ${r.family} ${r.table} ${r.chain}`;
}

/** Whether a table of `family` sees packets of IP version `v`. */
function familyApplies(family: string, v: 4 | 6): boolean {
  if (family === 'inet') return true;
  if (family === 'ip') return v === 4;
  if (family === 'ip6') return v === 6;
  return false; // arp, bridge, netdev: not on the IP input path
}

/** Whether a rule's conditions hold for the packet (`rule` text as written). */
export function matches(r: FirewallRecord, pkt: FwPacket): Tri {
  const text = r.rule ?? '';
  return text.startsWith('-') || text.startsWith('!') ? iptablesMatch(text, pkt) : nftMatch(text, pkt);
}

// ------------------------------------------------------------------- values

/** Split on blanks, keeping `{ … }` groups and quoted strings whole. */
export function tokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    if (s[i] === '{') {
      const end = s.indexOf('}', i);
      i = end === -1 ? s.length : end + 1;
    } else if (s[i] === '"') {
      // iptables-save escapes quotes inside quotes (`"web \"x\""`).
      let end = i + 1;
      while (end < s.length && s[end] !== '"') end += s[end] === '\\' ? 2 : 1;
      i = Math.min(s.length, end + 1);
    } else while (i < s.length && !/\s/.test(s[i])) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** The members of `{ a, b }`, `a,b` or a single value, unquoted. */
function members(v: string): string[] {
  const inner = v.startsWith('{') ? v.slice(1, v.endsWith('}') ? -1 : undefined) : v;
  return inner
    .split(',')
    .map((x) => x.trim().replace(/^"|"$/g, ''))
    .filter(Boolean);
}

/** Does address `ip` fall in one of the members (addresses, prefixes, ranges)? 'maybe' for a named set. */
function addrIn(ip: string, v: string): Tri {
  if (v.startsWith('@') || v.startsWith('$')) return 'maybe';
  const a = parseAddr(ip);
  if (!a) return 'maybe';
  for (const m of members(v)) {
    const dash = m.indexOf('-');
    if (dash > 0 && !m.includes('/')) {
      const lo = parseAddr(m.slice(0, dash));
      const hi = parseAddr(m.slice(dash + 1));
      if (!lo || !hi) return 'maybe';
      if (lo.family === a.family && a.value >= lo.value && a.value <= hi.value) return 'yes';
      continue;
    }
    const p = m.includes('/') ? parsePrefix(m, a.family) : null;
    if (p) {
      if (p.family === a.family && contains(p, a)) return 'yes';
      continue;
    }
    const b = parseAddr(m);
    if (!b) return 'maybe';
    if (b.family === a.family && b.value === a.value) return 'yes';
  }
  return 'no';
}

function portOf(s: string): number | null {
  if (/^\d{1,5}$/.test(s)) return Number(s);
  return SERVICES[s] ?? null;
}

/** Does `port` fall in the members (numbers, names, `a-b` or `a:b` ranges)? */
function portIn(port: number | undefined, v: string): Tri {
  if (v.startsWith('@') || v.startsWith('$')) return 'maybe';
  if (port === undefined) return 'maybe';
  for (const m of members(v)) {
    const r = /^(\w[\w-]*?)[-:](\w+)$/.exec(m);
    if (r && portOf(r[1]) !== null && portOf(r[2]) !== null) {
      if (port >= (portOf(r[1]) as number) && port <= (portOf(r[2]) as number)) return 'yes';
      continue;
    }
    const p = portOf(m);
    if (p === null) return 'maybe';
    if (p === port) return 'yes';
  }
  return 'no';
}

/** Interface names, with iptables' `eth+` and nft's `"eth*"` wildcards. */
function ifaceIn(iif: string | undefined, v: string): Tri {
  if (v.startsWith('@') || v.startsWith('$')) return 'maybe';
  if (iif === undefined) return 'maybe';
  for (const m of members(v)) {
    const wild = m.endsWith('+') || m.endsWith('*');
    if (wild ? iif.startsWith(m.slice(0, -1)) : iif === m) return 'yes';
  }
  return 'no';
}

/** A new connection's first packet: conntrack state `new`. */
function ctIn(v: string): Tri {
  const states = members(v).map((x) => x.toLowerCase());
  if (states.some((x) => !/^(new|established|related|invalid|untracked)$/.test(x))) return 'maybe';
  return states.includes('new') ? 'yes' : 'no';
}

function negate(t: Tri, neg: boolean): Tri {
  if (!neg || t === 'maybe') return t;
  return t === 'yes' ? 'no' : 'yes';
}

/** Conjunction of conditions: any 'no' is 'no', else any 'maybe' is 'maybe'. */
function all(ts: Tri[]): Tri {
  if (ts.includes('no')) return 'no';
  return ts.includes('maybe') ? 'maybe' : 'yes';
}

// ---------------------------------------------------------------------- nft

const NFT_VERDICTS = new Set(['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue']);
/** Statements that do not filter (their options are skipped with them). */
const NFT_NOOP = new Set(['counter', 'log', 'notrack']);

function nftMatch(text: string, pkt: FwPacket): Tri {
  const t = tokens(text.replace(/\s+#\s*handle\s+\d+\s*$/, ''));
  const conds: Tri[] = [];
  const proto = (p: string): Tri => (members(p).includes(pkt.proto) ? 'yes' : 'no');
  for (let i = 0; i < t.length; ) {
    const w = t[i];
    if (NFT_VERDICTS.has(w)) break;
    if (NFT_NOOP.has(w)) {
      i++;
      // counter packets N bytes M; log prefix "…" level x flags y
      while (i < t.length && /^(packets|bytes|prefix|level|flags|group|snaplen|queue-threshold)$/.test(t[i]))
        i += 2;
      continue;
    }
    if (w === 'comment') {
      i += 2;
      continue;
    }
    // [selector] [field] [op] value
    const sel = `${w} ${t[i + 1] ?? ''}`;
    let j = i + 2;
    let neg = false;
    if (t[j] === '!=' || t[j] === 'ne') {
      neg = true;
      j++;
    } else if (t[j] === '==' || t[j] === 'eq') j++;
    const v = t[j] ?? '';
    let c: Tri | null = null;
    if (sel === 'ip saddr' || sel === 'ip daddr')
      c = pkt.family !== 4 ? 'no' : addrIn(sel === 'ip saddr' ? pkt.src : pkt.dst, v);
    else if (sel === 'ip6 saddr' || sel === 'ip6 daddr')
      c = pkt.family !== 6 ? 'no' : addrIn(sel === 'ip6 saddr' ? pkt.src : pkt.dst, v);
    else if (sel === 'ip protocol') c = pkt.family !== 4 ? 'no' : proto(v);
    else if (sel === 'ip6 nexthdr') c = pkt.family !== 6 ? 'no' : proto(v);
    else if (sel === 'meta l4proto') c = proto(v);
    else if (sel === 'meta nfproto')
      c = members(v).includes(pkt.family === 4 ? 'ipv4' : 'ipv6') ? 'yes' : 'no';
    else if (/^(tcp|udp|th) (dport|sport)$/.test(sel)) {
      const [l4, field] = sel.split(' ');
      const port = field === 'dport' ? pkt.dport : pkt.sport;
      c = l4 !== 'th' && l4 !== pkt.proto ? 'no' : portIn(port, v);
    } else if (w === 'iifname' || w === 'iif') {
      // `iifname "eth1"`: no field word
      j = i + 1;
      neg = false;
      if (t[j] === '!=' || t[j] === 'ne') {
        neg = true;
        j++;
      } else if (t[j] === '==' || t[j] === 'eq') j++;
      c = ifaceIn(pkt.iif, t[j] ?? '');
    } else if (w === 'oifname' || w === 'oif') return 'maybe';
    else if (sel === 'ct state') c = ctIn(v);
    if (c === null) return all([...conds, 'maybe']); // a condition we do not read
    conds.push(negate(c, neg));
    i = j + 1;
  }
  return all(conds);
}

// ----------------------------------------------------------------- iptables

function iptablesMatch(text: string, pkt: FwPacket): Tri {
  const t = tokens(text);
  const conds: Tri[] = [];
  let proto: string | null = null;
  for (let i = 0; i < t.length; ) {
    let neg = false;
    if (t[i] === '!') {
      neg = true;
      i++;
    }
    const opt = t[i];
    let v = t[i + 1] ?? '';
    if (v === '!') {
      neg = !neg;
      i++;
      v = t[i + 1] ?? '';
    }
    if (opt === '-j' || opt === '-g' || opt === '--jump' || opt === '--goto') break;
    let c: Tri | null = null;
    let used = 2;
    if (opt === '-s' || opt === '--source') c = addrIn(pkt.src, v);
    else if (opt === '-d' || opt === '--destination') c = addrIn(pkt.dst, v);
    else if (opt === '-p' || opt === '--protocol') {
      proto = v.toLowerCase();
      c = proto === 'all' ? 'yes' : proto === pkt.proto ? 'yes' : 'no';
    } else if (opt === '-i' || opt === '--in-interface') c = ifaceIn(pkt.iif, v);
    else if (opt === '-o' || opt === '--out-interface') c = 'maybe';
    else if (opt === '-m' || opt === '--match') {
      // Modules that only introduce options we read (or that do not filter).
      c = /^(tcp|udp|multiport|conntrack|state|comment)$/.test(v) ? 'yes' : 'maybe';
    } else if (
      opt === '--dport' ||
      opt === '--destination-port' ||
      opt === '--dports' ||
      opt === '--destination-ports'
    )
      c = portIn(pkt.dport, v);
    else if (opt === '--sport' || opt === '--source-port' || opt === '--sports' || opt === '--source-ports')
      c = portIn(pkt.sport, v);
    else if (opt === '--ports') c = all([portIn(pkt.dport, v), 'maybe']);
    else if (opt === '--ctstate' || opt === '--state') c = ctIn(v);
    else if (opt === '--comment') c = 'yes';
    else if (opt === '--tcp-flags') {
      c = 'maybe';
      used = 3;
    } else if (opt === '--syn') {
      c = 'yes';
      used = 1;
    } else c = 'maybe';
    conds.push(negate(c, neg));
    i += used;
  }
  return all(conds);
}
