/**
 * Socket tables: which connections a host had open, in which TCP state.
 *
 *   State    Recv-Q Send-Q  Local Address:Port   Peer Address:Port Process      ss -tan[p] (-H, -u, -a, -o, -e)
 *   SYN-RECV 0      0        192.0.2.240:443    203.0.113.50:50358
 *   Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port              ss -tuan
 *   tcp   ESTAB  0      0      [::ffff:192.0.2.240]:443 [::ffff:192.0.2.50]:41234
 *
 *   Proto Recv-Q Send-Q Local Address      Foreign Address     State       PID/Program name   netstat -tan[p]
 *   tcp        0      0 192.0.2.240:443    203.0.113.50:50358  SYN_RECV    -
 *   tcp4       0      0 192.168.1.50.52000 192.0.2.240.443     SYN_SENT                       macOS/BSD netstat -an
 *     TCP    192.168.1.50:52000     192.0.2.240:443        SYN_SENT                           Windows netstat -an
 *
 * Half-open connections are the point: SYN-RECV on a server means its SYN-ACKs got no
 * answer, SYN-SENT on a client means no SYN-ACK came. Unix-domain and other non-IP
 * sockets, and ss's detail lines (`-e`, `-i`, `-m`), are understood and skipped.
 */
import type { SocketRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { bannerText, isIPv4, isIPv6, sniffShare, tokens, uncolor } from './netstate/common.js';

/** Every spelling of a TCP state → the Linux name. */
const STATES: Record<string, string> = {
  ESTAB: 'ESTABLISHED',
  ESTABLISHED: 'ESTABLISHED',
  'SYN-SENT': 'SYN-SENT',
  SYN_SENT: 'SYN-SENT',
  'SYN-RECV': 'SYN-RECV',
  SYN_RECV: 'SYN-RECV',
  SYN_RCVD: 'SYN-RECV',
  SYN_RECEIVED: 'SYN-RECV',
  'FIN-WAIT-1': 'FIN-WAIT-1',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT_1: 'FIN-WAIT-1',
  'FIN-WAIT-2': 'FIN-WAIT-2',
  FIN_WAIT2: 'FIN-WAIT-2',
  FIN_WAIT_2: 'FIN-WAIT-2',
  'TIME-WAIT': 'TIME-WAIT',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE: 'CLOSE',
  CLOSED: 'CLOSE',
  'CLOSE-WAIT': 'CLOSE-WAIT',
  CLOSE_WAIT: 'CLOSE-WAIT',
  'LAST-ACK': 'LAST-ACK',
  LAST_ACK: 'LAST-ACK',
  LISTEN: 'LISTEN',
  LISTENING: 'LISTEN',
  CLOSING: 'CLOSING',
  UNCONN: 'UNCONN',
};

/** IP protocols worth a record (ss Netid or netstat Proto, lowercased, without 4/6/46). */
const IP_PROTOS = new Set(['tcp', 'udp', 'raw', 'sctp', 'mptcp', 'dccp', 'udplite']);
/** Other ss Netids and netstat sections: understood, not IP. */
const OTHER_NETID = /^(?:u_\w+|nl|p_\w+|v_\w+|icmp6?|tipc|xdp|unix)$/i;

const SS_HEADER = /^\s*(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port\s+Peer\s+Address:Port/i;
const NETSTAT_HEADER = /^\s*Proto\s+(?:Recv-Q\s+Send-Q\s+)?Local\s+Address\s+Foreign\s+Address/i;
const INET_SECTION = /^Active (?:Internet|Connections)\b/i;
const OTHER_SECTION = /^Active (?:UNIX domain|Bluetooth|LOCAL|Multipath|kernel|Netlink)/i;

/** `host:port`, `[v6]:port`, `host%dev:port`, `*:*`, BSD `host.port` → endpoint and device. */
export function parseSockAddr(
  s: string,
  bsd: boolean,
): { ip: string | null; port?: number; dev?: string } | null {
  let host: string;
  let port: string;
  if (bsd) {
    const dot = s.lastIndexOf('.');
    if (dot <= 0) return null;
    host = s.slice(0, dot);
    port = s.slice(dot + 1);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon <= 0) return null;
    host = s.slice(0, colon);
    port = s.slice(colon + 1);
  }
  let dev: string | undefined;
  const pct = host.indexOf('%');
  if (pct >= 0) {
    dev = host.slice(pct + 1).replace(/\]$/, '');
    host = host.slice(0, pct) + (host.endsWith(']') ? ']' : '');
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = host.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped) host = mapped[1];
  let ip: string | null;
  if (host === '*') ip = null;
  else if (isIPv4(host) || isIPv6(host)) ip = host;
  else return null;
  if (port !== '*' && !/^\d{1,5}$/.test(port)) return null;
  const out: { ip: string | null; port?: number; dev?: string } = { ip };
  if (port !== '*' && Number(port) <= 65535) out.port = Number(port);
  if (dev) out.dev = dev;
  return out;
}

