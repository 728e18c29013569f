/** tcp-handshake-incomplete: a SYN answered by an ICMP error is a failed handshake, and the error says why. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { icmpMeaning } from '../../rules/tcp-handshake-incomplete.js';
import { analyzeBundle } from '../../src/analyze.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('forensic-icmp-');

const ip = (s: string) => s.split('.').map(Number);
/** IPv4 header (no options, checksum 0: the decoder does not check it). */
function ipv4(proto: number, src: string, dst: string, payload: number): number[] {
  const len = 20 + payload;
  return [0x45, 0, len >> 8, len & 255, 0, 1, 0x40, 0, 64, proto, 0, 0, ...ip(src), ...ip(dst)];
}
/** TCP SYN header from `sport` to `dport`. */
function syn(sport: number, dport: number, seq: number): number[] {
  return [
    sport >> 8,
    sport & 255,
    dport >> 8,
    dport & 255,
    seq >>> 24,
    (seq >> 16) & 255,
    (seq >> 8) & 255,
    seq & 255,
    0,
    0,
    0,
    0,
    0x50,
    0x02,
    0xfa,
    0xf0,
    0,
    0,
    0,
    0,
  ];
}
const ETH = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];

/** A classic pcap of `frames`, one per second from `t0`. */
function pcap(frames: number[][], t0: number): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  const recs = frames.map((f, i) => {
    const r = Buffer.alloc(16 + f.length);
    r.writeUInt32LE(t0 + i, 0);
    r.writeUInt32LE(f.length, 8);
    r.writeUInt32LE(f.length, 12);
    Buffer.from(f).copy(r, 16);
    return r;
  });
  return Buffer.concat([head, ...recs]);
}

describe('tcp-handshake-incomplete', () => {
  it('takes a SYN answered by ICMP host unreachable as a failed handshake, and says so', async () => {
    const d = tmp();
    mkdirSync(join(d, 'client'));
    const frames: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const s = syn(40000 + i, 443, 1000 * (i + 1));
      frames.push([...ETH, ...ipv4(6, '10.0.0.5', '192.0.2.240', 20), ...s]);
      // The router answers: host unreachable, quoting the SYN's IP header and first 8 bytes.
      const quoted = [...ipv4(6, '10.0.0.5', '192.0.2.240', 20), ...s.slice(0, 8)];
      frames.push([
        ...ETH,
        ...ipv4(1, '10.0.0.1', '10.0.0.5', 8 + quoted.length),
        3,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        ...quoted,
      ]);
    }
    writeFileSync(join(d, 'client/eth0.pcap'), pcap(frames, 1_764_000_000));
    const a = await analyzeBundle(d, { workers: 0 });
    const f = a.findings.find((x) => x.rule === 'tcp-handshake-incomplete');
    expect(f?.summary).toMatch(
      /^3 connection\(s\) from 1 client\(s\) to 192\.0\.2\.240:443 never completed the handshake; 3 ICMP error\(s\) answered them: host unreachable; requests on eth0, no reply captured\.$/,
    );
    expect(
      f?.evidence
        .filter((e) => e.text.startsWith('host unreachable: ICMP error type 3 code 1 10.0.0.5:4000'))
        .map((e) => e.packet),
    ).toEqual([2, 4, 6]);
  });

  it('names ICMP and ICMPv6 errors', () => {
    expect(icmpMeaning('ICMP error type 3 code 13')).toBe('administratively prohibited');
    expect(icmpMeaning('ICMP error type 3 code 4')).toBe('fragmentation needed');
    expect(icmpMeaning('ICMPv6 error type 1 code 4')).toBe('port unreachable');
    expect(icmpMeaning('ICMP error type 12 code 0')).toBe('ICMP type 12 code 0');
  });
});
