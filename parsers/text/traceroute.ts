/**
 * `traceroute` (Linux, BSD/macOS, also `-n`, traceroute6) and Windows `tracert`.
 * One `trace-hop` per hop; at the end of each trace a `client-error` when the
 * target was not reached (`not-reached`) or the last hop answered `!H`/`!N`/…
 * (`unreachable`) or `reports: Destination … unreachable`.
 */
import type { ClientErrorRecord, TraceHopRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { LineParser, LineStatus, TextFormat, TextSink } from '../types.js';
import { cleanDeep } from './client/clean.js';

const UNIX_HEAD = /^traceroute6? to (\S+) \(([^)]+)\),? \d+ hops max/;
const WIN_HEAD = /^Tracing route to (\S+)(?: \[([^\]]+)\])?(?: over a maximum of \d+ hops:?)?$/;
/** A pasted shell prompt with its command (`$ traceroute -n …`, `C:\\> tracert …`). */
const SHELL_PROMPT = /^(?:[\w@.:~/-]{0,200}[$#%] |\+ |PS [^>]{0,200}> |[A-Z]:\\[^>]{0,200}>)\S/;
const HOP = /^\s*(\d{1,3})\s+(.*)$/;
const WIN_HOP = /^\s*(\d{1,3})\s+(<?\d+ ms|\*)\s+(<?\d+ ms|\*)\s+(<?\d+ ms|\*)\s+(.*)$/;
const WIN_REPORT = /^\s*(\d{1,3})\s+(\S+)\s+reports: (.+)$/;
const TOKEN = /\*|(\S+) \(([^)]+)\)|(\d+(?:\.\d+)?) ms|(![A-Za-z0-9]*)|(\S+)/g;
const IP_LIKE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$/;

interface Trace {
  tool: string;
  target?: string;
  ip?: string;
  line: number;
  last?: TraceHopRecord;
  lastReport?: string;
}

function finish(t: Trace | null, file: string, out: TextSink): void {
  if (!t?.last || !t.ip) return;
  const hop = t.last;
  const bad = hop.annotations.find((a) => /^!(?:[HNPXSAUCF]|\d+)$/.test(a));
  let code: string | null = null;
  let text = '';
  if (t.lastReport) {
    code = 'unreachable';
    text = `hop ${hop.hop} ${hop.ip} reports: ${t.lastReport}`;
  } else if (bad) {
    code = 'unreachable';
    text = `hop ${hop.hop} ${hop.ip ?? '*'} answered ${bad}`;
  } else if (!hop.ips.includes(t.ip)) {
    code = 'not-reached';
    const lastIp = [...hop.ips].pop();
    text = `${t.ip} not reached after ${hop.hop} hops${lastIp ? `; last responder ${lastIp}` : ''}`;
  }
  if (!code) return;
  const err: ClientErrorRecord = {
    type: 'client-error',
    file,
    line: hop.line ?? t.line,
    ts: null,
    tool: t.tool,
    code,
    text: displayText(text),
  };
  if (t.target) err.target = displayText(t.target);
  out.record(err);
}

function create(ctx: { file: string }): LineParser {
  const file = ctx.file;
  let t: Trace | null = null;
  const hop = (lineNo: number, n: number): TraceHopRecord => {
    const r: TraceHopRecord = {
      type: 'trace-hop',
      file,
      line: lineNo,
      tool: t?.tool ?? 'traceroute',
      hop: n,
      ips: [],
      rttMs: [],
      timeout: false,
      annotations: [],
    };
    if (t?.target) r.target = t.target;
    return r;
  };
  const emit = (r: TraceHopRecord, out: TextSink) => {
    r.timeout = r.ips.length === 0;
    if (r.ips.length) r.ip = r.ips[0];
    out.record(cleanDeep(r));
    if (t) t.last = r;
  };
  return {
    line(raw, lineNo, out): LineStatus {
      const l = raw.trimEnd();
      if (l.trim() === '' || SHELL_PROMPT.test(l)) return 'skipped';
      let m = UNIX_HEAD.exec(l);
      if (m) {
        finish(t, file, out);
        t = { tool: 'traceroute', target: m[1], ip: m[2], line: lineNo };
        return 'parsed';
      }
      m = WIN_HEAD.exec(l);
      if (m) {
        finish(t, file, out);
        t = {
          tool: 'tracert',
          target: m[1],
          ip: m[2] ?? (IP_LIKE.test(m[1]) ? m[1] : undefined),
          line: lineNo,
        };
        return 'parsed';
      }
      if (/^over a maximum of \d+ hops:$|^Trace complete\.$|^traceroute6?: Warning: /.test(l.trim()))
        return 'skipped';
      m =
        /^(?:traceroute6?: unknown host (\S+)|(\S+): (?:Name or service not known|Temporary failure in name resolution)|Unable to resolve target system name (\S+)\.)$/.exec(
          l.trim(),
        );
      if (m) {
        out.record({
          type: 'client-error',
          file,
          line: lineNo,
          ts: null,
          tool: m[3] ? 'tracert' : 'traceroute',
          target: displayText(m[1] ?? m[2] ?? m[3]),
          code: 'unknown-host',
          text: displayText(l.trim()),
        });
        return 'parsed';
      }
      const cur = t as Trace | null;
      if (cur?.tool === 'tracert') {
        m = WIN_HOP.exec(l);
        if (m) {
          const r = hop(lineNo, Number(m[1]));
          for (const c of [m[2], m[3], m[4]])
            if (c !== '*') r.rttMs.push(Number(c.replace(/^</, '').replace(' ms', '')));
          const rest = m[5].trim();
          const named = /^(\S+) \[([^\]]+)\]$/.exec(rest);
          if (named) {
            r.host = named[1];
            r.ips.push(named[2]);
          } else if (IP_LIKE.test(rest)) r.ips.push(rest);
          else r.annotations.push(displayText(rest));
          emit(r, out);
          return 'parsed';
        }
        m = WIN_REPORT.exec(l);
        if (m) {
          const r = hop(lineNo, Number(m[1]));
          r.ips.push(m[2]);
          r.annotations.push(displayText(m[3]));
          emit(r, out);
          cur.lastReport = m[3];
          return 'parsed';
        }
      } else if (cur) {
        m = HOP.exec(l);
        if (m) {
          const r = hop(lineNo, Number(m[1]));
          TOKEN.lastIndex = 0;
          for (let tk = TOKEN.exec(m[2]); tk; tk = TOKEN.exec(m[2])) {
            if (tk[0] === '*') continue;
            if (tk[2]) {
              if (!r.ips.includes(tk[2])) r.ips.push(tk[2]);
              if (tk[1] !== tk[2]) r.host ??= tk[1];
            } else if (tk[3]) r.rttMs.push(Number(tk[3]));
            else if (tk[4]) r.annotations.push(tk[4]);
            else if (tk[5] && IP_LIKE.test(tk[5])) {
              if (!r.ips.includes(tk[5])) r.ips.push(tk[5]);
            } else if (tk[5] !== 'ms' && !/^\[(?:AS[\d/]+|\*)\]$/.test(tk[5])) {
              out.issue(
                lineNo,
                'traceroute-token',
                `unexpected "${displayText(tk[5].slice(0, 80))}" in hop line`,
              );
              return 'issue';
            }
          }
          emit(r, out);
          return 'parsed';
        }
      }
      out.issue(
        lineNo,
        'traceroute-unrecognised',
        `unrecognised traceroute line: ${displayText(l.slice(0, 200))}`,
      );
      return 'issue';
    },
    end(out) {
      finish(t, file, out);
      t = null;
      return undefined;
    },
  };
}

