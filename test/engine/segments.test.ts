/**
 * Two-point segment comparison: small pcapng captures of one TCP conversation
 * taken at two points (client side A, server side B), written with PcapngWriter,
 * compared by 5-tuple and sequence number.
 *
 * The conversation: 192.0.2.10:40000 → 203.0.113.5:443. The client ISN is
 * 0xffffff00, so its stream wraps the 32-bit sequence space inside segment 3.
 * Client payload byte at stream offset i is (7i + 3) & 0xff, in four segments of
 * 100 bytes (offsets 0, 100, 200, 300); the server sends 50 bytes.
 *
 *   A (client side)                       B (server side)
 *   1 SYN                                 1 another flow's segment (shifts numbering)
 *   2 SYN-ACK                             2 SYN
 *   3 ACK                                 3 SYN-ACK
 *   4 seg1 [0,100)                        4 ACK
 *   5 seg2 [100,200)                      5 seg1
 *   6 seg2 retransmitted, identical       6 seg1 retransmitted, byte 10 altered
 *   7 seg3 [200,300)  (wraps at 255)      7 seg2 cut by snaplen: 60 of 100 bytes captured
 *   8 seg4 [300,400)                      8 seg3 with byte 260 XOR 0xff
 *   9 server data, 50 bytes               9 server data, 50 bytes   (seg4 missing)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapngWriter } from '../../parsers/capture/write.js';
import { compareFlowPayloads, comparisonCandidates, describeDivergence } from '../../src/engine/segments.js';
import type { FlowSummary } from '../../src/model/analysis.js';

const tmp = mkdtempSync(join(tmpdir(), 'forensic-segments-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SYN = 0x02;
const ACK = 0x10;
const PSH_ACK = 0x18;
const SYN_ACK = 0x12;

const hex = (s: string) => Buffer.from(s.replace(/#.*/g, '').replace(/\s+/g, ''), 'hex');
const h16 = (n: number) => n.toString(16).padStart(4, '0');
const h32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const ip4 = (s: string) =>
  s
    .split('.')
    .map((x) => Number(x).toString(16).padStart(2, '0'))
    .join('');

/** Ethernet/IPv4/TCP frame (checksums zero; the decoder does not verify them). */
function tcp(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  flags: number,
  seq: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  return Buffer.concat([
    hex(`
      020000000002 020000000001 0800                          # Ethernet: dst, src, IPv4
      4500 ${h16(40 + payload.length)} 0001 4000 4006 0000    # IPv4: len, id, DF, TTL 64, TCP
      ${ip4(src)} ${ip4(dst)}                                 # IPv4: src, dst
      ${h16(sport)} ${h16(dport)} ${h32(seq)} ${h32(0)}       # TCP: ports, seq, ack
      50${flags.toString(16).padStart(2, '0')} ffff 0000 0000  # TCP: offset 5, flags, window, csum, urg
    `),
    payload,
  ]);
}

const C = '192.0.2.10';
const S = '203.0.113.5';
const ISN_C = 0xffffff00;
const ISN_S = 0x10000000;
/** Client stream bytes [from, to). */
const stream = (from: number, to: number) =>
  Buffer.from(Array.from({ length: to - from }, (_, k) => ((from + k) * 7 + 3) & 0xff));
const server = Buffer.from(Array.from({ length: 50 }, (_, k) => (k * 13 + 1) & 0xff));
/** Client segment at stream offset `off`; `dc` shifts the client ISN (a hop rewriting sequence numbers). */
const up = (off: number, data: Buffer, cip = C, cport = 40000, dc = 0) =>
  tcp(cip, cport, S, 443, PSH_ACK, (ISN_C + dc + 1 + off) >>> 0, data);

/** A packet to write: frame and, when cut by snaplen, the captured length. */
type Pkt = { frame: Buffer; caplen?: number };

function write(name: string, packets: Pkt[]): string {
  const path = join(tmp, name);
  const w = PcapngWriter.toFile(path);
  const i = w.addInterface({ name: 'eth0', linktype: 1 });
  for (const [n, p] of packets.entries())
    w.writePacket(
      i,
      1_700_000_000 + n,
      0,
      p.caplen ? p.frame.subarray(0, p.caplen) : p.frame,
      p.frame.length,
    );
  w.close();
  return path;
}

function handshake(cip = C, cport = 40000, dc = 0, ds = 0): Pkt[] {
  return [
    { frame: tcp(cip, cport, S, 443, SYN, (ISN_C + dc) >>> 0) },
    { frame: tcp(S, 443, cip, cport, SYN_ACK, ISN_S + ds) },
    { frame: tcp(cip, cport, S, 443, ACK, (ISN_C + dc + 1) >>> 0) },
  ];
}

