import { describe, expect, it } from 'vitest';
import {
  alertName,
  TLS_PROBE_SEGMENTS,
  type TlsListener,
  TlsSession,
  TlsStream,
  tlsRecordLabel,
  tlsVersionName,
} from '../../../parsers/layers/tls.js';

/** Bytes from annotated hex: `#` starts a comment, whitespace is ignored. */
function hex(s: string): Buffer {
  return Buffer.from(
    s
      .split('\n')
      .map((l) => l.replace(/#.*/, ''))
      .join('')
      .replace(/\s+/g, ''),
    'hex',
  );
}

// ClientHello offering TLS 1.3/1.2 to example.com.
const CLIENT_HELLO = hex(`
  16 0301 004c             # record: handshake, version 3.1, length 76
  01 000048                # handshake: client_hello, length 72
  0303                     # client_version 1.2
  0000000000000000 0000000000000000 0000000000000000 0000000000000000  # random (32)
  00                       # session_id: empty
  0002 1301                # cipher_suites: TLS_AES_128_GCM_SHA256
  01 00                    # compression: null
  001d                     # extensions: 29 bytes
  0000 0010                #   server_name, 16 bytes
  000e 00 000b 6578616d706c652e636f6d   # list 14: host_name "example.com"
  002b 0005 04 0304 0303   #   supported_versions: 1.3, 1.2
`);

// ServerHello choosing TLS 1.3 via supported_versions.
const SERVER_HELLO_13 = hex(`
  16 0303 0032             # record: handshake, length 50
  02 00002e                # handshake: server_hello, length 46
  0303                     # legacy_version 1.2
  1111111111111111 1111111111111111 1111111111111111 1111111111111111  # random
  00                       # session_id: empty
  1301 00                  # cipher TLS_AES_128_GCM_SHA256, compression null
  0006                     # extensions: 6 bytes
  002b 0002 0304           #   supported_versions: selected 1.3
`);

const ALERT_BAD_RECORD_MAC = hex(`
  15 0303 0002             # record: alert, length 2
  02 14                    # fatal, bad_record_mac (20)
`);

const CCS = hex('14 0303 0001 01  # change_cipher_spec');

const ENCRYPTED_ALERT = hex(`
  15 0303 001a             # record: alert, length 26 (encrypted: not 2 bytes)
  ${'ab'.repeat(26)}
`);

const APPDATA_40 = hex(`17 0303 0028 ${'cd'.repeat(40)}  # application_data, 40 bytes`);

interface Rec {
  ct: number;
  detail: number;
  level: number;
  opaque: boolean;
}

function setup(): { s: TlsStream; recs: Rec[]; hellos: number[]; session: TlsSession } {
  const recs: Rec[] = [];
  const hellos: number[] = [];
  const l: TlsListener = {
    onTlsRecord: (_s, ct, detail, level, opaque) => recs.push({ ct, detail, level, opaque }),
    onTlsHello: (_s, t) => hellos.push(t),
  };
  const session = new TlsSession();
  return { s: new TlsStream(session, l, 0), recs, hellos, session };
}

function feedAll(s: TlsStream, b: Buffer): void {
  s.feed(b, 0, b.length);
}

describe('TlsStream', () => {
  it('parses a ClientHello: SNI and offered versions', () => {
    const { s, recs, hellos, session } = setup();
    feedAll(s, CLIENT_HELLO);
    expect(recs).toEqual([{ ct: 22, detail: 1, level: -1, opaque: false }]);
    expect(hellos).toEqual([1]);
    expect(session.sni).toBe('example.com');
    expect(CLIENT_HELLO.length).toBe(5 + 0x4c);
    expect(session.offered).toEqual([0x0304, 0x0303]);
    expect(session.clientHelloVersion).toBe(0x0303);
  });

  it('parses a ServerHello choosing 1.3; later application data is opaque', () => {
    const { s, recs, session } = setup();
    expect(SERVER_HELLO_13.length).toBe(5 + 0x32);
    feedAll(s, Buffer.concat([SERVER_HELLO_13, APPDATA_40]));
    expect(session.version).toBe(0x0304);
    expect(tlsVersionName(session.version)).toBe('TLS 1.3');
    expect(recs.map((r) => [r.ct, r.opaque])).toEqual([
      [22, false],
      [23, true],
    ]);
  });

  it('reports a plaintext alert with level and description', () => {
    const { s, recs } = setup();
    feedAll(s, Buffer.concat([CLIENT_HELLO, ALERT_BAD_RECORD_MAC]));
    expect(recs[1]).toEqual({ ct: 21, detail: 20, level: 2, opaque: false });
    expect(alertName(recs[1].detail)).toBe('bad_record_mac');
    expect(tlsRecordLabel(21, 20)).toBe('alert:bad_record_mac');
  });

  it('treats alerts after ChangeCipherSpec or with length != 2 as encrypted', () => {
    const { s, recs } = setup();
    feedAll(s, Buffer.concat([CLIENT_HELLO, ENCRYPTED_ALERT, CCS, ALERT_BAD_RECORD_MAC]));
    expect(recs.map((r) => [r.ct, r.detail])).toEqual([
      [22, 1],
      [21, -1], // length 26
      [20, -1],
      [21, -1], // after CCS: the 2 bytes are ciphertext
    ]);
    expect(tlsRecordLabel(21, -1)).toBe('alert:encrypted');
  });

  it('reports a record split across segments on the segment that completes it', () => {
    const { s, recs, session } = setup();
    const perSegment: number[] = [];
    for (const [a, b] of [
      [0, 3], // half of the record header
      [3, 40], // rest of header, handshake header, part of the body
      [40, CLIENT_HELLO.length - 1],
      [CLIENT_HELLO.length - 1, CLIENT_HELLO.length], // last byte
    ]) {
      const before = recs.length;
      s.feed(CLIENT_HELLO, a, b - a);
      perSegment.push(recs.length - before);
    }
    expect(perSegment).toEqual([0, 0, 0, 1]);
    expect(session.sni).toBe('example.com');
  });

  it('reassembles a ClientHello fragmented over two records', () => {
    const { s, recs, session } = setup();
    const msg = CLIENT_HELLO.subarray(5); // handshake message (76 bytes)
    const r1 = Buffer.concat([hex('16 0301 0020'), msg.subarray(0, 32)]); // 32 bytes
    const r2 = Buffer.concat([hex('16 0301 002c'), msg.subarray(32)]); // 44 bytes
    feedAll(s, Buffer.concat([r1, r2]));
    expect(recs.map((r) => r.detail)).toEqual([1, -2]); // second record: continuation only
    expect(session.sni).toBe('example.com');
  });

  it('gives up on a stream that is not TLS', () => {
    const { s, recs } = setup();
    const http = Buffer.from('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
    for (let i = 0; i < TLS_PROBE_SEGMENTS; i++) feedAll(s, http);
    expect(s.notTls).toBe(true);
    feedAll(s, CLIENT_HELLO); // too late: abandoned
    expect(recs).toEqual([]);
  });

  it('rejects garbage that only resembles a header', () => {
    const { s, recs } = setup();
    // content type 22, version 3.1, then a handshake type that does not exist (0x63)
    feedAll(s, hex('16 0301 0010 63 000000 ffffffffffffffffffffffff'));
    expect(recs).toEqual([]);
  });

  it('finds TLS after a plaintext STARTTLS exchange', () => {
    const { s, recs, session } = setup();
    feedAll(s, Buffer.from('STLS\r\n'));
    feedAll(s, CLIENT_HELLO);
    expect(recs.length).toBe(1);
    expect(session.sni).toBe('example.com');
  });

  it('keeps sync across a gap inside an application data body; the damaged record is not reported', () => {
    const { s, recs } = setup();
    feedAll(s, CLIENT_HELLO);
    const two = Buffer.concat([APPDATA_40, ALERT_BAD_RECORD_MAC]);
    s.feed(two, 0, 10); // header + 5 body bytes
    s.gap(20); // 20 body bytes lost
    s.feed(two, 30, two.length - 30); // rest of body, then the alert
    expect(recs.map((r) => [r.ct, r.detail])).toEqual([
      [22, 1],
      [21, 20],
    ]);
  });

  it('resynchronises at a segment start after a gap that crosses a record boundary', () => {
    const { s, recs } = setup();
    feedAll(s, CLIENT_HELLO);
    s.feed(APPDATA_40, 0, 10);
    s.gap(500); // past the end of the record: sync lost
    s.feed(APPDATA_40, 20, 10); // middle of some record: ignored
    feedAll(s, ALERT_BAD_RECORD_MAC); // a segment starting with a record
    expect(recs.map((r) => [r.ct, r.detail])).toEqual([
      [22, 1],
      [21, 20],
    ]);
    expect(s.resyncs).toBe(1);
  });

  it('never throws on truncated or hostile input', () => {
    const { s, recs } = setup();
    const evil = hex('16 0301 0010 01 ffffff 0303'); // handshake length larger than the record
    for (let cut = 0; cut <= evil.length; cut++) {
      const x = setup().s;
      x.feed(evil, 0, cut);
      x.gap(3);
      x.feed(evil, 0, evil.length);
    }
    feedAll(s, Buffer.alloc(100, 0x16)); // type 22 but version 0x1616
    expect(recs).toEqual([]);
  });
});

describe('TlsStream fuzz', () => {
  it('never throws and never reports more records than it could have seen', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const pieces = [CLIENT_HELLO, SERVER_HELLO_13, ALERT_BAD_RECORD_MAC, CCS, ENCRYPTED_ALERT, APPDATA_40];
    let total = 0;
    for (let iter = 0; iter < 300; iter++) {
      // a plausible stream with random corruption, split at random points, with random gaps
      const parts: Buffer[] = [];
      for (let i = 0; i < 8; i++) parts.push(pieces[Math.floor(rnd() * pieces.length)]);
      const stream = Buffer.concat(parts);
      for (let k = 0; k < 4; k++) stream[Math.floor(rnd() * stream.length)] = Math.floor(rnd() * 256);
      const { s, recs } = setup();
      let p = 0;
      while (p < stream.length) {
        const n = 1 + Math.floor(rnd() * 120);
        if (rnd() < 0.1) s.gap(n);
        else s.feed(stream, p, Math.min(n, stream.length - p));
        p += n;
      }
      // every reported record needs at least its 5-byte header in the stream
      expect(recs.length).toBeLessThanOrEqual(Math.floor(stream.length / 5));
      total += recs.length;
    }
    expect(total).toBeGreaterThan(0);
  });
});
