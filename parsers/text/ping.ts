/**
 * `ping` output: Linux (iputils, busybox), BSD/macOS and Windows. One `ping`
 * summary per invocation (a file may hold several) and a `client-error` when
 * echo replies went missing. The real reply count comes from the reply lines:
 * Windows counts `Reply from R: Destination host unreachable.` as "Received".
 */
import type { ClientErrorRecord, PingRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import { isoFromEpoch } from '../../src/util/time.js';
import type { LineParser, LineStatus, TextFormat, TextSink } from '../types.js';
import { cleanDeep } from './client/clean.js';

const LINUX_HEAD =
  /^PING (\S+?) ?\(([^)]+)\)(?: from \S+(?: \S+)?)? (?:\d+\(\d+\) bytes of data\.|\d+ data bytes)$/;
const BSD_HEAD = /^PING (\S+) \(([^)]+)\): \d+ data bytes$/;
const BSD6_HEAD = /^PING6\([^)]*\) \S+ --> (\S+)$/;
const WIN_HEAD = /^Pinging (\S+)(?: \[([^\]]+)\])?(?: from \S+)? with \d+ bytes of data:$/;
/** A pasted shell prompt with its command (`$ ping -c 4 …`). */
const SHELL_PROMPT = /^(?:[\w@.:~/-]{0,200}[$#%] |\+ |PS [^>]{0,200}> |[A-Z]:\\[^>]{0,200}>)\S/;
const EPOCH = /^\[(\d{9,11})\.(\d{1,9})\] /;
const REPLY = /^\d+ bytes from .+?[:,] (?:icmp_seq|seq)=\d+/;
const BSD_ICMP_ERR = /^\d+ bytes from ([^\s:]+): (.+)$/;
const LINUX_ICMP_ERR = /^From (\S+)(?: \([^)]+\))? icmp_seq=\d+ (.+)$/;
const BSD_TIMEOUT = /^Request timeout for icmp_seq \d+$/;
const LINUX_NO_ANSWER = /^no answer yet for icmp_seq=\d+$/;
const STATS_HEAD = /^--- (\S+) ping statistics ---$/;
const STATS =
  /^(\d+) packets transmitted, (\d+)(?: packets)? received(?:, \+(\d+) duplicates)?(?:, \+(\d+) errors)?(?:, \+(\d+) duplicates)?, ([\d.]+)% packet loss/;
const RTT =
  /^(?:rtt|round-trip) min\/avg\/max(?:\/(?:mdev|stddev))? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))? ms/;
const WIN_REPLY = /^Reply from ([^\s:]+|[0-9a-fA-F:]+): (.+)$/;
const WIN_STATS_HEAD = /^Ping statistics for (\S+?):$/;
const WIN_STATS = /^Packets: Sent = (\d+), Received = (\d+), Lost = (\d+) \((\d+)% loss\),?$/;
const WIN_RTT = /^Minimum = (\d+)ms, Maximum = (\d+)ms, Average = (\d+)ms$/;
const FAIL_LINE =
  /^ping: (?:(\S+): )?(Name or service not known|Temporary failure in name resolution|unknown host|cannot resolve .*|No address associated with hostname)|^ping: (?:connect|sendto|sendmsg): (.+)$|^ping: unknown host (\S+)$|^Ping request could not find host (\S+)\.|^PING: transmit failed\. (.+)$|^General failure\.$|^Destination host unreachable\.$/;
const BSD_HEXDUMP =
  /^(?:Vr HL TOS|IP Hdr Dump:|\s*\d\s+[0-9a-f]\s+[0-9a-f]{2}\s|\s*[0-9a-f]{4}\s+[0-9a-f]{4}\s|[0-9a-f]{4} [0-9a-f]{4} )/;

interface Run {
  line: number;
  dialect: PingRecord['dialect'];
  target: string;
  ip?: string;
  ts: string | null;
  replies: number;
  unreachable: number;
  timeouts: number;
  from?: string;
  icmpError?: string;
  transmitted?: number;
  reportedReceived?: number;
  reportedLossPct?: number;
  errors?: number;
  rtt: PingRecord['rtt'];
  complete: boolean;
  /** A summary block is being read. */
  inStats: boolean;
}

