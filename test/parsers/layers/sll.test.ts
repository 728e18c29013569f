import { describe, expect, it } from 'vitest';
import { ipString, macString } from '../../../parsers/layers/format.js';
import { cat, decodeHex, hex, IPV4_TCP, TCP_SYN } from './hex.js';

/** SLL header for a packet of `type` carrying `proto`. */
function sll(type: string, proto: string, hatype = '00 01') {
  return hex`
    ${type}                    # packet type
    ${hatype}                  # ARPHRD type (1 = Ethernet)
    00 06                      # link-layer address length 6
    02 00 00 00 00 01 00 00    # address 02:00:00:00:00:01, padded to 8
    ${proto}                   # protocol
  `;
}

describe('sll (linktype 113)', () => {
  it('outgoing packet → direction out, IPv4/TCP decoded', () => {
    const pkt = decodeHex(cat(sll('00 04', '08 00'), IPV4_TCP, TCP_SYN), 113);
    expect(pkt.layers).toEqual(['sll', 'ipv4', 'tcp']);
    expect(pkt.pktType).toBe(4);
    expect(pkt.direction).toBe('out');
    expect(pkt.hatype).toBe(1);
    expect(macString(pkt.buf, pkt.macSrcOff)).toBe('02:00:00:00:00:01');
    expect(ipString(pkt.buf, pkt.srcOff, 4)).toBe('192.0.2.1');
  });

  it.each([
    ['00 00', 0],
    ['00 01', 1],
    ['00 02', 2],
    ['00 03', 3],
  ])('packet type %s → direction in', (t, n) => {
    const pkt = decodeHex(cat(sll(t, '08 00'), IPV4_TCP, TCP_SYN), 113);
    expect(pkt.pktType).toBe(n);
    expect(pkt.direction).toBe('in');
  });

  it('unknown packet type → direction null', () => {
    const pkt = decodeHex(cat(sll('00 07', '08 00'), IPV4_TCP, TCP_SYN), 113);
    expect(pkt.direction).toBeNull();
  });

  it('decodes ARP (as in linuxsll-arp.pcap)', () => {
    const pkt = decodeHex(
      cat(
        sll('00 01', '08 06'),
        hex`
          00 01 08 00 06 04 00 02          # Ethernet/IPv4 ARP reply
          02 00 00 00 00 01 c0 00 02 01    # sender
          02 00 00 00 00 02 c0 00 02 02    # target
        `,
      ),
      113,
    );
    expect(pkt.layers).toEqual(['sll', 'arp']);
    expect(pkt.arpOp).toBe(2);
  });

  it('does not read netlink families as EtherTypes', () => {
    const pkt = decodeHex(cat(sll('00 04', '00 00', '03 38'), hex`14 00 00 00`), 113);
    expect(pkt.layers).toEqual(['sll']);
    expect(pkt.etherType).toBe(-1);
    expect(pkt.issueCode).toBeNull();
  });

  it('flags a truncated header', () => {
    const pkt = decodeHex(sll('00 00', '08 00'), 113, 15);
    expect(pkt.layers).toEqual([]);
    expect(pkt.issueCode).toBe('sll-truncated');
  });
});
