/** analyzeCapture on real corpus captures (expected values read off tshark output for the same files). */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, InterfaceNamer, mayBeNotable, notable } from '../../src/flows/analyze.js';
import { toFlowSummary } from '../../src/flows/summary.js';
import { FlowSummary } from '../../src/model/analysis.js';
import { IsoTs } from '../../src/model/records/base.js';
import { CORPUS_SKIP, corpusAvailable, corpusFile, manifest } from '../helpers/corpus.js';

describe.skipIf(!corpusAvailable)('analyzeCapture', () => {
  it('summarises TLS flows with SNI, version and alerts, and valid FlowSummary objects', async () => {
    const r = await analyzeCapture(corpusFile('tls-1.2-handshake-failure.pcap'), {
      file: 'f.pcap',
      node: 'n1',
    });
    for (const f of r.flows) expect(FlowSummary.safeParse(f).success).toBe(true);
    expect(r.flows).toHaveLength(1);
    const f = r.flows[0];
    // tshark: frame 6 is a plaintext fatal alert 40 (handshake_failure) from the server
    expect(f.tls?.alerts).toEqual([{ level: 'fatal', description: 'handshake_failure', from: 'server' }]);
    expect(f.server.port).toBe(443);
    expect(f.node).toBe('n1');
    expect(f.id).toBe('n1/tcp/0');
    const alert = r.events.find((e) => e.kind === 'tls-alert');
    expect(alert).toMatchObject({ packet: 6, flow: 'n1/tcp/0', dir: 'toClient', node: 'n1', file: 'f.pcap' });
    // tshark: 11 TCP frames in one conversation, closed by FIN both ways
    expect(r.summary).toMatchObject({ packets: 11, tcp: 11, flows: 1, rejected: false, format: 'pcap' });
    expect(f.state).toBe('closed');
    expect(f.packets).toEqual({ toServer: 6, toClient: 5 });
  });

  it('reads SNI and the negotiated version', async () => {
    const r = await analyzeCapture(corpusFile('tls13draft16-ff52.a01-aborted.pcap'));
    const snis = r.flows.map((f) => f.tls?.sni);
    expect(snis).toContain('tls13.crypto.mozilla.org');
    // tshark: the server answers with protocol_version (70) alerts
    expect(r.flows.flatMap((f) => f.tls?.alerts.map((a) => a.description) ?? [])).toContain(
      'protocol_version',
    );
  });

  it('tracks ARP requests that nobody answers', async () => {
    const r = await analyzeCapture(corpusFile('linuxsll-arp.pcap'));
    // tshark: 9 x "Who has 10.1.10.1? Tell 10.1.10.100", 1 x 192.168.22.160, no replies
    const a = r.arp.find((e) => e.ip === '10.1.10.1');
    expect(a).toMatchObject({ requests: 9, replies: 0, askedBy: ['10.1.10.100'] });
    expect(r.arp.find((e) => e.ip === '192.168.22.160')?.requests).toBe(1);
    expect(r.summary.arp).toBe(12);
  });

  it('counts ICMP echo requests and replies', async () => {
    const r = await analyzeCapture(corpusFile('icmp_dot1q.pcap'));
    // tshark: 5 requests 192.168.123.2 → .1, 4 replies
    expect(r.echo).toMatchObject([{ src: '192.168.123.2', dst: '192.168.123.1', requests: 5, replies: 4 }]);
  });

  it('reports an ICMP error outside any known flow as an event', async () => {
    const r = await analyzeCapture(corpusFile('icmp-destunreach-udp.pcap'));
    expect(r.events).toMatchObject([
      { kind: 'icmp-error', packet: 1, flow: null, text: 'ICMP error type 3 code 3' },
    ]);
  });

  it('keeps memory bounded: summaries beyond maxFlowSummaries are only kept when notable', async () => {
    const all = await analyzeCapture(corpusFile('tls2.pcap'));
    const few = await analyzeCapture(corpusFile('tls2.pcap'), { maxFlowSummaries: 3 });
    expect(all.flows.length).toBeGreaterThan(6);
    expect(few.flows.length).toBeLessThanOrEqual(6);
    expect(few.flows.slice(3).every(notable)).toBe(true);
    expect(few.summary.flowsDropped).toBe(all.flows.length - few.flows.length);
  });

  it('evicts idle flows by capture time', async () => {
    const r = await analyzeCapture(corpusFile('tls2.pcap'), { idleTimeout: 1 });
    const all = await analyzeCapture(corpusFile('tls2.pcap'), { idleTimeout: Number.POSITIVE_INFINITY });
    expect(r.summary.flowsEvicted).toBeGreaterThan(0);
    expect(all.summary.flowsEvicted).toBe(0);
    // evicted flows come back as new flows when they send again
    expect(r.summary.flows).toBeGreaterThanOrEqual(all.summary.flows);
  });
});

describe.skipIf(!corpusAvailable)('analyzeCapture on every corpus file', () => {
  it.each(manifest().map((r) => r.file))('%s: valid FlowSummary objects and events', async (file) => {
    const r = await analyzeCapture(corpusFile(file), { file });
    for (const f of r.flows) {
      const res = FlowSummary.safeParse(f);
      expect(res.success, `${f.id}: ${res.error?.message}`).toBe(true);
    }
    for (const e of r.events) expect(IsoTs.safeParse(e.ts).success, e.ts).toBe(true);
    expect(r.summary.tcp + r.summary.udp + r.summary.icmp + r.summary.arp + r.summary.other).toBe(
      r.summary.packets,
    );
  });

  it.each(manifest().map((r) => r.file))(
    '%s: the cheap pre-check never passes over a notable flow',
    async (file) => {
      const missed: string[] = [];
      await analyzeCapture(corpusFile(file), {
        file,
        onFlowDone: (f) => {
          if (notable(toFlowSummary(f)) && !mayBeNotable(f)) missed.push(f.id);
        },
      });
      expect(missed).toEqual([]);
    },
  );
});

// Only when the corpus is missing: a skipped test whose title says why.
if (!corpusAvailable) it.skip(CORPUS_SKIP, () => {});

describe('analyzeCapture events', () => {
  it('name their flow’s endpoints, client first, whatever the packet’s direction', async () => {
    const file = resolve(import.meta.dirname, '../../samples/asymmetric-mangle/node1/capture.pcapng');
    const r = await analyzeCapture(file, { node: 'node1' });
    const rst = r.events.filter((e) => e.kind === 'rst');
    expect(rst.length).toBeGreaterThan(0);
    for (const e of rst) {
      const f = r.flows.find((x) => x.id === e.flow);
      expect(e.endpoints).toEqual({
        client: `${f?.client.ip}:${f?.client.port}`,
        server: `${f?.server.ip}:${f?.server.port}`,
      });
    }
  });
});

describe('InterfaceNamer', () => {
  const iface = (name: string | null, description: string | null) => ({
    id: 0,
    localId: 0,
    section: 0,
    name,
    description,
    linktype: 1,
    snaplen: 262144,
  });

  it('names a Windows device path by its description, and keeps every other name', () => {
    const cases: Array<[string | null, string | null, string | null]> = [
      ['\\Device\\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6}', 'Ethernet 2', 'Ethernet 2'],
      ['\\Device\\NPF_Loopback', null, '\\Device\\NPF_Loopback'],
      ['eth1', 'LAN bridge', 'eth1'],
      [null, 'Ethernet', null],
    ];
    for (const [name, description, want] of cases) {
      const n = new InterfaceNamer();
      n.add(iface(name, description));
      expect(n.name(0, -1), String(name)).toBe(want);
    }
  });
});
