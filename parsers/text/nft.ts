/**
 * nftables rulesets as `nft list ruleset` prints them (also `nft -a list ruleset`, with
 * `# handle N` after headers and rules, `nft list table inet filter`, and the tables that
 * iptables-nft maintains):
 *
 *   table inet filter {
 *   	set blocklist {                                  sets, maps, flowtables and stateful
 *   		type ipv4_addr                               objects (counter, quota, ct helper…)
 *   		flags interval                               are skipped with all their contents,
 *   		elements = { 192.0.2.0/28, 198.51.100.7,     including multi-line element lists
 *   			     203.0.113.0/24 }
 *   	}
 *
 *   	chain input {                                    → firewall kind chain (line of this line)
 *   		type filter hook input priority filter; policy drop;   hook, priority 0, policy
 *   		ct state vmap { established : accept, related : accept, invalid : drop }
 *   		tcp dport { 22, 443 } counter packets 12 bytes 720 accept   → kind rule, index 2
 *   		ip saddr @blocklist jump quarantine           verdict jump, target quarantine
 *   	}
 *   }
 *
 * Each chain yields one `kind: 'chain'` record (emitted at its `type … hook …` line, its
 * first rule or its closing brace, whichever comes first) and each rule a `kind: 'rule'`
 * record, numbered from 1 within the chain. Named priorities are resolved (`filter + 10`
 * → 10; the bridge family has its own: filter -200, dstnat -300, out 100, srcnat 300).
 * A rule's verdict is its last top-level verdict statement (accept, drop, reject, jump,
 * goto, return, continue, queue); verdicts inside `{ … }` (a `vmap`) and inside quoted
 * strings do not count. Comments, prompts and nft's `# Warning: table … is managed by
 * iptables-nft` lines are skipped, as are the preamble lines of an nftables.conf
 * (`#!/usr/sbin/nft -f`, `flush ruleset`, `define …`, `include …`). Nesting is followed
 * by counting braces outside quoted strings; a rule line must have balanced braces.
 */
import type { FirewallRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { bannerText, looksLikeJson, uncolor } from './netstate/common.js';

/** `table [family] name {` with anything after the brace (a one-line body, `# handle N`). */
const TABLE = /^table\s+(?:(ip|ip6|inet|arp|bridge|netdev)\s+)?("[^"]*"|[^\s{"]+)\s*\{(.*)$/;
/** `chain name {` and what follows the brace. */
const CHAIN = /^chain\s+("[^"]*"|[^\s{"]+)\s*\{(.*)$/;
/** Table-level blocks whose contents are skipped: sets, maps, flowtables, stateful objects. */
const BLOCK =
  /^(?:set|map|flowtable|counter|quota|limit|secmark|synproxy|tunnel|ct\s+(?:helper|timeout|expectation))\s+("[^"]*"|[^\s{"]+)\s*\{/;
/** A base chain's specification: `type filter hook input priority filter; policy drop;`. */
const HOOK = /^type\s+[a-z]\w*\s+hook\s+([a-z]\w*)/;
/** Table properties (`flags dormant`) and chain properties (`devices = { … }`) that carry no rule. */
const PROPERTY = /^(?:comment\s+"|flags\s+\w|devices\s*=)/;
/** nftables.conf preamble at top level. */
const PREAMBLE = /^(?:flush\s+ruleset\b|flush\s+table\s|define\s|include\s+")/;
/** What a rule starts with: an nft keyword (lower case) or a raw payload expression (`@th,0,16`). */
const RULE_START = /^(?:[a-z][a-z0-9_]*\b|@[a-z]+,)/;
/** nft -a's trailing handle. */
const HANDLE = /\s*#\s*handle\s+\d+\s*$/;
const VERDICTS = new Set(['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue']);

/** Named priorities of the ip, ip6, inet, arp and netdev families (nft(8), PRIORITY). */
const PRIORITIES: Record<string, number> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};
/** The bridge family's named priorities. */
const BRIDGE_PRIORITIES: Record<string, number> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

/** A priority expression (`filter`, `filter + 10`, `mangle - 5`, `-200`) as a number, or undefined. */
export function nftPriority(expr: string, family: string): number | undefined {
  const e = expr.trim();
  if (/^[+-]?\d{1,10}$/.test(e)) return Number(e);
  const m = /^([a-z]+)\s*(?:([+-])\s*(\d{1,10}))?$/.exec(e);
  if (!m) return undefined;
  const names = family === 'bridge' ? BRIDGE_PRIORITIES : PRIORITIES;
  const base = Object.hasOwn(names, m[1]) ? names[m[1]] : undefined;
  if (base === undefined) return undefined;
  const off = m[3] ? Number(m[3]) : 0;
  return m[2] === '-' ? base - off : base + off;
}

/** Net count of `{` minus `}` outside double-quoted strings. */
function braceBalance(s: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (!quoted) {
      if (c === 123) n++;
      else if (c === 125) n--;
    }
  }
  return n;
}

/**
 * The top level of a rule: text outside `{ … }` with quoted strings emptied (`""`),
 * and its blank-separated tokens.
 */
function topLevel(s: string): { bare: string; words: string[] } {
  let bare = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      quoted = !quoted;
      if (depth === 0) bare += ch;
    } else if (quoted) continue;
    else if (ch === '{') {
      depth++;
      if (depth === 1) bare += ' { ';
    } else if (ch === '}') {
      if (depth > 0) depth--;
      if (depth === 0) bare += ' } ';
    } else if (depth === 0) bare += ch;
  }
  return { bare, words: bare.split(/\s+/).filter((w) => w !== '') };
}