/** The `traceroute` text format (traceroute and tracert). */
export const traceroute: TextFormat = {
  id: 'traceroute',
  title: 'traceroute / tracert output',
  sniff(lines) {
    for (const l of lines.slice(0, 20)) {
      if (UNIX_HEAD.test(l) || WIN_HEAD.test(l.trim())) return 0.95;
      if (/^traceroute6?: unknown host |^Unable to resolve target system name /.test(l)) return 0.8;
    }
    return 0;
  },
  create,
  samples: [
    {
      note: 'Linux, names and addresses, timeouts, target reached',
      input: [
        'traceroute to web.example (198.51.100.10), 30 hops max, 60 byte packets',
        ' 1  _gateway (192.0.2.1)  0.321 ms  0.290 ms  0.270 ms',
        ' 2  * * *',
        ' 3  198.51.100.10 (198.51.100.10)  1.2 ms  1.1 ms *',
      ].join('\n'),
      records: [
        {
          type: 'trace-hop',
          tool: 'traceroute',
          hop: 1,
          ip: '192.0.2.1',
          host: '_gateway',
          rttMs: [0.321, 0.29, 0.27],
        },
        { type: 'trace-hop', hop: 2, timeout: true, ips: [] },
        { type: 'trace-hop', hop: 3, ip: '198.51.100.10', rttMs: [1.2, 1.1], timeout: false },
      ],
    },
    {
      note: 'traceroute -n with several responders and !H; not reached',
      input: [
        'traceroute to 203.0.113.5 (203.0.113.5), 30 hops max, 60 byte packets',
        ' 1  192.0.2.1  0.3 ms  192.0.2.2  0.4 ms  0.5 ms',
        ' 2  198.51.100.1  3.0 ms !H  3.1 ms !H  *',
      ].join('\n'),
      records: [
        { type: 'trace-hop', hop: 1, ips: ['192.0.2.1', '192.0.2.2'], rttMs: [0.3, 0.4, 0.5] },
        { type: 'trace-hop', hop: 2, ip: '198.51.100.1', annotations: ['!H', '!H'] },
        { type: 'client-error', tool: 'traceroute', target: '203.0.113.5', code: 'unreachable' },
      ],
    },
    {
      note: 'BSD/macOS, trace gives up',
      input: [
        'traceroute to 203.0.113.5 (203.0.113.5), 64 hops max, 52 byte packets',
        ' 1  192.0.2.1 (192.0.2.1)  1.123 ms  0.912 ms  0.874 ms',
        ' 2  * * *',
      ].join('\n'),
      records: [
        { type: 'trace-hop', hop: 1 },
        { type: 'trace-hop', hop: 2, timeout: true },
        { type: 'client-error', code: 'not-reached', text: '203.0.113.5 not reached after 2 hops' },
      ],
    },
    {
      note: 'Windows tracert with a report line',
      input: [
        '',
        'Tracing route to web.example [198.51.100.10]',
        'over a maximum of 30 hops:',
        '',
        '  1    <1 ms    <1 ms    <1 ms  192.0.2.1',
        '  2     *        *        *     Request timed out.',
        '  3     2 ms     1 ms     1 ms  core.example [203.0.113.1]',
        '  4  203.0.113.1  reports: Destination host unreachable.',
        '',
        'Trace complete.',
      ].join('\r\n'),
      records: [
        { type: 'trace-hop', tool: 'tracert', hop: 1, ip: '192.0.2.1', rttMs: [1, 1, 1] },
        { type: 'trace-hop', hop: 2, timeout: true, annotations: ['Request timed out.'] },
        { type: 'trace-hop', hop: 3, host: 'core.example', ip: '203.0.113.1', rttMs: [2, 1, 1] },
        { type: 'trace-hop', hop: 4, ip: '203.0.113.1' },
        { type: 'client-error', tool: 'tracert', code: 'unreachable', target: 'web.example' },
      ],
    },
    {
      note: 'resolution failures (Linux, BSD, Windows)',
      input: [
        'nosuch.example: Name or service not known',
        'traceroute: unknown host nosuch.example',
        'Unable to resolve target system name nosuch.example.',
      ].join('\n'),
      records: [
        { type: 'client-error', tool: 'traceroute', code: 'unknown-host', target: 'nosuch.example' },
        { type: 'client-error', tool: 'traceroute', target: 'nosuch.example' },
        { type: 'client-error', tool: 'tracert', target: 'nosuch.example' },
      ],
    },
    {
      note: 'negative: garbage in a hop and lines before a header are issues',
      input: [
        'hop 1 somewhere',
        'traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets',
        ' 1  192.0.2.9  0.1 ms  what?  0.2 ms',
      ].join('\n'),
      issues: 2,
      records: [],
    },
  ],
};
