/**
 * The unified timeline: notable packets, log records and client errors from every
 * source, merged by time, each with node, layer and a reference back to file +
 * line or packet. Repeats of the same event within a window are aggregated
 * into one entry with `count` and `until` (renderers show `42× SYN-ACK retransmitted …`)
 * so a 1 GB capture yields a readable timeline.
 */
import type { Layer, Severity, TimelineEntry } from '../model/analysis.js';
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
}

const NOTABLE_LOG_LEVEL = /^(warn|warning|error|err|fatal|panic|crit|critical|e|w|f)$/i;

/** Turn one text record into a timeline entry, or null when it is not an event. */
export function recordEntry(r: NodeRecord): RawEntry | null {
  const rec = r as NodeRecord & { ts?: string | null };
  if (!rec.ts || typeof rec.ts !== 'string') return null;
  const ref = r.line !== undefined ? `${r.file}:${r.line}` : r.file;
  const base = { ts: rec.ts, node: r.node, source: r.file, ref };
  switch (r.type) {
    case 'tls-handshake-error':
      return {
        ...base,
        layer: 'L7',
        severity: r.cause === 'bad-record-mac' ? 'high' : 'medium',
        kind: `tls-${r.cause}`,
        text: `TLS handshake error from ${r.client.ip ?? '?'}:${r.client.port ?? '?'}: ${r.cause}`,
        key: `tls|${r.cause}|${r.client.ip}`,
      };
    case 'client-error':
      return {
        ...base,
        layer: 'L7',
        severity: 'high',
        kind: `${r.tool}-error`,
        text: `${r.tool}: ${r.text}`,
        key: `client|${r.tool}|${r.code}|${r.target}`,
      };
    case 'access': {
      const failed = r.status === null || r.status >= 500 || r.status === 0;
      return {
        ...base,
        layer: 'L7',
        severity: failed ? 'medium' : 'info',
        kind: 'access',
        text: `${r.client.ip ?? '?'} ${r.method ?? ''} ${r.path ?? ''} → ${r.status ?? '?'}${r.durationMs !== null ? ` ${r.durationMs}ms` : ''}`,
        key: `access|${r.client.ip}|${r.status}`,
      };
    }
    case 'log': {
      if (!r.level || !NOTABLE_LOG_LEVEL.test(r.level)) return null;
      return {
        ...base,
        layer: 'L7',
        severity: /^(e|err|error|fatal|panic|crit|critical|f)$/i.test(r.level) ? 'medium' : 'low',
        kind: 'log',
        text: r.message,
        key: `log|${r.message.replace(/\d+/g, '#')}`,
      };
    }
    default: {
      // Records of other families with a timestamp (MetalLB, cert-manager events…).
      const any = r as unknown as { message?: string; text?: string; event?: string };
      const text = any.message ?? any.event ?? any.text;
      if (!text) return null;
      return {
        ...base,
        layer: 'config',
        severity: 'info',
        kind: r.type,
        text: String(text),
        key: `${r.type}|${String(text).replace(/\d+/g, '#')}`,
      };
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
  const open = new Map<string, { entry: TimelineEntry; text: string; groupText?: string; mixed: boolean }>();
  const out: TimelineEntry[] = [];
  for (const e of entries) {
    const k = `${e.node ?? ''}|${e.source}|${e.layer}|${e.kind ?? ''}|${e.key}`;
    const cur = open.get(k);
    if (cur && isoDiffSeconds(e.ts, cur.entry.until ?? cur.entry.ts) <= AGGREGATE_WINDOW_S) {
      cur.entry.count = (cur.entry.count ?? 1) + 1;
      cur.entry.until = e.ts;
      if (e.text !== cur.text) cur.mixed = true;
      continue;
    }
    const { key: _key, groupText, ...entry } = e;
    const clean: TimelineEntry = { ...entry, text: clip(displayText(entry.text), 400) };
    open.set(k, { entry: clean, text: e.text, groupText, mixed: false });
    out.push(clean);
  }
  // An aggregate of events that differ in detail shows the shared form.
  for (const o of open.values())
    if (o.mixed && o.groupText) o.entry.text = clip(displayText(o.groupText), 400);
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
      ...(f ? { groupText: p.text.split(`${f.client.ip}:${f.client.port}`).join(`${f.client.ip}:*`) } : {}),
    });
  }
  return aggregate(raw);
}
