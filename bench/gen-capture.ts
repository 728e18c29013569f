/**
 * Deterministic synthetic capture for the benchmark: a classic pcap (LE, µs,
 * Ethernet) of many interleaved TLS-like TCP conversations, built from a seeded
 * PRNG so every run writes the same bytes. Each flow: SYN / SYN-ACK / ACK, a
 * ClientHello with SNI, ServerHello + encrypted handshake, client Finished,
 * application-data records (MSS-sized segments, ACKed every second segment), then
 * FIN / FIN / ACK. Clients are 198.51.100.0/24 and 192.0.2.0/24, servers
 * 203.0.113.0/24:443 (documentation ranges). Written in 4 MiB chunks.
 *
 *   frame = Ethernet(14) | IPv4(20) | TCP(20, SYN: +20 options) | payload
 */
import { open } from 'node:fs/promises';

/** What was written. */
export interface GeneratedCapture {
  bytes: number;
  packets: number;
  flows: number;
}

/** mulberry32: small, fast, seeded PRNG returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;
const MSS = 1448;

/** One conversation being generated: a queue of steps, consumed one packet at a time. */
interface GenFlow {
  cip: number;
  sip: number;
  cport: number;
  /** Next sequence numbers of client and server. */
  cseq: number;
  sseq: number;
  sni: string;
  step: number;
  appSegments: number;
  sent: number;
}

