import { describe, expect, it } from 'vitest';
import { TCP } from '../../../parsers/layers/packet.js';
import { cat, decodeHex, ETH_IPV4, hex } from './hex.js';

/** IPv4 header for a TCP segment of `len` bytes (header + data). */
function ip(len: number) {
  const h = hex`
    45 00 00 00     # v4, IHL 5, total length (set below)
    00 01 40 00     # id 1, DF
    40 06 00 00     # TTL 64, TCP
    c0 00 02 01     # 192.0.2.1
    c6 33 64 02     # 198.51.100.2
  `;
  h.writeUInt16BE(20 + len, 2);
  return h;
}

/** TCP header with data offset byte `doff`, flags and options. */
function tcp(doff: string, flags: string, options = '') {
  return hex`
    c0 00           # source port 49152
    01 bb           # destination port 443
    00 00 03 e8     # seq 1000
    00 00 07 d0     # ack 2000
    ${doff}         # data offset (high nibble)
    ${flags}        # flags
    ff ff           # window 65535
    00 00 00 00     # checksum, urgent
    ${options}
  `;
}

const SYN_OPTS = tcp(
  'a0   # data offset 10 (40 bytes)',
  '02   # SYN',
  `02 04 05 b4            # MSS 1460
   04 02                  # SACK permitted
   08 0a 00 00 00 64 00 00 00 00   # timestamps val 100 ecr 0
   01                     # NOP
   03 03 07               # window scale 7`,
);

describe('tcp', () => {
  it('decodes ports, seq/ack, flags, window and SYN options', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(40), SYN_OPTS));
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect([pkt.sport, pkt.dport, pkt.seq, pkt.ack, pkt.window]).toEqual([49152, 443, 1000, 2000, 65535]);
    expect(pkt.tcpFlags).toBe(TCP.SYN);
    expect(pkt.tcpHeaderLen).toBe(40);
    expect([pkt.mss, pkt.wscale, pkt.sackPermitted, pkt.tsVal, pkt.tsEcr]).toEqual([1460, 7, true, 100, 0]);
    expect([pkt.payloadOff, pkt.payloadLen, pkt.payloadWireLen]).toEqual([74, 0, 0]);
  });

  it('decodes SACK blocks and payload', () => {
    const seg = cat(
      tcp(
        '80   # data offset 8 (32 bytes)',
        '18   # PSH ACK',
        `01 01                  # NOP NOP
         05 0a 00 00 0b b8 00 00 0f a0   # SACK one block 3000-4000`,
      ),
      hex`68 65 6c 6c 6f   # "hello"`,
    );
    const pkt = decodeHex(cat(ETH_IPV4, ip(37), seg));
    expect(pkt.tcpFlags).toBe(TCP.PSH | TCP.ACK);
    expect(pkt.sackBlocks).toBe(1);
    expect(pkt.buf.readUInt32BE(pkt.sackOff)).toBe(3000);
    expect(pkt.buf.readUInt32BE(pkt.sackOff + 4)).toBe(4000);
    expect(pkt.buf.toString('latin1', pkt.payloadOff, pkt.payloadOff + pkt.payloadLen)).toBe('hello');
    expect(pkt.payloadWireLen).toBe(5);
  });

  it('bounds the payload by caplen but reports the declared length', () => {
    const frame = cat(ETH_IPV4, ip(20 + 1000), tcp('50', '10'), Buffer.alloc(1000));
    const pkt = decodeHex(frame, 1, 14 + 20 + 20 + 96); // snaplen 150
    expect(pkt.issueCode).toBeNull();
    expect([pkt.payloadLen, pkt.payloadWireLen]).toEqual([96, 1000]);
  });

  it('flags data offset < 5 (layer not listed)', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(20), tcp('30   # data offset 3 (12 bytes)', '02')));
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
    expect(pkt.issueCode).toBe('tcp-bad-data-offset');
    expect(pkt.issueMessage).toBe('tcp: data offset 12 bytes < 20 at frame offset 46');
    expect(pkt.sport).toBe(-1);
  });

  it('flags a data offset beyond the segment', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(20), tcp('f0   # 60 bytes, segment has 20', '02')));
    expect(pkt.issueCode).toBe('tcp-bad-data-offset');
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
  });

  it('flags a header cut by the capture', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(20), tcp('50', '02')), 1, 14 + 20 + 12);
    expect(pkt.issueCode).toBe('tcp-truncated');
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
  });

  it('flags a header longer than the IP payload as a bad length', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(12), tcp('50', '02')));
    expect(pkt.issueCode).toBe('tcp-bad-length');
  });

  it('options cut by the capture: fixed fields valid, layer listed', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(40), SYN_OPTS), 1, 14 + 20 + 24);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(pkt.issueCode).toBe('tcp-truncated');
    expect(pkt.sport).toBe(49152);
    expect(pkt.mss).toBe(-1);
  });

  it('flags an option with a bad length', () => {
    const pkt = decodeHex(
      cat(ETH_IPV4, ip(24), tcp('60   # 24 bytes', '02', '02 00 00 00   # MSS with length 0')),
    );
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(pkt.issueCode).toBe('tcp-bad-option');
    expect(pkt.issueMessage).toBe('tcp: option 2 length 0 is invalid at frame offset 54');
  });

  it('flags an option running past the header', () => {
    const pkt = decodeHex(
      cat(ETH_IPV4, ip(24), tcp('60', '02', '01 08 0a 00   # NOP, timestamps len 10 > 3 left')),
    );
    expect(pkt.issueCode).toBe('tcp-bad-option');
  });
});
