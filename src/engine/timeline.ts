/**
 * The unified timeline: notable packets, log records and client errors from every
 * source, merged by time, each with node, layer and a reference back to file +
 * line or packet. Repeats of the same event within a window are aggregated
 * into one entry with `count` and `until` (renderers show `42× SYN-ACK retransmitted …`)
 * so a 1 GB capture yields a readable timeline.
 */
import type { Layer, Severity, TimelineEntry } from '../model/analysis.js';
import { clientNetwork } from '../netstate/ip.js';
import { clip, displayText } from '../util/sanitize.js';
import { isoDiffSeconds } from '../util/time.js';
import type { Evidence, NodeRecord } from './evidence.js';

/** Events of the same key closer than this (seconds) are aggregated. */
export const AGGREGATE_WINDOW_S = 60;

/** A timeline entry before aggregation, with the key repeats are grouped by. */
export interface RawEntry extends TimelineEntry {
  key: string;
  /** Text for an aggregate whose members differ in detail (e.g. the client port as `*`). */
  groupText?: string;
  /** Who the event is about (e.g. the client address); with `subjectText`, used when all members share it. */
  subject?: string;
  /** Text for an aggregate whose members differ in detail but share the subject. */
  subjectText?: string;
}

const NOTABLE_LOG_LEVEL = /^(warn|warning|error|err|fatal|panic|crit|critical|e|w|f)$/i;

/** Turn one text record into a timeline entry, or null when it is not an event. */
export function recordEntry(r: NodeRecord): RawEntry | null {
  const rec = r as NodeRecord & { ts?: string | null };
  if (!rec.ts || typeof rec.ts !== 'string') return null;
  const ref = r.line !== undefined ? `${r.file}:${r.line}` : r.file;
  // Built as literals of one shape (an object spread per record cost microseconds on 100 000s of them).
  const entry = (
    layer: Layer,
    severity: Severity,
    kind: string,
    text: string,
    key: string,
    groupText?: string,
    subject?: string,
    subjectText?: string,
  ): RawEntry => ({
    ts: rec.ts as string,
    node: r.node,
    source: r.file,
    ref,
    layer,
    severity,
    kind,
    text,
    key,
    groupText,
    subject,
    subjectText,
  });
  switch (r.type) {
    case 'tls-handshake-error': {
      // Repeats fold per client network: a log of thousands of clients stays a readable timeline.
      const net = r.client.ip ? clientNetwork(r.client.ip) : '?';
      return entry(
        'L7',
        r.cause === 'bad-record-mac' ? 'high' : 'medium',
        `tls-${r.cause}`,
        `TLS handshake error from ${r.client.ip ?? '?'}:${r.client.port ?? '?'}: ${r.cause}`,
        `tls|${r.cause}|${net}`,
        `TLS handshake errors from ${net}: ${r.cause}`,
        r.client.ip ?? undefined,
        `TLS handshake errors from ${r.client.ip}:*: ${r.cause}`,
      );
    }
    case 'client-error':
      return entry(
        'L7',
        'high',
        `${r.tool}-error`,
        `${r.tool}: ${r.text}`,
        `client|${r.tool}|${r.code}|${r.target}`,
      );
    case 'access': {
      const failed = r.status === null || r.status >= 500 || r.status === 0;
      const net = r.client.ip ? clientNetwork(r.client.ip) : '?';
      const status = r.status === null ? '?' : r.status === 0 ? '0' : `${Math.floor(r.status / 100)}xx`;
      return entry(
        'L7',
        failed ? 'medium' : 'info',
        'access',
        `${r.client.ip ?? '?'} ${r.method ?? ''} ${r.path ?? ''} → ${r.status ?? '?'}${r.durationMs !== null ? ` ${r.durationMs}ms` : ''}`,
        `access|${net}|${status}`,
        `requests from ${net} → ${status}`,
        r.client.ip ?? undefined,
        `requests from ${r.client.ip} → ${status}`,
      );
    }
    case 'log': {
      if (!r.level || !NOTABLE_LOG_LEVEL.test(r.level)) return null;
      return entry(
        'L7',
        /^(e|err|error|fatal|panic|crit|critical|f)$/i.test(r.level) ? 'medium' : 'low',
        'log',
        r.message,
        `log|${r.message.replace(/\d+/g, '#')}`,
      );
    }
    default: {
      // Records of other families with a timestamp (MetalLB, cert-manager events…).
      const any = r as unknown as { message?: string; text?: string; event?: string };
      const text = any.message ?? any.event ?? any.text;
      if (!text) return null;
      return entry('config', 'info', r.type, String(text), `${r.type}|${String(text).replace(/\d+/g, '#')}`);
    }
  }
}

