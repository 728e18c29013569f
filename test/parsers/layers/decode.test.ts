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

/** IPv6 (payload 36) with a hop-by-hop header and a fragment header (first), then TCP. */
const IPV6_TCP_EXT = hex`
  60 00 00 00 00 24 00 40                           # IPv6, payload 36, next hop-by-hop
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
  2c 00 01 04 00 00 00 00                           # HBH: next fragment, 8 bytes
  06 00 00 01 00 00 00 2a                           # fragment: next TCP, offset 0, M=1
  c0 00 01 bb 00 00 03 e8 00 00 00 00 50 02 fa f0 00 00 00 00   # TCP SYN
`;

/** Ethernet/IPv4 ARP reply body. */
const ARP_BODY = hex`
  00 01 08 00 06 04 00 02 02 00 00 00 00 64 c0 00 02 64 02 00 00 00 00 01 c0 00 02 01
`;

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

  it('mutated valid frames: never throws, every offset it reports lies inside the capture', () => {
    const icmpErr = hex`
      45 00 00 38 00 02 00 00 40 01 00 00 c6 33 64 02 c0 00 02 01   # IPv4 ICMP
      03 03 00 00 00 00 00 00                                       # port unreachable
      45 00 00 24 00 07 00 00 40 11 00 00 c0 00 02 01 c6 33 64 02   # quoted IPv4
      d4 31 00 35 00 10 00 00                                       # quoted UDP
    `;
    const seeds: Array<[Buffer, number]> = [
      [cat(ETH_IPV4, IPV4_TCP, TCP_SYN), 1],
      [cat(ETH_IPV4, icmpErr), 1],
      [cat(hex`00 00 00 02 00 00 00 00 00 00 02 00 86 dd`, IPV6_TCP_EXT), 1],
      [cat(hex`00 04 00 01 00 06 02 00 00 00 00 01 00 00 08 06`, ARP_BODY), 113],
      [
        hex`
          08 00 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 01 00 00   # SLL2, IPv4, ifindex 2
          45 00 00 24 00 07 00 00 40 11 00 00 c0 00 02 01 c6 33 64 02   # IPv4 UDP, total 36
          d4 31 00 35 00 10 00 00  01 02 03 04 05 06 07 08              # UDP, length 16, 8 data bytes
        `,
        276,
      ],
    ];
    const pkt = new DecodedPacket();
    for (const [f, lt] of seeds) {
      decodeFrame(pkt, f, 0, f.length, lt);
      expect(pkt.issueCode).toBeNull();
      expect(pkt.layers.length).toBeGreaterThanOrEqual(2);
    }
    let seed = 99;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const bad: string[] = [];
    const inside = (what: string, off: number, size: number) => {
      if (off >= 0 && (off < pkt.frameOff || off + size > pkt.capEnd) && bad.length < 10) {
        bad.push(`${what} ${off}+${size} outside [${pkt.frameOff}, ${pkt.capEnd}) layers ${pkt.layers}`);
      }
    };
    for (let i = 0; i < 30000; i++) {
      const [orig, lt] = seeds[i % seeds.length];
      const f = Buffer.from(orig);
      for (let k = rnd(4); k >= 0; k--) f[rnd(f.length)] = rnd(256);
      const buf = cat(Buffer.alloc(5, 0xee), f, Buffer.alloc(64, 0xee)); // neighbours must not be read
      try {
        decodeFrame(pkt, buf, 5, rnd(f.length + 1), lt);
      } catch (e) {
        bad.push(`threw ${(e as Error).message}`);
        continue;
      }
      const ip = pkt.ipVersion === 6 ? 16 : 4;
      inside('macDst', pkt.macDstOff, 6);
      inside('macSrc', pkt.macSrcOff, 6);
      inside('src', pkt.srcOff, ip);
      inside('dst', pkt.dstOff, ip);
      inside('payload', pkt.payloadOff, Math.max(0, pkt.payloadLen));
      inside('sack', pkt.sackOff, 8 * pkt.sackBlocks);
      inside('arp sender', pkt.arpSenderMacOff, 10);
      inside('arp target', pkt.arpTargetMacOff, 10);
      inside('nd target', pkt.ndTargetOff, 16);
      inside('nd lla', pkt.ndLinkAddrOff, 6);
      const q = pkt.quoted;
      if (q.valid) {
        inside('quoted src', q.srcOff, q.ipVersion === 6 ? 16 : 4);
        inside('quoted dst', q.dstOff, q.ipVersion === 6 ? 16 : 4);
      }
      if (pkt.payloadLen < 0) bad.push(`negative payloadLen ${pkt.payloadLen}`);
      if (pkt.issueCode === null && pkt.issueMessage !== null) bad.push('message without code');
    }
    expect(bad).toEqual([]);
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
