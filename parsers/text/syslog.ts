/**
 * System and kernel logs as people save them:
 *
 *   Nov 26 21:12:55 node1 kernel: [12345.678901] IPv4: martian source …   syslog, journalctl (-k), kern.log
 *   2026-11-26T21:12:55.123456+00:00 node1 kernel: …                      journalctl -o short-iso(-precise), rsyslog RFC 3339
 *   <4>1 2026-11-26T21:12:55.123Z node1 kernel - - - …                    RFC 5424
 *   [Thu Nov 26 21:12:55 2026] IPv4: martian source …                     dmesg -T
 *   [12345.678901] IPv4: martian source …                                 dmesg (seconds since boot: no wall time)
 *
 * What each program logged goes through the log classifier (log/classify.ts), as a
 * container wrapper's lines do: a Traefik or Go server run by systemd still gives its
 * `tls-handshake-error` and `access` records; other lines are `log` records (`fields`:
 * host, program, pid, uptime; the time of the syslog line when the message has none of
 * its own). A reverse-path or address check that failed —
 * `IPv4: martian source DST from SRC, on dev DEV` — is a `martian` record instead, and
 * the `ll header:` line the kernel prints after it belongs to it. Syslog dates have no
 * year: the file's year (its modification time) is used, as for other syslog-style logs.
 */
