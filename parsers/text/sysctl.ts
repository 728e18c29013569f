/**
 * Kernel parameters as people collect them:
 *
 *   net.ipv4.conf.all.rp_filter = 1                 sysctl -a, sysctl KEY…, sysctl net.ipv4.conf
 *   /proc/sys/net/ipv4/conf/eth1/rp_filter:1        grep -H . /proc/sys/net/ipv4/conf/… (grep -r)
 *   net.inet.ip.forwarding: 0                       FreeBSD / macOS sysctl -a
 *
 * Keys are kept in sysctl's dotted form; in a /proc path an interface name's own dots
 * become `/` (`…/conf/eth0.100/rp_filter` → `net.ipv4.conf.eth0/100.rp_filter`), as
 * sysctl prints them. sysctl's complaints (`permission denied on key`, `reading key`,
 * `cannot stat`) are understood and skipped.
 */
import type { SysctlRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { FormatSample, LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { bannerText, looksLikeJson, sniffShare, uncolor } from './netstate/common.js';

/** `key = value` (Linux) or `key: value` (BSD). Keys have at least two dotted segments. */
const KEY_VALUE = /^([A-Za-z][\w-]*(?:\.[\w/+@-]+)+)(?:\s*=\s?|:\s)(.*)$/;
/** `grep -H` over /proc/sys: `path:value`. */
const PROC_LINE = /^\/proc\/sys\/([^\s:]+):(.*)$/;
/** Messages of sysctl itself. */
const COMPLAINT = /^sysctl: |^error: "/;
/** Top-level sysctl trees (Linux and BSD): what makes a `key = value` line a kernel parameter. */
const ROOTS = /^(?:net|kernel|vm|fs|dev|abi|user|debug|crypto|sunrpc|hw|kern|security|machdep|vfs)\./;

/** sysctl key of a /proc/sys path (`net/ipv4/conf/eth0.100/rp_filter` → `net.ipv4.conf.eth0/100.rp_filter`). */
export function procPathKey(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replaceAll('.', '/'))
    .join('.');
}

/** Key and value of one line, or null. */
function keyValue(line: string): { key: string; value: string } | null {
  const p = PROC_LINE.exec(line);
  if (p) return { key: procPathKey(p[1]), value: p[2].trim() };
  const m = KEY_VALUE.exec(line);
  if (!m) return null;
  return { key: m[1], value: m[2].trim().replace(/\s+/g, ' ') };
}

class SysctlParser implements LineParser {
  constructor(private readonly ctx: ParseContext) {}

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    if (bannerText(text) !== null) return 'skipped';
    const t = text.trim();
    if (COMPLAINT.test(t)) return 'skipped';
    const kv = keyValue(t);
    if (!kv) {
      out.issue(lineNo, 'bad-sysctl', `not a kernel parameter line: ${displayText(t.slice(0, 120))}`);
      return 'issue';
    }
    const r: SysctlRecord = {
      type: 'sysctl',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(t),
      key: kv.key,
      value: kv.value,
    };
    out.record(r);
    return 'parsed';
  }
}

const samples: FormatSample[] = [
  {
    note: 'sysctl net.ipv4.conf (procps-ng 4.0), with a permission complaint and an empty value',
    input: [
      '$ sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.eth1.rp_filter net.ipv4.ip_forward',
      'net.ipv4.conf.all.rp_filter = 1',
      'net.ipv4.conf.eth1.rp_filter = 0',
      'net.ipv4.ip_forward = 1',
      "sysctl: permission denied on key 'fs.protected_hardlinks'",
      'kernel.domainname = (none)',
      'net.ipv4.conf.eth0/100.rp_filter = 2',
      'net.ipv4.tcp_rmem = 4096\t131072\t6291456',
      'dev.cdrom.info = ',
    ].join('\n'),
    records: [
      { type: 'sysctl', line: 2, key: 'net.ipv4.conf.all.rp_filter', value: '1' },
      { key: 'net.ipv4.conf.eth1.rp_filter', value: '0' },
      { key: 'net.ipv4.ip_forward', value: '1' },
      { key: 'kernel.domainname', value: '(none)' },
      { key: 'net.ipv4.conf.eth0/100.rp_filter', value: '2' },
      { key: 'net.ipv4.tcp_rmem', value: '4096 131072 6291456' },
      { key: 'dev.cdrom.info', value: '' },
    ],
  },
  {
    note: 'grep -H . /proc/sys/net/ipv4/conf/*/rp_filter (a VLAN interface keeps its dot as /)',
    input: [
      '/proc/sys/net/ipv4/conf/all/rp_filter:1',
      '/proc/sys/net/ipv4/conf/eth0.100/rp_filter:0',
      '/proc/sys/net/ipv4/conf/lo/rp_filter:0',
    ].join('\n'),
    records: [
      { key: 'net.ipv4.conf.all.rp_filter', value: '1' },
      { key: 'net.ipv4.conf.eth0/100.rp_filter', value: '0' },
      { key: 'net.ipv4.conf.lo.rp_filter', value: '0' },
    ],
  },
  {
    note: 'FreeBSD sysctl -a style and a line that is not a parameter',
    input: ['net.inet.ip.forwarding: 0', 'kern.hostname: fw1', 'garbage here'].join('\n'),
    records: [
      { key: 'net.inet.ip.forwarding', value: '0' },
      { key: 'kern.hostname', value: 'fw1' },
    ],
    issues: 1,
  },
];

/** The sysctl format. */
export const sysctl: TextFormat = {
  id: 'sysctl',
  title: 'kernel parameters: `sysctl -a`, `sysctl KEY`, `grep -H . /proc/sys/…` (Linux, BSD)',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    return sniffShare(lines, (l) => {
      const t = l.trim();
      if (COMPLAINT.test(t)) return true;
      const kv = keyValue(t);
      return kv !== null && ROOTS.test(kv.key);
    });
  },
  create: (ctx) => new SysctlParser(ctx),
  samples,
};
