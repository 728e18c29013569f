/** Address ranges as MetalLB writes them: CIDRs (`192.0.2.240/28`) and spans (`192.0.2.240-192.0.2.250`). */
import { type Addr, mask, parseAddr, parsePrefix } from './ip.js';

/** An inclusive range of addresses of one family. */
export interface AddrRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  text: string;
}

/** Parse a CIDR, a `a-b` span or a single address; null when invalid. */
export function parseRange(text: string): AddrRange | null {
  const t = text.trim();
  const dash = t.indexOf('-');
  if (dash > 0) {
    const a = parseAddr(t.slice(0, dash));
    const b = parseAddr(t.slice(dash + 1));
    if (!a || !b || a.family !== b.family || a.value > b.value) return null;
    return { family: a.family, first: a.value, last: b.value, text: t };
  }
  const p = parsePrefix(t);
  if (!p) return null;
  const bits = p.family === 4 ? 32n : 128n;
  const host = ((1n << bits) - 1n) ^ mask(p.family, p.length);
  return { family: p.family, first: p.network, last: p.network | host, text: t };
}

/** True when `addr` lies in the range. */
export function inRange(r: AddrRange, addr: Addr): boolean {
  return r.family === addr.family && addr.value >= r.first && addr.value <= r.last;
}
