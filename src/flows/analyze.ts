/**
 * The capture hot path: readCapture → decodeFrame → FlowTable, in one call.
 * Used by the analyzer (per capture file), by `forensic parse` (through
 * `onPacket`) and by the benchmark.
 *
 *   const r = await analyzeCapture('node1-any.pcap', { node: 'node1' });
 *   r.flows      // FlowSummary[] (src/model/analysis.ts)
 *   r.events     // notable packets (handshakes, retransmissions, resets, TLS alerts, ICMP errors)
 *   r.summary    // packet/byte counts, time range, interfaces, issues
 */
import { readCapture } from '../../parsers/capture/read.js';
import type { CaptureInterface, CaptureSummary, Frame } from '../../parsers/capture/types.js';
import { decodeFrame } from '../../parsers/layers/decode.js';
import { DecodedPacket, IPPROTO } from '../../parsers/layers/packet.js';
import type { FlowSummary } from '../model/analysis.js';
import type { IssueRecord } from '../model/records/index.js';
import { hostPort } from '../netstate/ip.js';
import { isoFromEpoch } from '../util/time.js';
import type { Flow } from './flow.js';
import { flowEndpoints, flowLadder, noteDir, toFlowSummary } from './summary.js';
import { type ArpEntry, type EchoEntry, FlowTable, type FlowTableOptions, type TableEvent } from './table.js';

/** Packets between two progress reports. */
export const PROGRESS_PACKETS = 32_768;

/** Options of analyzeCapture. */
export interface AnalyzeCaptureOptions extends FlowTableOptions {
  /** File name used in references and issues (default: the path). */
  file?: string;
  /** Interface name for every packet of this file (e.g. the capture was taken with `-i eth1`). */
  interfaceName?: string;
  /** SLL2 ifindex → interface name (e.g. from `ip -j link` of the node); unmapped: `ifindex-N`. */
  ifindexName?: (ifindex: number) => string | null | undefined;
  /** Share a table across the files of one node; the caller then calls `finish()` and summarises. */
  table?: FlowTable;
  /** Called for every packet after the table saw it (`t.flow`, `t.tlsLabels()`, … describe it). */
  onPacket?: (pkt: DecodedPacket, frame: Frame, iface: string | null, t: FlowTable) => void;
  /** Called for every reader issue (default: collected, first 100 kept). */
  onIssue?: (issue: IssueRecord) => void;
  /**
   * Flow summaries kept (default 20 000; plain flows after the first 1 000 keep no ladder). Beyond it only flows with something
   * notable (resets, retransmissions, TLS alerts, ICMP errors, asymmetry,
   * unfinished handshakes) are kept, up to as many again; the rest are counted.
   */
  maxFlowSummaries?: number;
  /** Skip the flow table entirely (decode only; for benchmarks of the decoders). */
  decodeOnly?: boolean;
  /** Told the (decompressed) bytes and packets read so far, every PROGRESS_PACKETS packets. */
  onProgress?: (bytes: number, packets: number) => void;
  /** Blocking reads on the calling thread (parse workers): see ReadCaptureOptions.blocking. */
  blocking?: boolean;
}

/** A notable event, oriented and stamped, for the timeline. */
export interface FlowEvent {
  ts: string;
  kind: string;
  file: string;
  packet: number;
  interface: string | null;
  node?: string;
  /** Flow id, null when outside a flow. */
  flow: string | null;
  /** The flow's endpoints (`ip:port`), client first; null when outside a flow. */
  endpoints: { client: string; server: string } | null;
  dir: 'toServer' | 'toClient' | null;
  text: string;
}

/** Counts over one capture. */
export interface CaptureAnalysisSummary {
  file: string;
  format: CaptureSummary['format'];
  rejected: boolean;
  packets: number;
  /** Sum of frame lengths (wire). */
  bytes: number;
  /** Bytes read from the (decompressed) file. */
  fileBytes: number;
  tcp: number;
  udp: number;
  icmp: number;
  arp: number;
  other: number;
  decodeIssues: number;
  readerIssues: number;
  flows: number;
  flowsEvicted: number;
  /** Flow summaries not kept because of `maxFlowSummaries`. */
  flowsDropped: number;
  eventsDropped: number;
  first: string | null;
  last: string | null;
  interfaces: Array<{ id: number; name: string | null; linktype: number }>;
  /** Interface names seen on packets (after ifindex mapping / override). */
  seenInterfaces: string[];
}

