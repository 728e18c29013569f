/**
 * The interface-block parser behind `ip-addr` and `ip-link` (iproute2 text, plus
 * the `-o` one-line and `-br` brief variants):
 *
 *   8: eth1@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP …
 *       link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns fx-br
 *       altname enp0s8
 *       inet 192.0.2.10/24 brd 192.0.2.255 scope global secondary eth1:vip
 *          valid_lft forever preferred_lft forever
 *       inet6 2001:db8::10/64 scope global nodad
 *
 * A `link` record is emitted per interface block (once its link/ and altname lines
 * are read, before its addresses); an `address` record per inet/inet6 line, carrying
 * the interface's ifindex and MAC. Other indented lines of a block (valid_lft,
 * `ip -d`/`-s` details) are skipped; unindented lines that are not a block header
 * are issues.
 */
import type { AddressRecord, LinkRecord } from '../../../src/model/records/index.js';
import { displayText } from '../../../src/util/sanitize.js';
import type { LineParser, LineStatus, ParseContext, TextSink } from '../../types.js';
import { addTo, bannerText, isIP, normMac, stripZone, tokens, uncolor } from './common.js';

/** `IDX: NAME[@PARENT]: <FLAGS> rest` */
export const LINK_HEADER = /^(\d+):\s+([^\s:@]+)(?:@([^\s:]+))?:\s+<([^>]*)>(.*)$/;
/** `IDX: NAME    inet …` (ip -o addr) */
const ONELINE_ADDR = /^(\d+):\s+([^\s:@]+)(?:@\S+)?\s+(inet6?\s.*)$/;
/** `NAME  STATE  rest` (ip -br) */
export const BRIEF =
  /^([^\s@]+)(?:@(\S+))?\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|TESTING)\b\s*(.*)$/;

/** Address flags: printed after the scope in text, booleans in `ip -j` (kept in `flags`). */
export const ADDR_FLAGS: ReadonlySet<string> = new Set([
  'dynamic',
  'noprefixroute',
  'deprecated',
  'tentative',
  'dadfailed',
  'nodad',
  'mngtmpaddr',
  'temporary',
  'home',
  'optimistic',
  'stable-privacy',
  'autojoin',
  'permanent',
]);

/** An interface header pasted with leading blanks (`  2: eth0: <…> …`). */
function indentedHeader(text: string): boolean {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const d = text.charCodeAt(i);
  return d >= 48 && d <= 57 && LINK_HEADER.test(text.slice(i));
}

/** Parses interface blocks; `ip-addr` and `ip-link` both use it. */
export class IfaceParser implements LineParser {
  private cur: LinkRecord | null = null;
  private emitted = false;
  /** ifindexes already announced by a link record (for -o addr, which has no headers). */
  private readonly known = new Set<string>();

  constructor(private readonly ctx: ParseContext) {}

  private flushLink(out: TextSink): void {
    if (this.cur && !this.emitted) {
      out.record(this.cur);
      this.emitted = true;
    }
  }

  private header(m: RegExpExecArray, lineNo: number, text: string): void {
    const rest = tokens(m[5]);
    const l: LinkRecord = {
      type: 'link',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(text),
      ifindex: Number(m[1]),
      ifname: m[2],
      flags: m[4] === '' ? [] : m[4].split(','),
    };
    if (m[3]) l.parent = m[3];
    for (let i = 0; i + 1 < rest.length; i++) {
      const k = rest[i];
      const v = rest[i + 1];
      if (k === 'mtu' && /^\d+$/.test(v)) l.mtu = Number(v);
      else if (k === 'state') l.state = v;
      else if (k === 'master') l.master = v;
      else continue;
      i++;
    }
    this.cur = l;
    this.emitted = false;
    this.known.add(m[1]);
  }

