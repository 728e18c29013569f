/**
 * Flow table unit tests with hand-made DecodedPacket values (no capture reader or
 * decoders involved): the packet buffer holds only what the fields point at.
 */
import { describe, expect, it } from 'vitest';
import { DecodedPacket, IPPROTO, TCP } from '../../parsers/layers/packet.js';
import { TlsSession, TlsStream, tlsRecordLabel } from '../../parsers/layers/tls.js';
import type { Flow } from '../../src/flows/flow.js';
import { flowState, toFlowSummary } from '../../src/flows/summary.js';
import { FlowTable } from '../../src/flows/table.js';
import { parseAddr } from '../../src/netstate/ip.js';
import { cat, decodeHex } from '../parsers/layers/hex.js';

const { SYN, ACK, FIN, RST, PSH } = TCP;

function ip4(s: string): number[] {
  return s.split('.').map(Number);
}

interface Seg {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  flags?: number;
  seq?: number;
  ack?: number;
  payload?: Buffer;
  window?: number;
  proto?: number;
}

/** Fill `p` as the decoders would for an IPv4 TCP/UDP packet: buf = src(4) dst(4) payload. */
function fill(p: DecodedPacket, s: Seg): DecodedPacket {
  const payload = s.payload ?? Buffer.alloc(0);
  const buf = Buffer.from([...ip4(s.src), ...ip4(s.dst), ...payload]);
  p.reset(buf);
  const proto = s.proto ?? IPPROTO.TCP;
  p.layers.push('ipv4', proto === IPPROTO.TCP ? 'tcp' : 'udp');
  p.ipVersion = 4;
  p.srcOff = 0;
  p.dstOff = 4;
  p.ipProto = proto;
  p.sport = s.sport;
  p.dport = s.dport;
  if (proto === IPPROTO.TCP) {
    p.tcpFlags = s.flags ?? ACK;
    p.seq = s.seq ?? 0;
    p.ack = s.ack ?? 0;
    p.window = s.window ?? 65535;
  }
  p.payloadOff = 8;
  p.payloadLen = p.payloadWireLen = payload.length;
  return p;
}

const C = '192.0.2.10';
const S = '198.51.100.5';

/** Feed segments at 1 s intervals; iface per segment from `ifaces` (client→server, server→client). */
function run(t: FlowTable, segs: Seg[], ifaces: [string, string] = ['eth1', 'eth0'], t0 = 1000): void {
  const p = new DecodedPacket();
  segs.forEach((s, i) => {
    fill(p, s);
    t.packet(p, i + 1, t0 + i, 0, 60 + (s.payload?.length ?? 0), s.src === C ? ifaces[0] : ifaces[1]);
  });
}

/** A table whose finished flows stay readable (ladders included) in `done`. */
function doneFlows(opts: ConstructorParameters<typeof FlowTable>[0] = {}): {
  t: FlowTable;
  done: readonly Flow[];
} {
  const t = new FlowTable(opts);
  return { t, done: t.finished };
}

const c2s = (x: Partial<Seg>): Seg => ({ src: C, sport: 51514, dst: S, dport: 443, ...x });
const s2c = (x: Partial<Seg>): Seg => ({ src: S, sport: 443, dst: C, dport: 51514, ...x });

