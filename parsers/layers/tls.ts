/**
 * TLS record layer over a TCP byte stream (RFC 5246 §6.2, RFC 8446 §5.1).
 *
 *   record header (5 bytes), then `length` bytes of fragment
 *    0        1        2        3        4
 *   +--------+--------+--------+--------+--------+----------------
 *   |  type  | major  | minor  |     length      |  fragment ...
 *   +--------+--------+--------+--------+--------+----------------
 *   type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat
 *
 *   handshake message (inside type-22 fragments; may span records)
 *   +--------+--------+--------+--------+-------------
 *   |  type  |        length (24)       |  body ...
 *   +--------+--------+--------+--------+-------------
 *
 *   alert (type 21, plaintext): level (1 warning, 2 fatal), description (1 byte)
 *
 * ClientHello body: version(2) random(32) session_id<1> cipher_suites<2>
 * compression<1> extensions<2>; ServerHello: version(2) random(32)
 * session_id<1> cipher(2) compression(1) extensions<2>. Extensions used:
 * server_name (0) and supported_versions (43).
 *
 * A `TlsStream` parses one direction of a connection; the two directions share a
 * `TlsSession` (negotiated version, SNI). Input is the in-order TCP payload,
 * fed segment by segment; a record is reported on the segment that completes it
 * (as tshark does after reassembly). Buffering is bounded: the 5-byte header, a
 * 2-byte alert, and ClientHello/ServerHello bodies up to 64 KiB; every other
 * body is skipped by counting. A direction that does not look like TLS is probed
 * at a few segment starts (STARTTLS) and then abandoned; gaps inside a body that
 * is being skipped keep sync, other gaps resynchronise by probing.
 */

/** Record content types. */
export const TLS_CT = { CCS: 20, ALERT: 21, HANDSHAKE: 22, APPDATA: 23, HEARTBEAT: 24 } as const;

/** Largest record length accepted (2^14 + 2048, the TLS 1.2 ciphertext limit). */
export const TLS_MAX_RECORD = 16384 + 2048;

/** Largest ClientHello/ServerHello body buffered for SNI/version extraction. */
export const TLS_MAX_HELLO = 64 * 1024;

/** Segments probed for a record header before a direction is declared not TLS. */
export const TLS_PROBE_SEGMENTS = 16;

/** Alert description names (RFC 8446 §6 and older registrations). */
export const TLS_ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
  121: 'ech_required',
};

/** Handshake message type names. */
export const TLS_HANDSHAKE_NAMES: Readonly<Record<number, string>> = {
  0: 'hello_request',
  1: 'client_hello',
  2: 'server_hello',
  3: 'hello_verify_request',
  4: 'new_session_ticket',
  5: 'end_of_early_data',
  6: 'hello_retry_request',
  8: 'encrypted_extensions',
  11: 'certificate',
  12: 'server_key_exchange',
  13: 'certificate_request',
  14: 'server_hello_done',
  15: 'certificate_verify',
  16: 'client_key_exchange',
  20: 'finished',
  21: 'certificate_url',
  22: 'certificate_status',
  23: 'supplemental_data',
  24: 'key_update',
  25: 'compressed_certificate',
  254: 'message_hash',
};

/** Name of an alert description (`unknown(N)` when unregistered, `encrypted` for -1). */
export function alertName(desc: number): string {
  if (desc < 0) return 'encrypted';
  return TLS_ALERT_NAMES[desc] ?? `unknown(${desc})`;
}

/** Name of an alert level (1 warning, 2 fatal; `unknown` for encrypted). */
export function alertLevelName(level: number): string {
  return level === 1 ? 'warning' : level === 2 ? 'fatal' : 'unknown';
}

/** Human name of a protocol version number, e.g. 0x0303 → `TLS 1.2`. */
export function tlsVersionName(v: number): string {
  if (v === 0x0300) return 'SSL 3.0';
  if (v >= 0x0301 && v <= 0x0304) return `TLS 1.${v - 0x0301}`;
  if (v >> 8 === 0x7f) return `TLS 1.3 (draft ${v & 0xff})`;
  if (v === 0xfeff) return 'DTLS 1.0';
  if (v === 0xfefd) return 'DTLS 1.2';
  return `0x${v.toString(16).padStart(4, '0')}`;
}