function newRun(line: number, dialect: PingRecord['dialect'], target: string, ip?: string): Run {
  return {
    line,
    dialect,
    target,
    ip,
    ts: null,
    replies: 0,
    unreachable: 0,
    timeouts: 0,
    rtt: null,
    complete: false,
    inStats: false,
  };
}

function finish(run: Run, file: string, out: TextSink): void {
  const transmitted = run.transmitted ?? run.replies + run.unreachable + run.timeouts;
  // Real echo replies are counted from reply lines; a quiet run (-q) only has the summary.
  const sawLines = run.replies + run.unreachable + run.timeouts > 0;
  const received = sawLines ? run.replies : (run.reportedReceived ?? 0);
  const lossPct = transmitted > 0 ? Math.round((1000 * (transmitted - received)) / transmitted) / 10 : 0;
  const rec: PingRecord = {
    type: 'ping',
    file,
    line: run.line,
    ts: run.ts,
    dialect: run.dialect,
    target: run.target,
    transmitted,
    received,
    lossPct,
    unreachable: run.unreachable,
    timeouts: run.timeouts,
    rtt: run.rtt,
    complete: run.complete,
  };
  if (run.ip) rec.ip = run.ip;
  if (run.reportedReceived !== undefined) rec.reportedReceived = run.reportedReceived;
  if (run.reportedLossPct !== undefined) rec.reportedLossPct = run.reportedLossPct;
  if (run.errors !== undefined) rec.errors = run.errors;
  if (run.from) rec.from = run.from;
  if (run.icmpError) rec.icmpError = run.icmpError;
  out.record(cleanDeep(rec));
  if (transmitted === 0 || received >= transmitted) return;
  const code = run.unreachable > 0 ? 'unreachable' : received === 0 ? 'timeout' : 'loss';
  const why =
    run.unreachable > 0
      ? `${run.unreachable} error(s)${run.from ? ` from ${run.from}` : ''}: ${run.icmpError}`
      : `${transmitted - received} request(s) unanswered`;
  const err: ClientErrorRecord = {
    type: 'client-error',
    file,
    line: run.line,
    ts: run.ts,
    tool: 'ping',
    target: displayText(run.target),
    code,
    text: displayText(`${received}/${transmitted} echo replies from ${run.ip ?? run.target}; ${why}`),
  };
  out.record(err);
}

/** Sniff score from the first lines. */
function sniff(lines: readonly string[]): number {
  let score = 0;
  for (const raw of lines.slice(0, 60)) {
    const l = raw.trim();
    if (LINUX_HEAD.test(l) || BSD_HEAD.test(l) || BSD6_HEAD.test(l) || WIN_HEAD.test(l)) return 0.95;
    if (STATS_HEAD.test(l) || WIN_STATS_HEAD.test(l)) score = Math.max(score, 0.8);
    else if (/^\d+ bytes from \S+: icmp_seq=\d+ ttl=\d+/.test(l) || /^Reply from \S+: bytes=\d+ time/.test(l))
      score = Math.max(score, 0.7);
    else if (/^Ping request could not find host /.test(l) || /^ping: \S+: Name or service not known$/.test(l))
      score = Math.max(score, 0.6);
  }
  return score;
}

