/**
 * The ladder store: per-flow slots of the first packets, off the GC heap, reused
 * as flows leave the table; and the table's use of it (a slot per flow, given back
 * once the flow has been handed out).
 */
import { describe, expect, it } from 'vitest';
import { DecodedPacket, IPPROTO, TCP } from '../../parsers/layers/packet.js';
import type { Flow } from '../../src/flows/flow.js';
import { LadderStore } from '../../src/flows/ladder.js';
import { FlowTable } from '../../src/flows/table.js';

describe('LadderStore', () => {
  it('keeps each slot apart, maps names, and reuses released slots', () => {
    const s = new LadderStore(3);
    const slots = Array.from({ length: 600 }, () => s.alloc()); // more than one chunk
    expect(new Set(slots).size).toBe(600);
    expect(s.used).toBe(600);
    slots.forEach((slot, i) => {
      for (let k = 0; k < 3; k++)
        s.put(
          slot,
          k,
          i * 10 + k,
          1_700_000_000 + i,
          999_999_999,
          k & 1,
          k === 0 ? -1 : 0x18,
          4_000_000_000,
          -5,
          k,
          k ? 'eth1' : null,
          `f${i % 2}.pcap`,
        );
    });
    for (const i of [0, 255, 256, 599]) {
      const steps = s.read(slots[i], 3);
      expect(steps.map((x) => x.packet)).toEqual([i * 10, i * 10 + 1, i * 10 + 2]);
      expect(steps[0]).toEqual({
        packet: i * 10,
        sec: 1_700_000_000 + i,
        nsec: 999_999_999,
        dir: 0,
        flags: -1,
        seq: 4_000_000_000,
        ack: -5,
        payload: 0,
        iface: null,
        file: `f${i % 2}.pcap`,
      });
      expect(steps[2].iface).toBe('eth1');
    }
    s.release(slots[7]);
    expect(s.used).toBe(599);
    expect(s.alloc()).toBe(slots[7]);
  });
});

function tcp(p: DecodedPacket, sport: number, flags: number): void {
  p.reset(Buffer.alloc(64));
  p.ipVersion = 4;
  p.ipProto = IPPROTO.TCP;
  p.buf.writeUInt32BE(0xc0000201, 26);
  p.buf.writeUInt32BE(0xc0000202, 30);
  p.srcOff = 26;
  p.dstOff = 30;
  p.sport = sport;
  p.dport = 443;
  p.tcpFlags = flags;
  p.seq = 1000;
  p.ack = 0;
}

describe('FlowTable ladders', () => {
  it('reads a flow’s ladder in onFlowDone, then gives its slot back', () => {
    const seen: string[] = [];
    const handed: Flow[] = [];
    const t = new FlowTable({
      ladderSize: 4,
      onFlowDone: (f) => {
        seen.push(
          f
            .ladder()
            .map((s) => `${s.packet}:${s.flags}`)
            .join(' '),
        );
        handed.push(f);
      },
    });
    const p = new DecodedPacket();
    for (let i = 0; i < 300; i++) {
      tcp(p, 10_000 + i, TCP.SYN);
      t.packet(p, 2 * i + 1, 1000 + i, 0, 60, 'eth0');
      tcp(p, 10_000 + i, TCP.RST);
      t.packet(p, 2 * i + 2, 1000 + i, 1, 60, 'eth0');
    }
    t.finish();
    expect(seen).toHaveLength(300);
    expect(seen[0]).toBe(`1:${TCP.SYN} 2:${TCP.RST}`);
    expect(seen[299]).toBe(`599:${TCP.SYN} 600:${TCP.RST}`);
    // Handed out: reading the ladder later is an error, not another flow's packets.
    expect(() => handed[0].ladder()).toThrow(/ladder read after/);
  });
});