  /** Parse `inet A/L …` / `inet6 …` / `inet A peer B/L …` into an address record. */
  private address(body: string, lineNo: number, text: string): AddressRecord | null {
    const l = this.cur;
    if (!l) return null;
    const t = tokens(body);
    const family = t[0] === 'inet6' ? 'inet6' : 'inet';
    const a = t[1];
    if (!a) return null;
    const slash = a.indexOf('/');
    const ip = stripZone(slash >= 0 ? a.slice(0, slash) : a);
    if (!isIP(ip)) return null;
    const r: AddressRecord = {
      type: 'address',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(text.trim()),
      ifname: l.ifname,
      ip,
      prefix: family === 'inet6' ? 128 : 32,
      family,
    };
    if (l.ifindex !== undefined) r.ifindex = l.ifindex;
    if (l.mac) r.mac = l.mac;
    if (slash >= 0) {
      const n = Number(a.slice(slash + 1));
      if (!Number.isInteger(n)) return null;
      r.prefix = n;
    }
    for (let i = 2; i < t.length; i++) {
      const k = t[i];
      const v = t[i + 1];
      if (k === 'peer' && v) {
        r.peer = v;
        const ps = v.indexOf('/');
        if (ps >= 0 && slash < 0) r.prefix = Number(v.slice(ps + 1)) || r.prefix;
        i++;
      } else if ((k === 'brd' || k === 'broadcast') && v) {
        r.broadcast = v;
        i++;
      } else if (k === 'scope' && v) {
        r.scope = v;
        i++;
      } else if ((k === 'metric' || k === 'proto' || k === 'anycast') && v) i++;
      else if (k === 'secondary') r.secondary = true;
      else if (k === 'primary') continue;
      else if (ADDR_FLAGS.has(k)) r.flags = addTo(r.flags, k);
      else if (family === 'inet' && i === t.length - 1) {
        if (k !== l.ifname) r.label = k; // the label closes an inet line
      } else r.flags = addTo(r.flags, k);
    }
    return r;
  }

  private indented(body: string, lineNo: number, text: string, out: TextSink): LineStatus {
    const l = this.cur;
    if (!l) return 'issue';
    const t0 = body.trimStart();
    if (t0.startsWith('link/')) {
      const t = tokens(t0);
      l.linkType = t[0].slice(5);
      const mac = t[1] !== undefined && t[1] !== 'brd' && t[1] !== 'peer' ? normMac(t[1]) : null;
      if (mac) l.mac = mac;
      return 'parsed';
    }
    if (t0.startsWith('altname ')) {
      l.altnames = addTo(l.altnames, t0.slice(8).trim());
      return 'parsed';
    }
    if (t0.startsWith('inet ') || t0.startsWith('inet6 ')) {
      this.flushLink(out);
      const r = this.address(t0, lineNo, text);
      if (!r) {
        out.issue(lineNo, 'bad-address', `cannot read address line: ${text.slice(0, 120)}`);
        return 'issue';
      }
      out.record(r);
      return 'parsed';
    }
    return 'skipped'; // valid_lft, -d details, -s counters, …
  }

  /** A `-br` line: `NAME STATE addr/len…` or `NAME STATE MAC <FLAGS>`. */
  private brief(m: RegExpExecArray, lineNo: number, text: string, out: TextSink): LineStatus {
    const rest = tokens(m[4]);
    const l: LinkRecord = {
      type: 'link',
      file: this.ctx.file,
      line: lineNo,
      text: displayText(text),
      ifname: m[1],
      state: m[3],
      flags: [],
    };
    if (m[2]) l.parent = m[2];
    const mac = rest[0] && !rest[0].includes('/') ? normMac(rest[0]) : null;
    if (mac) {
      l.mac = mac;
      const f = rest[1];
      if (f?.startsWith('<') && f.endsWith('>')) l.flags = f.slice(1, -1).split(',').filter(Boolean);
      out.record(l);
      return 'parsed';
    }
    out.record(l);
    this.cur = l;
    this.emitted = true;
    for (const a of rest) {
      const fam = a.includes(':') ? 'inet6' : 'inet';
      const r = this.address(`${fam} ${a}`, lineNo, text);
      if (!r) {
        out.issue(lineNo, 'bad-address', `cannot read address ${a.slice(0, 60)}`);
        return 'issue';
      }
      out.record(r);
    }
    return 'parsed';
  }