/** Merge raw entries by time and aggregate repeats. Output is sorted and deterministic. */
export function aggregate(entries: RawEntry[]): TimelineEntry[] {
  entries.sort(
    (a, b) =>
      (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0) ||
      (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
      (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
  interface Group {
    entry: TimelineEntry;
    text: string;
    raw: RawEntry;
    mixed: boolean;
    sameSubject: boolean;
  }
  const open = new Map<string, Group>();
  const groups: Group[] = [];
  const out: TimelineEntry[] = [];
  for (const e of entries) {
    const k = `${e.node ?? ''}|${e.source}|${e.layer}|${e.kind ?? ''}|${e.key}`;
    const cur = open.get(k);
    if (cur && isoDiffSeconds(e.ts, cur.entry.until ?? cur.entry.ts) <= AGGREGATE_WINDOW_S) {
      cur.entry.count = (cur.entry.count ?? 1) + 1;
      cur.entry.until = e.ts;
      if (e.text !== cur.text) cur.mixed = true;
      if (e.subject !== cur.raw.subject) cur.sameSubject = false;
      continue;
    }
    const clean: TimelineEntry = {
      ts: e.ts,
      node: e.node,
      source: e.source,
      ref: e.ref,
      layer: e.layer,
      severity: e.severity,
      kind: e.kind,
      text: clip(displayText(e.text), 400),
      flow: e.flow,
      interface: e.interface,
    };
    const g: Group = { entry: clean, text: e.text, raw: e, mixed: false, sameSubject: true };
    open.set(k, g);
    groups.push(g);
    out.push(clean);
  }
  // An aggregate of events that differ in detail shows the shared form: the subject's when all
  // members share it (one client), else the group's (a client network).
  for (const g of groups) {
    if (!g.mixed) continue;
    const text = g.sameSubject && g.raw.subjectText ? g.raw.subjectText : g.raw.groupText;
    if (text) g.entry.text = clip(displayText(text), 400);
  }
  return out;
}

/** Build the timeline from the evidence. */
export function buildTimeline(ev: Evidence): TimelineEntry[] {
  const raw: RawEntry[] = [];
  for (const r of ev.records) {
    const e = recordEntry(r);
    if (e) raw.push(e);
  }
  const flows = new Map(ev.flows.map((f) => [f.id, f]));
  for (const p of ev.events) {
    const f = p.flow ? flows.get(p.flow) : undefined;
    // Repeats of one kind of event between one client and one service on one interface fold together.
    const key = f
      ? `${p.kind}|${f.client.ip}|${f.server.ip}:${f.server.port}|${p.iface ?? ''}`
      : `${p.kind}|${p.text.replace(/\d+/g, '#')}`;
    raw.push({
      ts: p.ts,
      node: p.node,
      source: p.file,
      layer: p.layer as Layer,
      severity: p.severity as Severity,
      kind: p.kind,
      text: p.text,
      ref: `${p.file}#${p.packet}`,
      flow: p.flow,
      interface: p.iface,
      key,
      groupText: f ? p.text.split(`${f.client.ip}:${f.client.port}`).join(`${f.client.ip}:*`) : undefined,
    });
  }
  return aggregate(raw);
}
