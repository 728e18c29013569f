/**
 * `ip neigh` / `ip -6 neigh` / `ip neigh show nud all` / `ip -s neigh` (iproute2 text).
 *
 *   ADDR dev DEV [lladdr MAC] [router] [proxy] [extern_learn] [used A/B/C probes N] STATE
 *
 * STATE is one of REACHABLE, STALE, DELAY, PROBE, FAILED, INCOMPLETE, PERMANENT, NOARP,
 * NONE. `mac` is null for INCOMPLETE and FAILED entries (and when no lladdr is shown).
 */
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import {
  bannerText,
  isIP,
  looksLikeJson,
  normMac,
  sniffShare,
  stripZone,
  tokens,
  uncolor,
} from './netstate/common.js';
import { NUD_STATES, neighbor } from './netstate/emit.js';

/** Keywords with one argument. */
const ARG1 = new Set(['dev', 'lladdr', 'used', 'probes', 'ref', 'vlan', 'protocol', 'proto', 'nhid']);

/** Sniff: an address followed by `dev` and ending in a NUD state (or `lladdr`/`proxy`). */
function isNeighLine(l: string): boolean {
  const t = tokens(l);
  if (t.length < 3 || !isIP(t[0]) || t[1] !== 'dev') return false;
  const last = t[t.length - 1];
  return NUD_STATES.has(last) || t.includes('lladdr') || last === 'proxy';
}

/** Running parse state of one `ip neigh` file. */
class IpNeighParser implements LineParser {
  constructor(private readonly ctx: ParseContext) {}

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    if (bannerText(text) !== null) return 'skipped';
    const t = tokens(text);
    // `ip monitor neigh` prefixes: "Deleted", "Miss", "[NEIGH]"
    let i = 0;
    while (i < t.length && (t[i] === 'Deleted' || t[i] === 'Miss' || t[i] === '[NEIGH]')) i++;
    const ip = t[i] !== undefined ? stripZone(t[i]) : '';
    if (!isIP(ip)) {
      out.issue(lineNo, 'bad-neighbor', `not an ip neigh line: ${text.slice(0, 120)}`);
      return 'issue';
    }
    let dev: string | undefined;
    let mac: string | null = null;
    let state: string | undefined;
    let router: boolean | undefined;
    let proxy = false;
    for (i++; i < t.length; i++) {
      const k = t[i];
      if (ARG1.has(k) && i + 1 < t.length) {
        const v = t[++i];
        if (k === 'dev') dev = v;
        else if (k === 'lladdr') {
          mac = normMac(v);
          if (mac === null) {
            out.issue(lineNo, 'bad-mac', `unreadable lladdr ${v.slice(0, 60)}`);
            return 'issue';
          }
        }
      } else if (NUD_STATES.has(k)) state = k;
      else if (k === 'router') router = true;
      else if (k === 'proxy') proxy = true;
      // other flags (proxy, extern_learn, …) and counters carry nothing we keep
    }
    const r = neighbor(this.ctx.file, lineNo, ip, mac, { text: displayText(text) });
    if (dev !== undefined) r.dev = dev;
    if (state !== undefined) r.state = state;
    if (router) r.router = true;
    // No lladdr and no state: unresolved, unless it is a proxy-ARP entry (`ip neigh show proxy`).
    if (mac === null && state === undefined && !proxy) r.state = 'INCOMPLETE';
    out.record(r);
    return 'parsed';
  }
}

const samples: FormatSample[] = [
  {
    note: 'ip neigh show nud all (iproute2 6.1, captured in a namespace)',
    input: [
      '192.0.2.31 dev eth1 lladdr 02:00:00:00:00:31 STALE ',
      '192.0.2.35 dev eth1 FAILED ',
      '224.0.0.22 dev br1 lladdr 01:00:5e:00:00:16 NOARP ',
      '192.0.2.32 dev eth1 lladdr 02:00:00:00:00:32 REACHABLE ',
      '192.0.2.1 dev eth1 INCOMPLETE ',
      '192.0.2.30 dev eth1 lladdr 02:00:00:00:00:30 PERMANENT ',
      '2001:db8::20 dev eth1 lladdr 02:00:00:00:02:02 REACHABLE ',
      'fe80::2455:41ff:fe10:b6c5 dev eth1 lladdr 02:00:00:00:02:02 DELAY ',
      '192.0.2.36 dev eth1 lladdr 02:00:00:00:00:36 PROBE ',
      '2001:db8::1 dev eth1 lladdr 02:00:00:00:00:01 router STALE ',
    ].join('\n'),
    records: [
      { type: 'neighbor', line: 1, ip: '192.0.2.31', mac: '02:00:00:00:00:31', dev: 'eth1', state: 'STALE' },
      { ip: '192.0.2.35', mac: null, state: 'FAILED' },
      { ip: '224.0.0.22', mac: '01:00:5e:00:00:16', dev: 'br1', state: 'NOARP' },
      { ip: '192.0.2.32', state: 'REACHABLE' },
      { ip: '192.0.2.1', mac: null, state: 'INCOMPLETE' },
      { ip: '192.0.2.30', state: 'PERMANENT' },
      { ip: '2001:db8::20', mac: '02:00:00:00:02:02' },
      { ip: 'fe80::2455:41ff:fe10:b6c5', state: 'DELAY' },
      { ip: '192.0.2.36', state: 'PROBE' },
      { ip: '2001:db8::1', router: true, state: 'STALE', mac: '02:00:00:00:00:01' },
    ],
  },
  {
    note: 'ip -s neigh (usage counters) and a garbage line',
    input: [
      '192.0.2.31 dev eth1 lladdr 02:00:00:00:00:31  used 5/65/5probes 0 STALE ',
      '192.0.2.32 dev eth1 lladdr 02:00:00:00:00:32  ref 1 used 5/5/5probes 0 REACHABLE ',
      'RTNETLINK answers: Operation not permitted',
    ].join('\n'),
    records: [
      { ip: '192.0.2.31', state: 'STALE', mac: '02:00:00:00:00:31' },
      { ip: '192.0.2.32', state: 'REACHABLE' },
    ],
    issues: 1,
  },
];

/** The `ip neigh` text format. */
export const ipNeigh: TextFormat = {
  id: 'ip-neigh',
  title: 'iproute2 `ip neigh` ARP/NDP cache',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    return sniffShare(lines, isNeighLine);
  },
  create: (ctx) => new IpNeighParser(ctx),
  samples,
};
