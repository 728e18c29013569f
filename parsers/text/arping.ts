/**
 * `arping` output, iputils and Thomas Habets' variants.
 *
 *   ARPING 192.0.2.20 from 192.0.2.10 eth1                                  iputils
 *   Unicast reply from 192.0.2.20 [02:00:00:00:03:03]  0.612ms
 *   Sent 3 probes (1 broadcast(s))
 *   Received 6 response(s)
 *
 *   ARPING 192.0.2.20                                                        Habets (2.x)
 *   42 bytes from 02:00:00:00:03:03 (192.0.2.20): index=0 time=9.528 usec
 *   Timeout
 *   --- 192.0.2.20 statistics ---
 *   3 packets transmitted, 6 packets received,   0% unanswered (3 extra)
 *
 * Replies are counted per (address, MAC) for each run (a run starts at `ARPING`);
 * at the end of a run one `arping` record per answering MAC is emitted, at the line
 * of its first reply, or one record with `mac: null, count: 0` at the header when
 * nobody answered. Several MACs for one address are evidence of a conflict.
 * Error messages (`arping: …`) become `client-error` records.
 */
import type { ArpingRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { bannerText, isIP, looksLikeJson, normMac, sniffShare, uncolor } from './netstate/common.js';

const HEADER = /^ARPING (\S+)(?: from (\S+)(?: (\S+))?)?/;
const IPUTILS_REPLY = /^(?:Unicast|Broadcast) (?:reply|request) from (\S+) \[([0-9A-Fa-f:]+)\]/;
const HABETS_REPLY = /^\d+ bytes from (\S+) \(([^)\s]+)\):/;
const IPUTILS_SENT = /^Sent (\d+) probes?/;
const HABETS_STATS = /^(\d+) packets transmitted, (\d+) packets received/;
const SKIP =
  /^(?:Received \d+ response|Timeout$|--- .* statistics ---$|rtt min\/avg\/max|round-trip|Unicast request|Broadcast request|Interrupted)/;

/** One run of arping (from one ARPING header to the next). */
interface Run {
  target: string;
  line: number;
  source?: string;
  dev?: string;
  sent?: number;
  /** key `ip mac` → record being counted, in order of first reply. */
  replies: Map<string, ArpingRecord>;
}

/** Running parse state of one arping file. */
class ArpingParser implements LineParser {
  private run: Run | null = null;

  constructor(private readonly ctx: ParseContext) {}

  private flush(out: TextSink): void {
    const r = this.run;
    if (!r) return;
    this.run = null;
    if (r.replies.size === 0) {
      const rec: ArpingRecord = {
        type: 'arping',
        file: this.ctx.file,
        line: r.line,
        target: r.target,
        mac: null,
        count: 0,
      };
      if (r.sent !== undefined) rec.sent = r.sent;
      if (r.source) rec.source = r.source;
      if (r.dev) rec.dev = r.dev;
      out.record(rec);
      return;
    }
    for (const rec of r.replies.values()) {
      if (r.sent !== undefined) rec.sent = r.sent;
      out.record(rec);
    }
  }

  private reply(ip: string, rawMac: string, lineNo: number, text: string, out: TextSink): LineStatus {
    const mac = normMac(rawMac);
    if (mac === null || !isIP(ip)) {
      out.issue(lineNo, 'bad-reply', `unreadable arping reply: ${text.slice(0, 120)}`);
      return 'issue';
    }
    if (!this.run) this.run = { target: ip, line: lineNo, replies: new Map() };
    const key = `${ip} ${mac}`;
    const seen = this.run.replies.get(key);
    if (seen) seen.count++;
    else {
      const rec: ArpingRecord = {
        type: 'arping',
        file: this.ctx.file,
        line: lineNo,
        text: displayText(text),
        target: ip,
        mac,
        count: 1,
      };
      if (this.run.source) rec.source = this.run.source;
      if (this.run.dev) rec.dev = this.run.dev;
      this.run.replies.set(key, rec);
    }
    return 'parsed';
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    const t = text.trim();
    if (SKIP.test(t)) return 'skipped';
    if (bannerText(text) !== null) return 'skipped';
    const h = HEADER.exec(t);
    if (h) {
      this.flush(out);
      this.run = { target: h[1], line: lineNo, replies: new Map() };
      if (h[2]) this.run.source = h[2];
      if (h[3]) this.run.dev = h[3];
      return 'parsed';
    }
    const i = IPUTILS_REPLY.exec(t);
    if (i) return this.reply(i[1], i[2], lineNo, text, out);
    const b = HABETS_REPLY.exec(t);
    if (b) {
      // Pinging an IP prints "from MAC (IP)"; pinging a MAC prints "from IP (MAC)".
      return isIP(b[2])
        ? this.reply(b[2], b[1], lineNo, text, out)
        : this.reply(b[1], b[2], lineNo, text, out);
    }
    const s = IPUTILS_SENT.exec(t) ?? HABETS_STATS.exec(t);
    if (s) {
      if (this.run) this.run.sent = Number(s[1]);
      return 'parsed';
    }
    if (/^arping: /.test(t)) {
      out.record({
        type: 'client-error',
        file: this.ctx.file,
        line: lineNo,
        tool: 'arping',
        target: this.run?.target,
        text: displayText(t),
      });
      return 'parsed';
    }
    out.issue(lineNo, 'bad-line', `not arping output: ${text.slice(0, 120)}`);
    return 'issue';
  }

