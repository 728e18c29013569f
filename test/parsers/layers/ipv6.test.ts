import { describe, expect, it } from 'vitest';
import { ipString } from '../../../parsers/layers/format.js';
import { IPV6_EXT } from '../../../parsers/layers/packet.js';
import { cat, decodeHex, ETH_IPV6, hex, IPV6_TCP, TCP_SYN } from './hex.js';

/** IPv6 header with payload length and next header. */
function ip6(plen: string, nh: string) {
  return hex`
    60 00 00 00         # version 6
    ${plen}             # payload length
    ${nh}               # next header
    40                  # hop limit 64
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
  `;
}

describe('ipv6', () => {
  it('decodes the fixed header', () => {
    const pkt = decodeHex(cat(ETH_IPV6, IPV6_TCP, TCP_SYN));
    expect(pkt.layers).toEqual(['ethernet', 'ipv6', 'tcp']);
    expect(ipString(pkt.buf, pkt.srcOff, 6)).toBe('2001:db8::1');
    expect(ipString(pkt.buf, pkt.dstOff, 6)).toBe('2001:db8::2');
    expect([pkt.ttl, pkt.ipProto, pkt.ipTotalLen, pkt.ipHeaderLen]).toEqual([64, 6, 60, 40]);
  });

  it('walks hop-by-hop, destination options, routing, fragment (first) and AH to TCP', () => {
    const frame = cat(
      ETH_IPV6,
      ip6('00 50   # payload 80 = 8 + 8 + 24 + 8 + 12 + 20', '00   # hop-by-hop'),
      hex`
        3c 00 01 04 00 00 00 00   # HBH: next dest-opts(60), len 0 (8 bytes), PadN
        2b 00 01 04 00 00 00 00   # dest opts: next routing(43), len 0, PadN
        2c 02 00 01 00 00 00 00   # routing: next fragment(44), len 2 (24 bytes), type 0, segs left 1
        20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 03   #   address 2001:db8::3
        33 00 00 01 00 00 00 2a   # fragment: next AH(51), offset 0, M=1, id 42
        06 01 00 00 00 00 01 00   # AH: next TCP, len 1 → (1+2)*4 = 12 bytes, SPI 256
        00 00 00 01               #   sequence 1
      `,
      TCP_SYN,
    );
    const pkt = decodeHex(frame);
    expect(pkt.issueMessage).toBeNull();
    expect(pkt.layers).toEqual(['ethernet', 'ipv6', 'tcp']);
    expect(pkt.ipv6Ext).toBe(
      IPV6_EXT.HOP_BY_HOP | IPV6_EXT.DEST_OPTS | IPV6_EXT.ROUTING | IPV6_EXT.FRAGMENT | IPV6_EXT.AH,
    );
    expect(pkt.ipHeaderLen).toBe(40 + 60);
    expect([pkt.fragment, pkt.moreFragments, pkt.fragOffset, pkt.ipId]).toEqual([true, true, 0, 42]);
    expect(pkt.sport).toBe(49152);
  });

  it('a non-first fragment stops after the IPv6 layer', () => {
    const pkt = decodeHex(
      cat(
        ETH_IPV6,
        ip6('00 18', '2c   # fragment'),
        hex`
          06 00 05 a8 00 00 00 2a   # fragment: next TCP, offset 181*8 = 1448, M=0, id 42
          00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # fragment data
        `,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'ipv6']);
    expect([pkt.fragment, pkt.fragOffset, pkt.moreFragments, pkt.ipProto]).toEqual([true, 1448, false, 6]);
  });

  it('an atomic fragment (offset 0, M=0) is not a fragment', () => {
    const pkt = decodeHex(
      cat(
        ETH_IPV6,
        ip6('00 1c', '2c'),
        hex`06 00 00 00 00 00 00 07   # fragment hdr, offset 0, M=0`,
        TCP_SYN,
      ),
    );
    expect(pkt.fragment).toBe(false);
    expect(pkt.layers).toEqual(['ethernet', 'ipv6', 'tcp']);
  });

  it('flags an extension header running past the end of the packet', () => {
    const pkt = decodeHex(
      cat(
        ETH_IPV6,
        ip6('00 10   # payload 16', '00   # hop-by-hop'),
        hex`
          06 04 01 02 00 00 00 00   # HBH, len 4 → 40 bytes: more than the 16-byte payload
          00 00 00 00 00 00 00 00
        `,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'ipv6']);
    expect(pkt.issueCode).toBe('ipv6-bad-ext-length');
    expect(pkt.issueMessage).toBe(
      'ipv6: extension header 0 of 40 bytes runs past the packet at frame offset 54',
    );
    expect(pkt.ipProto).toBe(-1);
  });

  it('flags an extension header cut by the capture as truncated', () => {
    const frame = cat(
      ETH_IPV6,
      ip6('00 1c', '3c   # dest opts'),
      hex`06 00 01 04 00 00 00 00   # dest opts, 8 bytes`,
      TCP_SYN,
    );
    const pkt = decodeHex(frame, 1, 14 + 40 + 4);
    expect(pkt.issueCode).toBe('ipv6-truncated');
    expect(pkt.layers).toEqual(['ethernet', 'ipv6']);
  });

  it('no next header (59) ends the chain', () => {
    const pkt = decodeHex(cat(ETH_IPV6, ip6('00 00', '3b   # no next header')));
    expect(pkt.layers).toEqual(['ethernet', 'ipv6']);
    expect(pkt.ipProto).toBe(59);
    expect(pkt.issueCode).toBeNull();
  });

  it('flags a header cut short and a wrong version', () => {
    expect(decodeHex(cat(ETH_IPV6, IPV6_TCP), 1, 14 + 39).issueCode).toBe('ipv6-truncated');
    const v4 = decodeHex(cat(ETH_IPV6, hex`45 00 00 14`, Buffer.alloc(36)));
    expect(v4.issueCode).toBe('ipv6-bad-version');
    expect(v4.layers).toEqual(['ethernet']);
  });
});
