/**
 * Classic libpcap file framing.
 *
 *   global header (24 bytes)
 *   +----------------+--------+--------+------------+-----------+-----------+-----------------+
 *   | magic u32      | major  | minor  | thiszone   | sigfigs   | snaplen   | linktype+FCS    |
 *   | a1b2c3d4 us    | u16 =2 | u16    | i32        | u32       | u32       | u16 type, bits  |
 *   | a1b23c4d ns    |        |        |            |           |           | 16-25 reserved, |
 *   | a1b2cd34 kuz.  |        |        |            |           |           | 26-31 FCS info  |
 *   +----------------+--------+--------+------------+-----------+-----------+-----------------+
 *   record header (16 bytes; 24 with the Kuznetzov "modified" magic)
 *   +-----------+-------------------+-----------+-----------+ - - - - - - - - - - - - - - - +
 *   | ts_sec    | ts_usec / ts_nsec | caplen    | len       | ifindex u32, proto u16,       |
 *   | u32       | u32               | u32       | u32       | pkt_type u8, pad u8 (modified)|
 *   +-----------+-------------------+-----------+-----------+ - - - - - - - - - - - - - - - +
 *   followed by caplen bytes of packet data. Byte order is given by the magic.
 */
import { MAX_RECORD, type ReadContext } from './context.js';
import type { Chunks } from './source.js';

const GLOBAL_LEN = 24;

/** Byte order and timestamp unit given by a classic pcap magic, or null. */
export function pcapMagic(
  b0: number,
  b1: number,
  b2: number,
  b3: number,
): { le: boolean; nano: boolean; modified: boolean } | null {
  const be = ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
  const le = ((b3 << 24) | (b2 << 16) | (b1 << 8) | b0) >>> 0;
  for (const [v, little] of [
    [be, false],
    [le, true],
  ] as const) {
    if (v === 0xa1b2c3d4) return { le: little, nano: false, modified: false };
    if (v === 0xa1b23c4d) return { le: little, nano: true, modified: false };
    if (v === 0xa1b2cd34) return { le: little, nano: false, modified: true };
  }
  return null;
}

/** Frame every record of a classic pcap stream; returns false when the header was refused. */
export async function readPcap(ch: Chunks, ctx: ReadContext): Promise<boolean> {
  if (!(await ch.fill(GLOBAL_LEN))) {
    ctx.issue(
      'truncated',
      0,
      `pcap global header is cut short: ${ch.available} of ${GLOBAL_LEN} bytes present at byte offset 0`,
    );
    return false;
  }
  const b = ch.buf;
  const s = ch.start;
  const magic = pcapMagic(b[s], b[s + 1], b[s + 2], b[s + 3]);
  if (!magic) {
    ctx.issue(
      'bad-magic',
      0,
      `not a pcap file: unknown magic ${b.toString('hex', s, s + 4)} at byte offset 0`,
    );
    return false;
  }
  const { le, nano, modified } = magic;
  const dv = ch.dv;
  const major = dv.getUint16(s + 4, le);
  const minor = dv.getUint16(s + 6, le);
  const snaplen = dv.getUint32(s + 16, le);
  const linkRaw = dv.getUint32(s + 20, le);
  if (major !== 2) {
    ctx.issue(
      'unsupported-version',
      4,
      `pcap: major version ${major} unsupported (version ${major}.${minor} at byte offset 4; only 2.x is defined)`,
    );
    return false;
  }
  if ((linkRaw & 0x03ff0000) !== 0) {
    ctx.issue(
      'bad-linktype',
      20,
      `pcap: network type reserved field not zero (0x${(linkRaw & 0x03ff0000).toString(16).padStart(8, '0')}) at byte offset 20`,
    );
    return false;
  }
  const linktype = linkRaw & 0xffff;
  ctx.addInterface({ localId: 0, section: 0, name: null, description: null, linktype, snaplen });
  ch.start += GLOBAL_LEN;

  const hdr = modified ? 24 : 16;
  const fr = ctx.frame;
  fr.hasTs = true;
  fr.iface = 0;
  fr.fromSpb = false;
  fr.linktype = linktype;
  fr.epbFlags = 0;
  const mul = nano ? 1 : 1000;

  for (;;) {
    // Hot loop: frame every complete record already in the buffer.
    const buf = ch.buf;
    const v = ch.dv;
    const end = ch.end;
    let p = ch.start;
    let need = hdr;
    let bad = -1;
    while (end - p >= hdr) {
      const caplen = v.getUint32(p + 8, le);
      if (caplen > MAX_RECORD) {
        bad = caplen;
        break;
      }
      if (end - p - hdr < caplen) {
        need = hdr + caplen;
        break;
      }
      let sec = v.getUint32(p, le);
      let nsec = v.getUint32(p + 4, le) * mul;
      if (nsec >= 1e9) {
        ctx.issueOnce(
          'invalid-timestamp',
          ch.base + p + 4,
          `packet ${ctx.packets + 1}: fractional timestamp field ${nsec / mul} at byte offset ${ch.base + p + 4} is not below one second; carried into seconds`,
        );
        sec += Math.floor(nsec / 1e9);
        nsec %= 1e9;
      }
      fr.packet = ++ctx.packets;
      fr.sec = sec;
      fr.nsec = nsec;
      fr.caplen = caplen;
      fr.len = v.getUint32(p + 12, le);
      fr.buf = buf;
      fr.offset = p + hdr;
      fr.recordOffset = ch.base + p;
      ctx.handler.onFrame(fr);
      p += hdr + caplen;
    }
    ch.start = p;
    const at = ch.offset;
    if (bad >= 0) {
      ctx.issue(
        'record-too-large',
        at,
        `packet ${ctx.packets + 1}: record header at byte offset ${at} claims ${bad} captured bytes (limit ${MAX_RECORD}); reading stopped`,
      );
      return true;
    }
    if (ch.size >= 0 && at + need > ch.size) {
      if (at < ch.size) truncated(ctx, at, need, ch.size - at, hdr);
      return true;
    }
    if (!(await ch.fill(need))) {
      if (ch.error) ctx.issue('read-error', ch.offset, `${ch.error} at byte offset ${ch.offset}`);
      if (ch.available > 0) truncated(ctx, ch.offset, need, ch.available, hdr);
      return true;
    }
  }
}

function truncated(ctx: ReadContext, at: number, need: number, have: number, hdr: number): void {
  const what =
    have < hdr
      ? `only ${have} of the ${hdr}-byte record header present`
      : `record needs ${need} bytes but only ${have} remain`;
  ctx.issue(
    'truncated',
    at,
    `packet ${ctx.packets + 1}: file cut short in the middle of a packet at byte offset ${at}: ${what}`,
  );
}
