/**
 * Address formatting for things that outlive a packet (records, flows, messages).
 * These allocate a string; call them only when a string is needed.
 */

const HEX = '0123456789abcdef';

/** Dotted-quad IPv4 at `off`. */
export function ipv4String(buf: Buffer, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

function hex16(v: number): string {
  return v.toString(16);
}

/**
 * IPv6 at `off` in RFC 5952 form as tshark prints it (BSD inet_ntop rules): lower
 * case, leading zeros dropped, the longest run (first on a tie) of two or more
 * zero groups as `::`, and an embedded dotted quad for IPv4-mapped (`::ffff:a.b.c.d`)
 * and IPv4-compatible (`::a.b.c.d`, except `::` and `::1`-style short forms) addresses.
 */
export function ipv6String(buf: Buffer, off: number): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (buf[off + 2 * i] === 0 && buf[off + 2 * i + 1] === 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (
      i === 6 &&
      bestBase === 0 &&
      (bestLen === 6 || (bestLen === 5 && buf[off + 10] === 0xff && buf[off + 11] === 0xff))
    ) {
      return s + ipv4String(buf, off + 12);
    }
    s += hex16((buf[off + 2 * i] << 8) | buf[off + 2 * i + 1]);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) s += ':';
  return s;
}

/** IPv4 or IPv6 address at `off`; '' for any other version. */
export function ipString(buf: Buffer, off: number, version: number): string {
  return version === 4 ? ipv4String(buf, off) : version === 6 ? ipv6String(buf, off) : '';
}

/** MAC address at `off` as six lower-case hex pairs joined by ':'. */
export function macString(buf: Buffer, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const b = buf[off + i];
    if (i) s += ':';
    s += HEX[b >> 4] + HEX[b & 15];
  }
  return s;
}
