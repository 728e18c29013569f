import { describe, expect, it } from 'vitest';
import { cat, decodeHex, hex, IPV4_TCP, IPV6_TCP, TCP_SYN } from './hex.js';

describe('raw IP link types', () => {
  it.each([101, 12, 14])('linktype %i dispatches on the IP version', (lt) => {
    expect(decodeHex(cat(IPV4_TCP, TCP_SYN), lt).layers).toEqual(['raw', 'ipv4', 'tcp']);
    expect(decodeHex(cat(IPV6_TCP, TCP_SYN), lt).layers).toEqual(['raw', 'ipv6', 'tcp']);
  });

  it('LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) start at the IP header', () => {
    expect(decodeHex(cat(IPV4_TCP, TCP_SYN), 228).layers).toEqual(['ipv4', 'tcp']);
    expect(decodeHex(cat(IPV6_TCP, TCP_SYN), 229).layers).toEqual(['ipv6', 'tcp']);
  });

  it('LINKTYPE_IPV4 with an IPv6 packet is a version error', () => {
    const pkt = decodeHex(cat(IPV6_TCP, TCP_SYN), 228);
    expect(pkt.layers).toEqual([]);
    expect(pkt.issueCode).toBe('ipv4-bad-version');
  });

  it('flags an unknown IP version', () => {
    const pkt = decodeHex(hex`50 00 00 14  # version 5`, 101);
    expect(pkt.layers).toEqual([]);
    expect(pkt.issueCode).toBe('raw-bad-version');
  });

  it('flags an empty frame', () => {
    expect(decodeHex(Buffer.alloc(0), 101).issueCode).toBe('raw-truncated');
  });
});
