/**
 * nft parser: embedded samples, a real `nft list ruleset` (nftables 1.0.6) kept verbatim,
 * a live ruleset loaded into a throwaway network namespace and read back in text and
 * JSON form (skipped unless root with nft and ip netns), sniffing, and hostile input.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ipRoute } from '../../../parsers/text/ip-route.js';
import { nft, nftPriority } from '../../../parsers/text/nft.js';
import { sysctl } from '../../../parsers/text/sysctl.js';
import type { AnyRecord, FirewallRecord } from '../../../src/model/records/index.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { netnsSkip } from '../../helpers/netns.js';
import { prng } from '../../helpers/random.js';
import { parseString } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('nft samples', () => {
  sampleCases(nft);
});

async function parseClean(input: string): Promise<FirewallRecord[]> {
  const { records, issues, counts } = await parseString(nft, input);
  expect(issues, JSON.stringify(issues)).toEqual([]);
  for (const r of records) expect(checkRecord(r), JSON.stringify(r)).toBeNull();
  expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
  return records as FirewallRecord[];
}

/** Written by `nft list ruleset` (nftables v1.0.6) after `nft -f` of RULESET below. */
const REAL = [
  'table inet filter {',
  '\tcomment "main filter"',
  '\tcounter ssh_cnt {',
  '\t\tcomment "ssh counter"',
  '\t\tpackets 0 bytes 0',
  '\t}',
  '',
  '\tset blocklist {',
  '\t\ttype ipv4_addr',
  '\t\tflags interval',
  '\t\telements = { 192.0.2.0/28, 198.51.100.7,',
  '\t\t\t     198.51.100.9, 198.51.100.11,',
  '\t\t\t     198.51.100.13, 198.51.100.15,',
  '\t\t\t     198.51.100.17, 198.51.100.19,',
  '\t\t\t     198.51.100.21, 203.0.113.0/24 }',
  '\t}',
  '',
  '\tmap portmap {',
  '\t\ttype inet_service : verdict',
  '\t\telements = { 22 : accept, 80 : jump web }',
  '\t}',
  '',
  '\tchain web {',
  '\t\ttcp dport { 80, 443, 8000-8080, 9000-9016 } counter packets 0 bytes 0 accept',
  '\t\treturn',
  '\t}',
  '',
  '\tchain input {',
  '\t\tcomment "inbound"',
  '\t\ttype filter hook input priority filter + 10; policy drop;',
  '\t\tct state vmap { invalid : drop, established : accept, related : accept }',
  '\t\tiif "lo" accept',
  '\t\tip saddr @blocklist counter packets 0 bytes 0 drop comment "blocked { nets"',
  '\t\ttcp dport 22 counter name "ssh_cnt" accept',
  '\t\ttcp dport vmap @portmap',
  '\t\ttcp dport 113 reject with tcp reset',
  '\t\ttcp dport 23 reject with icmpx admin-prohibited',
  '\t\tmeta l4proto icmp limit rate 5/second accept',
  '\t\tip protocol tcp jump web',
  '\t\tlog prefix "input drop: " counter packets 0 bytes 0',
  '\t}',
  '',
  '\tchain forward {',
  '\t\ttype filter hook forward priority -200; policy accept;',
  '\t\tgoto web',
  '\t}',
  '',
  '\tchain output {',
  '\t\ttype filter hook output priority filter; policy accept;',
  '\t}',
  '}',
  'table ip nat {',
  '\tchain pre {',
  '\t\ttype nat hook prerouting priority dstnat; policy accept;',
  '\t\ttcp dport 8080 dnat to 10.0.0.2:80',
  '\t}',
  '',
  '\tchain post {',
  '\t\ttype nat hook postrouting priority srcnat; policy accept;',
  '\t\toifname "eth0" masquerade',
  '\t}',
  '}',
  'table bridge br {',
  '\tchain f {',
  '\t\ttype filter hook forward priority filter; policy accept;',
  '\t}',
  '}',
  'table netdev nd {',
  '\tchain ing {',
  '\t\ttype filter hook ingress device "lo" priority -500; policy accept;',
  '\t}',
  '}',
  'table arp a {',
  '\tchain i {',
  '\t\ttype filter hook input priority filter; policy accept;',
  '\t}',
  '}',
  'table ip6 t6 {',
  '\tct helper ftp-standard {',
  '\t\ttype "ftp" protocol tcp',
  '\t\tl3proto ip6',
  '\t}',
  '',
  '\tquota q {',
  '\t\tover 100 mbytes',
  '\t}',
  '',
  '\tchain c {',
  '\t\ttype filter hook output priority mangle - 5; policy accept;',
  '\t\tmeta nftrace set 1 continue',
  '\t}',
  '}',
].join('\n');