describe('FlowTable', () => {
  it('tracks a complete conversation with per-direction counts and interfaces', () => {
    const { t, done } = doneFlows();
    run(t, [
      c2s({ flags: SYN, seq: 100 }),
      s2c({ flags: SYN | ACK, seq: 500, ack: 101 }),
      c2s({ flags: ACK, seq: 101, ack: 501 }),
      c2s({ flags: PSH | ACK, seq: 101, ack: 501, payload: Buffer.from('hello') }),
      s2c({ flags: PSH | ACK, seq: 501, ack: 106, payload: Buffer.from('world!') }),
      c2s({ flags: FIN | ACK, seq: 106, ack: 507 }),
      s2c({ flags: FIN | ACK, seq: 507, ack: 107 }),
    ]);
    t.finish();
    expect(done).toHaveLength(1);
    const f = toFlowSummary(done[0], 'node1');
    expect(f).toMatchObject({
      id: 'tcp/0',
      proto: 'tcp',
      node: 'node1',
      client: { ip: C, port: 51514 },
      server: { ip: S, port: 443 },
      packets: { toServer: 4, toClient: 3 },
      bytes: { toServer: 4 * 60 + 5, toClient: 3 * 60 + 6 },
      interfaces: { toServer: ['eth1'], toClient: ['eth0'] },
      state: 'closed',
      retransmissions: 0,
      synRetransmits: 0,
      asymmetric: true,
      first: '1970-01-01T00:16:40.000000000Z',
      last: '1970-01-01T00:16:46.000000000Z',
    });
    expect(f.ladder?.map((l) => `${l.dir} ${l.interface} ${l.summary.split(' ')[0]}`).slice(0, 3)).toEqual([
      'toServer eth1 SYN',
      'toClient eth0 SYN-ACK',
      'toServer eth1 ACK',
    ]);
    // A clean handshake and close are counters, not timeline events.
    expect(done[0].handshakeAck).toBe(true);
    expect([done[0].d0.fin, done[0].d1.fin]).toEqual([1, 1]);
    expect(t.events).toEqual([]);
  });

  it('is symmetric when both directions use the same interface', () => {
    const { t, done } = doneFlows();
    run(t, [c2s({ flags: SYN, seq: 1 }), s2c({ flags: SYN | ACK, seq: 9, ack: 2 })], ['eth1', 'eth1']);
    t.finish();
    expect(toFlowSummary(done[0]).asymmetric).toBe(false);
  });

  it('counts SYN and SYN-ACK retransmissions of an unfinished handshake', () => {
    const { t, done } = doneFlows();
    run(t, [
      c2s({ flags: SYN, seq: 100 }),
      s2c({ flags: SYN | ACK, seq: 500, ack: 101 }),
      c2s({ flags: SYN, seq: 100 }),
      s2c({ flags: SYN | ACK, seq: 500, ack: 101 }),
      c2s({ flags: SYN, seq: 100 }),
    ]);
    t.finish();
    const f = toFlowSummary(done[0]);
    expect(f).toMatchObject({ synRetransmits: 2, synAckRetransmits: 1, state: 'syn-received' });
    expect(done).toHaveLength(1);
  });

  it('starts a new conversation on a SYN with a new sequence number (tcp.stream port reuse)', () => {
    const { t, done } = doneFlows();
    run(t, [
      c2s({ flags: SYN, seq: 100 }),
      s2c({ flags: RST | ACK, seq: 0, ack: 101 }),
      c2s({ flags: SYN, seq: 9000 }),
      s2c({ flags: SYN | ACK, seq: 700, ack: 9001 }),
    ]);
    t.finish();
    expect(done.map((f) => [f.index, f.d0.packets + f.d1.packets, flowState(f)])).toEqual([
      [0, 2, 'reset'],
      [1, 2, 'syn-received'],
    ]);
  });

  // Checked against tshark 4.0.17 on the same packets written to a pcap: tcp.stream is
  // 0,0 when the new SYN repeats the old ISN (after FIN or RST) and 0,1 when it differs.
  it.each([
    ['same ISN after FIN', 100, 'fin', 1],
    ['new ISN after FIN', 9000, 'fin', 2],
    ['same ISN after RST', 100, 'rst', 1],
  ] as const)('tcp.stream semantics: %s', (_name, isn2, close, flows) => {
    const { t, done } = doneFlows();
    const closing =
      close === 'rst'
        ? [c2s({ flags: RST, seq: 101, ack: 501 })]
        : [
            c2s({ flags: FIN | ACK, seq: 101, ack: 501 }),
            s2c({ flags: FIN | ACK, seq: 501, ack: 102 }),
            c2s({ flags: ACK, seq: 102, ack: 502 }),
          ];
    run(t, [
      c2s({ flags: SYN, seq: 100 }),
      s2c({ flags: SYN | ACK, seq: 500, ack: 101 }),
      c2s({ flags: ACK, seq: 101, ack: 501 }),
      ...closing,
      c2s({ flags: SYN, seq: isn2 }),
      s2c({ flags: SYN | ACK, seq: 7000, ack: isn2 + 1 }),
      c2s({ flags: ACK, seq: isn2 + 1, ack: 7001 }),
    ]);
    t.finish();
    expect(done).toHaveLength(flows);
  });

  it('does not count one packet captured on two interfaces as a retransmission', () => {
    const { t, done } = doneFlows();
    const p = new DecodedPacket();
    const seen = (s: Seg, n: number, sec: number, nsec: number, iface: string) => {
      fill(p, s);
      t.packet(p, n, sec, nsec, 60, iface);
    };
    seen(c2s({ flags: SYN, seq: 100 }), 1, 1000, 0, 'eth1'); // in on eth1
    seen(c2s({ flags: SYN, seq: 100 }), 2, 1000, 20_000, 'eth0'); // forwarded out eth0
    seen(c2s({ flags: SYN, seq: 100 }), 3, 1001, 0, 'eth1'); // a real retransmission 1 s later
    seen(c2s({ flags: SYN, seq: 100 }), 4, 1001, 20_000, 'eth0');
    t.finish();
    expect(done[0].d0.dupCaptures).toBe(2);
    expect(done[0].d0.packets).toBe(4);
    expect(toFlowSummary(done[0])).toMatchObject({
      synRetransmits: 1,
      interfaces: { toServer: ['eth1', 'eth0'] },
    });
  });

  it('counts data retransmissions (same seq and length again) and zero windows', () => {
    const { t, done } = doneFlows();
    const data = Buffer.alloc(100, 1);
    run(t, [
      c2s({ flags: SYN, seq: 0 }),
      s2c({ flags: SYN | ACK, seq: 0, ack: 1 }),
      c2s({ flags: ACK, seq: 1, ack: 1 }),
      c2s({ flags: PSH | ACK, seq: 1, ack: 1, payload: data }),
      c2s({ flags: PSH | ACK, seq: 1, ack: 1, payload: data }),
      s2c({ flags: ACK, seq: 1, ack: 101, window: 0 }),
    ]);
    t.finish();
    const f = done[0];
    expect(toFlowSummary(f).retransmissions).toBe(1);
    expect(f.d1.zeroWindow).toBe(1);
    expect(t.events.map((e) => [e.kind, e.flow === f])).toEqual([
      ['retransmit', true],
      ['zero-window', true],
    ]);
  });

  it('orients mid-stream flows by port when no SYN was seen', () => {
    const { t, done } = doneFlows();
    run(t, [s2c({ flags: PSH | ACK, seq: 5, payload: Buffer.from('x') }), c2s({ flags: ACK, seq: 9 })]);
    t.finish();
    const f = toFlowSummary(done[0]);
    expect(f.server).toEqual({ ip: S, port: 443 });
    expect(f.state).toBe('midstream');
  });

  it('reports no TLS facts for a plaintext conversation', () => {
    const { t, done } = doneFlows();
    run(t, [
      c2s({ flags: SYN, seq: 0, dport: 80 }),
      s2c({ flags: SYN | ACK, seq: 0, ack: 1, sport: 80 }),
      c2s({ flags: PSH | ACK, seq: 1, ack: 1, dport: 80, payload: Buffer.from('GET / HTTP/1.1\r\n\r\n') }),
    ]);
    t.finish();
    expect(done).toHaveLength(1);
    expect(toFlowSummary(done[0]).tls).toBeUndefined();
  });

  it('parses TLS on the payload: SNI, version and alerts by side', () => {
    const { t, done } = doneFlows();
    const hello = Buffer.from(
      '16030100400100003c0303' +
        '00'.repeat(32) +
        '00' + // session id
        '00021301' + // cipher suites
        '0100' + // compression
        '0011' + // extensions: 17 bytes
        '0000000d000b000008746573742e6c6162', // server_name "test.lab"
      'hex',
    );
    expect(hello.length).toBe(5 + 0x40);
    const alert = Buffer.from('15030300020214', 'hex'); // fatal bad_record_mac
    run(t, [
      c2s({ flags: SYN, seq: 0 }),
      s2c({ flags: SYN | ACK, seq: 0, ack: 1 }),
      c2s({ flags: ACK, seq: 1, ack: 1 }),
      c2s({ flags: PSH | ACK, seq: 1, ack: 1, payload: hello }),
      s2c({ flags: PSH | ACK, seq: 1, ack: 1 + hello.length, payload: alert }),
    ]);
    expect(t.tlsLabels()).toEqual(['alert:bad_record_mac']);
    expect(t.tlsAlerts()).toEqual([20]);
    t.finish();
    const f = toFlowSummary(done[0]);
    expect(f.tls).toEqual({
      sni: 'test.lab',
      alerts: [{ level: 'fatal', description: 'bad_record_mac', from: 'server' }],
    });
    expect(t.events.map((e) => e.kind)).toContain('tls-alert');
  });

  it('labels TLS records per packet exactly as a stream fed every byte and told every gap does', () => {
    // One direction's TLS 1.2 byte stream: a handshake record, then application-data records
    // of many sizes with plaintext alerts among them, cut into segments of random sizes or
    // at record ends; in the second half some segments are lost (a gap in sequence) and
    // some captured short (snaplen).
    let x = 42;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const rec = (ct: number, body: Buffer) =>
      Buffer.concat([Buffer.from([ct, 3, 3, body.length >> 8, body.length & 0xff]), body]);
    const parts = [rec(22, Buffer.from('02000006030300000000', 'hex'))];
    for (let i = 0; i < 60; i++)
      parts.push(i % 17 === 9 ? rec(21, Buffer.from([2, 20])) : rec(23, Buffer.alloc(1 + rnd(16000), 0xaa)));
    const stream = Buffer.concat(parts);
    const ends = parts.map((_, i) => parts.slice(0, i + 1).reduce((n, b) => n + b.length, 0));
    for (const cut of ['random', 'record halves']) {
      const segs: Array<{ off: number; len: number; lost: boolean; captured: number }> = [];
      for (let off = 0; off < stream.length; ) {
        // 'record halves': each record in two segments, the second ending where the record does.
        const next = ends.find((e) => e > off) ?? stream.length;
        const len =
          cut === 'random'
            ? Math.min(stream.length - off, 1 + rnd(3000))
            : next - off > 8
              ? Math.ceil((next - off) / 2)
              : next - off;
        const r = rnd(40);
        // Losses only in the second half: the first keeps in sync throughout.
        const late = off > stream.length / 2;
        segs.push({ off, len, lost: late && r === 0, captured: late && r === 1 ? rnd(len) : len });
        off += len;
      }
      // Reference: a bare TlsStream fed every captured byte and told every gap.
      const want: string[][] = [];
      let cur: string[] = [];
      const ref = new TlsStream(
        new TlsSession(),
        { onTlsRecord: (_s, ct, d) => cur.push(tlsRecordLabel(ct, d)) },
        1,
      );
      for (const g of segs) {
        cur = [];
        if (g.lost) ref.gap(g.len);
        else {
          if (g.captured > 0) ref.feed(stream, g.off, g.captured);
          if (g.captured < g.len) ref.gap(g.len - g.captured);
          want.push(cur);
        }
      }
      // The table: the same segments as packets from the server (after a handshake).
      const t = new FlowTable();
      const p = new DecodedPacket();
      const got: string[][] = [];
      run(t, [
        c2s({ flags: SYN, seq: 0 }),
        s2c({ flags: SYN | ACK, seq: 0, ack: 1 }),
        c2s({ flags: ACK, seq: 1, ack: 1 }),
      ]);
      let n = 4;
      for (const g of segs) {
        if (g.lost) continue;
        fill(
          p,
          s2c({ flags: ACK, seq: 1 + g.off, ack: 1, payload: stream.subarray(g.off, g.off + g.captured) }),
        );
        p.payloadWireLen = g.len;
        t.packet(p, n++, 2000 + n, 0, 60 + g.len, 'eth1');
        got.push(t.tlsLabels());
      }
      expect(segs.filter((g) => g.lost).length, cut).toBeGreaterThan(0);
      expect(got.flat().filter((l) => l === 'alert:bad_record_mac').length, cut).toBeGreaterThan(1);
      expect(got.flat().filter((l) => l === 'application_data').length, cut).toBeGreaterThan(20);
      expect(got, cut).toEqual(want);
    }
  });

  it('links an ICMP error to the flow through the quoted header', () => {
    const { t, done } = doneFlows();
    run(t, [c2s({ proto: IPPROTO.UDP, sport: 40000, dport: 53, payload: Buffer.alloc(20) })]);
    const p = new DecodedPacket();
    // router 203.0.113.1 → client: port unreachable quoting client:40000 → server:53
    p.reset(Buffer.from([...ip4('203.0.113.1'), ...ip4(C), ...ip4(C), ...ip4(S)]));
    p.ipVersion = 4;
    p.srcOff = 0;
    p.dstOff = 4;
    p.ipProto = IPPROTO.ICMP;
    p.icmpType = 3;
    p.icmpCode = 3;
    const q = p.quoted;
    q.valid = true;
    q.ipVersion = 4;
    q.srcOff = 8;
    q.dstOff = 12;
    q.proto = IPPROTO.UDP;
    q.sport = 40000;
    q.dport = 53;
    t.packet(p, 2, 1001, 0, 70, 'eth0');
    t.finish();
    expect(done[0].icmpErrors).toBe(1);
    expect(toFlowSummary(done[0])).toMatchObject({ proto: 'udp', state: 'udp', icmpErrors: 1 });
    const ev = t.events.find((e) => e.kind === 'icmp-error');
    expect(ev?.flow).toBe(done[0]);
    expect(ev?.packet).toBe(2);
  });

  it('evicts idle flows and the least recently used beyond maxFlows', () => {
    const { t, done } = doneFlows({ idleTimeout: 30, maxFlows: 2 });
    const p = new DecodedPacket();
    for (let i = 0; i < 3; i++) {
      fill(p, c2s({ sport: 50000 + i, flags: SYN, seq: i }));
      t.packet(p, i + 1, 1000 + i, 0, 60, null);
    }
    expect(t.size).toBe(2);
    expect(done.map((f) => (f.pa === 443 ? f.pb : f.pa))).toEqual([50000]);
    t.expire(1002 + 31);
    expect(t.size).toBe(0);
    expect(done).toHaveLength(3);
    expect(t.stats.flowsEvicted).toBe(3);
  });

  it('tracks ARP requests, replies and unanswered addresses', () => {
    const t = new FlowTable();
    const p = new DecodedPacket();
    const arp = (op: number, smac: string, sip: string, tip: string) => {
      const mac = Buffer.from(smac.replaceAll(':', ''), 'hex');
      p.reset(Buffer.from([...mac, ...ip4(sip), ...Buffer.alloc(6), ...ip4(tip)]));
      p.arpOp = op;
      p.arpSenderMacOff = 0;
      p.arpSenderIpOff = 6;
      p.arpTargetMacOff = 10;
      p.arpTargetIpOff = 16;
      t.packet(p, 1, 1000, 0, 42, 'eth1');
    };
    arp(1, '02:00:00:00:00:01', '192.0.2.1', '192.0.2.50'); // who-has .50 (VIP)
    arp(1, '02:00:00:00:00:01', '192.0.2.1', '192.0.2.50');
    arp(1, '02:00:00:00:00:01', '192.0.2.1', '192.0.2.60');
    arp(2, '02:00:00:00:00:aa', '192.0.2.60', '192.0.2.1'); // .60 is-at aa
    arp(2, '02:00:00:00:00:bb', '192.0.2.60', '192.0.2.1'); // and bb: conflict
    const vip = t.arp.get(0xc0000232)!;
    expect(vip).toMatchObject({ ip: '192.0.2.50', requests: 2, replies: 0, askedBy: ['192.0.2.1'] });
    expect(t.arpUnanswered().map((e) => e.ip)).toEqual(['192.0.2.50']);
    const sixty = t.arp.get(0xc000023c)!;
    expect(sixty.replyMacs).toEqual(['02:00:00:00:00:aa', '02:00:00:00:00:bb']);
    expect(t.stats.arp).toBe(5);
  });

  it('counts ICMP echo requests and replies per address pair', () => {
    const t = new FlowTable();
    const p = new DecodedPacket();
    const echo = (type: number, src: string, dst: string) => {
      p.reset(Buffer.from([...ip4(src), ...ip4(dst)]));
      p.ipVersion = 4;
      p.srcOff = 0;
      p.dstOff = 4;
      p.ipProto = IPPROTO.ICMP;
      p.icmpType = type;
      p.icmpCode = 0;
      t.packet(p, 1, 1000, 0, 98, null);
    };
    echo(8, C, S);
    echo(8, C, S);
    echo(0, S, C);
    expect([...t.echo.values()]).toMatchObject([{ src: C, dst: S, requests: 2, replies: 1 }]);
  });

  it('tracks IPv6 neighbour discovery like ARP: solicitations, advertisements, and DAD probes left out', () => {
    const t = new FlowTable();
    /** Ethernet from `smac`, IPv6 `src` → `dst`, ICMPv6 NS (135) or NA (136) for `target`, with an LLA option. */
    const nd = (type: 135 | 136, smac: string, src: string, dst: string, target: string, lla?: string) => {
      const addr = (a: string) => {
        const v = parseAddr(a)?.value ?? 0n;
        return Buffer.from(v.toString(16).padStart(32, '0'), 'hex');
      };
      const mac = (m: string) => Buffer.from(m.replaceAll(':', ''), 'hex');
      const body = cat(
        Buffer.from([type, 0, 0, 0, type === 136 ? 0x60 : 0, 0, 0, 0]),
        addr(target),
        lla ? cat(Buffer.from([type === 135 ? 1 : 2, 1]), mac(lla)) : Buffer.alloc(0),
      );
      const ip = cat(Buffer.from([0x60, 0, 0, 0, 0, body.length, 58, 255]), addr(src), addr(dst));
      const frame = cat(mac('33:33:ff:00:00:01'), mac(smac), Buffer.from([0x86, 0xdd]), ip, body);
      t.packet(decodeHex(frame), 1, 1000, 0, frame.length, 'eth1');
    };
    const VIP = '2001:db8::240';
    nd(135, '02:00:00:00:00:01', '2001:db8::1', 'ff02::1:ff00:240', VIP, '02:00:00:00:00:01');
    nd(135, '02:00:00:00:00:01', '2001:db8::1', 'ff02::1:ff00:240', VIP, '02:00:00:00:00:01');
    // Duplicate address detection: from ::, for the node's own tentative address.
    nd(135, '02:00:00:00:00:0c', '::', 'ff02::1:ff00:c', '2001:db8::c');
    // 2001:db8::60 is solicited and advertised by two MACs (one via the option, one only by its frame).
    nd(135, '02:00:00:00:00:01', '2001:db8::1', 'ff02::1:ff00:60', '2001:db8::60');
    nd(136, '02:00:00:00:00:aa', '2001:db8::60', '2001:db8::1', '2001:db8::60', '02:00:00:00:00:aa');
    nd(136, '02:00:00:00:00:bb', '2001:db8::60', '2001:db8::1', '2001:db8::60');
    expect(t.arpUnanswered().map((e) => e.ip)).toEqual([VIP]);
    expect(t.nd.get(VIP)).toMatchObject({
      requests: 2,
      replies: 0,
      askedBy: ['2001:db8::1'],
      ifaces: ['eth1'],
    });
    expect(t.nd.get('2001:db8::60')).toMatchObject({
      requests: 1,
      replies: 2,
      replyMacs: ['02:00:00:00:00:aa', '02:00:00:00:00:bb'],
    });
    expect(t.nd.get('2001:db8::c')?.requests ?? 0).toBe(0);
    expect(t.arp.size).toBe(0);
    expect(t.stats.icmp).toBe(6);
  });

  it('finds every live flow again after many evictions (hash table deletion keeps probe runs intact)', () => {
    const { t, done } = doneFlows({ maxFlows: 3000, idleTimeout: Number.POSITIVE_INFINITY });
    const p = new DecodedPacket();
    const udp = (i: number, packetNo: number) => {
      fill(p, { src: `192.0.2.${i % 250}`, sport: 1024 + i, dst: S, dport: 53, proto: IPPROTO.UDP });
      t.packet(p, packetNo, 1000 + packetNo, 0, 80, 'eth0');
    };
    // 5000 flows through a 3000-flow table: the 2000 least recent are evicted on the way.
    for (let i = 0; i < 5000; i++) udp(i, i + 1);
    expect(t.size).toBe(3000);
    expect(done).toHaveLength(2000);
    // Every survivor is found again: no new flow, its packet count goes up.
    for (let i = 2000; i < 5000; i++) udp(i, 10_000 + i);
    expect(t.stats.flowsCreated).toBe(5000);
    expect([...t.liveFlows()].every((f) => f.d0.packets + f.d1.packets === 2)).toBe(true);
    // And an evicted one comes back as a new flow.
    udp(0, 20_000);
    expect(t.stats.flowsCreated).toBe(5001);
  });

  it('a closed conversation takes late packets for CLOSED_LINGER seconds, then a packet starts a new flow', () => {
    const close = (t: FlowTable, t0: number) =>
      run(
        t,
        [
          c2s({ flags: SYN, seq: 100 }),
          s2c({ flags: SYN | ACK, seq: 500, ack: 101 }),
          c2s({ flags: FIN | ACK, seq: 101, ack: 501 }),
          s2c({ flags: FIN | ACK, seq: 501, ack: 102 }),
        ],
        ['eth1', 'eth1'],
        t0,
      );
    const late = (t: FlowTable, at: number) => {
      const p = fill(new DecodedPacket(), c2s({ flags: ACK, seq: 102, ack: 502 }));
      t.packet(p, 99, at, 0, 60, 'eth1');
    };
    // Last packet at t0 + 3 s; a straggler 4 s later still belongs to it (no sweep ran: 5 packets).
    const a = doneFlows();
    close(a.t, 1000);
    late(a.t, 1007);
    a.t.finish();
    expect(a.t.stats.flowsCreated).toBe(1);
    expect(a.done[0].d0.packets).toBe(3);
    // 6 s later it is a new (midstream) conversation; the first one ended closed.
    const b = doneFlows();
    close(b.t, 1000);
    late(b.t, 1009);
    b.t.finish();
    expect(b.t.stats.flowsCreated).toBe(2);
    expect(b.done.map((f) => [flowState(f), f.d0.packets + f.d1.packets])).toEqual([
      ['closed', 4],
      ['midstream', 1],
    ]);
  });
});