  end(out: TextSink): undefined {
    this.flush(out);
    return undefined;
  }
}

const samples: FormatSample[] = [
  {
    note: 'Habets arping 2.23, two hosts answer one address (captured in namespaces)',
    input: [
      'ARPING 192.0.2.20',
      '42 bytes from 02:00:00:00:03:03 (192.0.2.20): index=0 time=9.528 usec',
      '42 bytes from 02:00:00:00:02:02 (192.0.2.20): index=1 time=91.762 usec',
      '42 bytes from 02:00:00:00:03:03 (192.0.2.20): index=2 time=5.631 usec',
      '42 bytes from 02:00:00:00:02:02 (192.0.2.20): index=3 time=27.031 usec',
      '42 bytes from 02:00:00:00:03:03 (192.0.2.20): index=4 time=7.384 usec',
      '42 bytes from 02:00:00:00:02:02 (192.0.2.20): index=5 time=33.122 usec',
      '',
      '--- 192.0.2.20 statistics ---',
      '3 packets transmitted, 6 packets received,   0% unanswered (3 extra)',
      'rtt min/avg/max/std-dev = 0.006/0.029/0.092/0.030 ms',
    ].join('\n'),
    records: [
      { type: 'arping', line: 2, target: '192.0.2.20', mac: '02:00:00:00:03:03', count: 3, sent: 3 },
      { type: 'arping', line: 3, target: '192.0.2.20', mac: '02:00:00:00:02:02', count: 3, sent: 3 },
    ],
  },
  {
    note: 'Habets arping, nobody answers (captured)',
    input: [
      'ARPING 192.0.2.77',
      'Timeout',
      'Timeout',
      '',
      '--- 192.0.2.77 statistics ---',
      '2 packets transmitted, 0 packets received, 100% unanswered (0 extra)',
      '',
    ].join('\n'),
    records: [{ type: 'arping', line: 1, target: '192.0.2.77', mac: null, count: 0, sent: 2 }],
  },
  {
    note: 'iputils arping: uppercase MACs, a conflict, then a run without answer',
    input: [
      'ARPING 192.168.56.200 from 192.168.56.10 eth1',
      'Unicast reply from 192.168.56.200 [08:00:27:AA:BB:01]  0.612ms',
      'Unicast reply from 192.168.56.200 [08:00:27:AA:BB:02]  0.701ms',
      'Unicast reply from 192.168.56.200 [08:00:27:AA:BB:01]  0.655ms',
      'Sent 2 probes (1 broadcast(s))',
      'Received 3 response(s)',
      'ARPING 192.168.56.201 from 192.168.56.10 eth1',
      'Sent 3 probes (3 broadcast(s))',
      'Received 0 response(s)',
    ].join('\n'),
    records: [
      {
        target: '192.168.56.200',
        mac: '08:00:27:aa:bb:01',
        count: 2,
        sent: 2,
        source: '192.168.56.10',
        dev: 'eth1',
      },
      { target: '192.168.56.200', mac: '08:00:27:aa:bb:02', count: 1 },
      { line: 7, target: '192.168.56.201', mac: null, count: 0, sent: 3 },
    ],
  },
  {
    note: 'errors become client-error records',
    input: ['arping: Unable to automatically find interface to use. Is it on the local LAN?'].join('\n'),
    records: [{ type: 'client-error', tool: 'arping' }],
  },
];

/** The `arping` format. */
export const arping: TextFormat = {
  id: 'arping',
  title: '`arping` replies (iputils and Habets): who answers ARP for an address',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    if (!lines.some((l) => HEADER.test(l) || /^arping: /.test(l))) return 0;
    return Math.max(
      0.6,
      sniffShare(lines, (l) => {
        const t = l.trim();
        return (
          HEADER.test(t) ||
          IPUTILS_REPLY.test(t) ||
          HABETS_REPLY.test(t) ||
          IPUTILS_SENT.test(t) ||
          HABETS_STATS.test(t) ||
          SKIP.test(t) ||
          /^arping: /.test(t)
        );
      }),
    );
  },
  create: (ctx) => new ArpingParser(ctx),
  samples,
};
