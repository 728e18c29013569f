import { describe, expect, it } from 'vitest';
import { cat, decodeHex, hex, IPV4_TCP, IPV6_TCP, TCP_SYN } from './hex.js';

describe('null (linktype 0) and loop (linktype 108)', () => {
  it('NULL, little-endian host: AF_INET', () => {
    const pkt = decodeHex(cat(hex`02 00 00 00  # AF_INET (2), little-endian`, IPV4_TCP, TCP_SYN), 0);
    expect(pkt.layers).toEqual(['null', 'ipv4', 'tcp']);
    expect(pkt.addressFamily).toBe(2);
  });

  it('NULL, big-endian host: AF_INET', () => {
    const pkt = decodeHex(cat(hex`00 00 00 02  # AF_INET (2), big-endian`, IPV4_TCP, TCP_SYN), 0);
    expect(pkt.layers).toEqual(['null', 'ipv4', 'tcp']);
  });

  it.each([
    ['0a 00 00 00', 10, 'Linux'],
    ['18 00 00 00', 24, 'NetBSD/OpenBSD'],
    ['1c 00 00 00', 28, 'FreeBSD'],
    ['00 00 00 1e', 30, 'Darwin, big-endian host'],
  ])('NULL AF_INET6 %s (%i, %s)', (af, n) => {
    const pkt = decodeHex(cat(hex(af), IPV6_TCP, TCP_SYN), 0);
    expect(pkt.layers).toEqual(['null', 'ipv6', 'tcp']);
    expect(pkt.addressFamily).toBe(n);
  });

  it('NULL with an EtherType in the second half, as tshark reads it (null_loopback.pcap #3)', () => {
    const pkt = decodeHex(
      cat(hex`0f 00 08 00  # not a family: EtherType 0x0800 in bytes 2-3`, IPV4_TCP, TCP_SYN),
      0,
    );
    expect(pkt.layers).toEqual(['null', 'ipv4', 'tcp']);
    expect(pkt.etherType).toBe(0x0800);
    expect(pkt.addressFamily).toBe(-1);
  });

  it('NULL with a 16-bit family in the first two bytes (IRIX), either byte order', () => {
    expect(
      decodeHex(cat(hex`00 02 00 00  # AF_INET, 16-bit, big-endian`, IPV4_TCP, TCP_SYN), 0).addressFamily,
    ).toBe(2);
    expect(decodeHex(cat(hex`02 00 00 00`, IPV4_TCP, TCP_SYN), 0).addressFamily).toBe(2);
  });

  it('NULL with a non-IP family stops quietly', () => {
    const pkt = decodeHex(hex`07 00 00 00  # AF 7 (not IP)  ff ff`, 0);
    expect(pkt.layers).toEqual(['null']);
    expect(pkt.issueCode).toBeNull();
  });

  it('LOOP is network byte order', () => {
    const ok = decodeHex(cat(hex`00 00 00 02  # AF_INET`, IPV4_TCP, TCP_SYN), 108);
    expect(ok.layers).toEqual(['loop', 'ipv4', 'tcp']);
    const swapped = decodeHex(cat(hex`02 00 00 00  # 0x02000000: not a family`, IPV4_TCP), 108);
    expect(swapped.layers).toEqual(['loop']);
  });

  it('flags a truncated header', () => {
    const pkt = decodeHex(hex`02 00 00`, 0);
    expect(pkt.issueCode).toBe('null-truncated');
    expect(pkt.layers).toEqual([]);
  });
});