import type { AnyRecord, MartianRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import { monthFromName, parseIsoLike, wallClockToIso } from '../../src/util/time.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { createLogState, type LogState, parseLogLine } from './log/classify.js';
import { sniffShare, uncolor } from './netstate/common.js';

/** Host and program as syslog writes them: a host name, then a name starting with a letter (`kernel`, `systemd[1]`). */
const HOST_PROG = String.raw`([A-Za-z0-9][\w.-]*) ([A-Za-z_][\w./@-]*)(?:\[(\d+)\])?: ?(.*)$`;
const RFC3164 = new RegExp(
  String.raw`^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ${HOST_PROG}`,
);
const ISO_HEAD = new RegExp(
  String.raw`^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)) ${HOST_PROG}`,
);
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (?:-|\[.*?\]) ?(.*)$/;
const DMESG_T = /^\[([A-Z][a-z]{2}) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?(.*)$/;
const DMESG = /^\[\s*(\d+\.\d+)\] ?(.*)$/;
/** The kernel's own uptime stamp inside a syslog line. */
const UPTIME = /^\[\s*(\d+\.\d+)\] ?/;
const MARTIAN =
  /^IPv4: martian (source|destination) (\d+\.\d+\.\d+\.\d+) from (\d+\.\d+\.\d+\.\d+),? (?:on )?dev (\S+)$/;
const LL_HEADER = /^ll header: [0-9a-f]{8}: /;

/** What one line says, before records are made. */
interface Line {
  ts: string | null;
  tsText?: string;
  host?: string;
  program?: string;
  pid?: number;
  message: string;
}

function parseLine(t: string, ctx: ParseContext): Line | null {
  let m = RFC3164.exec(t);
  if (m) {
    const month = monthFromName(m[1]);
    const ts = month
      ? wallClockToIso(
          {
            year: ctx.year ?? new Date().getUTCFullYear(),
            month,
            day: +m[2],
            hour: +m[3],
            minute: +m[4],
            second: +m[5],
            frac: m[6] ?? '',
          },
          ctx.tz,
        )
      : null;
    if (!ts) return null;
    return {
      ts,
      tsText: t.slice(0, t.indexOf(m[7]) - 1),
      host: m[7],
      program: m[8],
      ...(m[9] ? { pid: +m[9] } : {}),
      message: m[10],
    };
  }
  m = ISO_HEAD.exec(t);
  if (m) {
    const ts = parseIsoLike(m[1].replace(',', '.'), ctx.tz);
    if (!ts) return null;
    return { ts, tsText: m[1], host: m[2], program: m[3], ...(m[4] ? { pid: +m[4] } : {}), message: m[5] };
  }
  m = RFC5424.exec(t);
  if (m) {
    const ts = m[1] === '-' ? null : parseIsoLike(m[1], ctx.tz);
    return {
      ts,
      tsText: m[1],
      ...(m[2] !== '-' ? { host: m[2] } : {}),
      ...(m[3] !== '-' ? { program: m[3] } : {}),
      ...(/^\d+$/.test(m[4]) ? { pid: +m[4] } : {}),
      message: m[6].replace(/^\uFEFF/, ''),
    };
  }
  m = DMESG_T.exec(t);
  if (m) {
    const month = monthFromName(m[2]);
    const ts = month
      ? wallClockToIso(
          { year: +m[7], month, day: +m[3], hour: +m[4], minute: +m[5], second: +m[6], frac: '' },
          ctx.tz,
        )
      : null;
    return ts ? { ts, tsText: t.slice(1, t.indexOf(']')), program: 'kernel', message: m[8] } : null;
  }
  m = DMESG.exec(t);
  if (m) return { ts: null, tsText: `[${m[1]}]`, program: 'kernel', message: `[${m[1]}] ${m[2]}` };
  return null;
}

class SyslogParser implements LineParser {
  /** The previous line was a martian report: its `ll header:` line follows. */
  private afterMartian = false;
  private readonly st: LogState;

  constructor(private readonly ctx: ParseContext) {
    this.st = createLogState(ctx.file, ctx.tz, ctx.year);
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const t = uncolor(raw).trimEnd();
    if (t.trim() === '' || /^-- (?:Logs begin|Journal begins|No entries|Boot [0-9a-f]+ --)/.test(t.trim()))
      return 'skipped';
    const l = parseLine(t, this.ctx);
    if (!l) {
      this.afterMartian = false;
      out.issue(lineNo, 'bad-syslog', `not a system log line: ${displayText(t.slice(0, 120))}`);
      return 'issue';
    }
    const fields: Record<string, unknown> = {};
    if (l.host) fields.host = l.host;
    if (l.program) fields.program = l.program;
    if (l.pid !== undefined) fields.pid = l.pid;
    let message = l.message;
    const up = UPTIME.exec(message);
    if (up) {
      fields.uptime = Number(up[1]);
      message = message.slice(up[0].length);
    }
    if (this.afterMartian && LL_HEADER.test(message)) {
      this.afterMartian = false;
      return 'parsed';
    }
    this.afterMartian = false;
    const mm = l.program === 'kernel' || !l.program ? MARTIAN.exec(message) : null;
    if (mm) {
      this.afterMartian = true;
      const r: MartianRecord = {
        type: 'martian',
        file: this.ctx.file,
        line: lineNo,
        text: displayText(message),
        ts: l.ts,
        kind: mm[1] as 'source' | 'destination',
        dst: mm[2],
        src: mm[3],
        dev: mm[4],
      };
      out.record(r);
      return 'parsed';
    }
    // The message is what a program logged: the log classifier finds its TLS handshake errors,
    // access lines, levels and own timestamps (a Traefik or Go server run by systemd).
    const sink: TextSink = {
      record: (r) => {
        const rec = r as AnyRecord & {
          ts?: string | null;
          tsText?: string;
          fields?: Record<string, unknown>;
        };
        if (rec.ts === null || rec.ts === undefined) {
          rec.ts = l.ts;
          if (l.tsText && rec.type === 'log') rec.tsText = displayText(l.tsText);
        }
        if (rec.type === 'log') rec.fields = { ...fields, ...rec.fields };
        out.record(rec);
      },
      issue: (line, code, message) => out.issue(line, code, message),
    };
    parseLogLine(message, lineNo, this.st, sink);
    return 'parsed';
  }
}

const samples: FormatSample[] = [
  {
    note: 'journalctl -k / kern.log: a martian source with its ll header line, conntrack, another program',
    input: [
      '-- Logs begin at Thu 2026-11-26 07:00:01 UTC, end at Thu 2026-11-26 21:20:00 UTC. --',
      'Nov 26 21:12:55 node1 kernel: [12345.678901] IPv4: martian source 192.0.2.240 from 203.0.113.50, on dev eth1',
      'Nov 26 21:12:55 node1 kernel: [12345.678950] ll header: 00000000: 02 00 00 00 0a 01 02 00 00 00 0b 02 08 00',
      'Nov 26 21:12:56 node1 kernel: nf_conntrack: nf_conntrack: table full, dropping packet',
      'Nov  6 09:01:02 node1 systemd[1]: Started Session 5 of user vagrant.',
    ].join('\n'),
    records: [
      {
        type: 'martian',
        line: 2,
        ts: '2026-11-26T21:12:55.000000000Z',
        kind: 'source',
        src: '203.0.113.50',
        dst: '192.0.2.240',
        dev: 'eth1',
      },
      {
        type: 'log',
        line: 4,
        ts: '2026-11-26T21:12:56.000000000Z',
        level: null,
        message: 'nf_conntrack: nf_conntrack: table full, dropping packet',
        fields: { host: 'node1', program: 'kernel' },
        tsText: 'Nov 26 21:12:56',
      },
      {
        line: 5,
        ts: '2026-11-06T09:01:02.000000000Z',
        message: 'Started Session 5 of user vagrant.',
        fields: { host: 'node1', program: 'systemd', pid: 1 },
      },
    ],
  },
  {
    note: 'journalctl -u traefik: the messages keep their TLS handshake errors, levels and own times',
    input: [
      'Nov 26 21:12:55 node1 traefik[812]: time="2026-11-26T21:12:55Z" level=debug msg="http: TLS handshake error from 203.0.113.50:41994: local error: tls: bad record MAC"',
      'Nov 26 21:12:57 node1 traefik[812]: 2026/11/26 21:12:57 http: TLS handshake error from 203.0.113.50:41998: EOF',
      'Nov 26 21:13:01 node1 traefik[812]: time="2026-11-26T21:13:01.250Z" level=error msg="Error while starting server" error="listen tcp :443: bind: address already in use"',
    ].join('\n'),
    records: [
      {
        type: 'tls-handshake-error',
        line: 1,
        ts: '2026-11-26T21:12:55.000000000Z',
        client: { ip: '203.0.113.50', port: 41994 },
        cause: 'bad-record-mac',
      },
      { type: 'tls-handshake-error', line: 2, cause: 'eof' },
      {
        type: 'log',
        line: 3,
        ts: '2026-11-26T21:13:01.250000000Z',
        level: 'error',
        message: 'Error while starting server',
        fields: {
          host: 'node1',
          program: 'traefik',
          pid: 812,
          error: 'listen tcp :443: bind: address already in use',
        },
      },
    ],
  },
  {
    note: 'journalctl -o short-iso-precise and RFC 5424',
    input: [
      '2026-11-26T21:12:55.123456+01:00 node1 kernel: IPv4: martian source 192.0.2.240 from 203.0.113.50, on dev eth1',
      '<4>1 2026-11-26T21:12:57.5Z node1 kernel - - - IPv4: martian destination 0.0.0.0 from 192.0.2.7, dev eth1',
    ].join('\n'),
    records: [
      { type: 'martian', ts: '2026-11-26T20:12:55.123456000Z', src: '203.0.113.50' },
      {
        type: 'martian',
        ts: '2026-11-26T21:12:57.500000000Z',
        kind: 'destination',
        dst: '0.0.0.0',
        dev: 'eth1',
      },
    ],
  },
  {
    note: 'dmesg -T and plain dmesg (seconds since boot: no wall time), a line that is not a log line',
    input: [
      '[Thu Nov 26 21:12:55 2026] IPv4: martian source 192.0.2.240 from 203.0.113.50, on dev eth1',
      '[Thu Nov 26 21:12:55 2026] ll header: 00000000: 02 00 00 00 0a 01 02 00 00 00 0b 02 08 00',
      '[12346.100000] e1000 0000:00:08.0 eth1: Reset adapter',
      'garbage',
    ].join('\n'),
    records: [
      { type: 'martian', line: 1, ts: '2026-11-26T21:12:55.000000000Z', dev: 'eth1' },
      {
        type: 'log',
        line: 3,
        ts: null,
        message: 'e1000 0000:00:08.0 eth1: Reset adapter',
        fields: { program: 'kernel', uptime: 12346.1 },
      },
    ],
    issues: 1,
  },
];

/** The system/kernel log format. */
export const syslog: TextFormat = {
  id: 'syslog',
  title: 'system and kernel logs: syslog, journalctl (short, short-iso), RFC 5424, dmesg, dmesg -T',
  sniff(lines) {
    return (
      sniffShare(lines, (l) => {
        const t = l.trimEnd();
        return RFC3164.test(t) || ISO_HEAD.test(t) || RFC5424.test(t) || DMESG_T.test(t) || DMESG.test(t);
      }) * 0.9
    );
  },
  create: (ctx) => new SyslogParser(ctx),
  samples,
};