/** True for TLS 1.3 and its drafts (records of type 23 are then opaque). */
export function isTls13(v: number): boolean {
  return v === 0x0304 || v >> 8 === 0x7f;
}

const CT_NAMES: Record<number, string> = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'handshake',
  23: 'application_data',
  24: 'heartbeat',
  25: 'tls12_cid',
};

const labelCache = new Map<number, string>();

/**
 * Interned short label for a record, as listed in `packet` records:
 * `handshake:client_hello`, `handshake:encrypted`, `handshake:fragment`,
 * `change_cipher_spec`, `alert:bad_record_mac`, `alert:encrypted`, `application_data`.
 * `detail` is the first handshake type starting in the record (-1 encrypted,
 * -2 continuation only) or the alert description (-1 encrypted).
 */
export function tlsRecordLabel(ct: number, detail: number): string {
  const key = ct * 1024 + detail + 8;
  let s = labelCache.get(key);
  if (s === undefined) {
    if (ct === TLS_CT.HANDSHAKE) {
      s = `handshake:${detail === -1 ? 'encrypted' : detail === -2 ? 'fragment' : (TLS_HANDSHAKE_NAMES[detail] ?? `unknown(${detail})`)}`;
    } else if (ct === TLS_CT.ALERT) {
      s = `alert:${alertName(detail)}`;
    } else {
      s = CT_NAMES[ct] ?? `unknown(${ct})`;
    }
    labelCache.set(key, s);
  }
  return s;
}

/** Receives what a `TlsStream` finds. One listener usually serves many streams. */
export interface TlsListener {
  /**
   * A complete record. `detail`: first handshake type starting in it (-1 encrypted,
   * -2 continuation only) for handshakes, alert description (-1 encrypted) for alerts,
   * else -1. `level` is the alert level (-1 unknown). `opaque` marks TLS 1.3 encrypted
   * records (type 23 after a 1.3 ServerHello), which tshark lists as opaque_type.
   */
  onTlsRecord(s: TlsStream, ct: number, detail: number, level: number, opaque: boolean): void;
  /** A ClientHello (1) or ServerHello (2) was parsed; its facts are in `s.session`. */
  onTlsHello?(s: TlsStream, type: number): void;
}

/** State shared by both directions of one connection. */
export class TlsSession {
  /** Version chosen by the ServerHello (supported_versions if present), -1 until seen. */
  version = -1;
  /** Record-layer version of the first complete record other than a ClientHello, -1 until seen. */
  recordVersion = -1;
  /** Legacy version in the ClientHello, -1 until seen. */
  clientHelloVersion = -1;
  /** Version in effect: the ServerHello's, else the record layer's (-1 unknown). */
  get effectiveVersion(): number {
    return this.version >= 0 ? this.version : this.recordVersion;
  }
  /** Versions offered in supported_versions (empty when absent). */
  offered: number[] = [];
  /** Server name from the ClientHello (outer SNI for ECH), null when absent. */
  sni: string | null = null;
  clientHellos = 0;
  serverHellos = 0;
}

enum St {
  Probe = 0,
  Header = 1,
  Body = 2,
  Dead = 3,
  /** Lost sync after having been in sync: the next segment start is tried as a record start. */
  Resync = 4,
}

/** One direction of a TLS connection: feed it in-order TCP payload. */
export class TlsStream {
  readonly session: TlsSession;
  readonly listener: TlsListener;
  /** Caller's tag (e.g. 0 = A→B, 1 = B→A). */
  readonly dir: number;
  /** Complete records seen. */
  records = 0;
  /** True once this direction was given up as not TLS. */
  notTls = false;
  /** Resynchronisations after a gap or a bad header. */
  resyncs = 0;
  /** ChangeCipherSpec seen in this direction: later handshake/alert records are encrypted. */
  ccs = false;

