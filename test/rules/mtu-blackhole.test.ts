/**
 * mtu-blackhole on hand-made flows: a large segment the peer never acknowledged is a
 * black hole only when it is larger than every path must carry and something shows the
 * path (not the peer) lost it; an ICMP fragmentation-needed gives the MTU to use.
 * The lab's own case is samples/mtu-blackhole (test/samples).
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/mtu-blackhole.js';
import { makeEvidence, type PacketEvent } from '../../src/engine/evidence.js';
import type { FlowSummary } from '../../src/model/analysis.js';

function flow(id: string, client: string, p: Partial<FlowSummary> = {}): FlowSummary {
  return {
    id,
    proto: 'tcp',
    node: 'node1',
    client: { ip: client, port: 50000 },
    server: { ip: '192.0.2.240', port: 443 },
    packets: { toServer: 5, toClient: 6 },
    bytes: { toServer: 800, toClient: 5000 },
    interfaces: { toServer: ['eth1'], toClient: ['eth1'] },
    state: 'established',
    first: '2026-11-26T10:00:00.000000000Z',
    last: '2026-11-26T10:00:09.000000000Z',
    maxPayload: { toServer: 517, toClient: 813 },
    ...p,
  };
}
const stall = (x: Partial<NonNullable<FlowSummary['stall']>> = {}): FlowSummary['stall'] => ({
  dir: 'toClient',
  payload: 813,
  ipLen: 865,
  df: true,
  sends: 6,
  peerAlive: true,
  ...x,
});

describe('mtu-blackhole', () => {
  it('groups stalled conversations per client network and cites the ones that got through', () => {
    const ev = makeEvidence({
      flows: [
        flow('a', '203.0.113.50', { stall: stall() }),
        flow('b', '203.0.113.51', { stall: stall({ ipLen: 900, payload: 848 }) }),
        flow('ok', '192.0.2.50'),
      ],
    });
    const [f, ...more] = rule.evaluate(ev, []);
    expect(more).toEqual([]);
    expect(f).toMatchObject({
      id: 'mtu-blackhole#node1/toClient/203.0.113.0/24',
      severity: 'high',
      facts: {
        flows: ['a', 'b'],
        clients: ['203.0.113.50', '203.0.113.51'],
        lostPacketBytes: 865,
        confidence: 0.85,
      },
    });
    expect(f.summary).toContain('865–900-byte packet');
    expect(f.evidence.map((e) => e.flow)).toEqual(['a', 'b', 'ok']);
    // No routing state: the stopgap says where the gateway goes; 569-byte packets came back, 576 is the floor.
    expect(f.remediation?.commands).toEqual(['ip route replace 203.0.113.0/24 via <gateway> mtu lock 576']);
  });

  it('stays quiet for small packets and for a peer that went silent with nothing else to show', () => {
    const small = makeEvidence({
      flows: [flow('s', '203.0.113.50', { stall: stall({ ipLen: 500, payload: 448 }) })],
    });
    expect(rule.evaluate(small, [])).toEqual([]);
    const gone = makeEvidence({ flows: [flow('g', '203.0.113.50', { stall: stall({ peerAlive: false }) })] });
    expect(rule.evaluate(gone, [])).toEqual([]);
    const handshake = makeEvidence({
      flows: [flow('h', '203.0.113.50', { state: 'syn-received', stall: stall() })],
    });
    expect(rule.evaluate(handshake, [])).toEqual([]);
  });

  it('takes the MTU from an ICMP fragmentation-needed that did arrive', () => {
    const icmp: PacketEvent = {
      ts: '2026-11-26T10:00:01.000000000Z',
      kind: 'icmp-error',
      file: 'node1/eth1.pcap',
      packet: 9,
      iface: 'eth1',
      node: 'node1',
      flow: 'g',
      layer: 'L3',
      severity: 'medium',
      text: 'ICMP error type 3 code 4 (next-hop MTU 800)',
    };
    const ev = makeEvidence({
      flows: [flow('g', '203.0.113.50', { stall: stall({ peerAlive: false }) })],
      events: [icmp],
    });
    const [f] = rule.evaluate(ev, []);
    expect(f.facts).toMatchObject({ nextHopMtu: 800 });
    expect(f.remediation?.commands[0]).toMatch(/mtu lock 800$/);
    expect(f.severity).toBe('medium'); // one conversation, no symptom linked
  });
});
