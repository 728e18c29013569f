import { describe, expect, it } from 'vitest';
import { flowForward, flowHash, flowKey } from '../../../parsers/layers/flowkey.js';
import { cat, decodeHex, ETH_IPV4, ETH_IPV6, hex } from './hex.js';

/** IPv4/TCP frame between two endpoints (a.b.c.d as hex, port as hex). */
function v4(src: string, sport: string, dst: string, dport: string) {
  return cat(
    ETH_IPV4,
    hex`45 00 00 28 00 00 40 00 40 06 00 00   # IPv4, total 40, TCP`,
    hex(src),
    hex(dst),
    hex(sport),
    hex(dport),
    hex`00 00 00 00 00 00 00 00 50 10 ff ff 00 00 00 00   # rest of TCP (ACK)`,
  );
}

const A = 'c0 00 02 01'; // 192.0.2.1
const B = 'c6 33 64 02'; // 198.51.100.2

describe('flow keys', () => {
  it('both directions share one key; flowForward tells them apart', () => {
    const ab = decodeHex(v4(A, 'c0 00', B, '01 bb'));
    const k = flowKey(ab);
    const fwd = flowForward(ab);
    const ba = decodeHex(v4(B, '01 bb', A, 'c0 00'));
    expect(flowKey(ba)).toBe(k);
    expect(flowForward(ba)).toBe(!fwd);
    expect(flowForward(ab)).toBe(true); // 192.0.2.1 < 198.51.100.2
    expect(flowHash(ab)).toBe(flowHash(ba));
    expect(k?.length).toBe(7);
  });

  it('differs by port, address and protocol', () => {
    const k = flowKey(decodeHex(v4(A, 'c0 00', B, '01 bb')));
    expect(flowKey(decodeHex(v4(A, 'c0 01', B, '01 bb')))).not.toBe(k);
    expect(flowKey(decodeHex(v4('c0 00 02 02', 'c0 00', B, '01 bb')))).not.toBe(k);
    const udp = decodeHex(
      cat(
        ETH_IPV4,
        hex`45 00 00 1c 00 00 40 00 40 11 00 00   # IPv4, total 28, UDP`,
        hex(A),
        hex(B),
        hex`c0 00 01 bb 00 08 00 00   # UDP 49152 → 443, length 8`,
      ),
    );
    expect(udp.layers).toEqual(['ethernet', 'ipv4', 'udp']);
    expect(flowKey(udp)).not.toBe(k);
  });

  it('same address, different ports: ordered by port', () => {
    const p = decodeHex(v4(A, '00 50', A, '01 bb'));
    const q = decodeHex(v4(A, '01 bb', A, '00 50'));
    expect(flowKey(p)).toBe(flowKey(q));
    expect(flowForward(p)).toBe(true);
    expect(flowForward(q)).toBe(false);
  });

  it('IPv6 keys are 19 code units and symmetric', () => {
    const mk = (s: string, d: string) =>
      decodeHex(
        cat(
          ETH_IPV6,
          hex`60 00 00 00 00 08 11 40   # IPv6, payload 8, UDP`,
          hex(s),
          hex(d),
          hex`13 88 00 35 00 08 00 00   # UDP 5000 → 53, length 8`,
        ),
      );
    const s = '20010db8000000000000000000000001';
    const d = '20010db8000000000000000000000002';
    const x = mk(s, d);
    const y = mk(d, s);
    expect(flowKey(x)?.length).toBe(19);
    expect(flowKey(x)).not.toBe(flowKey(y)); // ports are not swapped in y: a different flow
    expect(flowHash(x)).not.toBe(0);
  });

  it('no IP endpoints → null / 0', () => {
    const arp = decodeHex(cat(hex`ff ff ff ff ff ff 02 00 00 00 00 01 08 06`, Buffer.alloc(28)));
    expect(flowKey(arp)).toBeNull();
    expect(flowHash(arp)).toBe(0);
  });
});
