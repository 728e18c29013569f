/**
 * One pcap per interface: the request is in eth1.pcap, the reply in eth0.pcap.
 * Merged per node, the conversation shows both interfaces and the diagnosis is the
 * same as from one `tcpdump -i any` capture.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import type { PacketEvent } from '../../src/engine/evidence.js';
import { mergeFlows, repointEvents } from '../../src/engine/merge-flows.js';
import type { FlowSummary } from '../../src/model/analysis.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tshark = spawnSync('tshark', ['--version']).status === 0;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const half = (id: string, p: Partial<FlowSummary>): FlowSummary => ({
  id,
  proto: 'tcp',
  node: 'node1',
  client: { ip: '203.0.113.50', port: 40000 },
  server: { ip: '192.0.2.240', port: 443 },
  packets: { toServer: 0, toClient: 0 },
  bytes: { toServer: 0, toClient: 0 },
  interfaces: { toServer: [], toClient: [] },
  state: 'midstream',
  first: '2024-05-01T10:00:00.000000000Z',
  last: '2024-05-01T10:00:03.000000000Z',
  ...p,
});

describe('mergeFlows', () => {
  it('joins the halves of a conversation from two files, orienting them alike', () => {
    const req = half('node1/tcp/0', {
      packets: { toServer: 3, toClient: 0 },
      interfaces: { toServer: ['eth1'], toClient: [] },
      state: 'syn-sent',
      synRetransmits: 2,
    });
    // The reply file saw only server→client packets and oriented the flow the other way round.
    const rep = half('node1/tcp/0', {
      client: { ip: '192.0.2.240', port: 443 },
      server: { ip: '203.0.113.50', port: 40000 },
      packets: { toServer: 3, toClient: 0 },
      interfaces: { toServer: ['eth0'], toClient: [] },
      first: '2024-05-01T10:00:00.001000000Z',
    });
    const m = mergeFlows([
      { file: 'eth1.pcap', flow: req },
      { file: 'eth0.pcap', flow: rep },
    ]);
    expect(m.flows).toHaveLength(1);
    expect(m.flows[0]).toMatchObject({
      client: { ip: '203.0.113.50', port: 40000 },
      packets: { toServer: 3, toClient: 3 },
      interfaces: { toServer: ['eth1'], toClient: ['eth0'] },
      asymmetric: true,
      synRetransmits: 2,
    });
    expect(m.sources.get(m.flows[0].id)).toHaveLength(2);
    // Events name per-file ids; they are pointed at the merged flow (unknown ones are left alone).
    const r = mergeFlows([
      { file: 'eth1.pcap', flow: { ...req, id: 'eth1/tcp/7' } },
      { file: 'eth0.pcap', flow: { ...rep, id: 'eth0/tcp/3' } },
    ]);
    const ev = (file: string, flow?: string): PacketEvent => ({
      ts: '2024-05-01T10:00:01.000000000Z',
      file,
      packet: 1,
      kind: 'rst',
      layer: 'L4',
      severity: 'low',
      text: 'RST',
      ...(flow ? { flow } : {}),
    });
    expect(r.flows[0].id).toBe('node1/tcp/0');
    expect(
      repointEvents(
        [
          ev('eth0.pcap', 'eth0/tcp/3'),
          ev('eth1.pcap', 'eth1/tcp/7'),
          ev('eth1.pcap', 'eth1/tcp/9'),
          ev('x'),
        ],
        r.sources,
      ).map((e) => e.flow),
    ).toEqual(['node1/tcp/0', 'node1/tcp/0', 'eth1/tcp/9', undefined]);
  });
  it('keeps conversations apart when they are far apart in time or in the same file', () => {
    const a = half('x/0', {});
    const b = half('x/1', {
      first: '2024-05-01T11:00:00.000000000Z',
      last: '2024-05-01T11:00:01.000000000Z',
    });
    expect(
      mergeFlows([
        { file: 'a.pcap', flow: a },
        { file: 'b.pcap', flow: b },
      ]).flows,
    ).toHaveLength(2);
    expect(
      mergeFlows([
        { file: 'a.pcap', flow: a },
        { file: 'a.pcap', flow: half('x/2', {}) },
      ]).flows,
    ).toHaveLength(2);
  });
  it('interleaves the ladders by time, then reference, and keeps the first 64', () => {
    type Step = NonNullable<FlowSummary['ladder']>[number];
    const step = (ms: number, ref: string): Step => ({
      ts: `2024-05-01T10:00:00.${String(ms).padStart(3, '0')}000000Z`,
      dir: 'toServer',
      interface: 'eth1',
      summary: 'ACK',
      ref,
    });
    const merge = (a: Step[], b: Step[]) =>
      mergeFlows([
        { file: 'eth1.pcap', flow: half('node1/tcp/0', { ladder: a }) },
        {
          file: 'eth0.pcap',
          flow: half('node1/tcp/0', { ladder: b, first: '2024-05-01T10:00:00.001000000Z' }),
        },
      ]).flows[0].ladder?.map((s) => s.ref);
    expect(merge([step(1, 'a#1'), step(5, 'a#2')], [step(1, 'b#1'), step(3, 'b#2')])).toEqual([
      'a#1',
      'b#1',
      'b#2',
      'a#2',
    ]);
    // A clock that stepped back leaves one ladder out of order: the steps are still sorted.
    expect(merge([step(9, 'a#1'), step(2, 'a#2')], [step(4, 'b#1')])).toEqual(['a#2', 'b#1', 'a#1']);
    const long = (p: string, from: number) =>
      Array.from({ length: 40 }, (_, i) => step(from + 2 * i, `${p}#${i}`));
    const refs = merge(long('a', 100), long('b', 101)) ?? [];
    expect(refs).toHaveLength(64);
    expect(refs.slice(0, 3)).toEqual(['a#0', 'b#0', 'a#1']);
    expect(refs.at(-1)).toBe('b#31');
  });
});

describe.skipIf(!tshark)('one capture per interface, end to end', () => {
  it('gives the same diagnosis as tcpdump -i any', async () => {
    const b = mkdtempSync(join(tmpdir(), 'forensic-split-'));
    dirs.push(b);
    cpSync(join(ROOT, 'samples/asymmetric-drop'), b, { recursive: true });
    const any = join(b, 'node1/tcpdump-any.pcap');
    const links = JSON.parse(readFileSync(join(b, 'node1/ip-addr.json'), 'utf8')) as Array<{
      ifindex: number;
      ifname: string;
    }>;
    for (const l of links.filter((x) => x.ifname !== 'lo')) {
      mkdirSync(join(b, 'node1'), { recursive: true });
      execFileSync(
        'tshark',
        ['-r', any, '-Y', `sll.ifindex == ${l.ifindex}`, '-w', join(b, `node1/${l.ifname}.pcap`)],
        { stdio: 'ignore' },
      );
    }
    rmSync(any);
    const a = await analyzeBundle(b, { workers: 0 });
    const asym = a.flows.filter((f) => f.asymmetric);
    expect(asym.length).toBeGreaterThan(0);
    expect(asym[0].interfaces).toEqual({ toServer: ['eth1'], toClient: ['eth0'] });
    expect(a.rootCause?.finding).toMatch(/^default-route-mismatch#node1/);
  });
});