  line(raw: string, lineNo: number, out: TextSink): LineStatus {
    const text = uncolor(raw);
    if (bannerText(text) !== null) {
      this.flushLink(out);
      return 'skipped';
    }
    // -o: one block per line, the block's lines joined by a backslash.
    if (text.includes('\\')) {
      const seg = text.split('\\');
      let st = this.line(seg[0], lineNo, out);
      for (let i = 1; i < seg.length && st !== 'issue'; i++) {
        if (seg[i].trim() === '') continue;
        const s = this.indented(seg[i], lineNo, seg[i], out);
        if (s === 'issue') st = s;
      }
      return st;
    }
    const c = text.charCodeAt(0);
    if ((c === 32 || c === 9) && !indentedHeader(text)) {
      const st = this.indented(text, lineNo, text, out);
      if (st === 'issue' && !this.cur)
        out.issue(lineNo, 'orphan-line', 'indented line outside an interface block');
      return st;
    }
    const h = LINK_HEADER.exec(c === 32 || c === 9 ? text.trimStart() : text);
    if (h) {
      this.flushLink(out);
      this.header(h, lineNo, text);
      return 'parsed';
    }
    const o = ONELINE_ADDR.exec(text);
    if (o) {
      this.flushLink(out);
      if (!this.cur || String(this.cur.ifindex) !== o[1] || this.cur.ifname !== o[2]) {
        this.cur = {
          type: 'link',
          file: this.ctx.file,
          line: lineNo,
          ifindex: Number(o[1]),
          ifname: o[2],
          flags: [],
        };
        this.emitted = this.known.has(o[1]);
        this.known.add(o[1]);
        this.flushLink(out);
      }
      return this.indented(o[3], lineNo, o[3], out);
    }
    const b = BRIEF.exec(text);
    if (b) {
      this.flushLink(out);
      return this.brief(b, lineNo, text, out);
    }
    this.flushLink(out);
    out.issue(lineNo, 'bad-line', `not part of ip addr/link output: ${text.slice(0, 120)}`);
    return 'issue';
  }

  end(out: TextSink): undefined {
    this.flushLink(out);
    return undefined;
  }
}

/** Sniff helper: counts header lines, address lines and brief lines. */
export function ifaceStats(lines: readonly string[]): {
  headers: number;
  modeHeaders: number;
  inet: number;
  lft: number;
  briefAddr: number;
  briefLink: number;
  other: number;
} {
  const s = { headers: 0, modeHeaders: 0, inet: 0, lft: 0, briefAddr: 0, briefLink: 0, other: 0 };
  for (const raw of lines) {
    const l = uncolor(raw);
    if (bannerText(l) !== null) continue;
    const h = LINK_HEADER.exec(l.split('\\')[0].trimStart());
    if (h) {
      s.headers++;
      if (/\bmode\s/.test(h[5])) s.modeHeaders++;
      if (l.includes('\\')) {
        if (/\\\s+inet6?\s/.test(l)) s.inet++;
      }
      continue;
    }
    if (ONELINE_ADDR.test(l)) {
      s.inet++;
      s.headers++;
      continue;
    }
    if (/^\s+inet6?\s+\S+/.test(l)) s.inet++;
    else if (/^\s+valid_lft\s/.test(l)) s.lft++;
    else if (/^\s+(link\/|altname\s)/.test(l)) continue;
    else {
      const b = BRIEF.exec(l);
      if (b) {
        const first = tokens(b[4])[0];
        if (first === undefined || first.includes('/')) s.briefAddr++;
        else if (normMac(first) !== null) s.briefLink++;
        else s.other++;
      } else if (/^\s/.test(l))
        continue; // details of a block
      else s.other++;
    }
  }
  return s;
}
