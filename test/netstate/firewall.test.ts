/** Packet-filter simulation on hand-written rulesets (records as the nft / iptables-save parsers give them). */
import { describe, expect, it } from 'vitest';
import type { FirewallRecord } from '../../src/model/records/index.js';
import { Firewall, type FwPacket, tokens } from '../../src/netstate/firewall.js';

let line = 0;
/** A base or user chain header. */
function chain(
  family: string,
  table: string,
  name: string,
  hook?: string,
  policy?: string,
  priority = 0,
): FirewallRecord {
  return {
    type: 'firewall',
    file: 'fw.txt',
    line: ++line,
    family,
    table,
    chain: name,
    kind: 'chain',
    ...(hook ? { hook, priority } : {}),
    ...(policy ? { policy } : {}),
  };
}
/** Rules of one chain, in order; the verdict (and jump target) is read off the end as the parsers do. */
function rules(family: string, table: string, name: string, texts: string[]): FirewallRecord[] {
  return texts.map((rule, i) => {
    const nft = /\b(accept|drop|reject|return|jump|goto)\b(?: (\S+))?[\s\S]*$/.exec(rule);
    const ipt = /(?:^| )-[jg] (\S+)/.exec(rule);
    let verdict: string | undefined;
    let target: string | undefined;
    if (ipt) {
      const t = ipt[1];
      verdict = /^(ACCEPT|DROP|REJECT|RETURN)$/.test(t)
        ? t.toLowerCase()
        : rule.includes(' -g ')
          ? 'goto'
          : 'jump';
      if (verdict === 'jump' || verdict === 'goto') target = t;
    } else if (nft) {
      verdict = nft[1];
      if (verdict === 'jump' || verdict === 'goto') target = nft[2];
    }
    return {
      type: 'firewall',
      file: 'fw.txt',
      line: ++line,
      family,
      table,
      chain: name,
      kind: 'rule',
      index: i + 1,
      rule,
      ...(verdict ? { verdict } : {}),
      ...(target ? { target } : {}),
    };
  });
}

const LAN = '192.0.2.50';
const REMOTE = '203.0.113.50';
const to443 = (src: string, iif = 'eth1'): FwPacket => ({
  family: src.includes(':') ? 6 : 4,
  src,
  dst: src.includes(':') ? '2001:db8::240' : '192.0.2.240',
  proto: 'tcp',
  dport: 443,
  sport: 50000,
  iif,
});

describe('Firewall (nftables rules)', () => {
  const lanOnly = [
    chain('inet', 'hostfw', 'input', 'input', 'accept'),
    ...rules('inet', 'hostfw', 'input', [
      'ct state established,related accept',
      'iifname "lo" accept',
      'ip saddr 192.0.2.0/24 tcp dport 443 accept',
      'tcp dport 443 counter packets 16 bytes 960 drop',
    ]),
  ];

  it('a LAN-only allow-list admits the LAN and drops the rest, naming the rule', () => {
    const fw = new Firewall(lanOnly);
    expect(fw.decide(to443(LAN), 'input')).toMatchObject({ verdict: 'accept', certain: true });
    const d = fw.decide(to443(REMOTE), 'input');
    expect(d).toMatchObject({ verdict: 'drop', certain: true, maybe: [] });
    expect(d.rule?.index).toBe(4);
    expect(d.chain?.chain).toBe('input');
    // Other ports pass; `ip saddr` does not match IPv6, so an IPv6 client is dropped too.
    expect(fw.decide({ ...to443(REMOTE), dport: 22 }, 'input').verdict).toBe('accept');
    expect(fw.decide(to443('2001:db8::50'), 'input').rule?.index).toBe(4);
  });

  it('a chain policy decides when no rule does; user chains are followed through jump and return', () => {
    const fw = new Firewall([
      chain('ip', 'filter', 'INPUT', 'input', 'drop'),
      chain('ip', 'filter', 'services'),
      ...rules('ip', 'filter', 'INPUT', ['ct state { established, related } accept', 'jump services']),
      ...rules('ip', 'filter', 'services', [
        'ip saddr != 192.0.2.0/24 return',
        'tcp dport { 80, https } accept',
      ]),
    ]);
    expect(fw.decide(to443(LAN), 'input')).toMatchObject({ verdict: 'accept' });
    const d = fw.decide(to443(REMOTE), 'input');
    expect(d).toMatchObject({ verdict: 'drop', rule: null, certain: true });
    expect(d.chain?.policy).toBe('drop');
  });

  it('a return in a base chain ends it with its policy', () => {
    const fw = new Firewall([
      chain('inet', 'f', 'input', 'input', 'drop'),
      ...rules('inet', 'f', 'input', [`ip saddr ${REMOTE} return`, 'accept']),
    ]);
    expect(fw.decide(to443(LAN), 'input').verdict).toBe('accept');
    expect(fw.decide(to443(REMOTE), 'input')).toMatchObject({ verdict: 'drop', rule: null });
  });

  it('a drop in any base chain on the path wins; an accept only passes the packet on', () => {
    const fw = new Firewall([
      chain('inet', 'a', 'pre', 'prerouting', 'accept', -300),
      chain('inet', 'b', 'in', 'input', 'accept', 0),
      ...rules('inet', 'a', 'pre', ['accept']),
      ...rules('inet', 'b', 'in', [`ip saddr ${REMOTE} reject with tcp reset`]),
    ]);
    expect(fw.decide(to443(REMOTE), 'input')).toMatchObject({ verdict: 'reject' });
    expect(fw.decide(to443(REMOTE), 'forward')).toMatchObject({ verdict: 'accept' });
  });

  it('a condition it cannot read makes the answer uncertain and lists the drop it might give', () => {
    const fw = new Firewall([
      chain('inet', 'f', 'input', 'input', 'accept'),
      ...rules('inet', 'f', 'input', ['ip saddr @blocked drop', 'iifname "eth0" drop']),
    ]);
    const d = fw.decide(to443(REMOTE), 'input');
    expect(d).toMatchObject({ verdict: 'accept', certain: false });
    expect(d.maybe.map((r) => r.index)).toEqual([1]);
    // The interface condition is read: arriving on eth0 is dropped, certainly.
    expect(fw.decide(to443(REMOTE, 'eth0'), 'input')).toMatchObject({ verdict: 'drop', certain: false });
  });
});

