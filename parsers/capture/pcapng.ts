/**
 * pcapng block framing (draft-ietf-opsawg-pcapng).
 *
 *   every block                              Section Header Block (0x0A0D0D0A)
 *   +---------------------------+            +---------------------------+
 *   | block type u32            |            | type | total len | BOM    |  BOM 1A2B3C4D in the
 *   | block total length u32    |            | major u16 | minor u16     |  section's byte order
 *   | body (padded to 4)        |            | section length i64        |
 *   | options: code u16, len u16, value pad4 |            | options                   |
 *   | block total length u32    |            | total len                 |
 *   +---------------------------+            +---------------------------+
 *   IDB (1): linktype u16, reserved u16, snaplen u32, options (if_name 2, if_description 3,
 *            if_tsresol 9, if_tsoffset 14)
 *   EPB (6): interface u32, ts high u32, ts low u32, caplen u32, len u32, data, options (flags 2)
 *   OPB (2): interface u16, drops u16, ts high, ts low, caplen, len, data, options (obsolete)
 *   SPB (3): original len u32, data (interface 0 of the section, no timestamp)
 *   NRB (4), ISB (5), others: skipped by length. Custom (0xBAD, 0x40000BAD): numbered, not framed.
 *
 * Interfaces are numbered per section in the file; the reader also gives each IDB a
 * global id. Timestamps are exact: double arithmetic while the integer is below
 * 2^53 and the resolution is 10^-n with n <= 9, BigInt otherwise.
 */
import { MAX_RECORD, pad4, type ReadContext } from './context.js';
import type { Chunks } from './source.js';
import type { CaptureInterface } from './types.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const EPB = 6;
const CUSTOM = 0x00000bad;
const CUSTOM_NOCOPY = 0x40000bad;
const BOM = 0x1a2b3c4d;
const TWO32 = 4294967296;

/** Per-interface timestamp conversion state. */
interface IfState {
  info: CaptureInterface;
  /** Units per second when 10^n with n <= 9 (fast path), else 0. */
  div: number;
  /** Nanoseconds per unit on the fast path. */
  mul: number;
  /** Units per second as BigInt (slow path). */
  units: bigint;
  /** if_tsoffset in seconds. */
  offsetSec: number;
}