/** Fields of one table row, or null when the row is not a socket line. */
function row(
  t: string[],
): { proto?: string; state?: string; local: string; peer: string; rest: string[]; bsd: boolean } | null {
  let i = 0;
  let proto: string | undefined;
  const p0 = t[0]?.toLowerCase().replace(/(?:46|4|6)$/, '');
  if (p0 && (IP_PROTOS.has(p0) || OTHER_NETID.test(t[0]))) {
    proto = OTHER_NETID.test(t[0]) ? t[0].toLowerCase() : p0;
    i = 1;
  }
  // ss: State first (after Netid); its queues follow.
  const ssState = STATES[t[i]?.toUpperCase() ?? ''];
  if (ssState && /^\d+$/.test(t[i + 1] ?? '') && /^\d+$/.test(t[i + 2] ?? '') && t.length >= i + 5)
    return { proto, state: ssState, local: t[i + 3], peer: t[i + 4], rest: t.slice(i + 5), bsd: false };
  if (!proto) return null;
  // netstat: optional queues, local, foreign, optional state, optional program.
  if (/^\d+$/.test(t[i] ?? '') && /^\d+$/.test(t[i + 1] ?? '')) i += 2;
  if (t.length < i + 2) return null;
  const local = t[i];
  const peer = t[i + 1];
  const st = STATES[t[i + 2]?.toUpperCase() ?? ''];
  const rest = t.slice(st ? i + 3 : i + 2);
  // BSD/macOS write `addr.port`: no colon in an IPv4 endpoint.
  const bsd = !local.includes(':') || (/^(?:tcp|udp)(?:46|4|6)$/i.test(t[0]) && /\.\d+$|\.\*$/.test(local));
  return { proto, state: st, local, peer, rest, bsd };
}

class SocketsParser implements LineParser {
  /** Inside a non-IP section of netstat (UNIX domain sockets, …). */
  private otherSection = false;