/** The ruleset loaded for REAL and for the live test (no flowtable or queue: not every kernel has them). */
const RULESET = [
  'table inet filter {',
  '\tcomment "main filter"',
  '\tset blocklist {',
  '\t\ttype ipv4_addr',
  '\t\tflags interval',
  '\t\telements = { 192.0.2.0/28, 198.51.100.7, 203.0.113.0/24, 198.51.100.9, 198.51.100.11, 198.51.100.13, 198.51.100.15, 198.51.100.17, 198.51.100.19, 198.51.100.21 }',
  '\t}',
  '\tmap portmap {',
  '\t\ttype inet_service : verdict',
  '\t\telements = { 22 : accept, 80 : jump web }',
  '\t}',
  '\tcounter ssh_cnt {',
  '\t\tcomment "ssh counter"',
  '\t}',
  '\tchain web {',
  '\t\ttcp dport { 80, 443, 8000-8080, 9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015, 9016 } counter accept',
  '\t\treturn',
  '\t}',
  '\tchain input {',
  '\t\tcomment "inbound"',
  '\t\ttype filter hook input priority filter + 10; policy drop;',
  '\t\tct state vmap { established : accept, related : accept, invalid : drop }',
  '\t\tiif "lo" accept',
  '\t\tip saddr @blocklist counter drop comment "blocked { nets"',
  '\t\ttcp dport 22 counter name "ssh_cnt" accept',
  '\t\ttcp dport vmap @portmap',
  '\t\ttcp dport 113 reject with tcp reset',
  '\t\ttcp dport 23 reject with icmpx type admin-prohibited',
  '\t\tmeta l4proto icmp limit rate 5/second accept',
  '\t\tip protocol tcp jump web',
  '\t\tlog prefix "input drop: " counter',
  '\t}',
  '\tchain forward {',
  '\t\ttype filter hook forward priority -200; policy accept;',
  '\t\tgoto web',
  '\t}',
  '\tchain output {',
  '\t\ttype filter hook output priority filter; policy accept;',
  '\t}',
  '}',
  'table ip nat {',
  '\tchain pre {',
  '\t\ttype nat hook prerouting priority dstnat; policy accept;',
  '\t\ttcp dport 8080 dnat to 10.0.0.2:80',
  '\t}',
  '\tchain post {',
  '\t\ttype nat hook postrouting priority srcnat; policy accept;',
  '\t\toifname "eth0" masquerade',
  '\t}',
  '}',
  'table bridge br {',
  '\tchain f {',
  '\t\ttype filter hook forward priority filter; policy accept;',
  '\t}',
  '}',
  'table netdev nd {',
  '\tchain ing {',
  '\t\ttype filter hook ingress device "lo" priority -500; policy accept;',
  '\t}',
  '}',
  'table arp a {',
  '\tchain i { type filter hook input priority 0; policy accept; }',
  '}',
  'table ip6 t6 {',
  '\tct helper ftp-standard {',
  '\t\ttype "ftp" protocol tcp',
  '\t\tl3proto ip6',
  '\t}',
  '\tquota q { over 100 mbytes }',
  '\tchain c { type filter hook output priority mangle - 5; policy accept;',
  '\t\tmeta nftrace set 1 continue',
  '\t}',
  '}',
].join('\n');