/** Frame every packet block of a pcapng stream; returns false when the first SHB was refused. */
export async function readPcapng(ch: Chunks, ctx: ReadContext): Promise<boolean> {
  const fr = ctx.frame;
  let le = true;
  let section = -1;
  let ifs: IfState[] = [];
  let first = true;
  /** Set by the block handlers: a fatal problem stops the read. */
  let fatal = false;

  const stop = (code: string, at: number, message: string): void => {
    ctx.issue(code, at, message);
    fatal = true;
  };

  /** Walk options in [from, to); calls `on` for each; returns false after reporting a bad length. */
  const options = (
    v: DataView,
    from: number,
    to: number,
    at: number,
    what: string,
    on: ((code: number, off: number, len: number) => void) | null,
  ): boolean => {
    let o = from;
    while (to - o >= 4) {
      const code = v.getUint16(o, le);
      const len = v.getUint16(o + 2, le);
      if (code === 0) break;
      if (o + 4 + len > to) {
        stop(
          'bad-option',
          at + (o - from),
          `pcapng: not enough data to handle option ${code} of length ${len} in the ${what} (option at byte offset ${at + (o - from)}, ${to - o - 4} bytes left in the block)`,
        );
        return false;
      }
      on?.(code, o + 4, len);
      o += 4 + pad4(len);
    }
    return true;
  };

  /** Section Header Block at buf[p]; `len` already checked against the buffer. */
  const sectionHeader = (v: DataView, p: number, len: number, padded: number, at: number): void => {
    const major = v.getUint16(p + 12, le);
    const minor = v.getUint16(p + 14, le);
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      stop(
        'unsupported-version',
        at + 12,
        `pcapng: unknown SHB version ${major}.${minor} at byte offset ${at + 12} (section ${section + 2})`,
      );
      return;
    }
    if (!options(v, p + 24, p + padded - 4, at + 24, 'section header block', null)) return;
    if (!trailer(v, p, len, padded, at)) return;
    section++;
    ifs = [];
  };

  /** Check the trailing copy of the block length. */
  const trailer = (v: DataView, p: number, len: number, padded: number, at: number): boolean => {
    const second = v.getUint32(p + padded - 4, le);
    if (second !== len) {
      stop(
        'bad-block',
        at + padded - 4,
        `pcapng: total block lengths (first ${len} and second ${second}) don't match for the block at byte offset ${at}`,
      );
      return false;
    }
    return true;
  };

  const interfaceBlock = (
    v: DataView,
    buf: Buffer,
    p: number,
    len: number,
    padded: number,
    at: number,
  ): void => {
    if (len < 20) {
      stop('bad-block', at, `pcapng: IDB at byte offset ${at} is ${len} bytes, less than the minimum 20`);
      return;
    }
    const linktype = v.getUint16(p + 8, le);
    const snaplen = v.getUint32(p + 12, le);
    let name: string | null = null;
    let description: string | null = null;
    let resol = 6;
    let tsoffset = 0;
    const ok = options(v, p + 16, p + padded - 4, at + 16, 'interface description block', (code, o, n) => {
      if (code === 2) name = text(buf, o, n);
      else if (code === 3) description = text(buf, o, n);
      else if (code === 9 && n >= 1) resol = buf[o];
      else if (code === 14 && n >= 8) tsoffset = Number(v.getBigInt64(o, le));
    });
    if (!ok || !trailer(v, p, len, padded, at)) return;
    const pow2 = (resol & 0x80) !== 0;
    const exp = resol & 0x7f;
    if (pow2 ? exp > 63 : exp > 19) {
      stop(
        'bad-option',
        at,
        `pcapng: IDB at byte offset ${at}: power-of-${pow2 ? 2 : 10} time stamp resolution ${exp} > ${pow2 ? 63 : 19}`,
      );
      return;
    }
    const info = ctx.addInterface({ localId: ifs.length, section, name, description, linktype, snaplen });
    const fast = !pow2 && exp <= 9;
    ifs.push({
      info,
      div: fast ? 10 ** exp : 0,
      mul: fast ? 10 ** (9 - exp) : 0,
      units: pow2 ? 1n << BigInt(exp) : 10n ** BigInt(exp),
      offsetSec: tsoffset,
    });
  };

  /** Set fr.sec / fr.nsec from a 64-bit timestamp in the interface's units. */
  const stamp = (st: IfState, hi: number, lo: number): void => {
    if (st.div !== 0 && hi < 0x200000) {
      const ts = hi * TWO32 + lo;
      const div = st.div;
      let sec = Math.floor(ts / div);
      let rem = ts - sec * div;
      if (rem < 0) {
        sec--;
        rem += div;
      } else if (rem >= div) {
        sec++;
        rem -= div;
      }
      fr.sec = sec + st.offsetSec;
      fr.nsec = rem * st.mul;
      return;
    }
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    const sec = ts / st.units;
    fr.sec = Number(sec) + st.offsetSec;
    fr.nsec = Number(((ts - sec * st.units) * 1_000_000_000n) / st.units);
  };

  // Packet block options: only the flags word is kept (callback allocated once).
  let epbFlags = 0;
  let optView: DataView = ch.dv;
  const onPacketOption = (code: number, o: number, n: number): void => {
    if (code === 2 && n >= 4) epbFlags = optView.getUint32(o, le);
  };

  /** EPB or OPB: emit the frame. */
  const packetBlock = (
    v: DataView,
    buf: Buffer,
    p: number,
    len: number,
    padded: number,
    at: number,
    obsolete: boolean,
  ): void => {
    const kind = obsolete ? 'packet block' : 'EPB';
    if (len < 32) {
      stop('bad-block', at, `pcapng: ${kind} at byte offset ${at} is ${len} bytes, less than the minimum 32`);
      return;
    }
    const local = obsolete ? v.getUint16(p + 8, le) : v.getUint32(p + 8, le);
    const caplen = v.getUint32(p + 20, le);
    const dataEnd = 28 + pad4(caplen);
    if (caplen > padded - 32) {
      stop(
        'bad-block',
        at,
        `pcapng: total block length ${len} of the ${kind} at byte offset ${at} is too small for ${caplen} bytes of packet data`,
      );
      return;
    }
    const st = ifs[local];
    if (st === undefined) {
      stop(
        'bad-interface',
        at + 8,
        `pcapng: ${kind} at byte offset ${at} refers to interface ${local}, but section ${section} declares ${ifs.length}`,
      );
      return;
    }
    epbFlags = 0;
    if (dataEnd < padded - 4) {
      optView = v;
      if (!options(v, p + dataEnd, p + padded - 4, at + dataEnd, kind, onPacketOption)) return;
    }
    if (!trailer(v, p, len, padded, at)) return;
    stamp(st, v.getUint32(p + 12, le), v.getUint32(p + 16, le));
    fr.packet = ++ctx.packets;
    fr.hasTs = true;
    fr.iface = st.info.id;
    fr.fromSpb = false;
    fr.linktype = st.info.linktype;
    fr.caplen = caplen;
    fr.len = v.getUint32(p + 24, le);
    fr.buf = buf;
    fr.offset = p + 28;
    fr.epbFlags = epbFlags;
    fr.recordOffset = at;
    ctx.handler.onFrame(fr);
  };

  const simpleBlock = (
    v: DataView,
    buf: Buffer,
    p: number,
    len: number,
    padded: number,
    at: number,
  ): void => {
    if (len < 16) {
      stop('bad-block', at, `pcapng: SPB at byte offset ${at} is ${len} bytes, less than the minimum 16`);
      return;
    }
    const st = ifs[0];
    if (st === undefined) {
      stop(
        'bad-interface',
        at,
        `pcapng: SPB at byte offset ${at} but section ${section} declares no interface`,
      );
      return;
    }
    const orig = v.getUint32(p + 8, le);
    // Captured length = min(original length, snaplen); the block must hold exactly
    // those bytes (padded). tshark reads the trailer right after them, so anything
    // else is rejected as a length mismatch (test007.ntar).
    let caplen = orig;
    if (st.info.snaplen !== 0 && caplen > st.info.snaplen) caplen = st.info.snaplen;
    if (16 + caplen > padded) {
      stop(
        'bad-block',
        at,
        `pcapng: total block length ${len} of the SPB at byte offset ${at} is too small for ${caplen} bytes of packet data`,
      );
      return;
    }
    if (16 + pad4(caplen) !== padded) {
      const second = v.getUint32(p + 12 + pad4(caplen), le);
      stop(
        'bad-block',
        at,
        `pcapng: total block lengths (first ${padded} and second ${second}) don't match: SPB at byte offset ${at} holds ${padded - 16} data bytes but the packet length ${orig} and snaplen ${st.info.snaplen} give ${caplen}`,
      );
      return;
    }
    if (!trailer(v, p, len, padded, at)) return;
    fr.packet = ++ctx.packets;
    fr.sec = 0;
    fr.nsec = 0;
    fr.hasTs = false;
    fr.iface = st.info.id;
    fr.fromSpb = true;
    fr.linktype = st.info.linktype;
    fr.caplen = caplen;
    fr.len = orig;
    fr.buf = buf;
    fr.offset = p + 12;
    fr.epbFlags = 0;
    fr.recordOffset = at;
    ctx.handler.onFrame(fr);
  };

  for (;;) {
    // Frame every complete block already in the buffer.
    const buf = ch.buf;
    const v = ch.dv;
    const end = ch.end;
    let p = ch.start;
    let need = 12;
    while (end - p >= 12) {
      const at = ch.base + p;
      let type = v.getUint32(p, le);
      if (type === SHB) {
        const bom = v.getUint32(p + 8, true);
        if (bom === BOM) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          stop(
            'bad-magic',
            at + 8,
            `pcapng: unknown byte-order magic 0x${v
              .getUint32(p + 8, false)
              .toString(16)
              .padStart(8, '0')} at byte offset ${at + 8}`,
          );
          break;
        }
      } else if (first) {
        stop(
          'bad-magic',
          at,
          `not a pcapng file: first block type 0x${type.toString(16)} at byte offset ${at}`,
        );
        break;
      }
      type = v.getUint32(p, le);
      const len = v.getUint32(p + 4, le);
      const padded = pad4(len);
      if (len < 12 || (type === SHB && len < 28)) {
        stop(
          'bad-block',
          at + 4,
          `pcapng: block of type 0x${type.toString(16)} at byte offset ${at} has total length ${len}, less than the minimum ${type === SHB ? 28 : 12}`,
        );
        break;
      }
      if (padded > MAX_RECORD) {
        stop(
          'record-too-large',
          at + 4,
          `pcapng: block of type 0x${type.toString(16)} at byte offset ${at} claims ${len} bytes (limit ${MAX_RECORD}); reading stopped`,
        );
        break;
      }
      if (end - p < padded) {
        need = padded;
        break;
      }
      switch (type) {
        case SHB:
          sectionHeader(v, p, len, padded, at);
          break;
        case IDB:
          if (section < 0) break;
          interfaceBlock(v, buf, p, len, padded, at);
          break;
        case EPB:
          packetBlock(v, buf, p, len, padded, at, false);
          break;
        case OPB:
          packetBlock(v, buf, p, len, padded, at, true);
          break;
        case SPB:
          simpleBlock(v, buf, p, len, padded, at);
          break;
        case CUSTOM:
        case CUSTOM_NOCOPY:
          if (len < 16) {
            stop('bad-block', at, `pcapng: custom block at byte offset ${at} is ${len} bytes, less than 16`);
            break;
          }
          if (!trailer(v, p, len, padded, at)) break;
          ctx.customBlocks++;
          ctx.handler.onCustomBlock?.({
            packet: ++ctx.packets,
            pen: v.getUint32(p + 8, le),
            length: len - 16,
            offset: at,
          });
          break;
        default:
          trailer(v, p, len, padded, at);
      }
      if (fatal) break;
      first = false;
      p += padded;
    }
    ch.start = p;
    if (fatal) return section >= 0;
    const at = ch.offset;
    if (ch.size >= 0 && at + need > ch.size) {
      if (at < ch.size) truncated(ch.size - at);
      return section >= 0;
    }
    if (!(await ch.fill(need))) {
      if (ch.error) ctx.issue('read-error', ch.offset, `${ch.error} at byte offset ${ch.offset}`);
      if (ch.available > 0) truncated(ch.available);
      return section >= 0;
    }

    function truncated(have: number): void {
      const what =
        have < 12
          ? `only ${have} bytes of a block header`
          : `the block of type 0x${ch.dv.getUint32(ch.start, le).toString(16)} claims ${need} bytes but only ${have} remain`;
      ctx.issue(
        'truncated',
        at,
        `pcapng: file cut short in the middle of ${first ? 'the section header' : `a block (packet ${ctx.packets + 1})`} at byte offset ${at}: ${what}`,
      );
    }
  }
}

/** Option string: UTF-8 without trailing NULs. */
function text(buf: Buffer, off: number, len: number): string {
  let e = off + len;
  while (e > off && buf[e - 1] === 0) e--;
  return buf.toString('utf8', off, e);
}
