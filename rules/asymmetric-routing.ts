/**
 * asymmetric-routing (L3): conversations whose request and reply cross different
 * interfaces of one node — the request enters eth1, the reply leaves eth0. Grouped
 * by node, service and interface pair, with example packets. Explains the L7/L4
 * symptoms of the same clients.
 */

import {
  cap,
  findingId,
  flowRef,
  groupBy,
  namesAny,
  priorOf,
  sortedGroups,
  targetsName,
} from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding, FlowSummary } from '../src/model/analysis.js';
import { hostPort } from '../src/netstate/ip.js';

/** True when both directions were seen and on disjoint sets of named interfaces. */
export function isAsymmetric(f: FlowSummary): boolean {
  const a = f.interfaces.toServer.filter((i) => i && i !== 'any');
  const b = f.interfaces.toClient.filter((i) => i && i !== 'any');
  if (a.length === 0 || b.length === 0) return false;
  return !a.some((i) => b.includes(i));
}

export const rule: Rule = {
  meta: {
    id: 'asymmetric-routing',
    title: 'Requests and replies cross different interfaces',
    layer: 'L3',
    severity: 'high',
    needs: ['flows'],
    description:
      'Per node, conversations whose client→server packets were captured on one interface and server→client packets on ' +
      'another. On a multi-homed host this means the reply route differs from the arrival interface: replies leave with ' +
      'the service address as source through a network that never saw the request, where stateful firewalls, NAT and ' +
      'reverse-path filters drop or mangle them. Needs a capture that records the interface (pcapng from dumpcap, ' +
      '`tcpdump -i any` SLL2, or one file per interface).',
    remediation:
      'Make replies leave by the interface requests arrive on: fix the default route or add policy routing (see default-route-mismatch).',
  },
  evaluate(ev, prior) {
    const asym = ev.flows.filter(isAsymmetric);
    if (asym.length === 0) return [];
    const groups = groupBy(
      asym,
      (f) => `${f.node ?? ''}|${f.interfaces.toServer.join(',')}|${f.interfaces.toClient.join(',')}`,
    );
    const symptoms = priorOf(
      prior,
      'tls-bad-record-mac',
      'tls-handshake-failure',
      'tcp-handshake-incomplete',
      'client-failures',
    );
    const out: Finding[] = [];
    for (const [k, list] of sortedGroups(groups)) {
      const [node, inIf, outIf] = k.split('|');
      const clientIps = new Set(list.map((f) => f.client.ip));
      const flowIds = new Set(list.map((f) => f.id));
      const services = [...new Set(list.map((f) => hostPort(f.server.ip, f.server.port)))].sort();
      const explained = symptoms.filter((s) => {
        if (namesAny(s, flowIds, clientIps)) return true;
        if (s.rule === 'client-failures') {
          const t = s.facts?.targets;
          return services.some((svc) => targetsName(t, svc.slice(0, svc.lastIndexOf(':'))));
        }
        return false;
      });
      out.push({
        id: findingId('asymmetric-routing', node || undefined, `${inIf}>${outIf}`),
        rule: 'asymmetric-routing',
        title: `Requests arrive on ${inIf}, replies leave on ${outIf}`,
        layer: 'L3',
        severity: 'high',
        ...(node ? { node } : {}),
        summary: `${list.length} conversation(s) to ${services.join(', ')} from ${clientIps.size} client(s): requests captured on ${inIf}, replies on ${outIf}${node ? ` of ${node}` : ''}.`,
        evidence: cap(list).map((f) => flowRef(f)),
        causes: explained.map((s) => s.id),
        facts: {
          flows: list.map((f) => f.id),
          clients: [...clientIps].sort(),
          services,
          inInterfaces: inIf.split(','),
          outInterfaces: outIf.split(','),
        },
      });
    }
    return out;
  },
};