function create(ctx: { file: string }): LineParser {
  const file = ctx.file;
  let run: Run | null = null;
  const start = (r: Run, out: TextSink) => {
    if (run) finish(run, file, out);
    run = r;
  };
  return {
    line(raw, lineNo, out): LineStatus {
      let l = raw.trim();
      if (l === '' || SHELL_PROMPT.test(raw)) return 'skipped';
      let ts: string | null = null;
      const e = EPOCH.exec(l);
      if (e) {
        ts = isoFromEpoch(Number(e[1]), Number(e[2].padEnd(9, '0')));
        l = l.slice(e[0].length);
      }
      let m = LINUX_HEAD.exec(l);
      if (m) {
        start(newRun(lineNo, 'linux', m[1], m[2]), out);
        return 'parsed';
      }
      m = BSD_HEAD.exec(l);
      if (m) {
        start(newRun(lineNo, 'bsd', m[1], m[2]), out);
        return 'parsed';
      }
      m = BSD6_HEAD.exec(l);
      if (m) {
        start(newRun(lineNo, 'bsd', m[1], m[1]), out);
        return 'parsed';
      }
      m = WIN_HEAD.exec(l);
      if (m) {
        start(newRun(lineNo, 'windows', m[1], m[2] ?? (/^[\d.]+$|:/.test(m[1]) ? m[1] : undefined)), out);
        return 'parsed';
      }
      m = FAIL_LINE.exec(l);
      if (m && run && /^(?:Destination host unreachable\.|General failure\.|PING: transmit failed)/.test(l)) {
        // Windows, inside a run: the local host could not send (no route / no ARP answer).
        const r = run as Run;
        r.unreachable++;
        r.icmpError ??= l.replace(/\.$/, '');
        return 'parsed';
      }
      if (m) {
        const target = m[1] ?? m[4] ?? m[5] ?? (run as Run | null)?.target;
        const code = /resolv|not known|unknown host|could not find|No address/.test(l)
          ? 'unknown-host'
          : /[Nn]etwork is unreachable/.test(l)
            ? 'network-unreachable'
            : 'send-failed';
        const err: ClientErrorRecord = {
          type: 'client-error',
          file,
          line: lineNo,
          ts,
          tool: 'ping',
          code,
          text: displayText(l),
        };
        if (target) err.target = displayText(target);
        out.record(err);
        return 'parsed';
      }
      // Everything below belongs to a running invocation.
      const r = run as Run | null;
      if (!r) {
        out.issue(lineNo, 'ping-no-header', `line before any ping header: ${displayText(l.slice(0, 200))}`);
        return 'issue';
      }
      if (ts && !r.ts) r.ts = ts;
      if (REPLY.test(l)) {
        r.replies++;
        return 'parsed';
      }
      m = LINUX_ICMP_ERR.exec(l);
      if (m) {
        r.unreachable++;
        r.from ??= m[1];
        r.icmpError ??= m[2];
        return 'parsed';
      }
      if (BSD_TIMEOUT.test(l)) {
        r.timeouts++;
        return 'parsed';
      }
      if (LINUX_NO_ANSWER.test(l)) return 'skipped'; // -O reports; the statistics count them
      m = WIN_REPLY.exec(l);
      if (m) {
        if (/^bytes=\d+ time[<=]/.test(m[2]) || /^time[<=]/.test(m[2])) r.replies++;
        else {
          r.unreachable++;
          r.from ??= m[1];
          r.icmpError ??= m[2].replace(/\.$/, '');
        }
        return 'parsed';
      }
      if (l === 'Request timed out.') {
        r.timeouts++;
        return 'parsed';
      }
      m = BSD_ICMP_ERR.exec(l);
      if (m && r.dialect === 'bsd') {
        r.unreachable++;
        r.from ??= m[1];
        r.icmpError ??= m[2];
        return 'parsed';
      }
      if (BSD_HEXDUMP.test(l)) return 'skipped'; // quoted IP header after a BSD ICMP error
      if (STATS_HEAD.test(l) || WIN_STATS_HEAD.test(l)) {
        r.inStats = true;
        r.complete = true;
        return 'parsed';
      }
      m = STATS.exec(l);
      if (m) {
        r.transmitted = Number(m[1]);
        r.reportedReceived = Number(m[2]);
        if (m[4]) r.errors = Number(m[4]);
        r.reportedLossPct = Number(m[6]);
        return 'parsed';
      }
      m = RTT.exec(l);
      if (m) {
        r.rtt = { min: Number(m[1]), avg: Number(m[2]), max: Number(m[3]) };
        if (m[4]) r.rtt.mdev = Number(m[4]);
        return 'parsed';
      }
      m = WIN_STATS.exec(l);
      if (m) {
        r.transmitted = Number(m[1]);
        r.reportedReceived = Number(m[2]);
        r.reportedLossPct = Number(m[4]);
        return 'parsed';
      }
      if (l === 'Approximate round trip times in milli-seconds:') return 'skipped';
      m = WIN_RTT.exec(l);
      if (m) {
        r.rtt = { min: Number(m[1]), avg: Number(m[3]), max: Number(m[2]) };
        return 'parsed';
      }
      if (/^Control-C$|^\^C$|^pipe \d+$/.test(l)) return 'skipped';
      out.issue(lineNo, 'ping-unrecognised', `unrecognised ping line: ${displayText(l.slice(0, 200))}`);
      return 'issue';
    },
    end(out) {
      if (run) finish(run, file, out);
      run = null;
      return undefined;
    },
  };
}

