/**
 * Flow → FlowSummary (src/model/analysis.ts): orient the conversation as
 * client/server, turn numbers into strings, name the state.
 */
import { IPPROTO, TCP } from '../../parsers/layers/packet.js';
import { alertLevelName, alertName } from '../../parsers/layers/tls.js';
import type { FlowSummary } from '../model/analysis.js';
import { isoFromEpoch } from '../util/time.js';
import type { Flow, FlowDir } from './flow.js';
import { formatIpWords } from './format.js';
import type { LadderStep } from './ladder.js';
import { FlowTable } from './table.js';

/** Text of endpoint A's address. */
export function addrA(f: Flow): string {
  f.aText ??= formatIpWords(f.ipVersion, f.a0, f.a1, f.a2, f.a3);
  return f.aText;
}

/** Text of endpoint B's address. */
export function addrB(f: Flow): string {
  f.bText ??= formatIpWords(f.ipVersion, f.b0, f.b1, f.b2, f.b3);
  return f.bText;
}

/**
 * Conversation state: `udp`; `reset` (any RST), `closed` (FIN both ways),
 * `closing` (FIN one way), `established` (SYN, SYN-ACK and ACK, or SYN-ACK and
 * data from the client), `syn-received` (SYN-ACK seen, no ACK), `syn-sent`
 * (SYN only), `midstream` (no handshake seen).
 */
export function flowState(f: Flow): string {
  if (f.proto !== IPPROTO.TCP) return 'udp';
  const c = f.aIsClient() ? f.d0 : f.d1;
  const s = f.aIsClient() ? f.d1 : f.d0;
  if (c.rst > 0 || s.rst > 0) return 'reset';
  if (c.fin > 0 && s.fin > 0) return 'closed';
  if (c.fin > 0 || s.fin > 0) return 'closing';
  if (s.synAck > 0 && (f.handshakeAck || c.payload > 0)) return 'established';
  if (s.synAck > 0) return 'syn-received';
  if (c.syn > 0) return 'syn-sent';
  return 'midstream';
}

/** Short ladder text of a TCP flags byte, e.g. `SYN`, `SYN-ACK`, `PSH-ACK`. */
export function flagsText(flags: number): string {
  if (flags < 0) return 'UDP';
  const names: string[] = [];
  if (flags & TCP.SYN) names.push('SYN');
  if (flags & TCP.FIN) names.push('FIN');
  if (flags & TCP.RST) names.push('RST');
  if (flags & TCP.PSH) names.push('PSH');
  if (flags & TCP.ACK) names.push('ACK');
  if (flags & TCP.URG) names.push('URG');
  return names.length ? names.join('-') : 'none';
}

function ladderSummary(s: LadderStep): string {
  const base = flagsText(s.flags);
  if (s.flags < 0) return `${base} len=${s.payload}`;
  return `${base} seq=${s.seq >>> 0} ack=${s.ack >>> 0} len=${s.payload}`;
}

function dirName(f: Flow, dir: number): 'toServer' | 'toClient' {
  return (dir === 0) === f.aIsClient() ? 'toServer' : 'toClient';
}

/** The flow's first packets as ladder steps (for the flow diagram). */
export function flowLadder(f: Flow): NonNullable<FlowSummary['ladder']> {
  return f.ladder().map((s) => ({
    ts: isoFromEpoch(s.sec, s.nsec),
    dir: dirName(f, s.dir),
    interface: s.iface,
    summary: ladderSummary(s),
    ref: `${s.file}#${s.packet}`,
  }));
}

/** The flow's endpoints, oriented client / server. */
export function flowEndpoints(f: Flow): Pick<FlowSummary, 'client' | 'server'> {
  const aClient = f.aIsClient();
  return {
    client: { ip: aClient ? addrA(f) : addrB(f), port: aClient ? f.pa : f.pb },
    server: { ip: aClient ? addrB(f) : addrA(f), port: aClient ? f.pb : f.pa },
  };
}

/** Summarise one flow in the Analysis vocabulary (`ladder: false` leaves the ladder out). */
export function toFlowSummary(f: Flow, node?: string, ladder = true): FlowSummary {
  const aClient = f.aIsClient();
  const cd: FlowDir = aClient ? f.d0 : f.d1;
  const sd: FlowDir = aClient ? f.d1 : f.d0;
  const { client, server } = flowEndpoints(f);
  const out: FlowSummary = {
    id: f.id,
    proto: f.proto === IPPROTO.TCP ? 'tcp' : 'udp',
    client,
    server,
    packets: { toServer: cd.packets, toClient: sd.packets },
    bytes: { toServer: cd.bytes, toClient: sd.bytes },
    interfaces: { toServer: [...cd.ifaces], toClient: [...sd.ifaces] },
    state: flowState(f),
    first: isoFromEpoch(f.firstSec, f.firstNsec),
    last: isoFromEpoch(f.lastSec, f.lastNsec),
  };
  if (node) out.node = node;
  if (f.files.length) out.files = [...f.files];
  if (f.proto === IPPROTO.TCP) {
    out.retransmissions = cd.retrans + sd.retrans;
    out.synRetransmits = cd.synRetrans;
    out.synAckRetransmits = sd.synAckRetrans;
    out.resets = cd.rst + sd.rst;
  }
  const tf = FlowTable.tlsFacts(f);
  if (tf || f.alerts.length) {
    const tls: NonNullable<FlowSummary['tls']> = {} as NonNullable<FlowSummary['tls']>;
    if (tf?.sni !== undefined) tls.sni = tf.sni;
    if (tf?.version !== undefined) tls.version = tf.version;
    tls.alerts = f.alerts.map((a) => ({
      level: alertLevelName(a.level),
      description: alertName(a.desc),
      from: dirName(f, a.dir) === 'toServer' ? ('client' as const) : ('server' as const),
    }));
    out.tls = tls;
  }
  if (f.icmpErrors) out.icmpErrors = f.icmpErrors;
  if (f.proto === IPPROTO.TCP) {
    if (cd.maxSeg || sd.maxSeg) out.maxPayload = { toServer: cd.maxSeg, toClient: sd.maxSeg };
    const stall = stallOf(sd, cd, 'toClient') ?? stallOf(cd, sd, 'toServer');
    if (stall) out.stall = stall;
  }
  // Asymmetric: the two directions were seen on different sets of interfaces (lists hold no duplicates).
  if (cd.ifaces.length && sd.ifaces.length) {
    out.asymmetric = !(
      cd.ifaces.length === sd.ifaces.length && cd.ifaces.every((i) => sd.ifaces.includes(i))
    );
  }
  if (ladder) out.ladder = flowLadder(f);
  return out;
}

/**
 * The segment `from` (direction `dir`) kept retransmitting (sent three times or more)
 * that `to` never acknowledged (its last ACK is at or before the segment's start), or null.
 */
function stallOf(
  from: FlowDir,
  to: FlowDir,
  dir: 'toServer' | 'toClient',
): NonNullable<FlowSummary['stall']> | null {
  if (from.stallSends < 3 || !to.ackSet || ((to.lastAck - from.stallSeq) | 0) > 0) return null;
  return {
    dir,
    payload: from.stallLen,
    ipLen: from.stallIpLen,
    df: from.stallDf,
    sends: from.stallSends,
    peerAlive: to.packets > from.stallPeerPackets,
    ...(to.mss >= 0 ? { peerMss: to.mss } : {}),
  };
}

/** Direction name of a note/step direction within a flow (`null` for -1). */
export function noteDir(f: Flow, dir: number): 'toServer' | 'toClient' | null {
  return dir < 0 ? null : dirName(f, dir);
}
