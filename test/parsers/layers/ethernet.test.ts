import { describe, expect, it } from 'vitest';
import { macString } from '../../../parsers/layers/format.js';
import { cat, decodeHex, ETH_IPV4, hex, IPV4_TCP, TCP_SYN } from './hex.js';

describe('ethernet', () => {
  it('decodes Ethernet II → IPv4 → TCP', () => {
    const pkt = decodeHex(cat(ETH_IPV4, IPV4_TCP, TCP_SYN));
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(macString(pkt.buf, pkt.macDstOff)).toBe('02:00:00:00:00:02');
    expect(macString(pkt.buf, pkt.macSrcOff)).toBe('02:00:00:00:00:01');
    expect(pkt.etherType).toBe(0x0800);
    expect(pkt.ethLength).toBe(-1);
    expect(pkt.issueCode).toBeNull();
  });

  it('excludes link padding from the payload (IP length bounds it)', () => {
    const frame = cat(ETH_IPV4, IPV4_TCP, TCP_SYN, hex`00 00 00 00 00 00  # 6 bytes of padding to 60`);
    const pkt = decodeHex(frame);
    expect(frame.length).toBe(60);
    expect(pkt.payloadLen).toBe(0);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
  });

  it('flags a header cut short by the capture', () => {
    const pkt = decodeHex(ETH_IPV4, 1, 10);
    expect(pkt.layers).toEqual([]);
    expect(pkt.issueCode).toBe('ethernet-truncated');
    expect(pkt.issueMessage).toBe('ethernet: header needs 14 bytes, 10 captured at frame offset 0');
  });

  it('stops without an issue on an EtherType it does not decode (LLDP)', () => {
    const pkt = decodeHex(hex`
      01 80 c2 00 00 0e   # destination: LLDP multicast
      02 00 00 00 00 01   # source
      88 cc               # EtherType LLDP
      02 07 04 00 00 00 00 00 01   # chassis id TLV (not decoded)
    `);
    expect(pkt.layers).toEqual(['ethernet']);
    expect(pkt.etherType).toBe(0x88cc);
    expect(pkt.issueCode).toBeNull();
  });

  it('follows 802.3 + LLC/SNAP to ARP (as in snap-arp.pcapng)', () => {
    const pkt = decodeHex(hex`
      ff ff ff ff ff ff   # destination broadcast
      02 00 00 00 00 01   # source
      00 24               # 802.3 length 36 (LLC 3 + SNAP 5 + ARP 28)
      aa aa 03            # LLC: DSAP SNAP, SSAP SNAP, control UI
      00 00 00            # SNAP OUI 00-00-00 (EtherType follows)
      08 06               # SNAP type ARP
      00 01 08 00 06 04 00 01          # ARP: Ethernet/IPv4, request
      02 00 00 00 00 01 c0 00 02 01    # sender 02:..:01 192.0.2.1
      00 00 00 00 00 00 c0 00 02 02    # target ?, 192.0.2.2
      00 00 00 00 00 00 00 00 00 00    # padding beyond the 802.3 length
    `);
    expect(pkt.layers).toEqual(['ethernet', 'llc', 'arp']);
    expect(pkt.ethLength).toBe(36);
    expect(pkt.etherType).toBe(0x0806);
    expect(pkt.arpOp).toBe(1);
    expect(pkt.issueCode).toBeNull();
  });

  it('stops after LLC for non-SNAP SAPs (STP)', () => {
    const pkt = decodeHex(hex`
      01 80 c2 00 00 00   # destination: STP multicast
      02 00 00 00 00 01   # source
      00 26               # 802.3 length 38
      42 42 03            # LLC: DSAP STP, SSAP STP, control UI
      00 00 00 00         # BPDU (not decoded)
    `);
    expect(pkt.layers).toEqual(['ethernet', 'llc']);
    expect(pkt.etherType).toBe(-1);
    expect(pkt.issueCode).toBeNull();
  });

  it('stops after LLC for a vendor SNAP OUI (Cisco CDP)', () => {
    const pkt = decodeHex(hex`
      01 00 0c cc cc cc  02 00 00 00 00 01   # CDP multicast, source
      00 10                                 # 802.3 length 16
      aa aa 03  00 00 0c  20 00             # LLC/SNAP, OUI Cisco, type CDP
      02 b4 00 00 00 00 00 00               # CDP (not decoded)
    `);
    expect(pkt.layers).toEqual(['ethernet', 'llc']);
    expect(pkt.issueCode).toBeNull();
  });

  it('flags a truncated SNAP header', () => {
    const pkt = decodeHex(hex`
      ff ff ff ff ff ff  02 00 00 00 00 01   # addresses
      00 24                                 # 802.3 length 36
      aa aa 03  00 00                       # LLC, SNAP cut after 2 bytes
    `);
    expect(pkt.layers).toEqual(['ethernet', 'llc']);
    expect(pkt.issueCode).toBe('llc-truncated');
    expect(pkt.issueMessage).toContain('at frame offset 17');
  });

  it('flags a type/length value that is neither (0x0600 > v > 1500)', () => {
    const pkt = decodeHex(hex`
      02 00 00 00 00 02  02 00 00 00 00 01   # addresses
      05 ff                                 # 1535: invalid
      00 00 00 00
    `);
    expect(pkt.layers).toEqual(['ethernet']);
    expect(pkt.issueCode).toBe('ethernet-bad-type');
    expect(pkt.issueMessage).toBe('ethernet: type/length 0x5ff is neither at frame offset 12');
  });
});