/** A quoted chain or table name without its quotes. */
function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** An open chain: its record, kept until something tells it is complete. */
interface OpenChain {
  rec: FirewallRecord;
  emitted: boolean;
  rules: number;
}

/** One level of nesting. `skip` frames are blocks whose contents are ignored (or bad). */
type Frame = { kind: 'table' } | { kind: 'chain' } | { kind: 'skip'; depth: number; bad: boolean };

class NftParser implements LineParser {
  private readonly stack: Frame[] = [];
  private family = 'ip';
  private table = '';
  private chain: OpenChain | null = null;

  constructor(private readonly ctx: ParseContext) {}

  /** Emit the open chain's record if it has not been emitted yet. */
  private flushChain(out: TextSink): void {
    if (this.chain && !this.chain.emitted) {
      out.record(this.chain.rec);
      this.chain.emitted = true;
    }
  }

  /** Leave one level of nesting (a closing brace). False when there was none to leave. */
  private pop(out: TextSink): boolean {
    const f = this.stack.pop();
    if (!f) return false;
    if (f.kind === 'chain') {
      this.flushChain(out);
      this.chain = null;
    } else if (f.kind === 'table') this.table = '';
    return true;
  }

  /** Apply a net brace count of a line that was not understood, so that nesting stays right. */
  private rebalance(net: number, out: TextSink): void {
    if (net > 0) this.stack.push({ kind: 'skip', depth: net, bad: true });
    for (let i = 0; i > net; i--) if (!this.pop(out)) break;
  }

  private bad(lineNo: number, out: TextSink, message: string, t: string, net = 0): LineStatus {
    out.issue(lineNo, 'bad-nft', `${message}: ${displayText(t.slice(0, 120))}`);
    this.rebalance(net, out);
    return 'issue';
  }