/** The `ping` text format. */
export const ping: TextFormat = {
  id: 'ping',
  title: 'ping output (Linux, BSD/macOS, Windows)',
  sniff: (lines) => sniff(lines),
  create,
  samples: [
    {
      note: 'Linux iputils, all replies',
      input: [
        'PING 192.0.2.10 (192.0.2.10) 56(84) bytes of data.',
        '64 bytes from 192.0.2.10: icmp_seq=1 ttl=64 time=0.045 ms',
        '64 bytes from 192.0.2.10: icmp_seq=2 ttl=64 time=0.061 ms',
        '',
        '--- 192.0.2.10 ping statistics ---',
        '2 packets transmitted, 2 received, 0% packet loss, time 1001ms',
        'rtt min/avg/max/mdev = 0.045/0.053/0.061/0.008 ms',
      ].join('\n'),
      records: [
        {
          type: 'ping',
          line: 1,
          dialect: 'linux',
          target: '192.0.2.10',
          ip: '192.0.2.10',
          transmitted: 2,
          received: 2,
          lossPct: 0,
          unreachable: 0,
          rtt: { min: 0.045, avg: 0.053, max: 0.061, mdev: 0.008 },
          complete: true,
        },
      ],
    },
    {
      note: 'Linux, destination host unreachable from a router, +errors',
      input: [
        'PING vip.example (192.0.2.240) 56(84) bytes of data.',
        'From 192.0.2.1 icmp_seq=1 Destination Host Unreachable',
        'From 192.0.2.1 icmp_seq=2 Destination Host Unreachable',
        '',
        '--- vip.example ping statistics ---',
        '2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1020ms',
        'pipe 2',
      ].join('\n'),
      records: [
        {
          type: 'ping',
          target: 'vip.example',
          ip: '192.0.2.240',
          transmitted: 2,
          received: 0,
          errors: 2,
          lossPct: 100,
          unreachable: 2,
          from: '192.0.2.1',
          icmpError: 'Destination Host Unreachable',
        },
        { type: 'client-error', tool: 'ping', target: 'vip.example', code: 'unreachable' },
      ],
    },
    {
      note: 'Linux -D timestamps and partial loss (-O)',
      input: [
        'PING 192.0.2.10 (192.0.2.10) 56(84) bytes of data.',
        '[1714557600.123456] 64 bytes from 192.0.2.10: icmp_seq=1 ttl=64 time=0.045 ms',
        '[1714557602.123456] no answer yet for icmp_seq=2',
        '--- 192.0.2.10 ping statistics ---',
        '2 packets transmitted, 1 received, 50% packet loss, time 1001ms',
        'rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms',
      ].join('\n'),
      records: [
        {
          type: 'ping',
          ts: '2024-05-01T10:00:00.123456000Z',
          transmitted: 2,
          received: 1,
          lossPct: 50,
        },
        { type: 'client-error', code: 'loss', ts: '2024-05-01T10:00:00.123456000Z' },
      ],
    },
    {
      note: 'BSD/macOS with timeouts and stddev',
      input: [
        'PING 192.0.2.10 (192.0.2.10): 56 data bytes',
        '64 bytes from 192.0.2.10: icmp_seq=0 ttl=64 time=0.412 ms',
        'Request timeout for icmp_seq 1',
        '64 bytes from 192.0.2.10: icmp_seq=2 ttl=64 time=0.398 ms',
        '',
        '--- 192.0.2.10 ping statistics ---',
        '3 packets transmitted, 2 packets received, 33.3% packet loss',
        'round-trip min/avg/max/stddev = 0.398/0.405/0.412/0.007 ms',
      ].join('\n'),
      records: [
        {
          type: 'ping',
          dialect: 'bsd',
          transmitted: 3,
          received: 2,
          timeouts: 1,
          lossPct: 33.3,
          reportedLossPct: 33.3,
          rtt: { min: 0.398, avg: 0.405, max: 0.412, mdev: 0.007 },
        },
        { type: 'client-error', code: 'loss' },
      ],
    },
    {
      note: 'BSD ICMP error with quoted header dump',
      input: [
        'PING 192.0.2.240 (192.0.2.240): 56 data bytes',
        '92 bytes from 192.0.2.1: Destination Host Unreachable',
        'Vr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst',
        ' 4  5  00 5400 1c2b   0 0000  40  01 d5a3 192.0.2.5  192.0.2.240 ',
        '',
        '--- 192.0.2.240 ping statistics ---',
        '1 packets transmitted, 0 packets received, 100.0% packet loss',
      ].join('\n'),
      records: [
        { type: 'ping', dialect: 'bsd', received: 0, unreachable: 1, from: '192.0.2.1' },
        { type: 'client-error', code: 'unreachable' },
      ],
    },
    {
      note: 'Windows: Received = 4 but every reply is Destination host unreachable',
      input: [
        '',
        'Pinging 192.0.2.240 with 32 bytes of data:',
        'Reply from 192.0.2.5: Destination host unreachable.',
        'Reply from 192.0.2.5: Destination host unreachable.',
        'Reply from 192.0.2.5: Destination host unreachable.',
        'Reply from 192.0.2.5: Destination host unreachable.',
        '',
        'Ping statistics for 192.0.2.240:',
        '    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),',
      ].join('\r\n'),
      records: [
        {
          type: 'ping',
          dialect: 'windows',
          ip: '192.0.2.240',
          transmitted: 4,
          received: 0,
          reportedReceived: 4,
          lossPct: 100,
          reportedLossPct: 0,
          unreachable: 4,
          from: '192.0.2.5',
          icmpError: 'Destination host unreachable',
        },
        { type: 'client-error', code: 'unreachable', target: '192.0.2.240' },
      ],
    },
    {
      note: 'Windows success with round-trip times, and a timeout run',
      input: [
        'Pinging web.example [192.0.2.10] with 32 bytes of data:',
        'Reply from 192.0.2.10: bytes=32 time<1ms TTL=64',
        'Reply from 192.0.2.10: bytes=32 time=1ms TTL=64',
        '',
        'Ping statistics for 192.0.2.10:',
        '    Packets: Sent = 2, Received = 2, Lost = 0 (0% loss),',
        'Approximate round trip times in milli-seconds:',
        '    Minimum = 0ms, Maximum = 1ms, Average = 0ms',
        'Pinging 192.0.2.99 with 32 bytes of data:',
        'Request timed out.',
        'Ping statistics for 192.0.2.99:',
        '    Packets: Sent = 1, Received = 0, Lost = 1 (100% loss),',
      ].join('\n'),
      records: [
        {
          type: 'ping',
          target: 'web.example',
          ip: '192.0.2.10',
          received: 2,
          rtt: { min: 0, avg: 0, max: 1 },
        },
        { type: 'ping', target: '192.0.2.99', received: 0, timeouts: 1 },
        { type: 'client-error', code: 'timeout' },
      ],
    },
    {
      note: 'macOS ping6 header and a BSD IPv6 reply',
      input: [
        'PING6(56=40+8+8 bytes) 2001:db8::5 --> 2001:db8::10',
        '16 bytes from 2001:db8::10, icmp_seq=0 hlim=64 time=0.3 ms',
      ].join('\n'),
      records: [{ type: 'ping', dialect: 'bsd', target: '2001:db8::10', received: 1, transmitted: 1 }],
    },
    {
      note: 'resolution and send failures',
      input: [
        'ping: nosuch.example: Name or service not known',
        'ping: connect: Network is unreachable',
        'Ping request could not find host nosuch.example. Please check the name and try again.',
      ].join('\n'),
      records: [
        { type: 'client-error', target: 'nosuch.example', code: 'unknown-host' },
        { type: 'client-error', code: 'network-unreachable' },
        { type: 'client-error', target: 'nosuch.example', code: 'unknown-host' },
      ],
    },
    {
      note: 'negative: lines before any header and unknown lines are issues',
      input: [
        'hello world',
        'user@client:~$ ping -c 1 192.0.2.10',
        'PING 192.0.2.10 (192.0.2.10) 56(84) bytes of data.',
        'garbage here',
      ].join('\n'),
      issues: 2,
      records: [{ type: 'ping', transmitted: 0, received: 0, complete: false }],
    },
  ],
};
