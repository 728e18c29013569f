/**
 * The Analysis: one immutable, JSON-able object that every renderer reads
 * (TUI, Markdown, JSON, HTML). None of them recomputes anything.
 * `forensic analyze BUNDLE --format json` prints exactly this (schemaVersion 1).
 */
import { z } from 'zod';
import { LAYERS, SEVERITIES } from './levels.js';
import { IsoTs } from './records/base.js';

export const Layer = z.enum(LAYERS);
export type Layer = z.infer<typeof Layer>;

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** A reference to one piece of evidence: file + line, or file + packet (+ interface). */
export const EvidenceRef = z.object({
  file: z.string(),
  line: z.number().int().positive().optional(),
  packet: z.number().int().positive().optional(),
  interface: z.string().optional(),
  node: z.string().optional(),
  ts: IsoTs.optional(),
  /** What the evidence says, for display (already neutralised). */
  text: z.string(),
  /** Flow this evidence belongs to, when known. */
  flow: z.string().optional(),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;

export const Remediation = z.object({
  summary: z.string(),
  commands: z.array(z.string()),
  /** How to make the fix survive a reboot / re-provisioning. */
  persistent: z.string().optional(),
  /** What the remediation assumes (e.g. "the LAN gateway is 192.0.2.1"). */
  assumptions: z.array(z.string()).optional(),
  /** Alternatives, each with what it assumes. */
  alternatives: z
    .array(z.object({ summary: z.string(), commands: z.array(z.string()), assumes: z.string().optional() }))
    .optional(),
});
export type Remediation = z.infer<typeof Remediation>;

export const Finding = z.object({
  /** Unique within the analysis, e.g. `default-route-mismatch#node1`. */
  id: z.string(),
  /** Stable rule id (DESIGN: stable rule ids). */
  rule: z.string(),
  title: z.string(),
  layer: Layer,
  severity: Severity,
  node: z.string().optional(),
  summary: z.string(),
  evidence: z.array(EvidenceRef),
  /** Findings this one explains (its effects), forming the root-cause chain. */
  causes: z.array(z.string()).optional(),
  remediation: Remediation.optional(),
  /** Free-form facts the rule used (counts, addresses), for reports. */
  facts: z.record(z.string(), z.unknown()).optional(),
});
export type Finding = z.infer<typeof Finding>;

export const RuledOut = z.object({
  hypothesis: z.string(),
  reason: z.string(),
  evidence: z.array(EvidenceRef).optional(),
});
export type RuledOut = z.infer<typeof RuledOut>;

export const RootCause = z.object({
  finding: z.string(),
  /** Finding ids, symptom first, cause last. */
  chain: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  /** Why this confidence: the evidence for and against. */
  reasons: z.array(z.string()).optional(),
  ruledOut: z.array(RuledOut).optional(),
  /** Competing explanations that scored lower. */
  alternatives: z.array(z.object({ finding: z.string(), score: z.number(), why: z.string() })).optional(),
});
export type RootCause = z.infer<typeof RootCause>;

export const TimelineEntry = z.object({
  ts: IsoTs,
  node: z.string().optional(),
  /** Source file (relative to the bundle). */
  source: z.string(),
  layer: Layer,
  severity: Severity.optional(),
  /** Short event kind, e.g. `tls-alert`, `syn-retransmit`, `log`, `route`. */
  kind: z.string().optional(),
  text: z.string(),
  /** `file:line` or `file#packet`. */
  ref: z.string(),
  /** Number of aggregated repeats this entry stands for (1 when single). */
  count: z.number().int().positive().optional(),
  /** Last timestamp of an aggregated run. */
  until: IsoTs.optional(),
  flow: z.string().optional(),
  interface: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Endpoint = z.object({ ip: z.string(), port: z.number().int() });

export const FlowSummary = z.object({
  id: z.string(),
  proto: z.enum(['tcp', 'udp']),
  node: z.string().optional(),
  client: Endpoint,
  server: Endpoint,
  packets: z.object({ toServer: z.number().int(), toClient: z.number().int() }),
  bytes: z.object({ toServer: z.number().int(), toClient: z.number().int() }),
  interfaces: z.object({ toServer: z.array(z.string()), toClient: z.array(z.string()) }),
  /** e.g. `established`, `syn-sent`, `syn-received`, `reset`, `closed`, `udp`. */
  state: z.string(),
  first: IsoTs,
  last: IsoTs,
  /** Capture files the flow was seen in. */
  files: z.array(z.string()).optional(),
  retransmissions: z.number().int().optional(),
  synRetransmits: z.number().int().optional(),
  synAckRetransmits: z.number().int().optional(),
  resets: z.number().int().optional(),
  tls: z
    .object({
      sni: z.string().optional(),
      version: z.string().optional(),
      alerts: z.array(
        z.object({ level: z.string(), description: z.string(), from: z.enum(['client', 'server']) }),
      ),
    })
    .optional(),
  icmpErrors: z.number().int().optional(),
  /** TCP: largest segment payload per direction (left out when no data was sent). */
  maxPayload: z.object({ toServer: z.number().int(), toClient: z.number().int() }).optional(),
  /**
   * TCP: a segment sent at least three times (two retransmissions) that the peer never
   * acknowledged: its direction, payload and IP packet length, DF bit, how often it was
   * sent, whether the peer spoke afterwards, and the MSS the receiving side advertised
   * (when its SYN was captured).
   */
  stall: z
    .object({
      dir: z.enum(['toServer', 'toClient']),
      payload: z.number().int(),
      ipLen: z.number().int(),
      df: z.boolean(),
      sends: z.number().int(),
      /** The peer sent packets after the first retransmission (it was there, the data did not reach it). */
      peerAlive: z.boolean(),
      peerMss: z.number().int().optional(),
    })
    .optional(),
  asymmetric: z.boolean().optional(),
  /** Log records joined to this flow (`file:line`). */
  logs: z.array(z.string()).optional(),
  /** A few representative packets for the ladder diagram. */
  ladder: z
    .array(
      z.object({
        ts: IsoTs,
        dir: z.enum(['toServer', 'toClient']),
        interface: z.string().nullable(),
        summary: z.string(),
        ref: z.string(),
      }),
    )
    .optional(),
});
export type FlowSummary = z.infer<typeof FlowSummary>;

export const FileCoverage = z.object({
  path: z.string(),
  format: z.string().nullable(),
  node: z.string().optional(),
  parsed: z.number().int(),
  skipped: z.number().int(),
  issues: z.number().int(),
  /** First few issues with their location. */
  firstIssues: z
    .array(
      z.object({
        line: z.number().optional(),
        offset: z.number().optional(),
        code: z.string(),
        message: z.string(),
      }),
    )
    .optional(),
  status: z.enum(['parsed', 'partial', 'rejected', 'unrecognised', 'unreadable', 'excluded']),
  /**
   * Parsed and counted but not kept, to bound memory: beyond 100 000 records per log,
   * all but 5 per kind (type and cause, level or status class) and minute;
   * plain flows beyond 20 000 and notable packets beyond 20 000 per capture. Absent when
   * everything was kept.
   */
  notKept: z.number().int().optional(),
  /**
   * The log records among `notKept`, by kind: `tls-handshake-error|bad-record-mac`,
   * `access|5` (status class), `log|error` (level)… so rules can state exact totals.
   */
  notKeptByKind: z.record(z.string(), z.number().int()).optional(),
});
export type FileCoverage = z.infer<typeof FileCoverage>;

export const Analysis = z.object({
  schemaVersion: z.literal(1),
  generatedBy: z.string(),
  bundle: z.object({
    path: z.string(),
    nodes: z.array(
      z.object({
        name: z.string(),
        role: z.string().optional(),
        interfaces: z.array(
          z.object({ name: z.string(), addresses: z.array(z.string()), mac: z.string().optional() }),
        ),
      }),
    ),
    files: z.array(
      z.object({
        path: z.string(),
        format: z.string().nullable(),
        node: z.string().optional(),
        records: z.number().int(),
        issues: z.number().int(),
      }),
    ),
    timeRange: z.object({ first: IsoTs, last: IsoTs }).nullable().optional(),
    /** The service under investigation, from the manifest. */
    service: z
      .object({
        vip: z.string().optional(),
        port: z.number().int().optional(),
        hostname: z.string().optional(),
      })
      .optional(),
    clockSkew: z
      .array(z.object({ node: z.string(), source: z.string(), offsetSeconds: z.number(), basis: z.string() }))
      .optional(),
  }),
  findings: z.array(Finding),
  rootCause: RootCause.nullable(),
  timeline: z.array(TimelineEntry),
  flows: z.array(FlowSummary),
  coverage: z.object({ files: z.array(FileCoverage) }),
});
export type Analysis = z.infer<typeof Analysis>;