  /** Fill the open chain from a `type … hook … priority …; policy …;` specification. */
  private baseChain(spec: string, hook: string): void {
    const c = this.chain;
    if (!c || c.emitted) return;
    c.rec.hook = hook;
    const p = /\bpriority\s+([^;]*)/.exec(spec);
    const prio = p ? nftPriority(p[1], this.family) : undefined;
    if (prio !== undefined) c.rec.priority = prio;
    const pol = /\bpolicy\s+([a-z]+)/.exec(spec);
    if (pol) c.rec.policy = pol[1];
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    const t = text.trim();
    if (t === '') return 'skipped';
    const top = this.stack[this.stack.length - 1];
    const net = braceBalance(t);

    // A table header ends whatever was left open, even a block that was not understood.
    if (top?.kind === 'skip' && t.startsWith('table') && TABLE.test(t)) {
      while (this.stack.length > 0) this.pop(out);
      return this.line(raw, lineNo, out);
    }
    // Inside a set/map/flowtable/object: skip until its braces close.
    if (top?.kind === 'skip') {
      top.depth += net;
      if (top.depth <= 0) {
        const extra = -top.depth;
        this.stack.pop();
        this.rebalance(-extra, out);
      }
      if (!top.bad) return 'skipped';
      out.issue(lineNo, 'bad-nft', `inside a block that was not understood: ${displayText(t.slice(0, 120))}`);
      return 'issue';
    }

    if (t.startsWith('#') || bannerText(text) !== null) return 'skipped';
    const body = t.replace(HANDLE, '');

    // Closing braces.
    if (/^[}\s]+$/.test(body)) {
      for (let i = 0; i > net; i--) {
        if (!this.pop(out)) return this.bad(lineNo, out, 'closing brace outside any table', t);
      }
      return 'skipped';
    }

    const tm = TABLE.exec(body);
    if (tm) {
      // A new table closes whatever was left open (a cut or concatenated dump).
      while (this.stack.length > 0) this.pop(out);
      this.family = tm[1] ?? 'ip';
      this.table = unquote(tm[2]);
      const inner = tm[3].trim();
      if (net > 0) this.stack.push({ kind: 'table' });
      else if (net === 0 && inner !== '}')
        return this.bad(lineNo, out, 'one-line table with contents not understood', t);
      return 'parsed';
    }

    if (!top) {
      if (PREAMBLE.test(body)) return 'skipped';
      return this.bad(lineNo, out, 'not an nft table header', t, net);
    }

    const cm = CHAIN.exec(body);
    if (cm) {
      // A chain header closes an unclosed chain before it.
      while (this.stack.length > 0 && this.stack[this.stack.length - 1].kind !== 'table') this.pop(out);
      if (this.stack.length === 0) return this.bad(lineNo, out, 'chain outside a table', t, net);
      this.chain = {
        rec: {
          type: 'firewall',
          file: this.ctx.file,
          line: lineNo,
          text: displayText(t),
          kind: 'chain',
          family: this.family,
          table: this.table,
          chain: unquote(cm[1]),
        },
        emitted: false,
        rules: 0,
      };
      // Config style: `chain input { type filter hook input priority 0; policy drop; }` on one line.
      let inner = cm[2].trim();
      const closed = net <= 0 && inner.endsWith('}');
      if (closed) inner = inner.slice(0, -1).trim();
      if (inner !== '') {
        const hm = HOOK.exec(inner);
        if (hm) this.baseChain(inner, hm[1]);
        else if (!/^comment\s+"[^"]*"\s*;?$/.test(inner)) {
          this.flushChain(out);
          this.chain = null;
          return this.bad(lineNo, out, 'chain header not understood', t, net);
        }
      }
      if (net > 0) this.stack.push({ kind: 'chain' });
      else {
        this.flushChain(out);
        this.chain = null;
      }
      return 'parsed';
    }

    if (top.kind === 'table') {
      if (BLOCK.test(body)) {
        if (net > 0) this.stack.push({ kind: 'skip', depth: net, bad: false });
        return 'skipped';
      }
      if (net === 0 && PROPERTY.test(body)) return 'skipped';
      return this.bad(lineNo, out, 'not a chain, set or table property', t, net);
    }

    // In a chain: its specification, a property, or a rule.
    const hm = HOOK.exec(body);
    if (hm && net === 0) {
      this.baseChain(body, hm[1]);
      this.flushChain(out);
      return 'skipped';
    }
    if (net === 0 && PROPERTY.test(body)) return 'skipped';
    const pm = /^policy\s+([a-z]+)\s*;?$/.exec(body);
    if (pm) {
      if (this.chain && !this.chain.emitted) this.chain.rec.policy = pm[1];
      return 'skipped';
    }
    if (net !== 0) return this.bad(lineNo, out, 'unbalanced braces in a rule', t, net);
    if (!RULE_START.test(body) || (body.split('"').length - 1) % 2 !== 0)
      return this.bad(lineNo, out, 'not an nft rule', t);
    return this.rule(body, t, lineNo, out);
  }

  private rule(body: string, t: string, lineNo: number, out: TextSink): LineStatus {
    const c = this.chain;
    if (!c) return this.bad(lineNo, out, 'rule outside a chain', t);
    this.flushChain(out);
    const { bare, words } = topLevel(body);
    const r: FirewallRecord = {
      type: 'firewall',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(t),
      kind: 'rule',
      family: this.family,
      table: this.table,
      chain: c.rec.chain,
      index: ++c.rules,
      rule: displayText(body),
    };
    for (let i = words.length - 1; i >= 0; i--) {
      if (!VERDICTS.has(words[i])) continue;
      r.verdict = words[i];
      if ((words[i] === 'jump' || words[i] === 'goto') && i + 1 < words.length) {
        // A quoted target was emptied in `bare`; take it from the rule itself.
        const q = /\b(?:jump|goto)\s+"([^"]*)"/.exec(body);
        r.target = words[i + 1] === '""' && q ? q[1] : words[i + 1];
      }
      break;
    }
    const cnt = /\bcounter\s+packets\s+(\d+)\s+bytes\s+(\d+)/.exec(bare);
    if (cnt) {
      r.packets = Number(cnt[1]);
      r.bytes = Number(cnt[2]);
    }
    out.record(r);
    return 'parsed';
  }

  end(out: TextSink): undefined {
    this.flushChain(out);
    return undefined;
  }
}