const serverData = (cip = C, cport = 40000, ds = 0) => ({
  frame: tcp(S, 443, cip, cport, PSH_ACK, ISN_S + ds + 1, server),
});

const A = write('a.pcapng', [
  ...handshake(),
  { frame: up(0, stream(0, 100)) },
  { frame: up(100, stream(100, 200)) },
  { frame: up(100, stream(100, 200)) },
  { frame: up(200, stream(200, 300)) },
  { frame: up(300, stream(300, 400)) },
  serverData(),
]);

const seg1Altered = stream(0, 100);
seg1Altered[10] ^= 0x55;
const seg3Altered = stream(200, 300);
seg3Altered[60] ^= 0xff; // stream offset 260
const B = write('b.pcapng', [
  { frame: tcp('192.0.2.99', 5555, S, 443, PSH_ACK, 1, Buffer.from('other')) },
  ...handshake(),
  { frame: up(0, stream(0, 100)) },
  { frame: up(0, seg1Altered) },
  { frame: up(100, stream(100, 200)), caplen: 54 + 60 },
  { frame: up(200, seg3Altered) },
  serverData(),
]);

const flow = { client: { ip: C, port: 40000 }, server: { ip: S, port: 443 } };
const pa = { file: 'client/a.pcapng', abs: A, node: 'client' };
const pb = { file: 'node1/b.pcapng', abs: B, node: 'node1', iface: 'eth1' };

