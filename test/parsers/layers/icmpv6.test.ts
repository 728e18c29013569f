import { describe, expect, it } from 'vitest';
import { ipString, macString } from '../../../parsers/layers/format.js';
import { cat, decodeHex, ETH_IPV6, hex } from './hex.js';

/** IPv6 header fe80::1 → 2001:db8::1 carrying ICMPv6 of `len` bytes. */
function ip6(len: number) {
  const h = hex`
    60 00 00 00 00 00 3a ff   # v6, payload length (set below), next ICMPv6, hop limit 255
    fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # fe80::1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
  `;
  h.writeUInt16BE(len, 4);
  return h;
}

describe('icmpv6', () => {
  it('echo reply: id and sequence', () => {
    const m = hex`81 00 00 00  00 2a 00 01   # echo reply id 42 seq 1`;
    const pkt = decodeHex(cat(ETH_IPV6, ip6(m.length), m));
    expect(pkt.layers).toEqual(['ethernet', 'ipv6', 'icmpv6']);
    expect([pkt.icmpType, pkt.icmpId, pkt.icmpSeq]).toEqual([129, 42, 1]);
  });

  it('packet too big: MTU and the quoted TCP segment (through an extension header)', () => {
    const m = hex`
      02 00 00 00  00 00 05 00  # packet too big, MTU 1280
      60 00 00 00 05 d8 3c 40   # quoted IPv6: payload 1496, next dest-opts, hop limit 64
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
      06 00 01 04 00 00 00 00   # dest opts: next TCP, 8 bytes
      c0 00 01 bb 00 00 03 e8   # TCP 49152 → 443, seq 1000
    `;
    const pkt = decodeHex(cat(ETH_IPV6, ip6(m.length), m));
    expect(pkt.icmpMtu).toBe(1280);
    const q = pkt.quoted;
    expect([q.valid, q.ipVersion, q.proto, q.sport, q.dport, q.seq]).toEqual([true, 6, 6, 49152, 443, 1000]);
    expect(ipString(pkt.buf, q.dstOff, 6)).toBe('2001:db8::2');
  });

  it('neighbour solicitation: target and source link-layer address', () => {
    const m = hex`
      87 00 00 00  00 00 00 00  # NS, reserved
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # target 2001:db8::1
      01 01 02 00 00 00 00 01   # option source LLA (len 1 = 8 bytes) 02:00:00:00:00:01
    `;
    const pkt = decodeHex(cat(ETH_IPV6, ip6(m.length), m));
    expect(pkt.icmpType).toBe(135);
    expect(ipString(pkt.buf, pkt.ndTargetOff, 6)).toBe('2001:db8::1');
    expect(macString(pkt.buf, pkt.ndLinkAddrOff)).toBe('02:00:00:00:00:01');
  });

  it('flags an ND option of length 0', () => {
    const m = hex`
      88 00 00 00  60 00 00 00  # NA, flags S O
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # target
      02 00 02 00 00 00 00 01   # option with length 0: invalid
    `;
    const pkt = decodeHex(cat(ETH_IPV6, ip6(m.length), m));
    expect(pkt.issueCode).toBe('icmpv6-bad-option');
    expect(pkt.ndTargetOff).toBeGreaterThan(0);
  });

  it('flags a truncated header', () => {
    const m = hex`80 00 00 00   # echo request cut after 4 bytes`;
    const pkt = decodeHex(cat(ETH_IPV6, ip6(m.length), m));
    expect(pkt.issueCode).toBe('icmpv6-truncated');
    expect(pkt.layers).toEqual(['ethernet', 'ipv6']);
  });
});