  private st: St = St.Probe;
  /** A record header was accepted once: the session is TLS; from now on only the content type is checked. */
  private synced = false;
  private probes = TLS_PROBE_SEGMENTS;
  /** Record header bytes collected so far (plain fields: no per-stream typed arrays). */
  private h0 = 0;
  private h1 = 0;
  private h2 = 0;
  private h3 = 0;
  private h4 = 0;
  private hdrHave = 0;
  private ct = 0;
  private recLen = 0;
  private recVersion = 0;
  private rem = 0;
  private alert0 = -1;
  private alert1 = -1;
  private alertHave = 0;
  /** Bytes of the current record were missing: do not report it. */
  private damaged = false;
  /** First handshake type starting in the current record (-2 none yet). */
  private recFirstHs = -2;
  /** Handshake message reassembly (plaintext only). */
  private hsT = 0;
  private hsL = 0;
  private hsHdrHave = 0;
  private hsType = -1;
  private hsRem = 0;
  private hsBuf: Buffer | null = null;
  private hsHave = 0;
  /** Handshake stream lost sync (a gap inside a handshake): stop parsing handshakes. */
  private hsLost = false;

  constructor(session: TlsSession, listener: TlsListener, dir: number) {
    this.session = session;
    this.listener = listener;
    this.dir = dir;
  }

  /** True while the direction is in sync on record boundaries. */
  get inSync(): boolean {
    return this.st === St.Header || this.st === St.Body;
  }

  /** Feed `len` in-order payload bytes of one TCP segment starting at `buf[off]`. */
  feed(buf: Uint8Array, off: number, len: number): void {
    if (len <= 0 || this.st === St.Dead) return;
    if (this.st === St.Resync) {
      // tshark: a segment not starting with a valid content type is "continuation data".
      const c = buf[off];
      if (
        this.loose()
          ? c >= 20 && c <= 25
          : c >= 20 && c <= 25 && len >= 3 && buf[off + 1] === 3 && buf[off + 2] <= 4
      ) {
        this.st = St.Header;
        this.hdrHave = 0;
      } else if (!this.loose() && c >= 0x80 && len >= 3 && buf[off + 2] <= 8) {
        // tshark's SSLv2 heuristic claims such a segment: skip the "record" it announces.
        this.ct = 0;
        this.recLen = this.rem = ((c & 0x7f) << 8) | buf[off + 1];
        this.damaged = true;
        this.st = St.Body;
        this.feed(buf, off + 2, len - 2);
        return;
      } else return;
    } else if (this.st === St.Probe) {
      if (!this.probe(buf, off, len)) {
        if (--this.probes <= 0) {
          this.st = St.Dead;
          this.notTls = this.records === 0;
        }
        return;
      }
      this.st = St.Header;
      this.hdrHave = 0;
    }
    const end = off + len;
    let p = off;
    while (p < end) {
      if (this.st === St.Header) {
        while (this.hdrHave < 5 && p < end) {
          const b = buf[p++];
          const i = this.hdrHave++;
          if (i === 0) this.h0 = b;
          else if (i === 1) this.h1 = b;
          else if (i === 2) this.h2 = b;
          else if (i === 3) this.h3 = b;
          else this.h4 = b;
        }
        if (this.hdrHave < 5) return;
        const ct = this.h0;
        const rl = (this.h3 << 8) | this.h4;
        // Once in sync on a known pre-1.3 session only the content type is checked (as
        // tshark does); otherwise the whole header.
        if (
          this.loose()
            ? ct < 20 || ct > 25
            : ct < 20 || ct > 24 || this.h1 !== 3 || this.h2 > 4 || rl > TLS_MAX_RECORD
        ) {
          this.lostSync();
          return;
        }
        this.synced = true;
        this.recVersion = (this.h1 << 8) | this.h2;
        this.ct = ct;
        this.recLen = this.rem = rl;
        this.alertHave = 0;
        this.damaged = false;
        this.recFirstHs = ct === TLS_CT.HANDSHAKE && this.handshakeEncrypted() ? -1 : -2;
        this.st = St.Body;
        if (rl === 0) this.endRecord();
        continue;
      }
      // Body
      const n = Math.min(end - p, this.rem);
      if (this.ct === TLS_CT.HANDSHAKE) {
        if (this.recFirstHs !== -1 && !this.hsLost) this.handshakeBytes(buf, p, n);
      } else if (this.ct === TLS_CT.ALERT && this.recLen === 2 && !this.ccs) {
        for (let i = 0; i < n; i++) {
          if (this.alertHave === 0) this.alert0 = buf[p + i];
          else this.alert1 = buf[p + i];
          this.alertHave++;
        }
      }
      p += n;
      this.rem -= n;
      if (this.rem > 0) return; // input exhausted inside the body
      this.endRecord();
    }
  }

