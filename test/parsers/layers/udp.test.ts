import { describe, expect, it } from 'vitest';
import { cat, decodeHex, ETH_IPV4, hex } from './hex.js';

/** IPv4/UDP header pair: IP total length and fragment field given. */
function ipUdp(total: string, udpLen: string, frag = '00 00') {
  return hex`
    45 00 ${total}   # v4, IHL 5, total length
    00 07 ${frag}    # id 7, flags/fragment
    40 11 00 00      # TTL 64, UDP
    c0 00 02 01      # 192.0.2.1
    c6 33 64 02      # 198.51.100.2
    d4 31            # UDP source port 54321
    00 35            # destination port 53
    ${udpLen}        # UDP length
    00 00            # checksum
  `;
}

describe('udp', () => {
  it('decodes ports and payload', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ipUdp('00 20', '00 0c   # 8 + 4'), hex`ab cd ef 01  # data`));
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'udp']);
    expect([pkt.sport, pkt.dport, pkt.udpLength]).toEqual([54321, 53, 12]);
    expect([pkt.payloadOff, pkt.payloadLen, pkt.payloadWireLen]).toEqual([42, 4, 4]);
  });

  it('flags a length < 8 (ports kept)', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ipUdp('00 1c', '00 04   # 4 < 8')));
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'udp']);
    expect(pkt.issueCode).toBe('udp-bad-length');
    expect(pkt.issueMessage).toBe('udp: length 4 < 8 at frame offset 38');
    expect(pkt.sport).toBe(54321);
  });

  it('flags a length beyond the IP payload', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ipUdp('00 1c', '00 40   # 64 > 8')));
    expect(pkt.issueCode).toBe('udp-bad-length');
  });

  it('allows a length beyond a first fragment', () => {
    const pkt = decodeHex(
      cat(ETH_IPV4, ipUdp('00 20', '05 dc   # 1500: whole datagram', '20 00   # MF'), hex`00 00 00 00`),
    );
    expect(pkt.issueCode).toBeNull();
    expect([pkt.payloadLen, pkt.payloadWireLen]).toEqual([4, 1492]);
  });

  it('flags a header cut by the capture', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ipUdp('00 1c', '00 08')), 1, 14 + 20 + 6);
    expect(pkt.issueCode).toBe('udp-truncated');
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
  });
});
