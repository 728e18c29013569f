/**
 * The pcapng writer: what it writes is read back by tshark (packet count, interface
 * names, timestamps, direction) and by our own reader (byte-identical frames).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../../parsers/capture/read.js';
import { PcapngWriter } from '../../../parsers/capture/write.js';

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'forensic-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An Ethernet/IPv4/UDP frame from 192.0.2.1 to 198.51.100.2 (checksums zero), `n` payload bytes. */
function frame(n: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `
      020000000002 020000000001 0800                 # Ethernet: dst, src, IPv4
      4500 ${(28 + n).toString(16).padStart(4, '0')} 0001 4000 4011 0000 c0000201 c6336402  # IPv4, UDP
      3039 0035 ${(8 + n).toString(16).padStart(4, '0')} 0000   # UDP 12345 → 53
      `
        .replace(/#.*/g, '')
        .replace(/\s+/g, ''),
      'hex',
    ),
    Buffer.alloc(n, 0x61),
  ]);
}

/** Packets written by the test: [interface, sec, nsec, payload bytes, flags]. */
const PACKETS: Array<[number, number, number, number, number]> = [
  [0, 1_700_000_000, 123_456_789, 5, 1],
  [1, 1_700_000_001, 0, 7, 2],
  [0, 4_294_967_296, 999_999_999, 3, 0], // beyond 2106
];

function write(path: string): void {
  const w = PcapngWriter.toFile(path);
  expect(w.addInterface({ name: 'eth1', description: 'LAN bridge', linktype: 1 })).toBe(0);
  expect(w.addInterface({ name: 'eth0', linktype: 1, snaplen: 262144 })).toBe(1);
  for (const [i, s, ns, n, fl] of PACKETS) w.writePacket(i, s, ns, frame(n), 42 + n, fl);
  w.close();
}

describe('pcapng writer', () => {
  const path = join(tmp, 'export.pcapng');
  write(path);

  it('round-trips through our reader', async () => {
    const got: string[] = [];
    const names: Array<string | null> = [];
    const issues: string[] = [];
    const s = await readCapture(path, {
      onInterface: (i) => names.push(i.name),
      onFrame: (f) =>
        got.push(
          `${f.iface} ${f.sec}.${String(f.nsec).padStart(9, '0')} ${f.caplen}/${f.len} ${f.epbFlags} ${f.buf.toString('hex', f.offset, f.offset + f.caplen)}`,
        ),
      onIssue: (i) => issues.push(i.message),
    });
    expect(issues).toEqual([]);
    expect(s.packets).toBe(3);
    expect(names).toEqual(['eth1', 'eth0']);
    expect(got).toEqual(
      PACKETS.map(
        ([i, sec, ns, n, fl]) =>
          `${i} ${sec}.${String(ns).padStart(9, '0')} ${42 + n}/${42 + n} ${fl} ${frame(n).toString('hex')}`,
      ),
    );
  });

  it.skipIf(!tshark)('is read back by tshark (count, interface names, timestamps, direction)', () => {
    const r = spawnSync(
      'tshark',
      [
        '-r',
        path,
        '-T',
        'fields',
        '-e',
        'frame.interface_name',
        '-e',
        'frame.time_epoch',
        '-e',
        'frame.len',
        '-e',
        'udp.dstport',
        '-e',
        'frame.packet_flags_direction',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.replace(/\n$/, '').split('\n')).toEqual([
      'eth1\t1700000000.123456789\t47\t53\t0x00000001',
      'eth0\t1700000001.000000000\t49\t53\t0x00000002',
      'eth1\t4294967296.999999999\t45\t53\t',
    ]);
  });

  it('refuses a packet on an undeclared interface', () => {
    const w = new PcapngWriter(() => {});
    expect(() => w.writePacket(0, 0, 0, Buffer.alloc(1))).toThrow(/unknown interface 0/);
  });
});
