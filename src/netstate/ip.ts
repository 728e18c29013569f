/**
 * IP address arithmetic for route lookups: addresses as bigints with their family,
 * prefixes as (network, length). IPv4-mapped and zone suffixes are handled.
 */

/** A parsed address. */
export interface Addr {
  family: 4 | 6;
  value: bigint;
}

/** A parsed prefix. */
export interface Prefix {
  family: 4 | 6;
  network: bigint;
  length: number;
}

/** Parse an IPv4 or IPv6 address (no prefix); null when invalid. */
export function parseAddr(text: string): Addr | null {
  const s = text
    .trim()
    .replace(/%.*$/, '')
    .replace(/^\[|\]$/g, '');
  if (s.includes(':')) {
    const v = parseV6(s);
    return v === null ? null : { family: 6, value: v };
  }
  const v = parseV4(s);
  return v === null ? null : { family: 4, value: BigInt(v) };
}

function parseV4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

function parseV6(s: string): bigint | null {
  let str = s;
  const lastColon = str.lastIndexOf(':');
  if (str.slice(lastColon + 1).includes('.')) {
    // Embedded IPv4 (::ffff:192.0.2.1): rewrite as two hex groups.
    const v4 = parseV4(str.slice(lastColon + 1));
    if (v4 === null) return null;
    str = `${str.slice(0, lastColon + 1)}${((v4 >>> 16) & 0xffff).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = str.split('::');
  if (halves.length > 2) return null;
  const split = (h: string) => (h === '' ? [] : h.split(':'));
  const head = split(halves[0]);
  const rest = halves.length === 2 ? split(halves[1]) : [];
  let groups: string[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...Array<string>(fill).fill('0'), ...rest];
  } else groups = head;
  if (groups.length !== 8) return null;
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return v;
}

/** Parse `a.b.c.d/len`, `x::/len`, a bare address (host prefix) or `default`. */
export function parsePrefix(text: string, familyHint: 4 | 6 = 4): Prefix | null {
  const t = text.trim();
  if (t === 'default' || t === 'all' || t === '0/0' || t === 'any')
    return { family: familyHint, network: 0n, length: 0 };
  const [a, l] = t.split('/');
  const addr = parseAddr(a);
  if (!addr) return null;
  const max = addr.family === 4 ? 32 : 128;
  const length = l === undefined ? max : Number(l);
  if (!Number.isInteger(length) || length < 0 || length > max) return null;
  return { family: addr.family, network: addr.value & mask(addr.family, length), length };
}

/** The network mask of a prefix length. */
export function mask(family: 4 | 6, length: number): bigint {
  const bits = family === 4 ? 32n : 128n;
  if (length === 0) return 0n;
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(length))) - 1n);
}

/** True when `addr` is inside `prefix`. */
export function contains(prefix: Prefix, addr: Addr): boolean {
  return (
    prefix.family === addr.family && (addr.value & mask(prefix.family, prefix.length)) === prefix.network
  );
}

/** Format an address back to text (IPv6 compressed per RFC 5952). */
export function formatAddr(a: Addr): string {
  if (a.family === 4) {
    const v = Number(a.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** True when two addresses are equal (text forms may differ). */
export function sameAddr(a: string, b: string): boolean {
  const x = parseAddr(a);
  const y = parseAddr(b);
  return !!x && !!y && x.family === y.family && x.value === y.value;
}

/** `ip:port`, an IPv6 address in brackets (`[2001:db8::1]:443`) as URLs, Go and curl write it. */
export function hostPort(ip: string, port: number | string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Format a prefix. */
export function formatPrefix(p: Prefix): string {
  return `${formatAddr({ family: p.family, value: p.network })}/${p.length}`;
}

/** The /24 (IPv4) or /64 (IPv6) a client address belongs to. */
export function clientNetwork(ip: string): string {
  const a = parseAddr(ip);
  if (!a) return ip;
  const length = a.family === 4 ? 24 : 64;
  return formatPrefix({ family: a.family, network: a.value & mask(a.family, length), length });
}
