import { describe, expect, it } from 'vitest';
import { flowKey, quotedFlowKey } from '../../../parsers/layers/flowkey.js';
import { ipString } from '../../../parsers/layers/format.js';
import { cat, decodeHex, ETH_IPV4, hex } from './hex.js';

/** IPv4 header 198.51.100.2 → 192.0.2.1 carrying ICMP of `len` bytes. */
function ip(len: number) {
  const h = hex`
    45 00 00 00     # v4, IHL 5, total (set below)
    00 02 00 00     # id 2
    40 01 00 00     # TTL 64, ICMP
    c6 33 64 02     # from the router/host 198.51.100.2
    c0 00 02 01     # to 192.0.2.1
  `;
  h.writeUInt16BE(20 + len, 2);
  return h;
}

/** The original datagram 192.0.2.1:54321 → 198.51.100.2:53 (UDP), as sent and as quoted. */
const ORIG_UDP = hex`
  45 00 00 24 00 07 00 00   # v4, IHL 5, total 36, id 7
  40 11 00 00               # TTL 64, UDP
  c0 00 02 01 c6 33 64 02   # 192.0.2.1 → 198.51.100.2
  d4 31 00 35 00 10 00 00   # UDP 54321 → 53, length 16
`;

describe('icmp', () => {
  it('echo request: id and sequence', () => {
    const pkt = decodeHex(
      cat(
        ETH_IPV4,
        ip(12),
        hex`08 00 00 00  12 34  00 07   # echo request id 0x1234 seq 7`,
        hex`61 62 63 64`,
      ),
    );
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'icmp']);
    expect([pkt.icmpType, pkt.icmpCode, pkt.icmpId, pkt.icmpSeq]).toEqual([8, 0, 0x1234, 7]);
    expect(pkt.quoted.valid).toBe(false);
  });

  it('port unreachable quotes the UDP datagram it reports on', () => {
    const icmp = cat(hex`03 03 00 00  00 00 00 00   # dest unreachable / port, unused`, ORIG_UDP);
    const pkt = decodeHex(cat(ETH_IPV4, ip(icmp.length), icmp));
    expect([pkt.icmpType, pkt.icmpCode]).toEqual([3, 3]);
    const q = pkt.quoted;
    expect(q.valid).toBe(true);
    expect([q.ipVersion, q.proto, q.sport, q.dport, q.seq, q.ipId]).toEqual([4, 17, 54321, 53, -1, 7]);
    expect(ipString(pkt.buf, q.srcOff, 4)).toBe('192.0.2.1');
    expect(ipString(pkt.buf, q.dstOff, 4)).toBe('198.51.100.2');
    // Joins the flow of the original datagram.
    const orig = decodeHex(cat(ETH_IPV4, ORIG_UDP, Buffer.alloc(8)));
    expect(quotedFlowKey(pkt)).toBe(flowKey(orig));
  });

  it('fragmentation needed carries the next-hop MTU', () => {
    const icmp = cat(hex`03 04 00 00  00 00 05 78   # frag needed, next-hop MTU 1400`, ORIG_UDP);
    const pkt = decodeHex(cat(ETH_IPV4, ip(icmp.length), icmp));
    expect(pkt.icmpMtu).toBe(1400);
    expect(pkt.quoted.valid).toBe(true);
  });

  it('time exceeded quoting TCP: ports and sequence number', () => {
    const icmp = hex`
      0b 00 00 00 00 00 00 00   # time exceeded in transit
      45 00 00 3c 00 09 40 00   # quoted IPv4, total 60, id 9
      01 06 00 00               # TTL 1, TCP
      c0 00 02 01 c6 33 64 02   # 192.0.2.1 → 198.51.100.2
      c0 00 01 bb 00 00 03 e8   # TCP 49152 → 443, seq 1000 (first 8 bytes only)
    `;
    const pkt = decodeHex(cat(ETH_IPV4, ip(icmp.length), icmp));
    expect([pkt.quoted.proto, pkt.quoted.sport, pkt.quoted.dport, pkt.quoted.seq]).toEqual([
      6, 49152, 443, 1000,
    ]);
  });

  it('flags a missing or malformed quoted header (ICMP layer kept)', () => {
    const icmp = hex`03 01 00 00 00 00 00 00  44 00 00 14   # host unreachable, quote with IHL 4, cut`;
    const pkt = decodeHex(cat(ETH_IPV4, ip(icmp.length), icmp));
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'icmp']);
    expect(pkt.issueCode).toBe('icmp-bad-quote');
    expect(pkt.issueMessage).toBe('icmp: quoted IPv4 header missing or malformed at frame offset 42');
    expect(pkt.quoted.valid).toBe(false);
  });

  it('flags a truncated header', () => {
    const pkt = decodeHex(cat(ETH_IPV4, ip(4), hex`08 00 00 00`));
    expect(pkt.issueCode).toBe('icmp-truncated');
    expect(pkt.layers).toEqual(['ethernet', 'ipv4']);
  });
});
