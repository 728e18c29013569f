/** Engine pieces on hand-made evidence: joins, clock skew, root cause, timeline aggregation. */
import { describe, expect, it } from 'vitest';
import { rule as asym } from '../../rules/asymmetric-routing.js';
import { rule as tcpInc } from '../../rules/tcp-handshake-incomplete.js';
import { estimateClockSkew } from '../../src/engine/clock.js';
import { FlowIndex } from '../../src/engine/correlate.js';
import { makeEvidence, type NodeRecord } from '../../src/engine/evidence.js';
import { groupBy } from '../../src/engine/finding.js';
import { buildRootCause, fixOrder } from '../../src/engine/rootcause.js';
import { aggregate, type RawEntry, recordEntry } from '../../src/engine/timeline.js';
import type { Finding, FlowSummary } from '../../src/model/analysis.js';

function flow(p: Partial<FlowSummary> & { id: string }): FlowSummary {
  return {
    proto: 'tcp',
    node: 'node1',
    client: { ip: '203.0.113.50', port: 50000 },
    server: { ip: '192.0.2.240', port: 443 },
    packets: { toServer: 3, toClient: 3 },
    bytes: { toServer: 300, toClient: 300 },
    interfaces: { toServer: ['eth1'], toClient: ['eth1'] },
    state: 'established',
    first: '2024-05-01T10:00:00.000000000Z',
    last: '2024-05-01T10:00:01.000000000Z',
    ...p,
  };
}

const tlsErr = (port: number, ts: string): NodeRecord => ({
  type: 'tls-handshake-error',
  file: 'node1/traefik.log',
  line: port - 49999,
  node: 'node1',
  ts,
  client: { ip: '203.0.113.50', port },
  side: 'local',
  cause: 'bad-record-mac',
  text: 'x',
});

describe('FlowIndex.join', () => {
  const idx = new FlowIndex([
    flow({ id: 'a' }),
    flow({
      id: 'b',
      client: { ip: '203.0.113.50', port: 50001 },
      first: '2024-05-01T10:00:00.000000000Z',
      last: '2024-05-01T10:00:01.000000000Z',
    }),
    flow({
      id: 'c',
      client: { ip: '203.0.113.50', port: 50001 },
      server: { ip: '192.0.2.241', port: 443 },
      first: '2024-05-01T10:00:00.500000000Z',
    }),
  ]);
  it('joins by client endpoint and time', () => {
    expect(idx.join('node1', '203.0.113.50', 50000, '2024-05-01T10:00:00.700000000Z')).toMatchObject({
      status: 'joined',
      flow: { id: 'a' },
    });
  });
  it('reports ambiguity instead of guessing', () => {
    expect(idx.join('node1', '203.0.113.50', 50001, '2024-05-01T10:00:00.700000000Z').status).toBe(
      'ambiguous',
    );
  });
  it('refuses joins far outside the flow', () => {
    expect(idx.join('node1', '203.0.113.50', 50000, '2024-05-01T11:00:00.000000000Z').status).toBe('none');
    expect(idx.join('node1', null, 50000, null).status).toBe('none');
  });
});

describe('clock skew', () => {
  it('estimates and applies a log offset from log↔flow matches', () => {
    const flows = [50000, 50001, 50002].map((p, i) =>
      flow({
        id: `f${i}`,
        client: { ip: '203.0.113.50', port: p },
        last: `2024-05-01T10:00:0${i}.000000000Z`,
      }),
    );
    const logs = [50000, 50001, 50002].map((p, i) =>
      tlsErr(p, `2024-05-01T10:00:${String(12 + i).padStart(2, '0')}.000000000Z`),
    );
    const s = estimateClockSkew(logs, flows, null);
    expect(s).toEqual([
      expect.objectContaining({ node: 'node1', source: 'node1/traefik.log', offsetSeconds: -12 }),
    ]);
    const m = estimateClockSkew(logs, flows, { nodes: { node1: { clockOffset: -11 } } });
    expect(m).toEqual([expect.objectContaining({ offsetSeconds: -11, basis: 'manifest clockOffset' })]);
  });
});

describe('L3/L4 rules on hand-made flows', () => {
  it('asymmetric-routing needs disjoint named interfaces', () => {
    const ev = makeEvidence({
      flows: [
        flow({ id: 'x', interfaces: { toServer: ['eth1'], toClient: ['eth0'] } }),
        flow({ id: 'y', interfaces: { toServer: ['eth1', 'br0'], toClient: ['br0'] } }),
        flow({ id: 'z', interfaces: { toServer: ['any'], toClient: ['eth0'] } }),
      ],
    });
    const f = asym.evaluate(ev, []);
    expect(f).toHaveLength(1);
    expect(f[0].facts?.flows).toEqual(['x']);
  });
  it('tcp-handshake-incomplete ignores handshakes that were never retried', () => {
    const ev = makeEvidence({
      flows: [
        flow({ id: 'cut', state: 'syn-sent', packets: { toServer: 1, toClient: 0 } }),
        flow({ id: 'lost', state: 'syn-received', synAckRetransmits: 3 }),
      ],
    });
    const f = tcpInc.evaluate(ev, []);
    expect(f).toHaveLength(1);
    expect(f[0].facts?.flows).toEqual(['lost']);
  });
});