const samples: FormatSample[] = [
  {
    note: 'nft list ruleset (nftables 1.0.6): inet filter with a named set (multi-line elements), counters, vmap',
    input: [
      'table inet filter {',
      '\tset blocklist {',
      '\t\ttype ipv4_addr',
      '\t\tflags interval',
      '\t\telements = { 192.0.2.0/28, 198.51.100.7,',
      '\t\t\t     198.51.100.9, 198.51.100.11,',
      '\t\t\t     203.0.113.0/24 }',
      '\t}',
      '',
      '\tchain input {',
      '\t\ttype filter hook input priority filter; policy drop;',
      '\t\tct state vmap { invalid : drop, established : accept, related : accept }',
      '\t\tiif "lo" accept',
      '\t\tip saddr @blocklist counter packets 17 bytes 1020 drop comment "blocked { nets"',
      '\t\ttcp dport { 22, 80, 443 } counter packets 342 bytes 20520 accept',
      '\t\tmeta l4proto { icmp, ipv6-icmp } limit rate 5/second accept',
      '\t\tlog prefix "input drop: " counter packets 9 bytes 540',
      '\t}',
      '',
      '\tchain forward {',
      '\t\ttype filter hook forward priority filter; policy drop;',
      '\t}',
      '',
      '\tchain output {',
      '\t\ttype filter hook output priority filter + 10; policy accept;',
      '\t\tudp dport 53 queue num 3 bypass',
      '\t}',
      '}',
    ].join('\n'),
    records: [
      {
        type: 'firewall',
        kind: 'chain',
        family: 'inet',
        table: 'filter',
        chain: 'input',
        hook: 'input',
        priority: 0,
        policy: 'drop',
        line: 10,
      },
      { kind: 'rule', chain: 'input', index: 1, line: 12, verdict: undefined },
      { kind: 'rule', index: 2, rule: 'iif "lo" accept', verdict: 'accept' },
      { kind: 'rule', index: 3, verdict: 'drop', packets: 17, bytes: 1020 },
      {
        kind: 'rule',
        index: 4,
        rule: 'tcp dport { 22, 80, 443 } counter packets 342 bytes 20520 accept',
        verdict: 'accept',
        packets: 342,
        bytes: 20520,
      },
      { kind: 'rule', index: 5, verdict: 'accept' },
      { kind: 'rule', index: 6, verdict: undefined, packets: 9, bytes: 540 },
      { kind: 'chain', chain: 'forward', hook: 'forward', policy: 'drop', line: 20 },
      { kind: 'chain', chain: 'output', hook: 'output', priority: 10, policy: 'accept', line: 24 },
      { kind: 'rule', chain: 'output', index: 1, verdict: 'queue' },
    ],
  },
  {
    note: 'nft -a list ruleset of iptables-nft tables: a user chain, jump, handles, the managed-table warning',
    input: [
      '# Warning: table ip filter is managed by iptables-nft, do not touch!',
      'table ip filter { # handle 2',
      '\tchain DOCKER-USER { # handle 5',
      '\t\tcounter packets 0 bytes 0 return # handle 9',
      '\t}',
      '',
      '\tchain FORWARD { # handle 2',
      '\t\ttype filter hook forward priority filter; policy drop;',
      '\t\tcounter packets 1204 bytes 98211 jump DOCKER-USER # handle 10',
      '\t\tiifname "docker0" oifname != "docker0" counter packets 0 bytes 0 accept # handle 11',
      '\t\tmeta l4proto tcp xt match "conntrack" counter packets 3 bytes 180 accept # handle 12',
      '\t\tip protocol tcp counter packets 0 bytes 0 goto "rate limit" # handle 13',
      '\t}',
      '',
      '\tchain "rate limit" { # handle 6',
      '\t}',
      '}',
    ].join('\n'),
    records: [
      { kind: 'chain', family: 'ip', table: 'filter', chain: 'DOCKER-USER', line: 3, hook: undefined },
      {
        kind: 'rule',
        chain: 'DOCKER-USER',
        index: 1,
        rule: 'counter packets 0 bytes 0 return',
        verdict: 'return',
      },
      { kind: 'chain', chain: 'FORWARD', hook: 'forward', priority: 0, policy: 'drop', line: 7 },
      {
        kind: 'rule',
        chain: 'FORWARD',
        index: 1,
        rule: 'counter packets 1204 bytes 98211 jump DOCKER-USER',
        verdict: 'jump',
        target: 'DOCKER-USER',
        packets: 1204,
        bytes: 98211,
      },
      { kind: 'rule', index: 2, verdict: 'accept', packets: 0 },
      {
        kind: 'rule',
        index: 3,
        rule: 'meta l4proto tcp xt match "conntrack" counter packets 3 bytes 180 accept',
      },
      { kind: 'rule', index: 4, verdict: 'goto', target: 'rate limit' },
      { kind: 'chain', chain: 'rate limit', line: 15 },
    ],
  },
  {
    note: 'ip nat table (dstnat/srcnat priorities) and an inet table rejecting with icmpx',
    input: [
      'table ip nat {',
      '\tchain prerouting {',
      '\t\ttype nat hook prerouting priority dstnat; policy accept;',
      '\t\tiifname "eth0" tcp dport 8080 dnat to 10.0.0.2:80',
      '\t}',
      '',
      '\tchain postrouting {',
      '\t\ttype nat hook postrouting priority srcnat; policy accept;',
      '\t\toifname "eth0" masquerade',
      '\t}',
      '}',
      'table inet guard {',
      '\tchain input {',
      '\t\ttype filter hook input priority -200; policy accept;',
      '\t\ttcp dport 23 reject with icmpx type admin-prohibited',
      '\t\ttcp dport 113 reject with tcp reset',
      '\t}',
      '}',
    ].join('\n'),
    records: [
      { kind: 'chain', family: 'ip', table: 'nat', chain: 'prerouting', hook: 'prerouting', priority: -100 },
      {
        kind: 'rule',
        chain: 'prerouting',
        index: 1,
        rule: 'iifname "eth0" tcp dport 8080 dnat to 10.0.0.2:80',
      },
      { kind: 'chain', chain: 'postrouting', hook: 'postrouting', priority: 100, policy: 'accept' },
      { kind: 'rule', chain: 'postrouting', index: 1, verdict: undefined },
      { kind: 'chain', family: 'inet', table: 'guard', chain: 'input', priority: -200 },
      {
        kind: 'rule',
        index: 1,
        verdict: 'reject',
        rule: 'tcp dport 23 reject with icmpx type admin-prohibited',
      },
      { kind: 'rule', index: 2, verdict: 'reject' },
    ],
  },
  {
    note: 'a garbled line inside a table, stateful objects and a flowtable are skipped',
    input: [
      'table ip6 edge {',
      '\tcounter ssh_cnt {',
      '\t\tpackets 0 bytes 0',
      '\t}',
      '\tflowtable ft {',
      '\t\thook ingress priority filter',
      '\t\tdevices = { eth0, eth1 }',
      '\t}',
      '\t%%% garbled output ###',
      '\tchain out {',
      '\t\ttype route hook output priority mangle - 5; policy accept;',
      '\t\tmeta nftrace set 1 continue',
      '\t}',
      '}',
    ].join('\n'),
    records: [
      { kind: 'chain', family: 'ip6', table: 'edge', chain: 'out', hook: 'output', priority: -155, line: 10 },
      { kind: 'rule', chain: 'out', index: 1, verdict: 'continue' },
    ],
    issues: 1,
  },
  {
    note: 'nft list table bridge br (bridge priorities) and a netdev ingress chain with a device',
    input: [
      'table bridge br {',
      '\tchain fwd {',
      '\t\ttype filter hook forward priority filter; policy accept;',
      '\t\tether type arp accept',
      '\t}',
      '}',
      'table netdev nd {',
      '\tchain ing {',
      '\t\ttype filter hook ingress device "eth0" priority -500; policy accept;',
      '\t\tip saddr 192.0.2.1 drop',
      '\t}',
      '}',
    ].join('\n'),
    records: [
      { kind: 'chain', family: 'bridge', chain: 'fwd', hook: 'forward', priority: -200 },
      { kind: 'rule', family: 'bridge', verdict: 'accept' },
      { kind: 'chain', family: 'netdev', chain: 'ing', hook: 'ingress', priority: -500 },
      { kind: 'rule', family: 'netdev', verdict: 'drop' },
    ],
  },
];

