/**
 * Capture tasks: read one capture, decode it and track its flows, returning the
 * flow summaries, notable packet events and ARP observations for the Evidence store.
 */

import type { ArpObservation, PacketEvent } from '../engine/evidence.js';
import type { FlowEvent } from '../flows/analyze.js';
import { analyzeCapture } from '../flows/analyze.js';
import type { ArpEntry, EchoEntry } from '../flows/table.js';
import type { FlowSummary, Layer, Severity } from '../model/analysis.js';
import { isoFromEpoch } from '../util/time.js';
import type { ParseTask, ParseTaskResult } from './task.js';

/** What a capture contributes. */
export interface CaptureTaskResult {
  format: 'pcap' | 'pcapng' | null;
  packets: number;
  interfaces: string[];
  firstTs?: string;
  lastTs?: string;
  flows: FlowSummary[];
  events: PacketEvent[];
  arp: ArpObservation[];
}

/** Event kinds that reach the timeline, with their layer and severity. */
const NOTABLE: Record<string, { layer: Layer; severity: Severity }> = {
  'syn-retransmit': { layer: 'L4', severity: 'medium' },
  'syn-ack-retransmit': { layer: 'L4', severity: 'medium' },
  rst: { layer: 'L4', severity: 'low' },
  retransmit: { layer: 'L4', severity: 'low' },
  'zero-window': { layer: 'L4', severity: 'low' },
  'tls-alert': { layer: 'L7', severity: 'medium' },
  'icmp-error': { layer: 'L3', severity: 'medium' },
};

/** Turn flow-table events into timeline events (notable kinds only), naming the flow's endpoints. */
export function packetEvents(events: readonly FlowEvent[]): PacketEvent[] {
  const out: PacketEvent[] = [];
  for (const e of events) {
    const n = NOTABLE[e.kind];
    if (!n) continue;
    const f = e.endpoints;
    const where = f
      ? e.dir === 'toClient'
        ? ` ${f.server} → ${f.client}`
        : ` ${f.client} → ${f.server}`
      : '';
    const severity: Severity = e.kind === 'tls-alert' && /bad_record_mac/.test(e.text) ? 'high' : n.severity;
    out.push({
      ts: e.ts,
      file: e.file,
      packet: e.packet,
      ...(e.interface ? { iface: e.interface } : {}),
      ...(e.dir ? { direction: e.dir === 'toServer' ? 'in' : 'out' } : {}),
      kind: e.kind,
      layer: n.layer,
      severity,
      text: `${e.text}${where}${e.interface ? ` on ${e.interface}` : ''}`,
      ...(e.flow ? { flow: e.flow } : {}),
    });
  }
  return out;
}

function epochToIso(s: string | null): string | undefined {
  if (!s) return undefined;
  const [sec, frac] = s.split('.');
  return isoFromEpoch(Number(sec), Number((frac ?? '0').padEnd(9, '0').slice(0, 9)));
}

/** ARP table entries → observations + timeline events. */
export function arpEvidence(
  file: string,
  entries: readonly ArpEntry[],
): { arp: ArpObservation[]; events: PacketEvent[] } {
  const arp: ArpObservation[] = [];
  const events: PacketEvent[] = [];
  for (const a of entries) {
    const firstTs = epochToIso(a.firstRequest) ?? epochToIso(a.firstReply);
    arp.push({
      ip: a.ip,
      file,
      requests: a.requests,
      replies: a.replies,
      macs: [...a.replyMacs],
      ...(firstTs ? { firstTs } : {}),
      ...(epochToIso(a.lastRequest) ? { lastTs: epochToIso(a.lastRequest) } : {}),
      ifaces: [...a.ifaces],
      packets: [a.firstRequestPacket, a.firstReplyPacket].filter((p) => p > 0),
    });
    if (a.requests > 0 && a.replies === 0 && firstTs) {
      events.push({
        ts: firstTs,
        file,
        packet: a.firstRequestPacket,
        ...(a.ifaces[0] ? { iface: a.ifaces[0] } : {}),
        kind: 'arp-unanswered',
        layer: 'L2',
        severity: 'medium',
        text: a.ip.includes(':')
          ? `${a.requests}× neighbour solicitation for ${a.ip} with no advertisement`
          : `${a.requests}× ARP who-has ${a.ip} with no reply`,
      });
    } else if (a.replyMacs.length > 1 && firstTs) {
      events.push({
        ts: epochToIso(a.firstReply) ?? firstTs,
        file,
        packet: a.firstReplyPacket,
        kind: 'arp-conflict',
        layer: 'L2',
        severity: 'high',
        text: `${a.ip.includes(':') ? 'Neighbour advertisements' : 'ARP replies'} for ${a.ip} from ${a.replyMacs.length} MACs: ${a.replyMacs.join(', ')}`,
      });
    }
  }
  return { arp, events };
}

/** Unanswered pings seen in a capture → timeline events. */
export function echoEvents(file: string, entries: readonly EchoEntry[]): PacketEvent[] {
  return entries
    .filter((e) => e.requests > 0 && e.replies === 0)
    .map((e) => ({
      ts: epochToIso(e.first) ?? isoFromEpoch(0, 0),
      file,
      packet: e.firstPacket,
      ...(e.ifaces[0] ? { iface: e.ifaces[0] } : {}),
      kind: 'echo-unanswered',
      layer: 'L3' as const,
      severity: 'low' as const,
      text: `${e.requests}× ICMP echo ${e.src} → ${e.dst} with no reply`,
    }));
}

/** Run a capture task (`onProgress`: bytes and packets read so far; `inWorker`: see TaskHooks). Never throws. */
export async function runCaptureTask(
  task: ParseTask,
  onProgress?: (bytes: number, packets: number) => void,
  inWorker = false,
): Promise<ParseTaskResult> {
  const names = task.ifindexNames ?? {};
  try {
    const r = await analyzeCapture(task.abs, {
      file: task.rel,
      node: task.node,
      interfaceName: task.iface,
      ifindexName: (i) => names[String(i)],
      onProgress,
      // A worker does nothing else meanwhile; the main thread keeps its event loop turning.
      blocking: inWorker,
    });
    const arp = arpEvidence(task.rel, r.arp);
    const events = [...packetEvents(r.events), ...arp.events, ...echoEvents(task.rel, r.echo)];
    const s = r.summary;
    const issues = r.issues.length;
    return {
      rel: task.rel,
      kind: 'capture',
      format: s.format === 'unknown' ? null : s.format,
      records: [],
      counts: {
        parsed: s.packets - s.decodeIssues,
        skipped: 0,
        issues: Math.max(issues, s.readerIssues) + s.decodeIssues,
      },
      issues: r.issues,
      rejected: s.rejected,
      ...(s.flowsDropped + s.eventsDropped > 0 ? { dropped: s.flowsDropped + s.eventsDropped } : {}),
      capture: {
        format: s.format === 'unknown' ? null : s.format,
        packets: s.packets,
        interfaces: s.seenInterfaces,
        ...(s.first ? { firstTs: s.first } : {}),
        ...(s.last ? { lastTs: s.last } : {}),
        flows: r.flows,
        events,
        arp: arp.arp,
      },
    };
  } catch (e) {
    return {
      rel: task.rel,
      kind: 'capture',
      format: null,
      records: [],
      counts: { parsed: 0, skipped: 0, issues: 1 },
      issues: [
        { type: 'issue', file: task.rel, offset: 0, code: 'capture-error', message: (e as Error).message },
      ],
      rejected: true,
    };
  }
}
