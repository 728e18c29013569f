import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../parsers/capture/read.js';
import { captureRecords, packetLine, tcpFlagsString } from '../../../parsers/capture/records.js';
import { type AnyRecord, checkRecord, type PacketRecord } from '../../../src/model/records/index.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile, manifest } from '../../helpers/corpus.js';

async function records(
  file: string,
): Promise<{ recs: AnyRecord[]; res: Awaited<ReturnType<typeof captureRecords>> }> {
  const recs: AnyRecord[] = [];
  const res = await captureRecords(corpusFile(file), { file, tz: 'UTC' }, (r) => recs.push(r));
  return { recs, res };
}

const packets = (recs: AnyRecord[]) => recs.filter((r): r is PacketRecord => r.type === 'packet');

describe('tcpFlagsString', () => {
  it('lists set flags in F S R P A U E W order', () => {
    expect(tcpFlagsString(0x02)).toBe('S');
    expect(tcpFlagsString(0x12)).toBe('SA');
    expect(tcpFlagsString(0x19)).toBe('FPA');
    expect(tcpFlagsString(0x14)).toBe('RA');
    expect(tcpFlagsString(0xc2)).toBe('SEW');
    expect(tcpFlagsString(0)).toBe('');
    expect(tcpFlagsString(-1)).toBeNull();
  });
});

describe('packetLine', () => {
  it('renders a tcpdump-like line with interface, direction and TLS records', () => {
    const r: PacketRecord = {
      type: 'packet',
      file: 'x.pcap',
      packet: 3,
      ts: '2024-05-01T10:00:00.000120000Z',
      interface: 'eth1',
      direction: 'in',
      caplen: 74,
      len: 74,
      layers: ['sll2', 'ipv4', 'tcp', 'tls'],
      src: '192.0.2.10',
      dst: '198.51.100.5',
      sport: 51514,
      dport: 443,
      tcpFlags: 'PA',
      tls: ['alert:bad_record_mac'],
    };
    expect(packetLine(r)).toBe(
      '     3  2024-05-01T10:00:00.000120000Z eth1 in  sll2/ipv4/tcp/tls 192.0.2.10.51514 > 198.51.100.5.443 [PA] len 74 tls: alert:bad_record_mac',
    );
    expect(
      packetLine({ ...r, interface: null, direction: null, caplen: 60, tls: [], tcpFlags: null }),
    ).toContain(' - -   ');
    expect(packetLine({ ...r, caplen: 60 })).toContain('len 74 (captured 60)');
    expect(packetLine({ ...r, interface: 'a\r\nb\u001b[2J' })).toContain(' a\\x0d\\x0ab\\x1b[2J in ');
  });
});

describe.skipIf(!corpusAvailable)('captureRecords on the corpus', () => {
  const rows = manifest();

  it.each(rows.map((r) => [r.file, r.packets] as const))(
    '%s: one valid packet record per packet, or an issue when rejected',
    async (file, oraclePackets) => {
      const { recs, res } = await records(file);
      for (const r of recs) expect(checkRecord(r), `${file}: ${JSON.stringify(r)}`).toBeNull();
      const pk = packets(recs);
      expect(pk.map((p) => p.packet)).toEqual(pk.map((_, i) => i + 1));
      if (oraclePackets.startsWith('error')) {
        expect(res.rejected || recs.some((r) => r.type === 'issue')).toBe(true);
        expect(recs.some((r) => r.type === 'issue')).toBe(true);
      } else {
        // One record per packet the reader delivers (its agreement with tshark is tested with the reader).
        const read = await readCapture(corpusFile(file), { onFrame: () => {}, onIssue: () => {} });
        expect(pk.length).toBe(read.packets);
        expect(res.rejected).toBe(false);
      }
    },
  );

  it('lists TLS records on the packet that completes them', async () => {
    const { recs } = await records('tls-early-alert.pcap');
    const pk = packets(recs);
    expect(pk[3]).toMatchObject({
      packet: 4,
      layers: ['ethernet', 'ipv4', 'tcp', 'tls'],
      src: '192.168.6.217',
      sport: 50020,
      dport: 64132,
      tcpFlags: 'PA',
      tls: ['handshake:client_hello'],
    });
    expect(pk[5].tls).toEqual(['alert:unrecognized_name', 'handshake:server_hello']);
    expect(pk[0]).toMatchObject({ tcpFlags: 'S', tls: [], ts: '2015-10-22T20:31:09.533041000Z' });
  });

  it('takes interface and direction from SLL2', async () => {
    const { recs } = await records('linux_dlt_sll2.pcap');
    const pk = packets(recs);
    expect(pk.length).toBeGreaterThan(0);
    for (const p of pk) {
      expect(p.interface).toMatch(/^ifindex-\d+$/);
      expect(p.direction === 'in' || p.direction === 'out').toBe(true);
    }
  });

  it('takes interface names from pcapng', async () => {
    const { recs } = await records('many_interfaces-1.pcapng');
    const names = new Set(packets(recs).map((p) => p.interface));
    expect([...names].filter((n) => n !== null).length).toBeGreaterThan(1);
  });

  it('rejects a file with a bad header: one issue record', async () => {
    const { recs, res } = await records('pcap-invalid-version-1.pcap');
    expect(res.rejected).toBe(true);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ type: 'issue', code: expect.any(String), offset: expect.any(Number) });
  });
});

// Only when the corpus is missing: a skipped test whose title says why.
if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});
