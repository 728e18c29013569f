/**
 * Correlation: join a log record that names a client ip:port to the flow it
 * describes — same node, same client endpoint, and the log time inside the flow's
 * time range (± a tolerance for clock skew and logging delay). A join that is
 * ambiguous is reported as such, never guessed.
 */
import type { FlowSummary } from '../model/analysis.js';
import { hostPort } from '../netstate/ip.js';
import { isoDiffSeconds } from '../util/time.js';
import { groupBy } from './finding.js';

/** Seconds of slack around a flow's time range. */
export const JOIN_TOLERANCE_S = 5;

/** Outcome of a join. */
export type Join =
  | { status: 'joined'; flow: FlowSummary }
  | { status: 'ambiguous'; flows: FlowSummary[] }
  | { status: 'none'; reason: string };

const built = new WeakMap<readonly FlowSummary[], FlowIndex>();

/** Index of flows by client endpoint for repeated joins. */
export class FlowIndex {
  private readonly byClient: Map<string, FlowSummary[]>;
  private readonly byEndpoint: Map<string, FlowSummary[]>;
  /** Client ports of the flows: most records are ruled out without building their key. */
  private readonly ports: Set<number>;

  constructor(flows: readonly FlowSummary[]) {
    this.ports = new Set(flows.map((f) => f.client.port));
    this.byClient = groupBy(flows, (f) => `${f.client.ip}|${f.client.port}`);
    this.byEndpoint = groupBy(flows, (f) => f.client.ip);
  }

  /** The index of `flows`, built once per flow list (several rules join against the same one). */
  static of(flows: readonly FlowSummary[]): FlowIndex {
    let ix = built.get(flows);
    if (ix === undefined) {
      ix = new FlowIndex(flows);
      built.set(flows, ix);
    }
    return ix;
  }

  /** True when no flow is indexed (every join is `none`). */
  get empty(): boolean {
    return this.ports.size === 0;
  }

  /** Flows of a client address (any port). */
  ofClient(ip: string): readonly FlowSummary[] {
    return this.byEndpoint.get(ip) ?? [];
  }

  /** Join a record (node, client ip:port, time) to its flow. */
  join(
    node: string | undefined,
    ip: string | null,
    port: number | undefined,
    ts: string | null | undefined,
  ): Join {
    if (!ip || port === undefined) return { status: 'none', reason: 'the record has no client port' };
    let cands = (this.ports.has(port) && this.byClient.get(`${ip}|${port}`)) || [];
    if (cands.length === 0) return { status: 'none', reason: `no captured flow from ${hostPort(ip, port)}` };
    const sameNode = cands.filter((f) => !node || !f.node || f.node === node);
    if (sameNode.length) cands = sameNode;
    if (ts) {
      const inTime = cands.filter(
        (f) =>
          isoDiffSeconds(ts, f.first) >= -JOIN_TOLERANCE_S && isoDiffSeconds(ts, f.last) <= JOIN_TOLERANCE_S,
      );
      if (inTime.length === 0)
        return { status: 'none', reason: `flows from ${hostPort(ip, port)} exist but none at ${ts}` };
      cands = inTime;
    }
    // The same conversation captured on several nodes/files counts once per node.
    const distinct = [
      ...new Map(cands.map((f) => [`${f.node}|${f.first}|${f.server.ip}|${f.server.port}`, f])).values(),
    ];
    if (distinct.length === 1) return { status: 'joined', flow: distinct[0] };
    return { status: 'ambiguous', flows: distinct };
  }
}
