/**
 * Helpers shared by the network-state dump parsers: address and MAC normalisation,
 * prefix arithmetic, banner/command-echo lines, and sniffing by line patterns.
 * Everything here is pure and allocation-light; nothing throws on input.
 */
import { stripAnsi } from '../../../src/util/sanitize.js';

/** Split on runs of blanks (spaces/tabs), dropping empty ends. */
export function tokens(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** True for a dotted-quad IPv4 address (no prefix). */
export function isIPv4(s: string): boolean {
  let parts = 0;
  let digits = 0;
  let val = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return false;
      parts++;
      digits = 0;
      val = 0;
    } else if (c >= 48 && c <= 57) {
      val = val * 10 + (c - 48);
      if (++digits > 3 || val > 255) return false;
    } else return false;
  }
  return parts === 3 && digits > 0;
}

/** True for an IPv6 address (optionally with a `%zone`): hex groups, at most one `::`. */
export function isIPv6(s: string): boolean {
  const pct = s.indexOf('%');
  const a = pct >= 0 ? s.slice(0, pct) : s;
  if (a.length < 2 || a.length > 45) return false;
  const dbl = a.indexOf('::');
  if (dbl >= 0 && a.indexOf('::', dbl + 1) >= 0) return false;
  const groups = a.split(':');
  let n = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === '') continue; // the empty pieces around '::'
    if (i === groups.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return false;
      n += 2;
      continue;
    }
    if (g.length > 4) return false;
    for (let j = 0; j < g.length; j++) {
      const c = g.charCodeAt(j) | 0x20;
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
    }
    n++;
  }
  if (dbl < 0) return n === 8 && groups.length <= 8;
  // '::' alone, or at an end, leaves empty pieces; a lone ':' at an end is invalid.
  if (a.startsWith(':') && !a.startsWith('::')) return false;
  if (a.endsWith(':') && !a.endsWith('::')) return false;
  return n < 8;
}

/** True for an IPv4 or IPv6 address. */
export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** Drop an IPv6 `%zone` and lowercase. */
export function stripZone(s: string): string {
  const pct = s.indexOf('%');
  return (pct >= 0 ? s.slice(0, pct) : s).toLowerCase();
}

/** The zone of `fe80::1%en0` (`en0`), or undefined. */
export function zoneOf(s: string): string | undefined {
  const pct = s.indexOf('%');
  if (pct < 0) return undefined;
  const z = s.slice(pct + 1).replace(/\/\d+$/, '');
  return z === '' ? undefined : z;
}

/** True for `addr/len` with a valid address and length. */
export function isPrefix(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const len = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len)) return false;
  const a = s.slice(0, slash);
  const n = Number(len);
  return (isIPv4(a) && n <= 32) || (isIPv6(a) && n <= 128);
}

/**
 * Normalise a route destination: `default`, `0.0.0.0/0` and `::/0` → `default`;
 * a bare address becomes a host prefix (`/32`, `/128`); IPv6 is lowercased and its
 * zone dropped. Returns null when `s` is neither an address nor a prefix.
 */
export function normDst(s: string): string | null {
  if (s === 'default' || s === 'any') return 'default';
  const slash = s.indexOf('/');
  const a = stripZone(slash >= 0 ? s.slice(0, slash) : s);
  if (slash >= 0) {
    const len = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(len)) return null;
    const n = Number(len);
    if (isIPv4(a) && n <= 32) return n === 0 && a === '0.0.0.0' ? 'default' : `${a}/${n}`;
    if (isIPv6(a) && n <= 128) return n === 0 && a === '::' ? 'default' : `${a}/${n}`;
    return null;
  }
  if (isIPv4(a)) return `${a}/32`;
  if (isIPv6(a)) return `${a}/128`;
  return null;
}

/** Family of an address or prefix, or undefined for neither. */
export function familyOf(s: string | undefined): 'inet' | 'inet6' | undefined {
  if (!s || s === 'default') return undefined;
  const slash = s.indexOf('/');
  const a = slash >= 0 ? s.slice(0, slash) : s;
  return isIPv4(a) ? 'inet' : isIPv6(a) ? 'inet6' : undefined;
}

/** Prefix length of a contiguous dotted netmask (`255.255.255.0` → 24); null otherwise. */
export function maskToPrefix(mask: string): number | null {
  if (!isIPv4(mask)) return null;
  const p = mask.split('.');
  const v = ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0;
  const inv = ~v >>> 0;
  if ((inv & (inv + 1)) !== 0) return null; // ones must be contiguous from the top
  let n = 0;
  for (let x = v; x & 0x80000000; x = (x << 1) >>> 0) n++;
  return n;
}