/** Write a capture of about `targetBytes` bytes to `path`. */
export async function generateCapture(
  path: string,
  targetBytes: number,
  seed = 1,
): Promise<GeneratedCapture> {
  const rnd = prng(seed);
  const fh = await open(path, 'w');
  const CH = 4 * 1024 * 1024;
  const out = Buffer.alloc(CH + 65536);
  let o = 0;
  let bytes = 0;
  let packets = 0;
  let flows = 0;
  let usec = 0;
  let sec = 1_700_000_000;

  const flush = async () => {
    await fh.write(out, 0, o);
    bytes += o;
    o = 0;
  };

  // Global header: LE µs magic, 2.4, snaplen 262144, Ethernet.
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(0, 8);
  out.writeUInt32LE(0, 12);
  out.writeUInt32LE(262144, 16);
  out.writeUInt32LE(1, 20);
  o = 24;

  const active: GenFlow[] = [];
  const CONCURRENT = 1000;
  let nextFlow = 0;
  const newFlow = (): GenFlow => {
    const i = nextFlow++;
    flows++;
    const net = i & 1 ? 0xc6336400 /* 198.51.100.0 */ : 0xc0000200; /* 192.0.2.0 */
    return {
      cip: net + 1 + ((i >>> 1) % 250),
      sip: 0xcb007100 /* 203.0.113.0 */ + 1 + (i % 200),
      cport: 1024 + Math.floor(i / 500),
      cseq: Math.floor(rnd() * 0xffffffff),
      sseq: Math.floor(rnd() * 0xffffffff),
      sni: `svc-${i % 997}.example.com`,
      step: 0,
      appSegments: 8 + Math.floor(rnd() * 24),
      sent: 0,
    };
  };

  /** Append one frame. `toServer` picks direction; payload is `plen` bytes written by `fill`. */
  const frame = (
    f: GenFlow,
    toServer: boolean,
    flags: number,
    plen: number,
    fill: ((at: number) => void) | null,
  ): void => {
    usec += 1 + Math.floor(rnd() * 40);
    if (usec >= 1_000_000) {
      sec += Math.floor(usec / 1_000_000);
      usec %= 1_000_000;
    }
    const synOpts = flags & SYN ? 20 : 0;
    const tcpLen = 20 + synOpts;
    const caplen = 14 + 20 + tcpLen + plen;
    const b = out;
    let p = o;
    b.writeUInt32LE(sec, p);
    b.writeUInt32LE(usec, p + 4);
    b.writeUInt32LE(caplen, p + 8);
    b.writeUInt32LE(caplen, p + 12);
    p += 16;
    // Ethernet: dst, src, type IPv4.
    const cMac = toServer ? 0x02 : 0x04;
    b.fill(cMac, p, p + 6);
    b.fill(cMac ^ 0x06, p + 6, p + 12);
    b[p + 12] = 0x08;
    b[p + 13] = 0x00;
    p += 14;
    // IPv4.
    const ipLen = 20 + tcpLen + plen;
    b[p] = 0x45;
    b[p + 1] = 0;
    b.writeUInt16BE(ipLen, p + 2);
    b.writeUInt16BE(packets & 0xffff, p + 4);
    b.writeUInt16BE(0x4000, p + 6);
    b[p + 8] = 64;
    b[p + 9] = 6;
    b.writeUInt16BE(0, p + 10);
    b.writeUInt32BE(toServer ? f.cip : f.sip, p + 12);
    b.writeUInt32BE(toServer ? f.sip : f.cip, p + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += (b[p + i] << 8) | b[p + i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b.writeUInt16BE(~sum & 0xffff, p + 10);
    p += 20;
    // TCP.
    b.writeUInt16BE(toServer ? f.cport : 443, p);
    b.writeUInt16BE(toServer ? 443 : f.cport, p + 2);
    b.writeUInt32BE(toServer ? f.cseq : f.sseq, p + 4);
    b.writeUInt32BE(flags & ACK ? (toServer ? f.sseq : f.cseq) : 0, p + 8);
    b[p + 12] = (tcpLen / 4) << 4;
    b[p + 13] = flags;
    b.writeUInt16BE(64240, p + 14);
    b.writeUInt32BE(0, p + 16); // checksum (not computed) + urgent pointer
    if (synOpts) {
      // MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
      b.set([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7], p + 20);
    }
    p += tcpLen;
    if (plen > 0 && fill) fill(p);
    o = p + plen;
    packets++;
    const adv = plen + (flags & (SYN | FIN) ? 1 : 0);
    if (toServer) f.cseq = (f.cseq + adv) >>> 0;
    else f.sseq = (f.sseq + adv) >>> 0;
  };

  /** TLS record header + filler. */
  const record = (type: number, len: number) => (at: number) => {
    out[at] = type;
    out[at + 1] = 3;
    out[at + 2] = 3;
    out.writeUInt16BE(len - 5, at + 3);
    out.fill(0x5a, at + 5, at + len);
  };

  const clientHello = (sni: string) => {
    const name = Buffer.from(sni, 'latin1');
    const sniExt = 9 + name.length;
    const body = 2 + 32 + 1 + 32 + 2 + 4 + 2 + 2 + sniExt + 40;
    const len = 5 + 4 + body;
    const fill = (at: number) => {
      let q = at;
      out[q++] = 22;
      out[q++] = 3;
      out[q++] = 1;
      out.writeUInt16BE(4 + body, q);
      q += 2;
      out[q++] = 1; // ClientHello
      out[q++] = 0;
      out.writeUInt16BE(body, q);
      q += 2;
      out[q++] = 3;
      out[q++] = 3;
      out.fill(0x11, q, q + 32); // random
      q += 32;
      out[q++] = 32; // session id
      out.fill(0x22, q, q + 32);
      q += 32;
      out.writeUInt16BE(4, q); // cipher suites
      out.writeUInt16BE(0x1301, q + 2);
      out.writeUInt16BE(0xc02f, q + 4);
      q += 6;
      out[q++] = 1; // compression
      out[q++] = 0;
      out.writeUInt16BE(sniExt + 40, q); // extensions length
      q += 2;
      out.writeUInt16BE(0, q); // server_name
      out.writeUInt16BE(5 + name.length, q + 2);
      out.writeUInt16BE(3 + name.length, q + 4);
      out[q + 6] = 0;
      out.writeUInt16BE(name.length, q + 7);
      name.copy(out, q + 9);
      q += sniExt;
      out.writeUInt16BE(0x002b, q); // supported_versions
      out.writeUInt16BE(3, q + 2);
      out[q + 4] = 2;
      out.writeUInt16BE(0x0304, q + 5);
      q += 7;
      out.writeUInt16BE(0x0015, q); // padding
      out.writeUInt16BE(29, q + 2);
      out.fill(0, q + 4, q + 33);
    };
    return { len, fill };
  };

  /** TLS 1.3 ServerHello record (87 bytes): random, session id echo, cipher 0x1301, supported_versions. */
  const SERVER_HELLO_LEN = 87;
  const serverHello = (at: number) => {
    let q = at;
    out[q++] = 22;
    out[q++] = 3;
    out[q++] = 3;
    out.writeUInt16BE(82, q); // record length
    q += 2;
    out[q++] = 2; // ServerHello
    out[q++] = 0;
    out.writeUInt16BE(78, q); // handshake length
    q += 2;
    out[q++] = 3;
    out[q++] = 3;
    out.fill(0x33, q, q + 32); // random
    q += 32;
    out[q++] = 32; // session id (echo)
    out.fill(0x22, q, q + 32);
    q += 32;
    out.writeUInt16BE(0x1301, q); // cipher suite
    out[q + 2] = 0; // compression
    out.writeUInt16BE(6, q + 3); // extensions length
    out.writeUInt16BE(0x002b, q + 5); // supported_versions: TLS 1.3
    out.writeUInt16BE(2, q + 7);
    out.writeUInt16BE(0x0304, q + 9);
  };

  /** Emit the next packet of `f`; returns false when the flow is finished. */
  const advance = (f: GenFlow): boolean => {
    const step = f.step;
    f.step = step + 1;
    switch (step) {
      case 0:
        frame(f, true, SYN, 0, null);
        return true;
      case 1:
        frame(f, false, SYN | ACK, 0, null);
        return true;
      case 2:
        frame(f, true, ACK, 0, null);
        return true;
      case 3: {
        const ch = clientHello(f.sni);
        frame(f, true, PSH | ACK, ch.len, ch.fill);
        return true;
      }
      case 4: {
        // ServerHello + ChangeCipherSpec + encrypted handshake (one segment).
        const len = 900 + Math.floor(rnd() * 500);
        frame(f, false, PSH | ACK, len, (at) => {
          serverHello(at);
          record(20, 6)(at + SERVER_HELLO_LEN);
          record(23, len - SERVER_HELLO_LEN - 6)(at + SERVER_HELLO_LEN + 6);
        });
        return true;
      }
      case 5:
        // Client ChangeCipherSpec + Finished, then an application-data request.
        frame(f, true, PSH | ACK, 80, (at) => {
          record(20, 6)(at);
          record(23, 74)(at + 6);
        });
        return true;
      case 6: {
        const len = 200 + Math.floor(rnd() * 400);
        frame(f, true, PSH | ACK, len, record(23, len));
        return true;
      }
      case 7: {
        // Server response data; the client ACKs every second segment.
        const len = f.sent % 5 === 4 ? 200 + Math.floor(rnd() * 1000) : MSS;
        frame(f, false, PSH | ACK, len, record(23, len));
        f.sent++;
        f.step = f.sent >= f.appSegments ? 9 : f.sent % 2 === 0 ? 8 : 7;
        return true;
      }
      case 8:
        frame(f, true, ACK, 0, null);
        f.step = 7;
        return true;
      case 9:
        frame(f, true, FIN | ACK, 0, null);
        return true;
      case 10:
        frame(f, false, FIN | ACK, 0, null);
        return true;
      default:
        frame(f, true, ACK, 0, null);
        return false;
    }
  };

  // Start new flows only while the flows in progress will not overshoot the target.
  let pending = 0;
  for (;;) {
    while (active.length < CONCURRENT && bytes + o + pending < targetBytes) {
      const f = newFlow();
      pending += 2600 + f.appSegments * 1300;
      active.push(f);
    }
    if (active.length === 0) break;
    const before = o;
    const k = Math.floor(rnd() * active.length);
    const f = active[k];
    if (!advance(f)) {
      active[k] = active[active.length - 1];
      active.pop();
    }
    pending = Math.max(0, pending - (o - before));
    if (o >= CH) await flush();
  }
  await flush();
  await fh.close();
  return { bytes, packets, flows };
}