describe('FlowTable: data that never gets through (stall)', () => {
  /** Handshake, a 517-byte request, then `sends` copies of a 813-byte reply the client never acknowledges. */
  function stalled(sends: number, after: Seg[] = []): ReturnType<typeof toFlowSummary> {
    const { t, done } = doneFlows();
    const p = new DecodedPacket();
    const segs: Seg[] = [
      c2s({ flags: SYN, seq: 100 }),
      s2c({ flags: SYN | ACK, seq: 500, ack: 101 }),
      c2s({ flags: ACK, seq: 101, ack: 501 }),
      c2s({ flags: PSH | ACK, seq: 101, ack: 501, payload: Buffer.alloc(517) }),
      s2c({ flags: ACK, seq: 501, ack: 618 }),
      ...Array.from({ length: sends }, () =>
        s2c({ flags: PSH | ACK, seq: 501, ack: 618, payload: Buffer.alloc(813) }),
      ),
      ...after,
    ];
    segs.forEach((s, i) => {
      fill(p, s);
      p.ipTotalLen = 52 + (s.payload?.length ?? 0);
      p.dontFragment = true;
      if (s.flags === SYN) p.mss = 1460;
      t.packet(p, i + 1, 1000 + i, 0, 66 + (s.payload?.length ?? 0), 'eth1');
    });
    t.finish();
    return toFlowSummary(done[0], 'node1', false);
  }

  it('reports the segment the peer never acknowledged, and that the peer was still there', () => {
    const f = stalled(4, [c2s({ flags: FIN | ACK, seq: 618, ack: 501 })]);
    expect(f.maxPayload).toEqual({ toServer: 517, toClient: 813 });
    expect(f.stall).toEqual({
      dir: 'toClient',
      payload: 813,
      ipLen: 865,
      df: true,
      sends: 4,
      peerAlive: true,
      peerMss: 1460,
    });
  });

  it('a silent peer is told apart; one retransmission is not a stall; acknowledged data is none', () => {
    expect(stalled(3).stall?.peerAlive).toBe(false);
    expect(stalled(2).stall).toBeUndefined();
    expect(stalled(4, [c2s({ flags: ACK, seq: 618, ack: 1314 })]).stall).toBeUndefined();
  });
});
