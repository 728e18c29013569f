/**
 * payload-corruption (L4): TLS integrity failures on flows whose packets took a
 * symmetric path (both directions on the same interface of the node) — routing is
 * not the explanation; something on the path alters payload. When two captures of
 * the same flow exist, the first differing byte is reported (facts.divergence).
 */

import { cap, findingId, flowRef, priorOf } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding, FlowSummary } from '../src/model/analysis.js';
import { isAsymmetric } from './asymmetric-routing.js';

export const rule: Rule = {
  meta: {
    id: 'payload-corruption',
    title: 'Payload altered on a symmetric path',
    layer: 'L4',
    severity: 'high',
    needs: ['tls-handshake-error', 'flows'],
    description:
      'TLS record integrity failures (bad record MAC) on conversations whose request and reply both crossed the same ' +
      'interface of the node: the path is symmetric, so routing is ruled out, and TCP checksums passed, so the bytes were ' +
      'changed by something that rewrote them consistently — a middlebox, a faulty NIC/offload, a misbehaving hop. With ' +
      'captures from two points of the path the same TCP segments are compared by flow and sequence number.',
    remediation:
      'Capture on both sides of each hop between client and node and compare the segments; check NIC offloads (ethtool -K IF rx off tx off) and inline devices.',
  },
  evaluate(ev, prior) {
    const macs = priorOf(prior, 'tls-bad-record-mac');
    const out: Finding[] = [];
    for (const m of macs) {
      const joined = new Set(((m.facts?.joinedFlows as string[]) ?? []).map(String));
      const flows = ev.flows.filter((f) => joined.has(f.id));
      if (flows.length === 0) continue;
      const symmetric = flows.filter(
        (f: FlowSummary) =>
          !isAsymmetric(f) && f.interfaces.toServer.length > 0 && f.interfaces.toClient.length > 0,
      );
      if (symmetric.length === 0 || symmetric.length < flows.length) continue;
      const ifaces = [...new Set(symmetric.flatMap((f) => f.interfaces.toServer))].sort();
      const node = m.node;
      // Two capture points of the same conversations: where exactly the bytes change.
      const ids = new Set(symmetric.map((f) => f.id));
      const diverging = ev.comparisons.filter(
        (c) => c.result.status === 'differs' && c.text && c.flowIds.some((id) => ids.has(id)),
      );
      const identical = ev.comparisons.filter(
        (c) => c.result.status === 'identical' && c.flowIds.some((id) => ids.has(id)),
      );
      const divergenceRefs = diverging.slice(0, 6).map((c) => {
        const p = c.result.pairs.find((x) => x.toServer.firstDiff || x.toClient.firstDiff);
        const d = p?.toServer.firstDiff ?? p?.toClient.firstDiff;
        return {
          file: p?.a.file ?? '(captures)',
          ...(d?.a.packet ? { packet: d.a.packet } : {}),
          ...(d?.a.interface ? { interface: d.a.interface } : {}),
          text: c.text ?? '',
          flow: c.flowIds[0],
        };
      });
      out.push({
        id: findingId('payload-corruption', node),
        rule: 'payload-corruption',
        title: 'TLS payload corrupted on a symmetric path',
        layer: 'L4',
        severity: 'high',
        ...(node ? { node } : {}),
        summary: `All ${symmetric.length} conversation(s) with bad record MAC errors entered and left ${node ?? 'the node'} on the same interface (${ifaces.join(', ')}): the path is symmetric, checksums are valid, yet the TLS records do not verify — something on the path alters the payload.${diverging.length ? ` Captured at two points, ${diverging.length} of them differ: ${diverging[0].text}` : ''}`,
        evidence: cap([...divergenceRefs, ...symmetric.map((f) => flowRef(f))], 16),
        causes: [m.id],
        facts: {
          flows: symmetric.map((f) => f.id),
          interfaces: ifaces,
          confidence: diverging.length ? 0.95 : 0.8,
          confidenceReasons: [
            `${symmetric.length} joined flow(s), all symmetric`,
            'no asymmetric conversation among them',
            ...(diverging.length
              ? [`the same segments differ between two capture points in ${diverging.length} conversation(s)`]
              : []),
            ...(identical.length
              ? [
                  `${identical.length} conversation(s) identical at both capture points (altered elsewhere on the path)`,
                ]
              : []),
          ],
          divergence: diverging.map((c) => c.text),
          ruledOut: [
            {
              hypothesis: 'asymmetric routing on the node',
              reason: `requests and replies of every failing flow crossed ${ifaces.join(', ')} in both directions`,
            },
          ],
        },
      });
    }
    return out;
  },
};
