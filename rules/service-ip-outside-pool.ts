/**
 * service-ip-outside-pool (config): a LoadBalancer Service keeps an IP that no
 * current MetalLB pool contains — the sticky-IP trap after a pool was changed:
 * MetalLB does not re-assign an allocated address, so the Service keeps an
 * address nobody announces.
 */
import { recordRef } from '../src/engine/facts.js';
import { findingId } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/model/analysis.js';
import type { K8sServiceRecord, MetallbPoolRecord } from '../src/model/records/index.js';
import { inAnyPool } from './metallb-config.js';

export const rule: Rule = {
  meta: {
    id: 'service-ip-outside-pool',
    title: 'LoadBalancer IP outside every MetalLB pool',
    layer: 'config',
    severity: 'high',
    needs: ['k8s-service', 'metallb-pool'],
    description:
      'A Service of type LoadBalancer holds an external IP that none of the current IPAddressPools contains. MetalLB keeps an ' +
      'address once allocated, so after a pool is edited the Service silently keeps its old IP, which no speaker announces.',
    remediation:
      'Re-assign: kubectl patch svc {name} -n {ns} -p \'{"spec":{"type":"ClusterIP"}}\' then back to LoadBalancer, or request an address explicitly with the metallb.universe.tf/loadBalancerIPs annotation.',
  },
  evaluate(ev) {
    const pools = (ev.byType.get('metallb-pool') ?? []) as unknown as MetallbPoolRecord[];
    const svcs = (ev.byType.get('k8s-service') ?? []) as unknown as Array<
      K8sServiceRecord & { node?: string }
    >;
    if (pools.length === 0) return [];
    const out: Finding[] = [];
    for (const s of svcs) {
      if (s.svcType !== 'LoadBalancer') continue;
      const ips = [
        ...new Set([
          ...s.externalIPs,
          ...(s.loadBalancerIP ? [s.loadBalancerIP] : []),
          ...(s.loadBalancerIPs ?? []),
        ]),
      ];
      const outside = ips.filter((ip) => !inAnyPool(ip, pools));
      if (outside.length === 0) continue;
      const ns = s.namespace ?? 'default';
      out.push({
        id: findingId('service-ip-outside-pool', undefined, `${ns}/${s.name}`),
        rule: 'service-ip-outside-pool',
        title: `Service ${ns}/${s.name} keeps ${outside.join(', ')} outside every pool`,
        layer: 'config',
        severity: 'high',
        summary: `Service ${ns}/${s.name} has LoadBalancer IP ${outside.join(', ')}, which no current IPAddressPool (${pools.map((p) => `${p.name}: ${p.addresses.join(', ')}`).join('; ')}) contains: MetalLB will not announce it.`,
        evidence: [
          recordRef(s, `svc ${ns}/${s.name} ${s.svcType} external ${ips.join(',')}`),
          ...pools.map((p) =>
            recordRef(
              p as MetallbPoolRecord & { node?: string },
              `pool ${p.name}: ${p.addresses.join(', ')}`,
            ),
          ),
        ],
        remediation: {
          summary: `Give ${ns}/${s.name} an address from the current pool.`,
          commands: [
            `kubectl -n ${ns} patch svc ${s.name} -p '{"spec":{"type":"ClusterIP"}}'`,
            `kubectl -n ${ns} patch svc ${s.name} -p '{"spec":{"type":"LoadBalancer"}}'`,
          ],
          alternatives: [
            {
              summary: 'Request an address explicitly',
              commands: [
                `kubectl -n ${ns} annotate svc ${s.name} metallb.universe.tf/loadBalancerIPs=<address in the pool> --overwrite`,
              ],
              assumes: 'the address is free in the pool',
            },
          ],
        },
        facts: { service: `${ns}/${s.name}`, outside },
      });
    }
    return out;
  },
};