describe('nft: real output', () => {
  it('reads every chain and rule of a real nft list ruleset', async () => {
    const rs = await parseClean(REAL);
    const chains = rs.filter((r) => r.kind === 'chain');
    expect(
      chains.map((c) => `${c.family} ${c.table} ${c.chain} ${c.hook} ${c.priority} ${c.policy}`),
    ).toEqual([
      'inet filter web undefined undefined undefined',
      'inet filter input input 10 drop',
      'inet filter forward forward -200 accept',
      'inet filter output output 0 accept',
      'ip nat pre prerouting -100 accept',
      'ip nat post postrouting 100 accept',
      'bridge br f forward -200 accept',
      'netdev nd ing ingress -500 accept',
      'arp a i input 0 accept',
      'ip6 t6 c output -155 accept',
    ]);
    const input = rs.filter((r) => r.kind === 'rule' && r.chain === 'input');
    expect(input.map((r) => r.verdict ?? '-')).toEqual([
      '-',
      'accept',
      'drop',
      'accept',
      '-',
      'reject',
      'reject',
      'accept',
      'jump',
      '-',
    ]);
    expect(input.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(input[2]).toMatchObject({
      rule: 'ip saddr @blocklist counter packets 0 bytes 0 drop comment "blocked { nets"',
      packets: 0,
      bytes: 0,
      line: 33,
    });
    expect(input[8]).toMatchObject({ verdict: 'jump', target: 'web' });
    expect(rs.find((r) => r.chain === 'forward' && r.kind === 'rule')).toMatchObject({
      verdict: 'goto',
      target: 'web',
    });
    expect(rs.find((r) => r.chain === 'c' && r.kind === 'rule')).toMatchObject({ verdict: 'continue' });
    // chain records keep the line of `chain NAME {`
    for (const c of chains) expect(REAL.split('\n')[c.line! - 1]).toMatch(/^\tchain \S+ \{$/);
    expect(nft.sniff(REAL.split('\n'), 'ruleset.txt')).toBeGreaterThanOrEqual(0.8);
  });

  it('reads nft -a output like plain output (handles dropped from rule)', async () => {
    let h = 1;
    const withHandles = REAL.split('\n')
      .map((l) => (/\{$/.test(l) && !/^\t\t/.test(l) ? `${l} # handle ${h++}` : l))
      .map((l) =>
        /^\t\t[a-z]/.test(l) && !/^\t\t(type|comment|elements|flags|packets|l3proto|over) /.test(l)
          ? `${l} # handle ${h++}`
          : l,
      )
      .join('\n');
    const a = await parseClean(withHandles);
    const b = await parseClean(REAL);
    const strip = (rs: FirewallRecord[]) => rs.map(({ text: _t, ...r }) => r);
    expect(strip(a)).toEqual(strip(b));
  });
});

// ---- live: a throwaway namespace ----

const skip = netnsSkip('nft live test', ['nft']);

type Json = Record<string, unknown>;
const VERDICTS = ['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue'];

describe.skipIf(skip !== null)('nft: live ruleset in a throwaway namespace', () => {
  it('text and JSON readings agree', async () => {
    const ns = `fxnft${process.pid % 100000}`;
    const inNs = (...args: string[]) =>
      execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8', input: RULESET });
    execFileSync('ip', ['netns', 'add', ns]);
    let text: string;
    let textA: string;
    let json: string;
    try {
      inNs('-f', '-');
      text = inNs('list', 'ruleset');
      textA = inNs('-a', 'list', 'ruleset');
      json = inNs('-j', 'list', 'ruleset');
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
    const rs = await parseClean(text);
    const rsA = await parseClean(textA);
    expect(rsA.map(({ text: _t, ...r }) => r)).toEqual(rs.map(({ text: _t, ...r }) => r));
    expect(nft.sniff(text.split('\n'), 'x')).toBeGreaterThanOrEqual(0.8);
    expect(nft.sniff(textA.split('\n'), 'x')).toBeGreaterThanOrEqual(0.8);
    expect(nft.sniff(json.split('\n'), 'x')).toBe(0);

    const items = (JSON.parse(json) as { nftables: Json[] }).nftables;
    const chains = items.filter((o) => o.chain).map((o) => o.chain as Json);
    expect(
      rs
        .filter((r) => r.kind === 'chain')
        .map((r) => [r.family, r.table, r.chain, r.hook, r.priority, r.policy]),
    ).toEqual(chains.map((c) => [c.family, c.table, c.name, c.hook, c.prio, c.policy]));
    const rules = items.filter((o) => o.rule).map((o) => o.rule as Json);
    const mine = rs.filter((r) => r.kind === 'rule');
    expect(mine.length).toBe(rules.length);
    rules.forEach((j, i) => {
      const exprs = j.expr as Json[];
      const v = exprs.filter((e) => VERDICTS.includes(Object.keys(e)[0])).pop();
      const name = v ? Object.keys(v)[0] : undefined;
      const cnt = exprs.find(
        (e) => e.counter && typeof e.counter === 'object' && 'packets' in (e.counter as Json),
      );
      expect(
        [mine[i].family, mine[i].table, mine[i].chain, mine[i].verdict, mine[i].packets],
        mine[i].rule,
      ).toEqual([j.family, j.table, j.chain, name, (cnt?.counter as Json | undefined)?.packets]);
      if (name === 'jump' || name === 'goto') expect(mine[i].target).toBe((v![name] as Json).target);
    });
  });
});

describe('nft sniff', () => {
  it('claims nft output, plain, -a, a single table, with a prompt or warning first', () => {
    for (const s of nft.samples) expect(nft.sniff(s.input.split('\n'), 'x')).toBeGreaterThanOrEqual(0.8);
    const head = REAL.split('\n');
    expect(nft.sniff(['$ sudo nft list ruleset', ...head], 'x')).toBeGreaterThanOrEqual(0.8);
    expect(
      nft.sniff(['table ip nat {', '\tchain POSTROUTING {', '\t\ttype nat hook postrouting prio'], 'x'),
    ).toBeGreaterThanOrEqual(0.8);
    expect(
      nft.sniff(
        [
          '#!/usr/sbin/nft -f',
          'flush ruleset',
          '',
          'table filter {',
          '  chain input {',
          '    type filter hook input priority 0; policy accept;',
          '    tcp dport ssh accept',
          '  }',
          '}',
        ],
        'nftables.conf',
      ),
    ).toBeGreaterThanOrEqual(0.8);
  });

  it('rejects other formats', () => {
    const iptablesSave = [
      '# Generated by iptables-save v1.8.9 (nf_tables) on Tue Mar  5 10:00:00 2024',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD DROP [0:0]',
      '-A INPUT -i lo -j ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
      'COMMIT',
    ];
    expect(nft.sniff(iptablesSave, 'iptables.txt')).toBe(0);
    const json = [
      '{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},',
      '{"table": {"family": "inet", "name": "filter", "handle": 1}}]}',
    ];
    expect(nft.sniff(json, 'nft.json')).toBe(0);
    for (const f of [sysctl, ipRoute])
      for (const s of f.samples) expect(nft.sniff(s.input.split('\n'), 'x'), f.id).toBe(0);
    expect(nft.sniff(['table ip filter {', 'garbage one', 'garbage two', 'garbage three', '}'], 'x')).toBe(0);
    expect(nft.sniff(['the table {', '}'], 'x')).toBe(0);
    expect(nft.sniff([], 'x')).toBe(0);
  });
});

describe('nft priorities', () => {
  it('resolves named priorities and arithmetic', () => {
    expect(nftPriority('filter', 'inet')).toBe(0);
    expect(nftPriority('filter + 10', 'ip')).toBe(10);
    expect(nftPriority('mangle - 5', 'ip6')).toBe(-155);
    expect(nftPriority('raw', 'ip')).toBe(-300);
    expect(nftPriority('security', 'ip')).toBe(50);
    expect(nftPriority('-200', 'inet')).toBe(-200);
    expect(nftPriority('filter', 'bridge')).toBe(-200);
    expect(nftPriority('out', 'bridge')).toBe(100);
    expect(nftPriority('bogus', 'ip')).toBeUndefined();
    expect(nftPriority('constructor', 'ip')).toBeUndefined();
  });
});

describe('nft on broken input', () => {
  it('reports stray and unbalanced lines without throwing and keeps nesting', async () => {
    const { records, issues } = await parseString(
      nft,
      [
        '}',
        'chain x {',
        'table inet t {',
        '\tchain c {',
        '\t\ttcp dport { 22, 80 accept',
        '\t\t\tmore }',
        '\t\tudp dport 53 accept',
        '\t}',
        '}',
      ].join('\n'),
    );
    expect(issues.length).toBe(4);
    expect((records as FirewallRecord[]).map((r) => `${r.kind} ${r.chain} ${r.index ?? ''}`)).toEqual([
      'chain c ',
      'rule c 1',
    ]);
  });

  it('emits a pending chain at the end of a cut file', async () => {
    const { records } = await parseString(nft, 'table ip t {\n\tchain c {');
    expect(records).toMatchObject([{ kind: 'chain', chain: 'c', line: 2 }]);
  });

  it('never throws on truncated or mutated input', async () => {
    const rnd = prng(42);
    const inputs = [REAL, ...nft.samples.map((s) => s.input)];
    const junk = ['{', '}', '"', '#', ' ', '\t', 'chain ', 'table ', '\u0000', '\u001b[31m', '@', ';'];
    for (let k = 0; k < 300; k++) {
      let s = inputs[k % inputs.length];
      s = s.slice(0, Math.floor(rnd() * (s.length + 1)));
      for (let j = 0; j < 5; j++) {
        const at = Math.floor(rnd() * (s.length + 1));
        s = s.slice(0, at) + junk[Math.floor(rnd() * junk.length)] + s.slice(at + 1);
      }
      const { records, issues, counts } = await parseString(nft, s);
      expect(issues.filter((i) => (i as { code: string }).code === 'parser-error')).toEqual([]);
      for (const r of [...records, ...issues] as AnyRecord[])
        expect(checkRecord(r), JSON.stringify(r)).toBeNull();
      expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
      expect(() => nft.sniff(s.split('\n'), 'x')).not.toThrow();
    }
  });

  it('stays linear on long hostile lines', async () => {
    const N = 200_000;
    const hostile = [
      'table ip t {',
      '\tchain c {',
      `\t\t${'{'.repeat(N)}`,
      `\t\t${'"'.repeat(N)}`,
      `\t\ttype filter hook input ${'priority '.repeat(N / 8)}`,
      `\t\t${'jump '.repeat(N / 4)}`,
      `\t\tcounter ${'packets 1 '.repeat(N / 8)}`,
      `table ${'x'.repeat(N)}`,
      `\t\t${'# handle 1 '.repeat(N / 8)}`,
    ].join('\n');
    const t0 = performance.now();
    const { issues, counts } = await parseString(nft, hostile);
    expect(issues.filter((i) => (i as { code: string }).code === 'parser-error')).toEqual([]);
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
    nft.sniff(hostile.split('\n'), 'x');
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