describe('Firewall (iptables-save rules)', () => {
  it('reads addresses, negation, protocol, ports (multiport, ranges), interfaces with + and conntrack state', () => {
    const fw = new Firewall([
      chain('ip', 'filter', 'INPUT', 'input', 'drop'),
      chain('ip', 'filter', 'KUBE-FIREWALL'),
      ...rules('ip', 'filter', 'INPUT', [
        '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-j KUBE-FIREWALL',
        '-i lo -j ACCEPT',
        '-s 192.0.2.0/24 -i eth+ -p tcp -m multiport --dports 80,443,8000:8100 -m comment --comment "lan web" -j ACCEPT',
        '! -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset',
      ]),
      ...rules('ip', 'filter', 'KUBE-FIREWALL', ['-s 198.51.100.7/32 -j DROP']),
    ]);
    expect(fw.decide(to443(LAN), 'input').verdict).toBe('accept');
    expect(fw.decide({ ...to443(LAN), dport: 8050 }, 'input').verdict).toBe('accept');
    expect(fw.decide(to443(LAN, 'wlan0'), 'input')).toMatchObject({ verdict: 'drop', rule: null });
    expect(fw.decide(to443(REMOTE), 'input')).toMatchObject({ verdict: 'drop', rule: null, certain: true });
    expect(fw.decide({ ...to443(REMOTE), dport: 22 }, 'input')).toMatchObject({ verdict: 'reject' });
    expect(fw.decide(to443('198.51.100.7'), 'input').rule?.chain).toBe('KUBE-FIREWALL');
    // An ip (IPv4) table does not see IPv6 packets.
    expect(fw.decide(to443('2001:db8::50'), 'input').verdict).toBe('accept');
  });

  it('no base chain: everything passes', () => {
    expect(new Firewall([]).decide(to443(REMOTE), 'input')).toMatchObject({ verdict: 'accept', chain: null });
    expect(new Firewall([]).empty).toBe(true);
  });
});

describe('tokens', () => {
  it('keeps sets and quoted strings whole', () => {
    expect(tokens('tcp dport { 80, 443 } iifname "eth 1" accept')).toEqual([
      'tcp',
      'dport',
      '{ 80, 443 }',
      'iifname',
      '"eth 1"',
      'accept',
    ]);
    expect(tokens('-m comment --comment "web \\"x\\" y" -j REJECT')).toEqual([
      '-m',
      'comment',
      '--comment',
      '"web \\"x\\" y"',
      '-j',
      'REJECT',
    ]);
  });
});