  constructor(private readonly ctx: ParseContext) {}

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    if (bannerText(text) !== null) return 'skipped';
    const tt = text.trim();
    if (tt === '') return 'skipped';
    if (INET_SECTION.test(tt)) {
      this.otherSection = false;
      return 'skipped';
    }
    if (OTHER_SECTION.test(tt)) {
      this.otherSection = true;
      return 'skipped';
    }
    if (this.otherSection || SS_HEADER.test(text) || NETSTAT_HEADER.test(text)) return 'skipped';
    // ss detail lines (-e/-i/-m/-o continuation) start with blanks and hold no addresses of their own.
    if (
      /^[ \t]/.test(text) &&
      /^(?:skmem|cubic|reno|bbr|ts |sack|wscale|rto:|ino:|uid:|users:|timer:|\w+:\()/.test(tt)
    )
      return 'skipped';
    const t = tokens(tt);
    const r = row(t);
    if (r?.proto && !IP_PROTOS.has(r.proto)) return 'skipped';
    const local = r ? parseSockAddr(r.local, r.bsd) : null;
    const peer = r ? parseSockAddr(r.peer, r.bsd) : null;
    if (!r || !local || !peer) {
      out.issue(lineNo, 'bad-socket', `not a socket table line: ${displayText(tt.slice(0, 120))}`);
      return 'issue';
    }
    const rec: SocketRecord = {
      type: 'socket',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(tt),
      proto: r.proto ?? 'tcp',
      local: { ip: local.ip, ...(local.port !== undefined ? { port: local.port } : {}) },
      peer: { ip: peer.ip, ...(peer.port !== undefined ? { port: peer.port } : {}) },
    };
    if (r.state) rec.state = r.state;
    const dev = local.dev ?? peer.dev;
    if (dev) rec.dev = dev;
    // The owning process (ss -p `users:((…))`, netstat -p `PID/name`); -e/-o details are not kept.
    const proc = r.rest.filter((x) => /^users:\(|^\d+\/\S/.test(x)).join(' ');
    if (proc && proc !== '-') rec.process = displayText(proc);
    out.record(rec);
    return 'parsed';
  }
}

const samples: FormatSample[] = [
  {
    note: 'ss -tanp (iproute2 6.1): listener, half-open, established, IPv4-mapped and interface-bound sockets',
    input: [
      'State    Recv-Q Send-Q        Local Address:Port         Peer Address:Port Process',
      'LISTEN   0      4096                0.0.0.0:443               0.0.0.0:*     users:(("traefik",pid=812,fd=7))',
      'SYN-RECV 0      0             192.0.2.240:443        203.0.113.50:50358',
      'ESTAB    0      0     [::ffff:192.0.2.240]:443   [::ffff:192.0.2.50]:41234 users:(("traefik",pid=812,fd=9))',
      'LISTEN   0      128        192.0.2.10%eth1:22                 0.0.0.0:*',
      'TIME-WAIT 0     0                  [::1]:8080                [::1]:55000',
    ].join('\n'),
    records: [
      {
        type: 'socket',
        line: 2,
        proto: 'tcp',
        state: 'LISTEN',
        local: { ip: '0.0.0.0', port: 443 },
        peer: { ip: '0.0.0.0' },
        process: 'users:(("traefik",pid=812,fd=7))',
      },
      {
        state: 'SYN-RECV',
        local: { ip: '192.0.2.240', port: 443 },
        peer: { ip: '203.0.113.50', port: 50358 },
        process: undefined,
      },
      {
        state: 'ESTABLISHED',
        local: { ip: '192.0.2.240', port: 443 },
        peer: { ip: '192.0.2.50', port: 41234 },
      },
      { state: 'LISTEN', local: { ip: '192.0.2.10', port: 22 }, dev: 'eth1' },
      { state: 'TIME-WAIT', local: { ip: '::1', port: 8080 } },
    ],
  },
  {
    note: 'ss -tuan with Netid, a UNIX socket from ss -a and an -o timer',
    input: [
      'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
      'udp   UNCONN 0      0            0.0.0.0:68         0.0.0.0:*',
      'tcp   SYN-SENT 0    1       192.0.2.50:41236  192.0.2.240:443   timer:(on,1.2sec,2)',
      'u_str ESTAB  0      0                  * 23456            * 23457',
    ].join('\n'),
    records: [
      { proto: 'udp', state: 'UNCONN', local: { ip: '0.0.0.0', port: 68 } },
      { proto: 'tcp', state: 'SYN-SENT', peer: { ip: '192.0.2.240', port: 443 }, process: undefined },
    ],
  },
  {
    note: 'netstat -tanp (net-tools 2.10) and its UNIX section from netstat -anp',
    input: [
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
      'tcp        0      0 0.0.0.0:443             0.0.0.0:*               LISTEN      812/traefik',
      'tcp        0      0 192.0.2.240:443         203.0.113.50:50358      SYN_RECV    -',
      'tcp6       0      0 :::8080                 :::*                    LISTEN      900/node',
      'udp        0      0 0.0.0.0:68              0.0.0.0:*                           611/dhclient',
      'Active UNIX domain sockets (servers and established)',
      'Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path',
      'unix  2      [ ACC ]     STREAM     LISTENING     12345    1/init               /run/systemd/private',
    ].join('\n'),
    records: [
      { proto: 'tcp', state: 'LISTEN', local: { ip: '0.0.0.0', port: 443 }, process: '812/traefik' },
      { state: 'SYN-RECV', peer: { ip: '203.0.113.50', port: 50358 }, process: undefined },
      { proto: 'tcp', local: { ip: '::', port: 8080 }, peer: { ip: '::' } },
      { proto: 'udp', state: undefined, local: { ip: '0.0.0.0', port: 68 }, process: '611/dhclient' },
    ],
  },
  {
    note: 'macOS netstat -an -p tcp and Windows netstat -an',
    input: [
      'Active Internet connections (including servers)',
      'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)',
      'tcp4       0      0  192.168.1.50.52000     192.0.2.240.443        SYN_SENT',
      'tcp46      0      0  *.443                  *.*                    LISTEN',
      '',
      'Active Connections',
      '',
      '  Proto  Local Address          Foreign Address        State',
      '  TCP    192.168.1.50:52001     192.0.2.240:443        SYN_SENT',
      '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING',
      '  UDP    0.0.0.0:5353           *:*',
    ].join('\n'),
    records: [
      {
        proto: 'tcp',
        state: 'SYN-SENT',
        local: { ip: '192.168.1.50', port: 52000 },
        peer: { ip: '192.0.2.240', port: 443 },
      },
      { state: 'LISTEN', local: { ip: null, port: 443 }, peer: { ip: null } },
      { proto: 'tcp', state: 'SYN-SENT', local: { ip: '192.168.1.50', port: 52001 } },
      { state: 'LISTEN', local: { ip: '0.0.0.0', port: 135 }, peer: { ip: '0.0.0.0', port: 0 } },
      { proto: 'udp', local: { ip: '0.0.0.0', port: 5353 }, peer: { ip: null } },
    ],
  },
  {
    note: 'a line that is not a socket',
    input: ['State Recv-Q Send-Q Local Address:Port Peer Address:Port', 'ESTAB 0 0 garbage here'].join('\n'),
    records: [],
    issues: 1,
  },
];

/** The socket-table format. */
export const sockets: TextFormat = {
  id: 'sockets',
  title: 'socket tables: `ss -tan[p]`, `netstat -tan[p]` (Linux), `netstat -an` (macOS/BSD, Windows)',
  sniff(lines) {
    let header = false;
    for (const l of lines.slice(0, 20)) {
      if (SS_HEADER.test(l) || NETSTAT_HEADER.test(l) || INET_SECTION.test(l.trim())) {
        header = true;
        break;
      }
    }
    const s = sniffShare(lines, (l) => {
      const t = l.trim();
      if (SS_HEADER.test(l) || NETSTAT_HEADER.test(l) || INET_SECTION.test(t) || OTHER_SECTION.test(t))
        return true;
      const r = row(tokens(t));
      return !!r && !!parseSockAddr(r.local, r.bsd) && !!parseSockAddr(r.peer, r.bsd);
    });
    // Without a header only a clear majority of socket rows (ss -H) counts.
    return header ? s : s >= 0.85 ? s * 0.9 : 0;
  },
  create: (ctx) => new SocketsParser(ctx),
  samples,
};
