/**
 * tcp-handshake-incomplete: a SYN answered by an ICMP error is a failed handshake, and the
 * error says why; half-open sockets in socket tables (ss, netstat) tell the same without a capture.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { icmpMeaning } from '../../rules/tcp-handshake-incomplete.js';
import { analyzeBundle } from '../../src/analyze.js';
import { tempDirs } from '../helpers/tmp.js';
import { REPO_ROOT } from '../samples/bundle-check.js';

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

  /** Scenario 1 (replies lost after leaving node1) with node1's socket table saved during the failures. */
  function withSockets(capture: boolean): string {
    const d = tmp();
    cpSync(join(REPO_ROOT, 'samples', 'asymmetric-drop'), d, { recursive: true });
    if (!capture) rmSync(join(d, 'node1', 'tcpdump-any.pcap'));
    writeFileSync(
      join(d, 'node1', 'ss-tanp.txt'),
      [
        'State    Recv-Q Send-Q   Local Address:Port    Peer Address:Port Process',
        'LISTEN   0      4096           0.0.0.0:443          0.0.0.0:*     users:(("traefik",pid=812,fd=7))',
        'SYN-RECV 0      0          192.0.2.240:443     203.0.113.50:50358',
        'SYN-RECV 0      0          192.0.2.240:443     203.0.113.50:50360',
        'SYN-RECV 0      0          192.0.2.240:443     203.0.113.50:50362',
        'ESTAB    0      0          192.0.2.240:443       192.0.2.50:41234',
      ].join('\n'),
    );
    writeFileSync(
      join(d, 'client-remote', 'netstat-an.txt'),
      [
        'Active Internet connections (servers and established)',
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
        'tcp        0      1 203.0.113.50:50364      192.0.2.240:443         SYN_SENT',
      ].join('\n'),
    );
    return d;
  }

  it('without a capture, SYN-RECV sockets on the server and SYN-SENT on the client make the case', async () => {
    const a = await analyzeBundle(withSockets(false), { workers: 0 });
    const found = a.findings.filter((x) => x.rule === 'tcp-handshake-incomplete');
    expect(found.map((f) => [f.id, f.severity, f.facts?.halfOpenSockets])).toEqual([
      ['tcp-handshake-incomplete#client-remote/192.0.2.240:443/syn-sent', 'medium', 1],
      ['tcp-handshake-incomplete#node1/192.0.2.240:443/syn-recv', 'high', 3],
    ]);
    const recv = found[1];
    expect(recv.facts?.clients).toEqual(['203.0.113.50']);
    expect(recv.evidence.map((e) => `${e.file}:${e.line} ${e.text}`)).toEqual([
      'node1/ss-tanp.txt:3 SYN-RECV 192.0.2.240:443 ← 203.0.113.50:50358',
      'node1/ss-tanp.txt:4 SYN-RECV 192.0.2.240:443 ← 203.0.113.50:50360',
      'node1/ss-tanp.txt:5 SYN-RECV 192.0.2.240:443 ← 203.0.113.50:50362',
    ]);
    // The route explains it, with the socket table as its corroboration.
    expect(a.rootCause?.chain).toContain(recv.id);
    expect(a.rootCause?.finding).toBe('default-route-mismatch#node1/192.0.2.240');
    expect(a.rootCause?.confidence).toBe(0.85);
  });

  it("with a capture, the server's half-open sockets join the captured handshakes", async () => {
    const a = await analyzeBundle(withSockets(true), { workers: 0 });
    const onNode = a.findings.filter((x) => x.rule === 'tcp-handshake-incomplete' && x.node === 'node1');
    expect(onNode).toHaveLength(1);
    expect(onNode[0].facts?.halfOpenSockets).toBe(3);
    expect(onNode[0].evidence.filter((e) => e.file === 'node1/ss-tanp.txt')).toHaveLength(3);
  });

  it('names ICMP and ICMPv6 errors', () => {
    expect(icmpMeaning('ICMP error type 3 code 13')).toBe('administratively prohibited');
    expect(icmpMeaning('ICMP error type 3 code 4')).toBe('fragmentation needed');
    expect(icmpMeaning('ICMPv6 error type 1 code 4')).toBe('port unreachable');
    expect(icmpMeaning('ICMP error type 12 code 0')).toBe('ICMP type 12 code 0');
  });
});
