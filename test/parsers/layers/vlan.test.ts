import { describe, expect, it } from 'vitest';
import { cat, decodeHex, hex, IPV4_TCP, TCP_SYN } from './hex.js';

const ADDRS = hex`02 00 00 00 00 02  02 00 00 00 00 01   # destination, source MAC`;

describe('vlan', () => {
  it('decodes an 802.1Q tag with PCP and DEI', () => {
    const pkt = decodeHex(
      cat(
        ADDRS,
        hex`
          81 00     # TPID 802.1Q
          b0 64     # PCP 5 (101), DEI 1, VID 100 (0x064)
          08 00     # EtherType IPv4
        `,
        IPV4_TCP,
        TCP_SYN,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'vlan', 'ipv4', 'tcp']);
    expect(pkt.vlanCount).toBe(1);
    expect(pkt.vlanOuter).toBe(100);
    expect(pkt.vlanInner).toBe(100);
    expect(pkt.vlanPcp).toBe(5);
    expect(pkt.vlanDei).toBe(true);
    expect(pkt.sport).toBe(49152);
  });

  it('decodes 802.1ad QinQ: outer service tag, inner customer tag', () => {
    const pkt = decodeHex(
      cat(
        ADDRS,
        hex`
          88 a8     # TPID 802.1ad (S-tag)
          20 0a     # PCP 1, DEI 0, VID 10
          81 00     # TPID 802.1Q (C-tag)
          e0 14     # PCP 7, DEI 0, VID 20
          08 00     # EtherType IPv4
        `,
        IPV4_TCP,
        TCP_SYN,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'vlan', 'vlan', 'ipv4', 'tcp']);
    expect([pkt.vlanOuter, pkt.vlanInner, pkt.vlanCount]).toEqual([10, 20, 2]);
    expect([pkt.vlanPcp, pkt.vlanInnerPcp, pkt.vlanDei, pkt.vlanInnerDei]).toEqual([1, 7, false, false]);
  });

  it('flags a tag cut short', () => {
    const pkt = decodeHex(cat(ADDRS, hex`81 00  00 64   # TPID, TCI; EtherType missing`));
    expect(pkt.layers).toEqual(['ethernet']);
    expect(pkt.issueCode).toBe('vlan-truncated');
    expect(pkt.issueMessage).toBe('vlan: tag needs 4 bytes, 2 captured at frame offset 14');
  });
});