const HEX = '0123456789abcdef';

/**
 * Normalise a MAC (or other link-layer address) to lowercase colon-separated
 * two-digit octets. Accepts `:` or `-` separators and one- or two-digit octets
 * (`0:c:29:…`, `00-0C-29-…`). Returns null for anything else (at least 2 octets).
 */
export function normMac(s: string): string | null {
  if (s.length === 17 && /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(s)) return s; // already normal
  const sep = s.indexOf('-') >= 0 ? '-' : ':';
  const parts = s.split(sep);
  if (parts.length < 2 || parts.length > 32) return null;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].toLowerCase();
    if (p.length < 1 || p.length > 2) return null;
    for (let j = 0; j < p.length; j++) if (HEX.indexOf(p[j]) < 0) return null;
    out += (i ? ':' : '') + (p.length === 1 ? `0${p}` : p);
  }
  return out;
}

/** True for a MAC-48 in any of the forms normMac accepts (exactly six octets). */
export function isMac48(s: string): boolean {
  const m = normMac(s);
  return m !== null && m.length === 17;
}

/**
 * Lines that are not output of the tool but wrap it in a bundle: blank lines,
 * shell prompts and command echoes (`$ ip route`, `# arp -an`, `+ ip rule`,
 * `root@node:~# …`), and section banners (`=== ip route ===`, `--- eth0 ---`).
 * Returns the text after the prompt for echoes (possibly ''), or null when the
 * line is ordinary content.
 */
export function bannerText(line: string): string | null {
  // Fast path: tool output starts with an alphanumeric, '?', '<', '[', '{' or a quote.
  let i = 0;
  while (
    i < line.length &&
    (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9 || line.charCodeAt(i) === 13)
  )
    i++;
  if (i === line.length) return '';
  const c0 = line.charCodeAt(i);
  if (c0 !== 35 && c0 !== 36 && c0 !== 43 && c0 !== 62 && c0 !== 61 && c0 !== 42 && line.indexOf('@') < 0)
    return null;
  const t = line.trim();
  const c = t.charCodeAt(0);
  // '#', '$', '+', '>' followed by a space: a prompt or a comment.
  if ((c === 35 || c === 36 || c === 43 || c === 62) && (t.length === 1 || t[1] === ' '))
    return t.slice(1).trim();
  if (t.startsWith('===') || t.startsWith('###') || t.startsWith('>>>') || t.startsWith('***'))
    return t.replace(/^[=#>*\s]+|[=#<*\s]+$/g, '');
  // user@host:path# cmd  /  user@host:path$ cmd
  const m = /^[\w.-]+@[\w.-]+(?::[^\s#$]*)?[#$]\s*(.*)$/.exec(t);
  if (m) return m[1];
  return null;
}

/** True for a `--- something ---` banner (not arping's statistics line, which callers check first). */
export function isDashBanner(line: string): boolean {
  const t = line.trim();
  return t.length >= 3 && t.startsWith('---') && !t.startsWith('---\t');
}

/**
 * Score a file head by the share of its content lines that `match` accepts:
 * banner and blank lines are ignored, at most `max` content lines are examined.
 * 0 when nothing matched; otherwise 0.4 + 0.6 × share.
 */
export function sniffShare(lines: readonly string[], match: (l: string) => boolean, max = 60): number {
  let seen = 0;
  let hit = 0;
  for (const l of lines) {
    if (seen >= max) break;
    if (bannerText(l) !== null) continue;
    seen++;
    if (match(uncolor(l))) hit++;
  }
  if (hit === 0) return 0;
  return 0.4 + (0.6 * hit) / seen;
}

/** True when the first content character of the head is `[` or `{` (a JSON document). */
export function looksLikeJson(lines: readonly string[]): boolean {
  for (const l of lines) {
    const t = l.trim();
    if (t === '') continue;
    return t[0] === '[' || t[0] === '{';
  }
  return false;
}

/** Append to an optional array field, creating it on first use: `r.extra = addTo(r.extra, k)`. */
export function addTo<T>(arr: T[] | undefined, ...v: T[]): T[] {
  const a = arr ?? [];
  for (const x of v) a.push(x);
  return a;
}

/** Drop ANSI colour escapes (`ip -c`, `ip -color=always` output); other lines are returned as they are. */
export function uncolor(line: string): string {
  return line.indexOf('\u001b') < 0 ? line : stripAnsi(line);
}
