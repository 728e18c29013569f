/**
 * Clock skew between a node's logs and its captures. Log records that name a
 * client ip:port (TLS handshake errors, access lines with a port) are matched to
 * the flows with that client endpoint on the same node; the median difference
 * between the flow's last packet and the log time is the estimate. The manifest's
 * `clockOffset` wins over the estimate.
 */
import type { Manifest } from '../bundle/manifest.js';
import type { FlowSummary } from '../model/analysis.js';
import { isoDiffSeconds } from '../util/time.js';
import type { NodeRecord } from './evidence.js';
import { sortedGroups } from './finding.js';

/** Below this the estimate is reported but not applied (it is within request latency). */
export const SKEW_APPLY_THRESHOLD_S = 0.5;

/** One skew estimate: seconds to add to `source`'s timestamps. */
export interface SkewEstimate {
  node: string;
  source: string;
  offsetSeconds: number;
  basis: string;
}

/** Estimate per (node, log file) offsets; returns only sources with a basis. */
export function estimateClockSkew(
  records: readonly NodeRecord[],
  flows: readonly FlowSummary[],
  manifest: Manifest | null,
): SkewEstimate[] {
  const flowsByClient = new Map<string, FlowSummary[]>();
  // Client ports of the flows: most records are ruled out without building their key.
  const ports = new Set<number>();
  for (const f of flows) {
    ports.add(f.client.port);
    const k = `${f.node ?? ''}|${f.client.ip}|${f.client.port}`;
    const l = flowsByClient.get(k) ?? [];
    l.push(f);
    flowsByClient.set(k, l);
  }
  const diffs = new Map<string, number[]>();
  const sources = new Map<string, { node: string; source: string }>();
  for (const r of ports.size ? records : []) {
    if (!r.node) continue;
    const rec = r as NodeRecord & { ts?: string | null; client?: { ip: string | null; port?: number } };
    if (
      (rec.type !== 'tls-handshake-error' && rec.type !== 'access') ||
      !rec.ts ||
      !rec.client?.ip ||
      rec.client.port === undefined ||
      !ports.has(rec.client.port)
    )
      continue;
    const cands = flowsByClient.get(`${r.node}|${rec.client.ip}|${rec.client.port}`);
    if (cands?.length !== 1) continue; // ambiguous or absent: never guessed
    const k = `${r.node}|${r.file}`;
    const l = diffs.get(k) ?? [];
    l.push(isoDiffSeconds(cands[0].last, rec.ts));
    diffs.set(k, l);
    sources.set(k, { node: r.node, source: r.file });
  }
  const out: SkewEstimate[] = [];
  const manifestNodes = new Set<string>();
  for (const [node, n] of Object.entries(manifest?.nodes ?? {})) {
    if (n.clockOffset === undefined) continue;
    manifestNodes.add(node);
    const files = new Set(
      records.filter((r) => r.node === node && (r as { ts?: unknown }).ts).map((r) => r.file),
    );
    for (const f of [...files].sort())
      out.push({ node, source: f, offsetSeconds: n.clockOffset, basis: 'manifest clockOffset' });
  }
  for (const [k, l] of sortedGroups(diffs)) {
    const s = sources.get(k);
    if (!s || manifestNodes.has(s.node)) continue;
    const sorted = [...l].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const apply = Math.abs(median) >= SKEW_APPLY_THRESHOLD_S;
    out.push({
      node: s.node,
      source: s.source,
      offsetSeconds: apply ? Math.round(median * 1000) / 1000 : 0,
      basis: `median of ${l.length} log↔flow match(es) by client ip:port: ${median.toFixed(3)} s${apply ? ' (applied)' : ' (within latency, not applied)'}`,
    });
  }
  return out;
}
