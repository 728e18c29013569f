import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../parsers/layers/decode.js';
import { FAIL, type LayerDecoder, STOP } from '../../../parsers/layers/decoder.js';
import { DecodedPacket } from '../../../parsers/layers/packet.js';
import {
  decoders,
  etherTypes,
  ipProtocols,
  linkTypes,
  makeTable,
  payloadDecoders,
} from '../../../parsers/layers/registry.js';
import { cat, ETH_IPV4, hex, IPV4_TCP, TCP_SYN } from './hex.js';

describe('registry', () => {
  it('maps the link types, EtherTypes and protocols named in the design', () => {
    const ids = (m: ReadonlyMap<number, { id: string }>) =>
      Object.fromEntries([...m].map(([k, d]) => [k, d.id]));
    expect(ids(linkTypes)).toEqual({
      0: 'null',
      1: 'ethernet',
      12: 'raw',
      14: 'raw',
      101: 'raw',
      108: 'loop',
      113: 'sll',
      228: 'ipv4',
      229: 'ipv6',
      276: 'sll2',
    });
    expect(ids(etherTypes)[0x0800]).toBe('ipv4');
    expect(ids(etherTypes)[0x86dd]).toBe('ipv6');
    expect(ids(etherTypes)[0x0806]).toBe('arp');
    expect(ids(etherTypes)[0x8100]).toBe('vlan');
    expect(ids(etherTypes)[0x88a8]).toBe('vlan');
    expect(ids(ipProtocols)).toMatchObject({ 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' });
  });

  it('rejects a duplicate key or an unregistered decoder', () => {
    const tcp = decoders.get('tcp')!;
    expect(() =>
      makeTable('IP protocol', [
        [6, tcp],
        [6, tcp],
      ]),
    ).toThrow(/duplicate IP protocol 6/);
    expect(() => makeTable('IP protocol', [[6, { ...tcp }]])).toThrow(/not registered/);
  });
});

describe('decodeFrame', () => {
  it('decodes a frame that starts inside a larger buffer; offsets are into the buffer, messages per frame', () => {
    const frame = cat(ETH_IPV4, IPV4_TCP, TCP_SYN);
    const buf = cat(hex`aa bb cc   # bytes before the frame`, frame);
    const pkt = new DecodedPacket();
    decodeFrame(pkt, buf, 3, frame.length, 1);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(pkt.srcOff).toBe(3 + 26);
    decodeFrame(pkt, buf, 3, 20, 1);
    expect(pkt.issueMessage).toBe('ipv4: header needs 20 bytes, 6 captured at frame offset 14');
  });

  it('resets every field between frames', () => {
    const pkt = new DecodedPacket();
    decodeFrame(pkt, cat(ETH_IPV4, IPV4_TCP, TCP_SYN), 0, 54, 1);
    expect(pkt.sport).toBe(49152);
    const arp = cat(
      hex`ff ff ff ff ff ff 02 00 00 00 00 01 08 06`,
      hex`00 01 08 00 06 04 00 01`,
      Buffer.alloc(20),
    );
    decodeFrame(pkt, arp, 0, arp.length, 1);
    const fresh = new DecodedPacket();
    decodeFrame(fresh, arp, 0, arp.length, 1);
    // Same state as a never-used packet (buf and layers compared separately).
    const { buf: _a, layers: la, ...rest } = pkt;
    const { buf: _b, layers: lb, ...restFresh } = fresh;
    expect(la).toEqual(lb);
    expect(rest).toEqual(restFresh);
  });

  it('names the layer of each role', () => {
    const pkt = new DecodedPacket();
    const frame = cat(
      hex`02 00 00 00 00 02 02 00 00 00 00 01  81 00 00 05 08 00   # Ethernet, 802.1Q VID 5, IPv4`,
      IPV4_TCP,
      TCP_SYN,
    );
    decodeFrame(pkt, frame, 0, frame.length, 1);
    expect([pkt.link, pkt.network, pkt.transport]).toEqual(['ethernet', 'ipv4', 'tcp']);
    decodeFrame(pkt, frame, 0, 20, 1);
    expect([pkt.link, pkt.network, pkt.transport]).toEqual(['ethernet', null, null]);
  });

  it('tries payload decoders in order; FAIL without an issue means "not mine"', () => {
    const list = payloadDecoders.get(6) as LayerDecoder[];
    const seen: string[] = [];
    const declines: LayerDecoder = {
      id: 'test-declines',
      role: 'application',
      provides: {},
      decode: () => {
        seen.push('declines');
        return FAIL;
      },
    };
    const accepts: LayerDecoder = {
      id: 'test-accepts',
      role: 'application',
      provides: {},
      decode: (_pkt, buf, off) => {
        seen.push(`accepts ${buf[off]}`);
        return STOP;
      },
    };
    list.push(declines, accepts);
    try {
      const pkt = new DecodedPacket();
      const frame = cat(ETH_IPV4, IPV4_TCP, TCP_SYN, hex`16 03 01   # 3 payload bytes`);
      frame.writeUInt16BE(43, 14 + 2); // IP total length 40 + 3
      decodeFrame(pkt, frame, 0, frame.length, 1);
      expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp', 'test-accepts']);
      expect(seen).toEqual(['declines', 'accepts 22']);
      // No payload → payload decoders are not called.
      seen.length = 0;
      decodeFrame(pkt, frame, 0, 54, 1);
      expect(seen).toEqual([]);
    } finally {
      list.splice(list.indexOf(declines), 2);
    }
  });

  it('a caplen beyond the buffer is clamped instead of throwing', () => {
    const pkt = new DecodedPacket();
    const frame = cat(ETH_IPV4, IPV4_TCP, TCP_SYN);
    decodeFrame(pkt, frame, 0, 1000, 1);
    expect(pkt.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    const tail = cat(frame, ETH_IPV4); // a second frame of which only the Ethernet header exists
    decodeFrame(pkt, tail, frame.length, 1000, 1);
    expect(pkt.layers).toEqual(['ethernet']);
    expect(pkt.issueCode).toBe('ipv4-truncated');
  });

  it('flags an unsupported link type', () => {
    const pkt = new DecodedPacket();
    decodeFrame(pkt, Buffer.alloc(10), 0, 10, 274);
    expect(pkt.layers).toEqual([]);
    expect(pkt.issueCode).toBe('link-unsupported');
  });

  it('stops at the layer limit on an endless VLAN stack', () => {
    const tags = Array.from({ length: 40 }, () => hex`00 01 81 00   # TCI VID 1, next TPID 802.1Q`);
    const frame = cat(hex`02 00 00 00 00 02 02 00 00 00 00 01 81 00`, ...tags);
    const pkt = new DecodedPacket();
    decodeFrame(pkt, frame, 0, frame.length, 1);
    expect(pkt.layers.length).toBe(16);
    expect(pkt.issueCode).toBe('too-many-layers');
  });

  it('never throws on random bytes for any link type', () => {
    const pkt = new DecodedPacket();
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 16;
    };
    const buf = Buffer.alloc(256);
    const thrown: string[] = [];
    for (let i = 0; i < 50000; i++) {
      for (let j = 0; j < buf.length; j++) buf[j] = rnd() & 0xff;
      const lt = [...linkTypes.keys()][i % linkTypes.size];
      // Bias toward IP so the deeper decoders see garbage too.
      if (lt === 1) buf.writeUInt16BE(i & 1 ? 0x0800 : 0x86dd, 12);
      if (lt === 1 && i & 1) buf[14] = 0x40 | (buf[14] & 0x0f);
      try {
        decodeFrame(pkt, buf, 0, rnd() % 257, lt);
      } catch (e) {
        thrown.push(`link ${lt}: ${(e as Error).message}`);
      }
    }
    expect(thrown).toEqual([]);
  });
});
