/** Timeline order: entries of one time and source sort by their reference as text. */
import { describe, expect, it } from 'vitest';
import type { NodeRecord, PacketEvent } from '../../src/engine/evidence.js';
import { makeEvidence } from '../../src/engine/evidence.js';
import { buildTimeline, compareDecimal } from '../../src/engine/timeline.js';

describe('compareDecimal', () => {
  it('orders integers as their decimal texts', () => {
    const pairs: Array<[number, number]> = [
      [9, 10],
      [10, 9],
      [12, 123],
      [123, 12],
      [100, 99],
      [0, 1],
      [1, 0],
      [10, 100],
      [21, 2147483647],
      [5, 5],
      [2147483647, 2147483646],
    ];
    for (const [x, y] of pairs) {
      const want = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      expect(compareDecimal(x, y), `${x} vs ${y}`).toBe(want);
    }
  });

  it('declines what it cannot order exactly', () => {
    expect(compareDecimal(1.5, 2)).toBeUndefined();
    expect(compareDecimal(-1, 2)).toBeUndefined();
    expect(compareDecimal(2 ** 31, 1)).toBeUndefined();
  });
});

describe('buildTimeline', () => {
  it('sorts same-time lines of one file by `file:line` as text (":10" < ":100" < ":9")', () => {
    const log = (line: number, message: string): NodeRecord =>
      ({
        type: 'log',
        file: 'node1/app.log',
        line,
        node: 'node1',
        ts: '2024-05-01T10:00:00.000000000Z',
        level: 'error',
        message,
        text: message,
      }) as unknown as NodeRecord;
    const t = buildTimeline(
      makeEvidence({ records: [log(9, 'disk full'), log(10, 'link down'), log(100, 'peer reset')] }),
    );
    expect(t.map((e) => e.ref)).toEqual(['node1/app.log:10', 'node1/app.log:100', 'node1/app.log:9']);
  });

  it('folds events outside a flow only when their text is the same', () => {
    const ev = (packet: number, text: string, kind = 'arp-unanswered'): PacketEvent => ({
      ts: `2024-05-01T10:00:0${packet}.000000000Z`,
      file: 'node1/eth0.pcap',
      packet,
      node: 'node1',
      kind,
      layer: 'L2',
      severity: 'medium',
      text,
    });
    const t = buildTimeline(
      makeEvidence({
        events: [
          ev(1, '8× ARP who-has 10.0.0.15 with no reply'),
          ev(2, '8× ARP who-has 10.0.0.16 with no reply'),
          ev(3, 'ICMP error type 3 code 1', 'icmp-error'),
          ev(4, 'ICMP error type 11 code 0', 'icmp-error'),
          ev(5, 'ICMP error type 3 code 1', 'icmp-error'),
        ],
      }),
    );
    expect(t.map((e) => `${e.count ?? 1} ${e.text}`)).toEqual([
      '1 8× ARP who-has 10.0.0.15 with no reply',
      '1 8× ARP who-has 10.0.0.16 with no reply',
      '2 ICMP error type 3 code 1',
      '1 ICMP error type 11 code 0',
    ]);
  });
});
