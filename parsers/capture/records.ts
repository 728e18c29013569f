/**
 * Capture → `packet` records for `forensic parse` (DESIGN: Inspection). Runs the
 * same hot path as the analyzer (readCapture → decodeFrame → FlowTable) so the
 * `tls` field shows the records the flow tracker reassembled: a record is listed
 * on the packet that completes it, as tshark does.
 *
 * Fields: `interface` is the pcapng if_name or the SLL2 ifindex (`ifindex-N`,
 * no mapping available here), `direction` comes from the SLL/SLL2 packet type
 * (4 outgoing → `out`, else `in`) or pcapng epb_flags (1 `in`, 2 `out`).
 * `tcpFlags` lists set flags as letters in the order F S R P A U E W
 * (FIN SYN RST PSH ACK URG ECE CWR): `S`, `SA`, `PA`, `FPA`, `R`, `RA`; an
 * empty string when no flag is set and null when not TCP. For ARP, `src`/`dst`
 * are the sender/target protocol addresses.
 */

import { analyzeCapture } from '../../src/flows/analyze.js';
import { formatIp } from '../../src/flows/format.js';
import type { AnyRecord, PacketRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import { isoFromEpoch } from '../../src/util/time.js';
import type { DecodedPacket } from '../layers/packet.js';
import type { ParseContext } from '../types.js';
import type { Frame } from './types.js';

const FLAG_LETTERS = 'FSRPAUEW';
const flagCache: string[] = [];

/** Letters of the set TCP flags in F S R P A U E W order (`SA`, `FPA`, …), null when not TCP. */
export function tcpFlagsString(flags: number): string | null {
  if (flags < 0) return null;
  let s = flagCache[flags & 0xff];
  if (s === undefined) {
    s = '';
    for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += FLAG_LETTERS[i];
    flagCache[flags & 0xff] = s;
  }
  return s;
}

/** Direction from the link header (SLL/SLL2) or pcapng epb_flags, else null. */
export function frameDirection(pkt: DecodedPacket, frame: Frame): 'in' | 'out' | null {
  if (pkt.pktType >= 0) return pkt.pktType === 4 ? 'out' : 'in';
  const d = frame.epbFlags & 3;
  return d === 1 ? 'in' : d === 2 ? 'out' : null;
}

/** Build the `packet` record of one decoded frame. */
export function packetRecord(
  file: string,
  pkt: DecodedPacket,
  frame: Frame,
  iface: string | null,
  tls: readonly string[],
): PacketRecord {
  const layers = [...pkt.layers];
  if (tls.length) layers.push('tls');
  let src: string | null = null;
  let dst: string | null = null;
  if (pkt.ipVersion !== 0 && pkt.srcOff >= 0) {
    src = formatIp(pkt.buf, pkt.srcOff, pkt.ipVersion);
    dst = formatIp(pkt.buf, pkt.dstOff, pkt.ipVersion);
  } else if (pkt.arpOp > 0 && pkt.arpSenderIpOff >= 0 && pkt.arpTargetIpOff >= 0) {
    src = formatIp(pkt.buf, pkt.arpSenderIpOff, 4);
    dst = formatIp(pkt.buf, pkt.arpTargetIpOff, 4);
  }
  return {
    type: 'packet',
    file,
    packet: frame.packet,
    ts: frame.hasTs ? isoFromEpoch(frame.sec, frame.nsec) : null,
    interface: iface,
    direction: frameDirection(pkt, frame),
    caplen: frame.caplen,
    len: frame.len,
    layers,
    src,
    dst,
    sport: pkt.sport >= 0 ? pkt.sport : null,
    dport: pkt.dport >= 0 ? pkt.dport : null,
    tcpFlags: tcpFlagsString(pkt.tcpFlags),
    tls: tls.length ? [...tls] : [],
  };
}

/** Read a capture and emit one `packet` record per packet plus `issue` records. Returns counts. */
export async function captureRecords(
  path: string,
  ctx: ParseContext,
  onRecord: (r: AnyRecord) => void,
): Promise<{ parsed: number; skipped: number; issues: number; rejected: boolean }> {
  const file = ctx.file;
  let parsed = 0;
  let issues = 0;
  const res = await analyzeCapture(path, {
    file,
    onIssue: (i) => {
      issues++;
      onRecord(i);
    },
    onPacket: (pkt, frame, iface, t) => {
      onRecord(packetRecord(file, pkt, frame, iface, t.tlsLabels()));
      if (pkt.issueCode !== null) {
        issues++;
        onRecord({
          type: 'issue',
          file,
          packet: frame.packet,
          offset: frame.recordOffset,
          code: pkt.issueCode,
          message: pkt.issueMessage ?? pkt.issueCode,
        });
      } else parsed++;
    },
  });
  return { parsed, skipped: 0, issues, rejected: res.summary.rejected };
}

/**
 * One tcpdump-like line for a packet record (`forensic parse --format text`):
 *
 *       3  2024-05-01T10:00:00.000120000Z eth1 in  ipv4/tcp 192.0.2.10.51514 > 198.51.100.5.443 [SA] len 74 tls: handshake:client_hello
 */
export function packetLine(r: AnyRecord): string {
  if (r.type !== 'packet') return displayText(JSON.stringify(r));
  const p = r as PacketRecord;
  const ep = (ip: string | null, port: number | null) =>
    ip === null ? '-' : port === null ? ip : `${ip}.${port}`;
  const parts = [
    String(p.packet).padStart(6),
    '',
    p.ts ?? '-',
    p.interface ?? '-',
    (p.direction ?? '-').padEnd(3),
    p.layers.join('/'),
  ];
  if (p.src !== null || p.dst !== null) parts.push(`${ep(p.src, p.sport)} > ${ep(p.dst, p.dport)}`);
  if (p.tcpFlags !== null) parts.push(`[${p.tcpFlags}]`);
  parts.push(p.caplen === p.len ? `len ${p.len}` : `len ${p.len} (captured ${p.caplen})`);
  if (p.tls.length) parts.push(`tls: ${p.tls.join(', ')}`);
  return displayText(parts.join(' ')).replace(/\n/g, '\\x0a');
}
