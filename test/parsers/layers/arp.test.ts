import { describe, expect, it } from 'vitest';
import { ipString, macString } from '../../../parsers/layers/format.js';
import { cat, decodeHex, hex } from './hex.js';

const ETH_ARP = hex`
  ff ff ff ff ff ff   # destination broadcast
  02 00 00 00 00 01   # source
  08 06               # EtherType ARP
`;

describe('arp', () => {
  it('request: sender/target offsets', () => {
    const pkt = decodeHex(
      cat(
        ETH_ARP,
        hex`
          00 01 08 00 06 04   # Ethernet, IPv4, hlen 6, plen 4
          00 01               # request
          02 00 00 00 00 01   # sender MAC
          c0 00 02 01         # sender IP 192.0.2.1
          00 00 00 00 00 00   # target MAC (unknown)
          c0 00 02 64         # target IP 192.0.2.100 (who has?)
        `,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'arp']);
    expect(pkt.arpOp).toBe(1);
    expect(macString(pkt.buf, pkt.arpSenderMacOff)).toBe('02:00:00:00:00:01');
    expect(ipString(pkt.buf, pkt.arpSenderIpOff, 4)).toBe('192.0.2.1');
    expect(ipString(pkt.buf, pkt.arpTargetIpOff, 4)).toBe('192.0.2.100');
    expect(pkt.arpGratuitous).toBe(false);
  });

  it('reply', () => {
    const pkt = decodeHex(
      cat(
        ETH_ARP,
        hex`
          00 01 08 00 06 04 00 02           # reply
          02 00 00 00 00 64 c0 00 02 64     # 192.0.2.100 is at 02:..:64
          02 00 00 00 00 01 c0 00 02 01     # to 192.0.2.1
        `,
      ),
    );
    expect(pkt.arpOp).toBe(2);
    expect(macString(pkt.buf, pkt.arpSenderMacOff)).toBe('02:00:00:00:00:64');
    expect(macString(pkt.buf, pkt.arpTargetMacOff)).toBe('02:00:00:00:00:01');
  });

  it('gratuitous: sender IP equals target IP', () => {
    const pkt = decodeHex(
      cat(
        ETH_ARP,
        hex`
          00 01 08 00 06 04 00 01           # request (announcement)
          02 00 00 00 00 64 c0 00 02 64     # sender 192.0.2.100
          ff ff ff ff ff ff c0 00 02 64     # target 192.0.2.100
        `,
      ),
    );
    expect(pkt.arpGratuitous).toBe(true);
    expect(pkt.issueCode).toBeNull();
  });

  it('RARP (EtherType 0x8035) uses the same decoder', () => {
    const pkt = decodeHex(
      cat(
        hex`ff ff ff ff ff ff  02 00 00 00 00 01  80 35   # broadcast, source, EtherType RARP`,
        hex`
          00 01 08 00 06 04 00 03           # RARP request
          02 00 00 00 00 01 00 00 00 00     # sender MAC, IP unknown
          02 00 00 00 00 01 00 00 00 00     # target: who am I?
        `,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'arp']);
    expect(pkt.arpOp).toBe(3);
  });

  it('flags non-Ethernet/IPv4 ARP', () => {
    const pkt = decodeHex(
      cat(ETH_ARP, hex`00 01 86 dd 06 10 00 01   # protocol IPv6, plen 16`, Buffer.alloc(44)),
    );
    expect(pkt.layers).toEqual(['ethernet', 'arp']);
    expect(pkt.issueCode).toBe('arp-unsupported');
    expect(pkt.issueMessage).toBe('arp: hardware 1/6, protocol 0x86dd/16 not decoded at frame offset 14');
    expect(pkt.arpSenderIpOff).toBe(-1);
  });

  it('flags truncated addresses', () => {
    const pkt = decodeHex(cat(ETH_ARP, hex`00 01 08 00 06 04 00 01  02 00 00 00 00 01   # cut in sender IP`));
    expect(pkt.issueCode).toBe('arp-truncated');
    expect(pkt.layers).toEqual(['ethernet']);
  });
});