describe('compareFlowPayloads', () => {
  it('finds the first differing byte across the wraparound, with packet numbers on both sides', async () => {
    const [r] = await compareFlowPayloads([pa, pb], [flow]);
    expect(r.status).toBe('differs');
    expect(r.seenIn).toEqual(['client/a.pcapng', 'node1/b.pcapng']);
    expect(r.pairs).toHaveLength(1);
    const p = r.pairs[0];
    expect(p.a).toEqual({ file: 'client/a.pcapng', node: 'client' });
    expect(p.b).toEqual({ file: 'node1/b.pcapng', node: 'node1', iface: 'eth1' });
    const d = p.toServer;
    // seg1 (100) + captured part of seg2 (60) + seg3 (100); seg4 is missing from B.
    expect(d.compared).toBe(260);
    expect(d.differing).toBe(1);
    expect(d.status).toBe('differs');
    expect(d.firstDiff).toEqual({
      seq: (0xffffff01 + 260) % 2 ** 32, // 5: after the wrap
      streamOffset: 260,
      a: { byte: (260 * 7 + 3) & 0xff, seq: 5, packet: 7, interface: 'eth0' },
      b: { byte: ((260 * 7 + 3) & 0xff) ^ 0xff, seq: 5, packet: 8, interface: 'eth1' },
    });
    expect(d.alignedBy).toBe('seq');
    expect(d.isn).toEqual({ a: ISN_C, b: ISN_C });
    expect(d.ranges).toEqual([{ seq: 5, streamOffset: 260, length: 1, packets: { a: 7, b: 8 } }]);
    expect(d.bytes).toEqual({ a: 400, b: 260 });
    expect(d.truncatedSegments).toEqual({ a: 0, b: 1 });
    expect(d.budgetExceeded).toBe(false);
    // B's retransmission of seg1 differs from its first transmission (kept); A's is identical.
    expect(d.retransmissionMismatches).toEqual([
      { file: 'node1/b.pcapng', seq: 0xffffff01, firstPacket: 5, packet: 6, differing: 1 },
    ]);
    expect(p.toClient).toMatchObject({
      status: 'identical',
      compared: 50,
      differing: 0,
      firstDiff: null,
      ranges: [],
    });
  });

  it('reports identical for the same capture read twice, and compares every pair of three points', async () => {
    const [r] = await compareFlowPayloads([pa, { file: 'copy.pcapng', abs: A }, pb], [flow]);
    expect(r.pairs.map((q) => [q.a.file, q.b.file, q.toServer.status])).toEqual([
      ['client/a.pcapng', 'copy.pcapng', 'identical'],
      ['client/a.pcapng', 'node1/b.pcapng', 'differs'],
      ['copy.pcapng', 'node1/b.pcapng', 'differs'],
    ]);
    expect(r.pairs[0].toServer).toMatchObject({ compared: 400, differing: 0, firstDiff: null });
    expect(r.pairs[0].toClient).toMatchObject({ status: 'identical', compared: 50 });
    expect(r.status).toBe('differs');
    const [same] = await compareFlowPayloads([pa, { file: 'copy.pcapng', abs: A }], [flow]);
    expect(same.status).toBe('identical');
  });

  it('does not match a NAT-translated capture of the conversation', async () => {
    const N = write('nat.pcapng', [
      ...handshake('198.51.100.1', 61000),
      { frame: up(0, stream(0, 100), '198.51.100.1', 61000) },
      serverData('198.51.100.1', 61000),
    ]);
    const natFlow = { client: { ip: '198.51.100.1', port: 61000 }, server: { ip: S, port: 443 } };
    const r = await compareFlowPayloads([pa, { file: 'nat.pcapng', abs: N }], [flow, natFlow]);
    expect(r[0]).toMatchObject({ status: 'single-capture', seenIn: ['client/a.pcapng'], pairs: [] });
    expect(r[1]).toMatchObject({ status: 'single-capture', seenIn: ['nat.pcapng'], pairs: [] });
    const [none] = await compareFlowPayloads([{ file: 'nat.pcapng', abs: N }], [flow]);
    expect(none).toMatchObject({ status: 'not-found', seenIn: [] });
  });

  it('reports no overlap when the two sides hold different parts of the stream', async () => {
    const early = write('early.pcapng', [...handshake(), { frame: up(0, stream(0, 100)) }]);
    const late = write('late.pcapng', [{ frame: up(300, stream(300, 400)) }]);
    const [r] = await compareFlowPayloads(
      [
        { file: 'early', abs: early },
        { file: 'late', abs: late },
      ],
      [flow],
    );
    expect(r.status).toBe('no-overlap');
    expect(r.pairs[0].toServer).toMatchObject({
      status: 'no-overlap',
      compared: 0,
      bytes: { a: 100, b: 100 },
    });
    expect(r.pairs[0].toClient).toMatchObject({ status: 'no-overlap', compared: 0 });
  });

  it('aligns mid-stream captures by sequence number; stream offset from the side that saw the SYN', async () => {
    const mid = write('mid.pcapng', [{ frame: up(200, seg3Altered) }]);
    const [r] = await compareFlowPayloads(
      [
        { file: 'mid', abs: mid },
        { file: 'a', abs: A },
      ],
      [flow],
    );
    expect(r.pairs[0].toServer).toMatchObject({
      compared: 100,
      differing: 1,
      firstDiff: { seq: 5, streamOffset: 260, a: { packet: 1 }, b: { packet: 7 } },
    });
    const [both] = await compareFlowPayloads(
      [
        { file: 'mid', abs: mid },
        { file: 'mid2', abs: mid },
      ],
      [flow],
    );
    expect(both.pairs[0].toServer).toMatchObject({ status: 'identical', compared: 100 });
    const [x] = await compareFlowPayloads(
      [
        { file: 'mid', abs: mid },
        { file: 'b', abs: B },
      ],
      [flow],
    );
    expect(x.pairs[0].toServer).toMatchObject({ status: 'identical', compared: 100, firstDiff: null });
  });

  it('aligns by ISN when a hop rewrote sequence numbers and both sides saw the SYN', async () => {
    const dc = 0x12345;
    const ds = 0x777;
    const R = write('rewritten.pcapng', [
      ...handshake(C, 40000, dc, ds),
      { frame: up(0, stream(0, 100), C, 40000, dc) },
      { frame: up(100, stream(100, 200), C, 40000, dc) },
      { frame: up(200, seg3Altered, C, 40000, dc) },
      serverData(C, 40000, ds),
    ]);
    const [r] = await compareFlowPayloads([pa, { file: 'rewritten', abs: R }], [flow]);
    const d = r.pairs[0].toServer;
    expect(d).toMatchObject({ status: 'differs', alignedBy: 'isn', compared: 300, differing: 1 });
    expect(d.isn).toEqual({ a: ISN_C, b: (ISN_C + dc) >>> 0 });
    expect(d.firstDiff).toMatchObject({
      seq: 5,
      streamOffset: 260,
      a: { seq: 5, packet: 7 },
      b: { seq: (ISN_C + dc + 1 + 260) >>> 0, packet: 6 },
    });
    expect(r.pairs[0].toClient).toMatchObject({ status: 'identical', alignedBy: 'isn', compared: 50 });
  });

  it('keeps at most maxBytesPerDirection bytes per side and says so', async () => {
    const [r] = await compareFlowPayloads([pa, pb], [flow], { maxBytesPerDirection: 150 });
    const d = r.pairs[0].toServer;
    expect(d.bytes).toEqual({ a: 150, b: 150 });
    expect(d.budgetExceeded).toBe(true);
    // [0,100) + [100,150) captured on both sides; the altered byte at 260 is beyond the budget.
    expect(d).toMatchObject({ status: 'identical', compared: 150, differing: 0 });
  });
});

