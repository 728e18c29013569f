/**
 * `ip route` / `ip -6 route` / `ip route show table all` / `ip route get` (iproute2 text).
 *
 *   [type] DST [from SRC] [via [inet6] GW] [dev DEV] [table T] [proto P] [scope S]
 *         [src PREFSRC] [metric N] [flags…] [mtu [lock] N] [pref P] …
 *   <TAB>nexthop via GW dev DEV weight W [flags…]      (multipath, one line per path)
 *
 * Host destinations become /32 or /128. The table defaults to `main` (`local` for
 * local/broadcast/multicast types) unless an echoed command (`$ ip route show table
 * 100`) says otherwise; `-6` in such an echo sets the family of `default` routes.
 */
import type { RouteRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import {
  addTo,
  bannerText,
  looksLikeJson,
  normDst,
  sniffShare,
  stripZone,
  tokens,
  uncolor,
} from './netstate/common.js';
import { defaultTable, NUD_STATES, ROUTE_TYPES, routeFamily } from './netstate/emit.js';

/** Keywords followed by one argument that we keep. */
const KEEP = new Set(['via', 'dev', 'table', 'proto', 'scope', 'src', 'metric', 'mtu', 'pref', 'weight']);
/** Keywords followed by one argument that we skip (metrics, cache info, ids). */
const SKIP1 = new Set([
  'from',
  'tos',
  'dsfield',
  'nhid',
  'expires',
  'error',
  'realm',
  'realms',
  'advmss',
  'hoplimit',
  'initcwnd',
  'initrwnd',
  'window',
  'rtt',
  'rttvar',
  'ssthresh',
  'cwnd',
  'congctl',
  'features',
  'quickack',
  'fastopen_no_cookie',
  'reordering',
  'rto_min',
  'uid',
  'ttl-propagate',
  'age',
  'users',
  'used',
  'ipid',
  'mark',
  'iif',
  'oif',
]);
/** Flags without argument. */
const FLAGS = new Set([
  'onlink',
  'linkdown',
  'dead',
  'pervasive',
  'offload',
  'trap',
  'notify',
  'unresolved',
  'rt_offload',
  'rt_trap',
  'rt_offload_failed',
  'cache',
  'lock',
]);

/** Sniff: a destination (or `type dst`) followed by route keywords. */
function isRouteLine(l: string): boolean {
  const t = tokens(l);
  if (t.length < 2) return false;
  if (t[0] === 'nexthop') return true;
  let i = 0;
  if (ROUTE_TYPES.has(t[0])) i = 1;
  if (i >= t.length || normDst(t[i]) === null) return false;
  // `ADDR dev X lladdr M STATE` is ip neigh
  if (t.includes('lladdr') || NUD_STATES.has(t[t.length - 1])) return false;
  if (i === 1 && t.length === 2) return true; // "unreachable 10.0.0.0/8"
  const k = t[i + 1];
  return k !== undefined && (KEEP.has(k) || SKIP1.has(k) || FLAGS.has(k));
}

/** Parse one route's tokens (from `start`) into `r`. Returns false when a keyword lacks its argument. */
function applyTokens(t: string[], start: number, r: RouteRecord): boolean {
  let nh: NonNullable<RouteRecord['nexthops']>[number] | null = r.nexthops?.[r.nexthops.length - 1] ?? null;
  let ok = true;
  for (let i = start; i < t.length; i++) {
    const k = t[i];
    if (k === '\\') continue; // `ip -o route` joins multipath lines with a backslash
    if (k === 'nexthop') {
      nh = {};
      if (r.nexthops) r.nexthops.push(nh);
      else r.nexthops = [nh];
      continue;
    }
    if (FLAGS.has(k)) {
      if (k === 'cache' || k === 'lock') continue;
      if (nh) {
        nh.flags = addTo(nh.flags, k);
      } else if (k === 'onlink') r.onlink = true;
      else if (k === 'linkdown') r.linkdown = true;
      else r.extra = addTo(r.extra, k);
      continue;
    }
    if (KEEP.has(k) || SKIP1.has(k)) {
      let v = t[i + 1];
      if (v === undefined) {
        ok = false;
        r.extra = addTo(r.extra, k);
        continue;
      }
      i++;
      if (k === 'via' && (v === 'inet' || v === 'inet6') && t[i + 1] !== undefined) v = t[++i];
      if (k === 'mtu' && v === 'lock' && t[i + 1] !== undefined) v = t[++i];
      switch (k) {
        case 'via':
          if (nh) nh.gateway = stripZone(v);
          else r.gateway = stripZone(v);
          break;
        case 'dev':
          if (nh) nh.dev = v;
          else r.dev = v;
          break;
        case 'weight':
          if (nh && /^\d+$/.test(v)) nh.weight = Number(v);
          else r.extra = addTo(r.extra, k, v);
          break;
        case 'table':
          r.table = v;
          break;
        case 'proto':
          r.proto = v;
          break;
        case 'scope':
          r.scope = v;
          break;
        case 'src':
          r.src = stripZone(v);
          break;
        case 'metric':
          if (/^\d+$/.test(v)) r.metric = Number(v);
          else r.extra = addTo(r.extra, k, v);
          break;
        case 'mtu':
          if (/^\d+$/.test(v)) r.mtu = Number(v);
          else r.extra = addTo(r.extra, k, v);
          break;
        case 'pref':
          r.pref = v;
          break;
      }
      continue;
    }
    if (k === 'encap') {
      // Encapsulation arguments vary by type: keep them until the next known keyword.
      const e = addTo(r.extra, k);
      r.extra = e;
      while (i + 1 < t.length && !KEEP.has(t[i + 1]) && !SKIP1.has(t[i + 1]) && !FLAGS.has(t[i + 1]))
        e.push(t[++i]);
      continue;
    }
    r.extra = addTo(r.extra, k);
  }
  return ok;
}

/** Running parse state of one `ip route` file. */
class IpRouteParser implements LineParser {
  private pending: RouteRecord | null = null;
  private tableHint: string | undefined;
  private familyHint: 'inet' | 'inet6' | undefined;

  constructor(private readonly ctx: ParseContext) {}

  private flush(out: TextSink): void {
    const r = this.pending;
    if (!r) return;
    this.pending = null;
    if (r.table === '') r.table = defaultTable(r.routeType, this.tableHint);
    r.family = routeFamily(r, this.familyHint);
    out.record(r);
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    const banner = bannerText(text);
    if (banner !== null) {
      this.flush(out);
      if (banner !== '' && /\bip\b/.test(banner) && /\br(?:o(?:u(?:te?)?)?)?\b/.test(banner)) {
        const m = /\btable\s+(\S+)/.exec(banner);
        this.tableHint = m && m[1] !== 'all' ? m[1] : undefined;
        this.familyHint = /\s-6\b/.test(banner) ? 'inet6' : /\s-4\b/.test(banner) ? 'inet' : undefined;
      }
      return 'skipped';
    }
    const t = tokens(text);
    const indented = text.charCodeAt(0) === 9 || text.charCodeAt(0) === 32;
    if (indented && this.pending && t.length > 0 && !ROUTE_TYPES.has(t[0]) && normDst(t[0]) === null) {
      // Continuation of the previous route: multipath paths, `ip route get` cache lines.
      // (An indented line that starts with a destination is a route of its own.)
      applyTokens(t, 0, this.pending);
      return 'parsed';
    }
    this.flush(out);
    let i = 0;
    let routeType = 'unicast';
    if (ROUTE_TYPES.has(t[0]) && t.length > 1) {
      routeType = t[0];
      i = 1;
    }
    const dst = normDst(t[i]);
    if (dst === null) {
      out.issue(lineNo, 'bad-route', `not an ip route line: ${text.slice(0, 120)}`);
      return 'issue';
    }
    const r: RouteRecord = {
      type: 'route',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(text),
      table: '',
      routeType,
      dst,
      family: 'inet',
    };
    if (!applyTokens(t, i + 1, r)) {
      out.issue(lineNo, 'bad-route', `keyword without argument: ${text.slice(0, 120)}`);
      return 'issue';
    }
    this.pending = r;
    return 'parsed';
  }

  end(out: TextSink): undefined {
    this.flush(out);
    return undefined;
  }
}

const samples: FormatSample[] = [
  {
    note: 'ip route (iproute2 6.1, captured in a namespace)',
    input: [
      'default via 203.0.113.1 dev eth0 onlink linkdown ',
      'default via 192.0.2.1 dev eth1 metric 200 ',
      '10.88.0.0/16 dev br1 proto kernel scope link src 10.88.0.1 ',
      'prohibit 10.97.0.0/16 metric 10 ',
      'unreachable 10.98.0.0/16 ',
      'blackhole 10.99.0.0/16 ',
      '192.0.2.0/24 dev eth1 proto kernel scope link src 192.0.2.10 ',
      '192.0.2.99 via 192.0.2.1 dev eth1 mtu 1400 ',
      '198.18.0.0/15 proto static ',
      '\tnexthop via 192.0.2.1 dev eth1 weight 1 ',
      '\tnexthop via 192.0.2.2 dev eth1 weight 2 ',
    ].join('\n'),
    records: [
      {
        type: 'route',
        line: 1,
        table: 'main',
        routeType: 'unicast',
        dst: 'default',
        gateway: '203.0.113.1',
        dev: 'eth0',
        onlink: true,
        linkdown: true,
        family: 'inet',
      },
      { dst: 'default', gateway: '192.0.2.1', dev: 'eth1', metric: 200 },
      { dst: '10.88.0.0/16', dev: 'br1', proto: 'kernel', scope: 'link', src: '10.88.0.1' },
      { routeType: 'prohibit', dst: '10.97.0.0/16', metric: 10, table: 'main' },
      { routeType: 'unreachable', dst: '10.98.0.0/16' },
      { routeType: 'blackhole', dst: '10.99.0.0/16' },
      { dst: '192.0.2.0/24', src: '192.0.2.10' },
      { dst: '192.0.2.99/32', gateway: '192.0.2.1', mtu: 1400 },
      {
        line: 9,
        dst: '198.18.0.0/15',
        proto: 'static',
        gateway: undefined,
        nexthops: [
          { gateway: '192.0.2.1', dev: 'eth1', weight: 1 },
          { gateway: '192.0.2.2', dev: 'eth1', weight: 2 },
        ],
      },
    ],
  },
  {
    note: 'ip route show table all: other tables, local/broadcast, IPv6',
    input: [
      'default via 192.0.2.1 dev eth1 table 100 proto static src 192.0.2.10 ',
      'throw 10.96.0.0/16 table 100 ',
      'local 192.0.2.10 dev eth1 table local proto kernel scope host src 192.0.2.10 ',
      'broadcast 192.0.2.255 dev eth1 table local proto kernel scope link src 192.0.2.10 ',
      '2001:db8:1::/48 metric 1024 pref medium',
      '\tnexthop via 2001:db8::1 dev eth1 weight 1 ',
      '\tnexthop via 2001:db8::2 dev eth1 weight 1 ',
      'unreachable 2001:db8:dead::/48 dev lo metric 1024 pref medium',
      'default via 2001:db8::1 dev eth1 metric 1024 pref high',
      'local ::1 dev lo table local proto kernel metric 0 pref medium',
      'multicast ff00::/8 dev eth1 table local proto kernel metric 256 pref medium',
    ].join('\n'),
    records: [
      { table: '100', dst: 'default', proto: 'static', src: '192.0.2.10', family: 'inet' },
      { table: '100', routeType: 'throw', dst: '10.96.0.0/16' },
      { table: 'local', routeType: 'local', dst: '192.0.2.10/32', scope: 'host' },
      { table: 'local', routeType: 'broadcast', dst: '192.0.2.255/32' },
      { table: 'main', dst: '2001:db8:1::/48', family: 'inet6', nexthops: [{ gateway: '2001:db8::1' }, {}] },
      { routeType: 'unreachable', dst: '2001:db8:dead::/48', dev: 'lo', family: 'inet6' },
      { dst: 'default', gateway: '2001:db8::1', pref: 'high', family: 'inet6' },
      { table: 'local', dst: '::1/128', metric: 0 },
      { table: 'local', routeType: 'multicast', dst: 'ff00::/8' },
    ],
  },
  {
    note: 'echoed command sets the table; ip route get cache line',
    input: [
      '$ ip route show table 100',
      'default via 192.0.2.1 dev eth1 proto static src 192.0.2.10 ',
      '$ ip -6 route show table 100',
      'unreachable default dev lo metric 4294967295 error -113',
      '# ip route get 192.0.2.20',
      '192.0.2.20 via 192.0.2.1 dev eth1 table 100 src 192.0.2.10 uid 0 ',
      '    cache expires 412sec mtu 1300 ',
    ].join('\n'),
    records: [
      { table: '100', dst: 'default', gateway: '192.0.2.1', family: 'inet' },
      { table: '100', routeType: 'unreachable', dst: 'default', family: 'inet6', metric: 4294967295 },
      { table: '100', dst: '192.0.2.20/32', gateway: '192.0.2.1', mtu: 1300 },
    ],
  },
  {
    note: 'garbage lines are issues, the rest still parses',
    input: 'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100\nthis is not a route\n',
    records: [{ dst: 'default', gateway: '10.0.2.2', proto: 'dhcp', metric: 100 }],
    issues: 1,
  },
];

/** The `ip route` text format. */
export const ipRoute: TextFormat = {
  id: 'ip-route',
  title: 'iproute2 `ip route` / `ip -6 route` / `ip route show table all`',
  sniff(lines, name) {
    if (looksLikeJson(lines)) return 0;
    const s = sniffShare(lines, isRouteLine);
    return s === 0 ? 0 : Math.min(1, s + (/route/i.test(name) ? 0.05 : 0));
  },
  create: (ctx) => new IpRouteParser(ctx),
  samples,
};