/** What analyzeCapture returns. */
export interface CaptureAnalysis {
  flows: FlowSummary[];
  events: FlowEvent[];
  arp: ArpEntry[];
  echo: EchoEntry[];
  issues: IssueRecord[];
  summary: CaptureAnalysisSummary;
}

/** Convert table events to timeline-ready events. */
export function tableEvents(events: readonly TableEvent[], node?: string): FlowEvent[] {
  return events.map((e) => {
    const ends = e.flow && flowEndpoints(e.flow);
    const out: FlowEvent = {
      ts: isoFromEpoch(e.sec, e.nsec),
      kind: e.kind,
      file: e.file,
      packet: e.packet,
      interface: e.iface,
      flow: e.flow ? e.flow.id : null,
      endpoints: ends
        ? {
            client: hostPort(ends.client.ip, ends.client.port),
            server: hostPort(ends.server.ip, ends.server.port),
          }
        : null,
      dir: e.flow ? noteDir(e.flow, e.dir) : null,
      text: e.text,
    };
    if (node) out.node = node;
    return out;
  });
}

/** Npcap's interface names: `\Device\NPF_{GUID}` (and `\Device\NPF_Loopback`). */
const NPF_DEVICE = /^\\Device\\NPF_/i;

/**
 * Resolves the interface name of each frame: per-file override, else SLL2
 * ifindex (mapped by the caller, else `ifindex-N`), else the capture interface
 * name (pcapng if_name; its description for a Windows device path), else null.
 * Names are interned so the flow table can compare them by reference.
 */
export class InterfaceNamer {
  private readonly byId: Array<string | null> = [];
  private readonly byIndex = new Map<number, string | null>();
  private readonly interned = new Map<string, string>();
  constructor(
    private readonly override?: string,
    private readonly ifindexName?: (ifindex: number) => string | null | undefined,
  ) {}

  /**
   * Register a capture interface. A Windows device path (`\Device\NPF_{GUID}`, as Npcap
   * names interfaces) gives way to the interface's description (`Ethernet 2`), the name
   * its user knows.
   */
  add(i: CaptureInterface): void {
    const name = i.name !== null && NPF_DEVICE.test(i.name) && i.description ? i.description : i.name;
    this.byId[i.id] = name === null ? null : this.intern(name);
  }

  /** Name for a frame on capture interface `id` whose link header carried `ifindex` (-1 none). */
  name(id: number, ifindex: number): string | null {
    if (this.override !== undefined) return this.override;
    if (ifindex >= 0) {
      let n = this.byIndex.get(ifindex);
      if (n === undefined) {
        n = this.intern(this.ifindexName?.(ifindex) ?? `ifindex-${ifindex}`);
        this.byIndex.set(ifindex, n);
      }
      return n;
    }
    return this.byId[id] ?? null;
  }

  private intern(s: string): string {
    const x = this.interned.get(s);
    if (x !== undefined) return x;
    this.interned.set(s, s);
    return s;
  }
}

/** Plain flows that keep their ladder in the summary; later ones drop it to save memory. */
const LADDERS_ALWAYS = 1000;

/** True when a flow shows a symptom worth keeping over plain ones. */
export function notable(f: FlowSummary): boolean {
  return (
    f.asymmetric === true ||
    (f.resets ?? 0) > 0 ||
    (f.retransmissions ?? 0) > 0 ||
    (f.synRetransmits ?? 0) > 0 ||
    (f.synAckRetransmits ?? 0) > 0 ||
    (f.icmpErrors ?? 0) > 0 ||
    (f.tls?.alerts.length ?? 0) > 0 ||
    f.state === 'syn-sent' ||
    f.state === 'syn-received'
  );
}