  /** `n` payload bytes are missing from the stream (lost or not captured). */
  gap(n: number): void {
    if (n <= 0 || this.st === St.Dead || this.st === St.Probe || this.st === St.Resync) return;
    if (this.st === St.Body && n <= this.rem) {
      // Inside the current body: stay in sync by counting; the damaged record is
      // not reported (tshark never completes its reassembly either).
      this.rem -= n;
      this.damaged = true;
      if (this.ct === TLS_CT.HANDSHAKE) this.hsLost = true;
      if (this.rem === 0) {
        this.st = St.Header;
        this.hdrHave = 0;
      }
      return;
    }
    this.lostSync();
  }

  private loose(): boolean {
    if (!this.synced) return false;
    const v = this.session.effectiveVersion;
    return v >= 0 && !isTls13(v);
  }

  private handshakeEncrypted(): boolean {
    return this.ccs;
  }

  private lostSync(): void {
    this.resyncs++;
    this.st = this.synced ? St.Resync : St.Probe;
    this.probes = TLS_PROBE_SEGMENTS;
    this.hdrHave = 0;
    this.hsHdrHave = 0;
    this.hsBuf = null;
    this.hsRem = 0;
    this.hsType = -1;
  }

  private endRecord(): void {
    const ct = this.ct;
    this.st = St.Header;
    this.hdrHave = 0;
    if (this.damaged) {
      this.damaged = false;
      return;
    }
    this.records++;
    if (this.session.recordVersion < 0 && !(ct === TLS_CT.HANDSHAKE && this.recFirstHs === 1))
      this.session.recordVersion = this.recVersion;
    const s13 = isTls13(this.session.version);
    if (ct === TLS_CT.ALERT) {
      const plain = this.recLen === 2 && !this.ccs && this.alertHave === 2;
      this.listener.onTlsRecord(this, ct, plain ? this.alert1 : -1, plain ? this.alert0 : -1, false);
    } else if (ct === TLS_CT.HANDSHAKE) {
      this.listener.onTlsRecord(this, ct, this.recFirstHs, -1, false);
    } else {
      if (ct === TLS_CT.CCS && !s13) this.ccs = true;
      this.listener.onTlsRecord(this, ct, -1, -1, ct === TLS_CT.APPDATA && s13);
    }
  }

  /** Handshake-protocol bytes of a plaintext handshake record. */
  private handshakeBytes(buf: Uint8Array, p: number, n: number): void {
    const end = p + n;
    while (p < end) {
      if (this.hsRem === 0 && this.hsType < 0) {
        // Header of the next message.
        if (this.hsHdrHave === 0 && this.recFirstHs === -2) this.recFirstHs = buf[p];
        while (this.hsHdrHave < 4 && p < end) {
          const b = buf[p++];
          if (this.hsHdrHave++ === 0) {
            this.hsT = b;
            this.hsL = 0;
          } else this.hsL = (this.hsL << 8) | b;
        }
        if (this.hsHdrHave < 4) return;
        this.hsType = this.hsT;
        this.hsRem = this.hsL;
        this.hsHdrHave = 0;
        this.hsHave = 0;
        this.hsBuf =
          (this.hsType === 1 || this.hsType === 2) && this.hsRem <= TLS_MAX_HELLO
            ? Buffer.allocUnsafe(this.hsRem)
            : null;
        if (this.hsRem === 0) this.endMessage();
        continue;
      }
      const k = Math.min(end - p, this.hsRem);
      if (this.hsBuf) {
        this.hsBuf.set(buf.subarray(p, p + k), this.hsHave);
        this.hsHave += k;
      }
      p += k;
      this.hsRem -= k;
      if (this.hsRem === 0) this.endMessage();
    }
  }