describe('compareFlowPayloads on samples/lan-corruption (client-side and node-side captures)', () => {
  // A switch rewrote 2 bytes at payload offset 20 of the client's ChangeCipherSpec
  // segment. Oracle (tshark 4.0): `tshark -r FILE -Y 'tcp.srcport==55256 && tcp.len>0'
  // -T fields -e frame.number -e tcp.seq_raw -e tcp.seq -e tcp.payload` → frame 22 in
  // both files, raw seq 3682016642, relative seq 518, payload …951c6cfa… vs …95beeffa….
  const dir = 'samples/lan-corruption';
  const points = [
    { file: 'client-lan/laptop.pcapng', abs: `${dir}/client-lan/laptop.pcapng`, node: 'client-lan' },
    { file: 'node1/eth0.pcap', abs: `${dir}/node1/eth0.pcap`, node: 'node1' },
    { file: 'node1/eth1.pcap', abs: `${dir}/node1/eth1.pcap`, node: 'node1' },
  ];
  const vip = { ip: '192.0.2.240', port: 443 };

  it('names the rewritten bytes, their sequence number and the frames on both sides', async () => {
    const [r, other] = await compareFlowPayloads(points, [
      { client: { ip: '192.0.2.50', port: 55256 }, server: vip },
      { client: { ip: '203.0.113.50', port: 33322 }, server: vip },
    ]);
    expect(r.status).toBe('differs');
    expect(r.seenIn).toEqual(['client-lan/laptop.pcapng', 'node1/eth1.pcap']);
    const d = r.pairs[0].toServer;
    expect(d).toMatchObject({ alignedBy: 'seq', differing: 2, compared: 517 + 80 + 102 });
    expect(d.firstDiff).toMatchObject({
      seq: 3682016642 + 20,
      streamOffset: 517 + 20,
      a: { byte: 0x1c, packet: 22 },
      b: { byte: 0xbe, packet: 22 },
    });
    expect(d.ranges).toEqual([{ seq: 3682016662, streamOffset: 537, length: 2, packets: { a: 22, b: 22 } }]);
    expect(r.pairs[0].toClient.status).toBe('identical');
    // The remote client was not captured on its side.
    expect(other).toMatchObject({ status: 'single-capture', seenIn: ['node1/eth1.pcap'] });
    expect(describeDivergence(r)).toBe(
      'client→server payload differs from stream offset 537 (seq 3682016662): 0x1c in client-lan/laptop.pcapng #22, 0xbe in node1/eth1.pcap #22; 2 of 699 bytes compared differ',
    );
    expect(describeDivergence(other)).toBeNull();
  });
});

describe('comparisonCandidates', () => {
  const f = (id: string, node: string, cport: number, files: string[], proto: 'tcp' | 'udp' = 'tcp') =>
    ({
      id,
      proto,
      node,
      client: { ip: C, port: cport },
      server: { ip: S, port: 443 },
      files,
    }) as unknown as FlowSummary;
  const flows = [
    f('client/tcp/0', 'client', 40000, ['client/a.pcapng']),
    f('node1/tcp/0', 'node1', 40000, ['node1/eth1.pcap', 'node1/eth0.pcap']),
    f('node1/tcp/1', 'node1', 40001, ['node1/eth1.pcap']),
    f('node1/udp/0', 'node1', 40002, ['node1/eth1.pcap', 'client/a.pcapng'], 'udp'),
  ];

  it('joins a 5-tuple across nodes and keeps those seen in two or more files', () => {
    expect(comparisonCandidates(flows)).toEqual([
      {
        endpoints: { client: { ip: C, port: 40000 }, server: { ip: S, port: 443 } },
        flowIds: ['client/tcp/0', 'node1/tcp/0'],
        files: ['client/a.pcapng', 'node1/eth0.pcap', 'node1/eth1.pcap'],
      },
    ]);
  });

  it('restricts to the given flow ids and caps the count', () => {
    expect(comparisonCandidates(flows, new Set(['node1/tcp/1']))).toEqual([]);
    expect(comparisonCandidates(flows, new Set(['node1/tcp/0']))).toHaveLength(1);
    expect(comparisonCandidates(flows, undefined, 0)).toEqual([]);
  });
});