/** False only when `notable` is certainly false for the flow's summary (checked on the raw counters, before summarising). */
export function mayBeNotable(f: Flow): boolean {
  const { d0, d1 } = f;
  if (d0.rst + d1.rst + d0.retrans + d1.retrans + d0.synRetrans + d1.synRetrans > 0) return true;
  if (d0.synAckRetrans + d1.synAckRetrans + f.icmpErrors + f.alerts.length > 0) return true;
  // Unfinished handshakes (syn-sent / syn-received) and asymmetry need the full summary.
  if (f.proto === IPPROTO.TCP && !f.handshakeAck && d0.fin + d1.fin === 0) return true;
  if (d0.ifaces.length > 1 || d1.ifaces.length > 1) return true;
  return d0.ifaces.length === 1 && d1.ifaces.length === 1 && d0.ifaces[0] !== d1.ifaces[0];
}

/** Read, decode and track one capture file. */
export async function analyzeCapture(
  path: string,
  opts: AnalyzeCaptureOptions = {},
): Promise<CaptureAnalysis> {
  const file = opts.file ?? path;
  const own = !opts.table;
  const flows: FlowSummary[] = [];
  const maxKeep = opts.maxFlowSummaries ?? 20_000;
  let dropped = 0;
  const keep = (f: Flow) => {
    const room = flows.length < maxKeep;
    // Beyond the cap a plain flow is only counted: no summary is made for it.
    if ((!room && !mayBeNotable(f)) || flows.length >= 2 * maxKeep) {
      dropped++;
      return;
    }
    // Summarise at once so finished flows do not keep their state alive.
    const sum = toFlowSummary(f, opts.node, false);
    const interesting = notable(sum);
    // Ladders are for diagrams of interesting flows: plain flows beyond the first ones get none.
    if (interesting || flows.length < LADDERS_ALWAYS) sum.ladder = flowLadder(f);
    if (room || interesting) flows.push(sum);
    else dropped++;
  };
  const table =
    opts.table ??
    new FlowTable({
      ...opts,
      onFlowDone: opts.onFlowDone ?? keep,
    });
  table.file = file;
  const pkt = new DecodedPacket();
  const namer = new InterfaceNamer(opts.interfaceName, opts.ifindexName);
  const issues: IssueRecord[] = [];
  const seen = new Set<string>();
  let lastIface: string | null = null;
  const onPacket = opts.onPacket;
  const onProgress = opts.onProgress;
  const decodeOnly = opts.decodeOnly === true;
  const cap = await readCapture(
    path,
    {
      onInterface: (i) => namer.add(i),
      onFrame: (fr) => {
        decodeFrame(pkt, fr.buf, fr.offset, fr.caplen, fr.linktype);
        const iface = namer.name(fr.iface, pkt.ifindex);
        if (iface !== lastIface) {
          lastIface = iface;
          if (iface !== null) seen.add(iface);
        }
        if (!decodeOnly) table.packet(pkt, fr.packet, fr.sec, fr.nsec, fr.len, iface);
        if (onPacket) onPacket(pkt, fr, iface, table);
        if (onProgress && fr.packet % PROGRESS_PACKETS === 0) onProgress(fr.recordOffset, fr.packet);
      },
      onIssue: (i) => {
        if (opts.onIssue) opts.onIssue(i);
        else if (issues.length < 100) issues.push(i);
      },
    },
    { file, blocking: opts.blocking },
  );
  if (own) table.finish();
  const st = table.stats;
  return {
    flows,
    events: tableEvents(table.events, opts.node),
    arp: [...table.arp.values(), ...table.nd.values()],
    echo: [...table.echo.values()],
    issues,
    summary: {
      file,
      format: cap.format,
      rejected: cap.rejected,
      packets: cap.packets,
      bytes: st.bytes,
      fileBytes: cap.bytes,
      tcp: st.tcp,
      udp: st.udp,
      icmp: st.icmp,
      arp: st.arp,
      other: st.other,
      decodeIssues: st.decodeIssues,
      readerIssues: cap.issues,
      flows: st.flowsCreated,
      flowsEvicted: st.flowsEvicted,
      flowsDropped: dropped,
      eventsDropped: st.eventsDropped,
      first: st.packets ? isoFromEpoch(st.firstSec, st.firstNsec) : null,
      last: st.packets ? isoFromEpoch(st.lastSec, st.lastNsec) : null,
      interfaces: cap.interfaces.map((i) => ({ id: i.id, name: i.name, linktype: i.linktype })),
      seenInterfaces: [...seen],
    },
  };
}