  private endMessage(): void {
    const type = this.hsType;
    const body = this.hsBuf;
    this.hsType = -1;
    this.hsBuf = null;
    if (type === 1 && body) {
      parseClientHello(body, this.session);
      this.session.clientHellos++;
      this.listener.onTlsHello?.(this, 1);
    } else if (type === 2 && body) {
      parseServerHello(body, this.session);
      this.session.serverHellos++;
      this.listener.onTlsHello?.(this, 2);
    }
  }

  /** Does this segment start with what looks like a chain of TLS record headers? */
  private probe(buf: Uint8Array, off: number, len: number): boolean {
    if (len < 5) {
      // A header split across segments: what is there must fit a handshake record start.
      return (
        buf[off] === TLS_CT.HANDSHAKE && (len < 2 || buf[off + 1] === 3) && (len < 3 || buf[off + 2] <= 4)
      );
    }
    const end = off + len;
    let p = off;
    let first = true;
    while (p + 5 <= end) {
      const ct = buf[p];
      const rl = (buf[p + 3] << 8) | buf[p + 4];
      if (ct < 20 || ct > 24 || buf[p + 1] !== 3 || buf[p + 2] > 4 || rl > TLS_MAX_RECORD) return false;
      if (first && ct === TLS_CT.HANDSHAKE && this.records === 0 && !this.ccs && rl >= 4) {
        // A fresh handshake must start with a known message whose length fits.
        const t = buf[p + 5];
        if (p + 6 <= end && TLS_HANDSHAKE_NAMES[t] === undefined) return false;
      }
      if (first && ct === TLS_CT.CCS && rl !== 1) return false;
      first = false;
      p += 5 + rl;
    }
    return true;
  }
}

/** Fill `s` from a ClientHello body (never throws; stops at the first bad length). */
export function parseClientHello(b: Uint8Array, s: TlsSession): void {
  const end = b.length;
  if (end < 38) return;
  s.clientHelloVersion = (b[0] << 8) | b[1];
  let p = 34;
  p += 1 + b[p]; // session id
  if (p + 2 > end) return;
  p += 2 + ((b[p] << 8) | b[p + 1]); // cipher suites
  if (p + 1 > end) return;
  p += 1 + b[p]; // compression methods
  if (p + 2 > end) return;
  const extEnd = Math.min(end, p + 2 + ((b[p] << 8) | b[p + 1]));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = (b[p] << 8) | b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    const d = p + 4;
    if (d + len > extEnd) return;
    if (type === 0 && len >= 5) {
      // server_name: list<2> of { name_type(1), name<2> }
      let q = d + 2;
      const listEnd = Math.min(d + len, d + 2 + ((b[d] << 8) | b[d + 1]));
      while (q + 3 <= listEnd) {
        const nt = b[q];
        const nl = (b[q + 1] << 8) | b[q + 2];
        if (q + 3 + nl > listEnd) break;
        if (nt === 0) {
          s.sni = Buffer.from(b.buffer, b.byteOffset + q + 3, nl).toString('latin1');
          break;
        }
        q += 3 + nl;
      }
    } else if (type === 43 && len >= 1) {
      const vl = b[d];
      s.offered = [];
      for (let q = d + 1; q + 2 <= d + 1 + vl && q + 2 <= d + len; q += 2)
        s.offered.push((b[q] << 8) | b[q + 1]);
    }
    p = d + len;
  }
}

/** Fill `s.version` from a ServerHello body (supported_versions wins over the legacy field). */
export function parseServerHello(b: Uint8Array, s: TlsSession): void {
  const end = b.length;
  if (end < 38) return;
  s.version = (b[0] << 8) | b[1];
  let p = 34;
  p += 1 + b[p]; // session id
  p += 3; // cipher suite + compression
  if (p + 2 > end) return;
  const extEnd = Math.min(end, p + 2 + ((b[p] << 8) | b[p + 1]));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = (b[p] << 8) | b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    const d = p + 4;
    if (d + len > extEnd) return;
    if (type === 43 && len === 2) s.version = (b[d] << 8) | b[d + 1];
    p = d + len;
  }
}
