import { describe, expect, it } from 'vitest';
import { cat, decodeHex, hex, IPV6_TCP, TCP_SYN } from './hex.js';

const SLL2 = hex`
  86 dd                     # protocol IPv6
  00 00                     # reserved
  00 00 00 03               # interface index 3
  00 01                     # ARPHRD Ethernet
  04                        # packet type 4: sent by us
  06                        # address length 6
  02 00 00 00 00 01 00 00   # link-layer address
`;

describe('sll2 (linktype 276)', () => {
  it('decodes protocol, ifindex, packet type', () => {
    const pkt = decodeHex(cat(SLL2, IPV6_TCP, TCP_SYN), 276);
    expect(pkt.layers).toEqual(['sll2', 'ipv6', 'tcp']);
    expect(pkt.ifindex).toBe(3);
    expect(pkt.pktType).toBe(4);
    expect(pkt.direction).toBe('out');
    expect(pkt.etherType).toBe(0x86dd);
    expect(pkt.macSrcOff).toBe(12);
  });

  it('flags a truncated header', () => {
    const pkt = decodeHex(SLL2, 276, 19);
    expect(pkt.layers).toEqual([]);
    expect(pkt.issueCode).toBe('sll2-truncated');
    expect(pkt.issueMessage).toBe('sll2: header needs 20 bytes, 19 captured at frame offset 0');
  });
});