describe('root cause', () => {
  const F = (id: string, severity: Finding['severity'], causes?: string[]): Finding => ({
    id,
    rule: id.split('#')[0],
    title: id,
    layer: 'L3',
    severity,
    summary: id,
    evidence: [],
    ...(causes ? { causes } : {}),
  });
  it('picks the unexplained root and orders the chain symptom first', () => {
    const rc = buildRootCause([
      F('sym#1', 'high'),
      F('mid#1', 'high', ['sym#1']),
      F('root#1', 'critical', ['mid#1']),
    ]);
    expect(rc?.finding).toBe('root#1');
    expect(rc?.chain).toEqual(['sym#1', 'mid#1', 'root#1']);
  });
  it('orders fixes from the root cause down its chain, then the others as listed', () => {
    const fix = { summary: 's', commands: [] };
    const fs = [
      { ...F('other#1', 'medium'), remediation: fix },
      F('sym#1', 'high'),
      { ...F('mid#1', 'high', ['sym#1']), remediation: fix },
      { ...F('root#1', 'critical', ['mid#1']), remediation: fix },
    ];
    expect(fixOrder(fs, buildRootCause(fs)).map((f) => f.id)).toEqual(['root#1', 'mid#1', 'other#1']);
    expect(fixOrder(fs, null).map((f) => f.id)).toEqual(['other#1', 'mid#1', 'root#1']);
  });
  it('reports an unexplained symptom with low confidence, and nothing when all is low', () => {
    expect(buildRootCause([F('sym#1', 'high')])).toMatchObject({ finding: 'sym#1', confidence: 0.3 });
    expect(buildRootCause([F('x#1', 'low')])).toBeNull();
  });
});

describe('timeline aggregation', () => {
  it('folds repeats of one event within the window into a counted entry', () => {
    const base = {
      node: 'node1',
      source: 'cap.pcap',
      layer: 'L4' as const,
      kind: 'syn-ack-retransmit',
      text: 'SYN-ACK retransmitted',
      key: 'k',
    };
    const t = aggregate([
      ...Array.from({ length: 42 }, (_, i) => ({
        ...base,
        ts: `2024-05-01T10:00:${String(i).padStart(2, '0')}.000000000Z`,
        ref: `cap.pcap#${i + 1}`,
      })),
      { ...base, ts: '2024-05-01T10:05:00.000000000Z', ref: 'cap.pcap#99' },
    ]);
    expect(t).toHaveLength(2);
    expect(t[0]).toMatchObject({
      count: 42,
      until: '2024-05-01T10:00:41.000000000Z',
      text: 'SYN-ACK retransmitted',
    });
  });

  it('names the one client an aggregate is about, else its network, in every window', () => {
    const tls = (ts: string, ip: string, port: number, line: number): NodeRecord =>
      ({
        type: 'tls-handshake-error',
        file: 'traefik.log',
        line,
        node: 'node1',
        ts,
        client: { ip, port },
        cause: 'bad-record-mac',
        text: `http: TLS handshake error from ${ip}:${port}: local error: tls: bad record MAC`,
      }) as NodeRecord;
    const raw = [
      // 10:00: one client, three ports → "from 203.0.113.50:*"
      tls('2024-05-01T10:00:00.000000000Z', '203.0.113.50', 40001, 1),
      tls('2024-05-01T10:00:01.000000000Z', '203.0.113.50', 40002, 2),
      tls('2024-05-01T10:00:02.000000000Z', '203.0.113.50', 40003, 3),
      // 10:10 (a new window of the same key): two clients of one /24 → "from 203.0.113.0/24"
      tls('2024-05-01T10:10:00.000000000Z', '203.0.113.50', 40004, 4),
      tls('2024-05-01T10:10:01.000000000Z', '203.0.113.77', 40005, 5),
    ].map((r) => recordEntry(r as never) as RawEntry);
    const t = aggregate(raw);
    expect(t.map((e) => [e.count, e.text])).toEqual([
      [3, 'TLS handshake errors from 203.0.113.50:*: bad-record-mac'],
      [2, 'TLS handshake errors from 203.0.113.0/24: bad-record-mac'],
    ]);
  });
});

describe('targetsName', () => {
  it('matches whole addresses in bare, host:port, URL and bracketed forms', async () => {
    const { targetsName } = await import('../../src/engine/finding.js');
    expect(targetsName(['192.0.2.240'], '192.0.2.240')).toBe(true);
    expect(targetsName(['192.0.2.240:443'], '192.0.2.240')).toBe(true);
    expect(targetsName(['https://192.0.2.240/health'], '192.0.2.240')).toBe(true);
    expect(targetsName(['[2001:db8::1]:443'], '2001:db8:0::1')).toBe(true);
    expect(targetsName(['192.0.2.240'], '192.0.2.24')).toBe(false);
    expect(targetsName(['https://192.0.2.240/'], '192.0.2.2')).toBe(false);
    expect(targetsName(['app.example.test'], '192.0.2.240')).toBe(false);
    expect(targetsName(undefined, '192.0.2.240')).toBe(false);
  });
});

describe('groupBy', () => {
  it('groups by key in first-seen key order, keeping item order within a group', () => {
    const g = groupBy(['b1', 'a1', 'b2', 'c1', 'a2', 'b3'], (s) => s[0]);
    expect([...g.entries()]).toEqual([
      ['b', ['b1', 'b2', 'b3']],
      ['a', ['a1', 'a2']],
      ['c', ['c1']],
    ]);
    // 100 000 items in one group stay one list (rules group whole access logs this way).
    const big = groupBy(
      Array.from({ length: 100_000 }, (_, i) => i),
      () => 'net',
    );
    expect(big.get('net')).toHaveLength(100_000);
    expect(big.get('net')?.[99_999]).toBe(99_999);
  });
});