/** True when the first content line of the head is a `table … {` header. */
function startsWithTable(lines: readonly string[]): boolean {
  for (const l of lines) {
    const t = uncolor(l).trim();
    if (t === '' || t.startsWith('#') || bannerText(l) !== null || PREAMBLE.test(t)) continue;
    return TABLE.test(t.replace(HANDLE, ''));
  }
  return false;
}

/** The nftables ruleset format. */
export const nft: TextFormat = {
  id: 'nft',
  title: 'nftables ruleset: `nft list ruleset` (also -a, a single table)',
  sniff(lines) {
    if (looksLikeJson(lines) || !startsWithTable(lines)) return 0;
    // Read the head as the parser would: the share of lines it understands.
    const p = new NftParser({ file: '', tz: 'UTC' });
    const sink: TextSink = { record() {}, issue() {} };
    let seen = 0;
    let ok = 0;
    const n = Math.min(lines.length, 200);
    for (let i = 0; i < n; i++) {
      const st = p.line(lines[i], i + 1, sink);
      // Blank lines say nothing; the last line of a head may be cut short.
      if ((st === 'skipped' && lines[i].trim() === '') || (i > 0 && i === lines.length - 1)) continue;
      seen++;
      if (st !== 'issue') ok++;
    }
    const share = seen === 0 ? 0 : ok / seen;
    return share < 0.8 ? 0 : 0.8 + 0.2 * share;
  },
  create: (ctx) => new NftParser(ctx),
  samples,
};
