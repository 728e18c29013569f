/**
 * `ip rule` / `ip -6 rule` (iproute2 text), tab or space after the priority:
 *
 *   PRIO:<TAB>[not] from SRC [to DST] [iif DEV [detached]] [oif DEV] [fwmark M[/MASK]]
 *             [ipproto P] [sport A] [dport B] [uidrange A-B] [l3mdev]
 *             (lookup|table) T [suppress_prefixlength N] | goto N | nop | prohibit | blackhole | unreachable
 *
 * `from all` is left out of the record.
 */
import type { RuleRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { addTo, bannerText, looksLikeJson, sniffShare, tokens, uncolor } from './netstate/common.js';

const RULE = /^\s*(\d+):\s+(.*)$/;
/** Selector keywords with one argument that we skip. */
const SKIP1 = new Set([
  'ipproto',
  'sport',
  'dport',
  'uidrange',
  'tos',
  'dsfield',
  'realms',
  'tun_id',
  'proto',
  'protocol',
  'suppress_ifgroup',
  'map-to',
  'nat',
  'pref',
  'priority',
  'flowlabel',
]);
const ACTIONS = new Set(['prohibit', 'blackhole', 'unreachable', 'nop']);

/** Parse one rule body (after `PRIO:`) into a record; null on a missing argument. */
export function parseRuleBody(file: string, lineNo: number, prio: number, body: string): RuleRecord | null {
  const t = tokens(body);
  const r: RuleRecord = { type: 'rule', file, line: lineNo, priority: prio, table: '' };
  for (let i = 0; i < t.length; i++) {
    const k = t[i];
    if (k === 'not') {
      r.not = true;
      continue;
    }
    if (ACTIONS.has(k)) {
      r.action = k;
      r.table = k;
      continue;
    }
    if (k === 'l3mdev' || k === '[detached]' || k === 'unresolved') {
      if (k !== '[detached]') r.extra = addTo(r.extra, k);
      continue;
    }
    const v = t[i + 1];
    if (v === undefined) return null;
    i++;
    switch (k) {
      case 'from':
        if (v !== 'all') r.from = v;
        break;
      case 'to':
        if (v !== 'all') r.to = v;
        break;
      case 'iif':
        r.iif = v;
        break;
      case 'oif':
        r.oif = v;
        break;
      case 'fwmark':
        r.fwmark = v;
        break;
      case 'lookup':
      case 'table':
        r.table = v;
        break;
      case 'goto':
        r.action = 'goto';
        r.table = 'goto';
        r.extra = addTo(r.extra, k, v);
        break;
      case 'suppress_prefixlength':
        if (/^\d+$/.test(v)) r.suppressPrefixlength = Number(v);
        break;
      default:
        if (SKIP1.has(k)) r.extra = addTo(r.extra, k, v);
        else {
          // An unknown keyword may not take an argument: keep it alone, give the token back.
          r.extra = addTo(r.extra, k);
          i--;
        }
    }
  }
  if (r.table === '') r.table = 'main';
  return r;
}

/** Running parse state of one `ip rule` file. */
class IpRuleParser implements LineParser {
  constructor(private readonly ctx: ParseContext) {}

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    if (bannerText(text) !== null) return 'skipped';
    const m = RULE.exec(text);
    const r = m ? parseRuleBody(this.ctx.file, lineNo, Number(m[1]), m[2]) : null;
    if (!r) {
      out.issue(lineNo, 'bad-rule', `not an ip rule line: ${text.slice(0, 120)}`);
      return 'issue';
    }
    r.text = displayText(text);
    out.record(r);
    return 'parsed';
  }
}

const samples: FormatSample[] = [
  {
    note: 'ip rule (iproute2 6.1, tab after the priority)',
    input: [
      '0:\tfrom all lookup local',
      '100:\tfrom 192.0.2.10 lookup 100',
      '200:\tfrom all fwmark 0x1/0xff lookup 100',
      '300:\tfrom all to 198.51.100.0/24 iif eth1 lookup main',
      '310:\tfrom all oif eth0 lookup 100',
      '320:\tnot from all to 10.0.0.0/8 lookup 100',
      '330:\tfrom all lookup 100 suppress_prefixlength 0',
      '340:\tfrom 10.66.0.0/16 prohibit',
      '32766:\tfrom all lookup main',
      '32767:\tfrom all lookup default',
    ].join('\n'),
    records: [
      { type: 'rule', priority: 0, table: 'local', from: undefined },
      { priority: 100, from: '192.0.2.10', table: '100' },
      { priority: 200, fwmark: '0x1/0xff', table: '100' },
      { priority: 300, to: '198.51.100.0/24', iif: 'eth1', table: 'main' },
      { priority: 310, oif: 'eth0', table: '100' },
      { priority: 320, not: true, to: '10.0.0.0/8', table: '100' },
      { priority: 330, table: '100', suppressPrefixlength: 0 },
      { priority: 340, from: '10.66.0.0/16', table: 'prohibit', action: 'prohibit' },
      { priority: 32766, table: 'main' },
      { priority: 32767, table: 'default' },
    ],
  },
  {
    note: 'older iproute2 / busybox: spaces, `table` instead of `lookup`, detached iif',
    input: [
      '0: from all lookup local ',
      '1000: from all iif lxc123 [detached] table 200 ',
      '5210: from all fwmark 0x80000/0xff0000 lookup main',
      'garbage',
    ].join('\n'),
    records: [
      { priority: 0, table: 'local' },
      { priority: 1000, iif: 'lxc123', table: '200' },
      { priority: 5210 },
    ],
    issues: 1,
  },
];

/** The `ip rule` text format. */
export const ipRule: TextFormat = {
  id: 'ip-rule',
  title: 'iproute2 `ip rule` policy-routing rules',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    return sniffShare(lines, (l) => /^\d+:\s+(?:not\s+)?from\s+\S+/.test(l));
  },
  create: (ctx) => new IpRuleParser(ctx),
  samples,
};
