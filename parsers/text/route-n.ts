/**
 * Routing tables as net-tools, BSD and Windows print them: `route -n`, `route -n -A
 * inet6`, `netstat -rn` (Linux, macOS, FreeBSD, OpenBSD), Windows `route print`
 * (parsers/text/netstate/winroute.ts).
 *
 *   Kernel IP routing table                                       (Linux, route -n)
 *   Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
 *   0.0.0.0         192.0.2.1       0.0.0.0         UG    100    0        0 eth1
 *
 *   Kernel IPv6 routing table
 *   Destination                    Next Hop                   Flag Met Ref  Use If
 *   ::/0                           2001:db8::1                UG   1024 1      0 eth1
 *
 *   Internet:                                                     (macOS/BSD netstat -rn)
 *   Destination        Gateway            Flags           Netif Expire
 *   default            192.168.1.1        UGScg             en0
 *   192.168.1          link#4             UCS               en0      !
 *
 * Columns are found by their header names, so `route -ne`/`-nee` and the netstat
 * variants share one reader. Genmask becomes a prefix length; `0.0.0.0/0` is
 * `default`; abbreviated BSD destinations (`127`, `192.168.1`, `224.0.0/4`) are
 * expanded; on BSD only routes flagged G have a gateway (connected routes print the
 * interface address, `link#N` or a MAC there). Reject routes (`!`, BSD
 * `R`) are `unreachable` (net-tools cannot tell prohibit from unreachable); BSD `B`
 * is `blackhole`. IPv6 `Un` host routes are the local table's; all others are `main`.
 */
