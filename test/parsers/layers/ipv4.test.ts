import { describe, expect, it } from 'vitest';
import { ipString } from '../../../parsers/layers/format.js';
import { cat, decodeHex, ETH_IPV4, hex, IPV4_TCP, TCP_SYN } from './hex.js';

/** IPv4 header with the given first byte, total length, flags/fragment and protocol. */
function ip(b0: string, total: string, frag = '40 00', proto = '06', options = '') {
  return hex`
    ${b0}          # version / IHL
    00             # DSCP/ECN
    ${total}       # total length
    ab cd          # identification 0xabcd
    ${frag}        # flags + fragment offset
    40 ${proto}    # TTL 64, protocol
    00 00          # checksum
    c0 00 02 01    # source 192.0.2.1
    c6 33 64 02    # destination 198.51.100.2
    ${options}
  `;
}

describe('ipv4', () => {
  it('decodes the header fields', () => {
    const pkt = decodeHex(cat(ETH_IPV4, IPV4_TCP, TCP_SYN));
    expect(pkt.ipVersion).toBe(4);
    expect(ipString(pkt.buf, pkt.srcOff, 4)).toBe('192.0.2.1');
    expect(ipString(pkt.buf, pkt.dstOff, 4)).toBe('198.51.100.2');
    expect([pkt.ttl, pkt.ipProto, pkt.ipId, pkt.ipTotalLen, pkt.ipHeaderLen]).toEqual([
      64, 6, 0x1234, 40, 20,
    ]);
    expect(pkt.dontFragment).toBe(true);
    expect(pkt.fragment).toBe(false);
  });

  it('skips well-formed options (NOP, router alert, EOL)', () => {
    const frame = cat(
      ETH_IPV4,
      ip(
        '47           # IHL 7 (28 bytes)',
        '00 30        # total 48',
        '40 00',
        '06',
        `01           # NOP
         94 04 00 00  # router alert, length 4
         00 00 00     # EOL + padding`,
      ),
      TCP_SYN,
    );
    const pkt = decodeHex(frame);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(pkt.ipOptionsLen).toBe(8);
    expect(pkt.l4Off).toBe(14 + 28);
  });

  it('flags an option whose length runs past the header (layer kept, stops)', () => {
    const frame = cat(
      ETH_IPV4,
      ip('46   # IHL 6', '00 2c', '40 00', '06', '07 09 00 00  # record route, length 9 > 4 left'),
      TCP_SYN,
    );
    const pkt = decodeHex(frame);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
    expect(pkt.issueCode).toBe('ipv4-bad-option');
    expect(pkt.issueMessage).toBe('ipv4: option 7 length 9 runs past the header at frame offset 34');
    expect(pkt.srcOff).toBe(26);
  });

  it('flags IHL < 5', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip('44   # IHL 4 (16 bytes): invalid', '00 28'), TCP_SYN));
    expect(pkt.layers).toEqual(['ethernet']);
    expect(pkt.issueCode).toBe('ipv4-bad-ihl');
    expect(pkt.issueMessage).toBe('ipv4: header length 16 < 20 at frame offset 14');
    expect(pkt.srcOff).toBe(-1);
  });

  it('flags a total length smaller than the header', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip('45', '00 10   # total 16 < 20'), TCP_SYN));
    expect(pkt.issueCode).toBe('ipv4-bad-total-length');
    expect(pkt.issueMessage).toContain('at frame offset 16');
    expect(pkt.layers).toEqual(['ethernet']);
  });

  it('flags a header cut by the capture, and options cut by the capture', () => {
    expect(decodeHex(cat(ETH_IPV4, IPV4_TCP), 1, 14 + 19).issueCode).toBe('ipv4-truncated');
    const opts = decodeHex(cat(ETH_IPV4, ip('4f   # IHL 15 (60 bytes)', '00 50')), 1);
    expect(opts.issueCode).toBe('ipv4-truncated');
    expect(opts.issueMessage).toBe(
      'ipv4: header with options needs 60 bytes, 20 captured at frame offset 14',
    );
  });

  it('flags a wrong version', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip('65', '00 28'), TCP_SYN));
    expect(pkt.issueCode).toBe('ipv4-bad-version');
  });

  it('total length 0 (TSO) uses the captured length', () => {
    const pkt = decodeHex(
      cat(ETH_IPV4, ip('45', '00 00   # TSO: 0'), TCP_SYN, hex`de ad be ef  # 4 data bytes`),
    );
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(pkt.ipTotalLen).toBe(44);
    expect(pkt.payloadLen).toBe(4);
  });

  it('first fragment (MF, offset 0) still carries the transport header', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip('45', '00 28', '20 00   # MF, offset 0'), TCP_SYN));
    expect(pkt.fragment).toBe(true);
    expect(pkt.moreFragments).toBe(true);
    expect(pkt.fragOffset).toBe(0);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
  });

  it('non-first fragment carries no transport header', () => {
    const pkt = decodeHex(
      cat(ETH_IPV4, ip('45', '00 28', '00 b9   # offset 185 (1480 bytes), last'), TCP_SYN),
    );
    expect(pkt.fragment).toBe(true);
    expect(pkt.moreFragments).toBe(false);
    expect(pkt.fragOffset).toBe(1480);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
    expect(pkt.sport).toBe(-1);
    expect(pkt.ipProto).toBe(6);
  });
});
