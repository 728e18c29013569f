/**
 * Throughput: one million synthetic Ethernet/IPv4/TCP frames (1024 distinct
 * frames with timestamp options and 100-byte payloads, laid out in one buffer as a
 * capture reader would hand them over) through decodeFrame with one reused packet.
 * The design target is well under 1 s. The assertion is on process CPU time (wall
 * time on a shared, loaded machine measures the neighbours); both are printed.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../parsers/layers/decode.js';
import { flowKey } from '../../../parsers/layers/flowkey.js';
import { DecodedPacket } from '../../../parsers/layers/packet.js';
import { cat, ETH_IPV4, ETH_IPV6, hex, IPV4_TCP, IPV6_TCP, TCP_SYN } from './hex.js';

const FRAMES = 1024;
const TOTAL = 1_000_000;

function frame(i: number): Buffer {
  const f = cat(
    ETH_IPV4,
    hex`
      45 00 00 98 00 00 40 00 40 06 00 00   # IPv4, total 152 (20 + 32 + 100), TCP
      0a 00 00 00  0a 00 00 00               # 10.0.x.x → 10.0.x.x (set below)
      00 00 01 bb 00 00 00 00 00 00 00 00    # TCP ports (set below) → 443, seq, ack
      80 18 01 f5 00 00 00 00                # data offset 8, PSH ACK, window 501
      01 01 08 0a 00 00 00 01 00 00 00 02    # NOP NOP timestamps
    `,
    Buffer.alloc(100, 0x17),
  );
  f.writeUInt16BE(i, 14 + 14);
  f.writeUInt16BE(i ^ 0x5a5a, 14 + 18);
  f.writeUInt16BE(1024 + i, 14 + 20);
  return f;
}

describe('decode throughput', () => {
  it('decodes 1e6 Ethernet/IPv4/TCP frames', () => {
    const frames = Array.from({ length: FRAMES }, (_, i) => frame(i));
    const len = frames[0].length;
    const buf = Buffer.concat(frames);
    const pkt = new DecodedPacket();
    const run = (withKey: boolean) => {
      let check = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let n = 0; n < TOTAL; n++) {
        decodeFrame(pkt, buf, (n & (FRAMES - 1)) * len, len, 1);
        check += pkt.sport + pkt.payloadLen;
        if (withKey) check += flowKey(pkt)!.length;
      }
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000, check };
    };
    run(false); // warm-up
    const plain = run(false);
    const keyed = run(true);
    console.log(
      `decodeFrame: ${TOTAL} Ethernet/IPv4/TCP frames in ${plain.cpuMs.toFixed(0)} ms CPU ` +
        `(${plain.ms.toFixed(0)} ms wall, ${((plain.cpuMs * 1e6) / TOTAL).toFixed(0)} ns/frame); ` +
        `with flowKey: ${keyed.cpuMs.toFixed(0)} ms CPU (${keyed.ms.toFixed(0)} ms wall)`,
    );
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    let want = 0;
    for (let n = 0; n < TOTAL; n++) want += 1024 + (n & (FRAMES - 1)) + 100; // sport + payloadLen
    expect(plain.check).toBe(want);
    expect(plain.cpuMs).toBeLessThan(1000);
  });

  it('allocates nothing per packet (heap does not grow over 200k decodes)', () => {
    const udp = hex`
      45 00 00 1c 00 00 00 00 40 11 00 00 c0 00 02 01 c6 33 64 02   # IPv4 UDP
      d4 31 00 35 00 08 00 00                                       # UDP, length 8
    `;
    const sll2 = hex`08 00 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 01 00 00   # SLL2 IPv4 in`;
    const vlan = hex`02 00 00 00 00 02 02 00 00 00 00 01 81 00 20 0a 86 dd   # Ethernet + 802.1Q → IPv6`;
    const frames: Array<[Buffer, number]> = [
      [cat(ETH_IPV4, IPV4_TCP, TCP_SYN), 1],
      [cat(ETH_IPV6, IPV6_TCP, TCP_SYN), 1],
      [cat(sll2, udp), 276],
      [cat(vlan, IPV6_TCP, TCP_SYN), 1],
      [frame(7), 1],
    ];
    const pkt = new DecodedPacket();
    const loop = (n: number) => {
      for (let i = 0; i < n; i++) {
        const [f, lt] = frames[i % frames.length];
        decodeFrame(pkt, f, 0, f.length, lt);
      }
    };
    loop(50_000); // warm up (JIT, array growth)
    // The least of three runs: the test runner's own allocations in between (seen in CI:
    // 258 KB once) must not pass for the decoder's.
    let grown = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const before = process.memoryUsage().heapUsed;
      loop(200_000);
      grown = Math.min(grown, process.memoryUsage().heapUsed - before);
    }
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    // 200k packets × even 16 bytes would be 3.2 MB.
    expect(grown).toBeLessThan(256 * 1024);
  });
});