import type { RouteRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import {
  bannerText,
  isIPv4,
  isIPv6,
  looksLikeJson,
  maskToPrefix,
  normDst,
  sniffShare,
  stripZone,
  tokens,
  uncolor,
  zoneOf,
} from './netstate/common.js';
import { WIN_ROUTE_START, WinRouteReader } from './netstate/winroute.js';

/** Canonical column names (header words, lowercased) → our fields. */
const COLS: Record<string, string> = {
  destination: 'dst',
  gateway: 'gw',
  nexthop: 'gw',
  genmask: 'mask',
  flags: 'flags',
  flag: 'flags',
  metric: 'metric',
  met: 'metric',
  iface: 'dev',
  if: 'dev',
  netif: 'dev',
};

/** A flags column value (UG, UGH, !n, UGScg, …). */
const FLAGS_COL = /^[A-Za-z!]{1,12}$/;

const HEADER = /^\s*Destination\s+(?:Gateway|Next\s+Hop)\s+/;

/** Expand a BSD destination (`default`, `127`, `192.168.1`, `224.0.0/4`, `fe80::%lo0/64`). */
function bsdDst(s: string, flags: string): string | null {
  if (s === 'default') return 'default';
  const slash = s.indexOf('/');
  const a = slash >= 0 ? s.slice(0, slash) : s;
  if (a.includes(':')) return normDst(slash >= 0 ? `${stripZone(a)}${s.slice(slash)}` : stripZone(a));
  const parts = a.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  while (parts.length < 4) parts.push('0');
  const ip = parts.join('.');
  if (!isIPv4(ip)) return null;
  if (slash >= 0) return normDst(`${ip}${s.slice(slash)}`);
  const n = a.split('.').length;
  return normDst(n === 4 || flags.includes('H') ? ip : `${ip}/${n * 8}`);
}

/** Running parse state of one routing-table file. */
class RouteNParser implements LineParser {
  /** Column index of each field, from the last header line; null before any header. */
  private cols: Map<string, number> | null = null;
  private family: 'inet' | 'inet6' = 'inet';
  private bsd = false;
  /** Set once Windows `route print` output is recognised. */
  private win: WinRouteReader | null = null;

  constructor(private readonly ctx: ParseContext) {}

  end(out: TextSink): undefined {
    this.win?.end(out);
    return undefined;
  }

  private header(text: string): void {
    const words = tokens(text.replace(/Next\s+Hop/, 'NextHop'));
    const m = new Map<string, number>();
    words.forEach((w, i) => {
      const f = COLS[w.toLowerCase()];
      if (f && !m.has(f)) m.set(f, i);
    });
    this.cols = m;
    if (!m.has('mask') && words.includes('Netif')) this.bsd = true;
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    const t0 = text.trim();
    if (!this.win && WIN_ROUTE_START.test(t0)) this.win = new WinRouteReader(this.ctx.file);
    if (this.win) return t0 === '' || /^=+$/.test(t0) ? 'skipped' : this.win.line(text, lineNo, out);
    if (bannerText(text) !== null) return 'skipped';
    if (/^Kernel IP routing table/i.test(t0)) {
      this.family = 'inet';
      this.bsd = false;
      return 'skipped';
    }
    if (/^Kernel IPv6 routing table/i.test(t0)) {
      this.family = 'inet6';
      this.bsd = false;
      return 'skipped';
    }
    if (/^Routing tables?$/i.test(t0)) return 'skipped';
    if (/^Internet6?:$/.test(t0)) {
      this.family = t0 === 'Internet6:' ? 'inet6' : 'inet';
      this.bsd = true;
      return 'skipped';
    }
    if (HEADER.test(text)) {
      this.header(text);
      return 'skipped';
    }
    const cols = this.cols;
    if (!cols) {
      out.issue(lineNo, 'bad-route', `routing table line before any header: ${text.slice(0, 120)}`);
      return 'issue';
    }
    const t = tokens(text);
    const get = (f: string): string | undefined => {
      const i = cols.get(f);
      return i === undefined ? undefined : t[i];
    };
    const rawDst = get('dst');
    const flags = get('flags') ?? '';
    const gw = get('gw');
    let dst: string | null = null;
    if (rawDst !== undefined) {
      if (this.bsd) dst = bsdDst(rawDst, flags);
      else if (cols.has('mask')) {
        const mask = get('mask');
        const p = mask !== undefined ? maskToPrefix(mask) : null;
        dst = p !== null && isIPv4(rawDst) ? normDst(`${rawDst}/${p}`) : null;
      } else dst = normDst(rawDst);
    }
    if (dst === null || gw === undefined || t.length < Math.min(cols.size, 3)) {
      out.issue(lineNo, 'bad-route', `unreadable routing table line: ${text.slice(0, 120)}`);
      return 'issue';
    }
    const family =
      dst === 'default' ? (gw.includes(':') ? 'inet6' : this.family) : dst.includes(':') ? 'inet6' : 'inet';
    let routeType = 'unicast';
    if (flags.includes('!') || (this.bsd && flags.includes('R'))) routeType = 'unreachable';
    else if (this.bsd && flags.includes('B')) routeType = 'blackhole';
    let table = 'main';
    if (family === 'inet6' && !this.bsd && flags === 'Un' && dst.endsWith('/128')) {
      routeType = 'local';
      table = 'local';
    }
    const r: RouteRecord = {
      type: 'route',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(text),
      table,
      routeType,
      dst,
      family,
      flags,
    };
    const g = stripZone(gw);
    // BSD prints the interface address as "gateway" of connected routes: only G means a gateway.
    const viaGw = !this.bsd || flags.includes('G');
    if (viaGw && ((isIPv4(g) && g !== '0.0.0.0') || (isIPv6(gw) && g !== '::'))) r.gateway = g;
    const dev = get('dev');
    if (dev !== undefined && dev !== '*' && dev !== '-') r.dev = dev;
    else if (this.bsd) {
      const z = zoneOf(rawDst ?? '') ?? zoneOf(gw);
      if (z) r.dev = z;
    }
    const metric = get('metric');
    if (metric !== undefined && /^-?\d+$/.test(metric)) r.metric = Number(metric) >>> 0;
    out.record(r);
    return 'parsed';
  }
}

const samples: FormatSample[] = [
  {
    note: 'route -n (net-tools 2.10, captured in a namespace)',
    input: [
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         203.0.113.1     0.0.0.0         UG    0      0        0 eth0',
      '0.0.0.0         192.0.2.1       0.0.0.0         UG    200    0        0 eth1',
      '10.97.0.0       -               255.255.0.0     !     10     -        0 -',
      '10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *',
      '100.64.0.0      192.0.2.1       255.192.0.0     UG    50     0        0 eth1',
      '192.0.2.0       0.0.0.0         255.255.255.0   U     0      0        0 eth1',
      '192.0.2.99      192.0.2.1       255.255.255.255 UGH   0      0        0 eth1',
    ].join('\n'),
    records: [
      {
        type: 'route',
        line: 3,
        table: 'main',
        routeType: 'unicast',
        dst: 'default',
        gateway: '203.0.113.1',
        dev: 'eth0',
        metric: 0,
        flags: 'UG',
        family: 'inet',
      },
      { dst: 'default', gateway: '192.0.2.1', dev: 'eth1', metric: 200 },
      { dst: '10.97.0.0/16', routeType: 'unreachable', gateway: undefined, dev: undefined, metric: 10 },
      { dst: '10.99.0.0/16', gateway: undefined, dev: undefined },
      { dst: '100.64.0.0/10', gateway: '192.0.2.1', metric: 50 },
      { dst: '192.0.2.0/24', gateway: undefined, dev: 'eth1' },
      { dst: '192.0.2.99/32', gateway: '192.0.2.1', flags: 'UGH' },
    ],
  },
  {
    note: 'netstat -rn (Linux): MSS/Window/irtt columns instead of Metric',
    input: [
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
      '0.0.0.0         10.0.2.2        0.0.0.0         UG        0 0          0 eth0',
      '10.0.2.0        0.0.0.0         255.255.255.0   U         0 0          0 eth0',
      '192.168.56.0    0.0.0.0         255.255.255.0   U         0 0          0 eth1',
    ].join('\n'),
    records: [
      { dst: 'default', gateway: '10.0.2.2', dev: 'eth0', metric: undefined },
      { dst: '10.0.2.0/24', dev: 'eth0' },
      { dst: '192.168.56.0/24', dev: 'eth1' },
    ],
  },
  {
    note: 'route -n -A inet6 (net-tools 2.10)',
    input: [
      'Kernel IPv6 routing table',
      'Destination                    Next Hop                   Flag Met Ref  Use If',
      '2001:db8::/64                  ::                         U    256 4      0 eth1',
      '2001:db8:dead::/48             ::                         !n   1024 1      0 lo',
      '::/0                           2001:db8::1                UG   1024 1      0 eth1',
      '::1/128                        ::                         Un   0   3      0 lo',
      '::/0                           ::                         !n   -1  1      0 lo',
    ].join('\n'),
    records: [
      { dst: '2001:db8::/64', dev: 'eth1', metric: 256, family: 'inet6', gateway: undefined },
      { dst: '2001:db8:dead::/48', routeType: 'unreachable' },
      { dst: 'default', gateway: '2001:db8::1', family: 'inet6', metric: 1024 },
      { dst: '::1/128', table: 'local', routeType: 'local' },
      { dst: 'default', routeType: 'unreachable', metric: 4294967295 },
    ],
  },
  {
    note: 'netstat -rn (macOS 14): abbreviated destinations, link#N, MAC gateways, IPv6 zones',
    input: [
      'Routing tables',
      '',
      'Internet:',
      'Destination        Gateway            Flags               Netif Expire',
      'default            192.168.1.1        UGScg                 en0       ',
      '127                127.0.0.1          UCS                   lo0       ',
      '127.0.0.1          127.0.0.1          UH                    lo0       ',
      '169.254            link#4             UCS                   en0      !',
      '192.168.1          link#4             UCS                   en0      !',
      '192.168.1.1/32     link#4             UCS                   en0      !',
      '192.168.1.1        a4:2b:b0:1:2:3     UHLWIir               en0   1187',
      '224.0.0/4          link#4             UmCS                  en0      !',
      '',
      'Internet6:',
      'Destination                             Gateway                                 Flags               Netif Expire',
      'default                                 fe80::1%en0                             UGcg                  en0       ',
      '::1                                     ::1                                     UHL                   lo0       ',
      'fe80::%lo0/64                           fe80::1%lo0                             UcI                   lo0       ',
    ].join('\n'),
    records: [
      { dst: 'default', gateway: '192.168.1.1', dev: 'en0', flags: 'UGScg', family: 'inet' },
      { dst: '127.0.0.0/8', gateway: undefined, dev: 'lo0' },
      { dst: '127.0.0.1/32', dev: 'lo0' },
      { dst: '169.254.0.0/16', gateway: undefined, dev: 'en0' },
      { dst: '192.168.1.0/24', gateway: undefined },
      { dst: '192.168.1.1/32', gateway: undefined },
      { dst: '192.168.1.1/32', gateway: undefined, flags: 'UHLWIir' },
      { dst: '224.0.0.0/4' },
      { dst: 'default', gateway: 'fe80::1', dev: 'en0', family: 'inet6' },
      { dst: '::1/128', family: 'inet6' },
      { dst: 'fe80::/64', gateway: undefined, dev: 'lo0' },
    ],
  },
  {
    note: 'netstat -rn (FreeBSD 14) with a blackhole and a garbage line',
    input: [
      'Routing tables',
      '',
      'Internet:',
      'Destination        Gateway            Flags         Netif Expire',
      'default            10.0.0.1           UGS             em0',
      '10.0.0.0/24        link#1             U               em0',
      '10.66.0.0/16       127.0.0.1          UGSB            lo0',
      'netstat: kvm not available',
    ].join('\n'),
    records: [
      { dst: 'default', gateway: '10.0.0.1', dev: 'em0' },
      { dst: '10.0.0.0/24', gateway: undefined, dev: 'em0' },
      { dst: '10.66.0.0/16', routeType: 'blackhole' },
    ],
    issues: 1,
  },
  {
    note: 'Windows route print (CRLF)',
    input: [
      '===========================================================================',
      'Interface List',
      '  4...00 15 5d 01 02 03 ......Intel(R) Ethernet Connection (7) I219-V',
      '  1...........................Software Loopback Interface 1',
      '===========================================================================',
      '',
      'IPv4 Route Table',
      '===========================================================================',
      'Active Routes:',
      'Network Destination        Netmask          Gateway       Interface  Metric',
      '          0.0.0.0          0.0.0.0      192.168.1.1     192.168.1.50     25',
      '        127.0.0.0        255.0.0.0         On-link         127.0.0.1    331',
      '      192.168.1.0    255.255.255.0         On-link      192.168.1.50    281',
      '     192.168.1.50  255.255.255.255         On-link      192.168.1.50    281',
      '===========================================================================',
      'Persistent Routes:',
      '  None',
      '',
      'IPv6 Route Table',
      '===========================================================================',
      'Active Routes:',
      ' If Metric Network Destination      Gateway',
      '  4    281 ::/0                     fe80::1',
      '  1    331 ::1/128                  On-link',
      '  4    281 fe80::2c1f:1234:abcd:ef01/128',
      '                                    On-link',
      '===========================================================================',
      'Persistent Routes:',
      '  None',
    ].join('\r\n'),
    records: [
      { dst: 'default', gateway: '192.168.1.1', src: '192.168.1.50', metric: 25, family: 'inet' },
      { dst: '127.0.0.0/8', gateway: undefined, src: '127.0.0.1' },
      { dst: '192.168.1.0/24', gateway: undefined },
      { dst: '192.168.1.50/32', routeType: 'local', table: 'local' },
      { dst: 'default', gateway: 'fe80::1', family: 'inet6', metric: 281 },
      { dst: '::1/128', gateway: undefined },
      { line: 25, dst: 'fe80::2c1f:1234:abcd:ef01/128', gateway: undefined },
    ],
  },
  {
    note: 'Windows route print, German',
    input: [
      'IPv4-Routentabelle',
      '===========================================================================',
      'Aktive Routen:',
      '     Netzwerkziel    Netzwerkmaske          Gateway    Schnittstelle Metrik',
      '          0.0.0.0          0.0.0.0    192.168.178.1   192.168.178.23     35',
      '    192.168.178.0    255.255.255.0   Auf Verbindung   192.168.178.23    291',
      'Ständige Routen:',
      '  Netzwerkadresse          Netzmaske  Gatewayadresse  Metrik',
      '          0.0.0.0          0.0.0.0    192.168.178.1  Standard',
    ].join('\n'),
    records: [
      { dst: 'default', gateway: '192.168.178.1', src: '192.168.178.23', metric: 35 },
      { dst: '192.168.178.0/24', gateway: undefined, metric: 291 },
    ],
  },
];

/** The `route -n` / `netstat -rn` format. */
export const routeN: TextFormat = {
  id: 'route-n',
  title: 'net-tools `route -n`, `netstat -rn` (Linux, macOS, BSD), Windows `route print` routing tables',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    let header = false;
    for (const l of lines.slice(0, 20)) {
      if (WIN_ROUTE_START.test(l.trim())) return 0.9;
      if (/^Kernel IP(?:v6)? routing table/.test(l) || HEADER.test(l) || /^Routing tables\s*$/.test(l)) {
        header = true;
        break;
      }
    }
    if (!header) return 0;
    const s = sniffShare(lines, (l) => {
      const t = tokens(l);
      return (
        /^Kernel IP|^Routing tables|^Internet6?:$/.test(l) ||
        HEADER.test(l) ||
        (t.length >= 4 &&
          (normDst(t[0]) !== null || bsdDst(t[0], '') !== null) &&
          (FLAGS_COL.test(t[2]) || FLAGS_COL.test(t[3])))
      );
    });
    return s === 0 ? 0 : Math.max(0.6, s);
  },
  create: (ctx) => new RouteNParser(ctx),
  samples,
};
