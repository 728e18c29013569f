/**
 * Address text for flows and packet records: IPv4 dotted quad, IPv6 in RFC 5952
 * form (lowercase, longest zero run of two or more groups compressed, as
 * tshark prints it), MAC as colon-separated lowercase hex.
 */

const HEX = '0123456789abcdef';

/** Text of the IPv4 (ver 4) or IPv6 (ver 6) address at `buf[off]`. */
export function formatIp(buf: Uint8Array, off: number, ver: number): string {
  if (ver === 4) return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (buf[off + 2 * i] << 8) | buf[off + 2 * i + 1];
  return formatIpv6Groups(g);
}

/** IPv4 texts made so far: thousands of flows share a few hundred addresses (bounded). */
const v4Text = new Map<number, string>();
const V4_TEXT_MAX = 65536;

/** Text of an address given as four 32-bit words (IPv4 uses the first word only). */
export function formatIpWords(ver: number, w0: number, w1: number, w2: number, w3: number): string {
  if (ver === 4) {
    let t = v4Text.get(w0);
    if (t === undefined) {
      t = `${w0 >>> 24}.${(w0 >>> 16) & 255}.${(w0 >>> 8) & 255}.${w0 & 255}`;
      if (v4Text.size >= V4_TEXT_MAX) v4Text.clear();
      v4Text.set(w0, t);
    }
    return t;
  }
  const g: number[] = [];
  for (const w of [w0, w1, w2, w3]) g.push(w >>> 16, w & 0xffff);
  return formatIpv6Groups(g);
}

/** RFC 5952 text of eight 16-bit groups (IPv4-mapped addresses keep the dotted tail). */
export function formatIpv6Groups(g: readonly number[]): string {
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const parts = g.map((x) => x.toString(16));
  if (bestStart < 0) return parts.join(':');
  const head = parts.slice(0, bestStart).join(':');
  const tail = parts.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Text of the 6-byte MAC at `buf[off]`. */
export function formatMac(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const b = buf[off + i];
    s += (i ? ':' : '') + HEX[b >> 4] + HEX[b & 15];
  }
  return s;
}
