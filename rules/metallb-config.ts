/**
 * metallb-config (config): MetalLB settings that keep a VIP from being announced
 * or reached — an IPAddressPool outside every node's LAN subnet (L2 mode answers
 * ARP only on the segment the address belongs to), an L2Advertisement whose
 * interfaces or node selectors exclude the nodes/NICs on that subnet.
 */
import { factsOf, recordRef } from '../src/engine/facts.js';
import { findingId } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/model/analysis.js';
import type { MetallbL2AdvRecord, MetallbPoolRecord } from '../src/model/records/index.js';
import { contains, parseAddr, parsePrefix } from '../src/netstate/ip.js';
import { parseRange } from '../src/netstate/ranges.js';

export const rule: Rule = {
  meta: {
    id: 'metallb-config',
    title: 'MetalLB pool or L2Advertisement cannot serve the LAN',
    layer: 'config',
    severity: 'high',
    needs: ['metallb-pool', 'metallb-l2adv', 'address'],
    description:
      'In layer-2 mode a MetalLB speaker answers ARP for a VIP on a node interface; the VIP must belong to a subnet the ' +
      'clients share with that interface. A pool whose addresses lie in no node subnet can be assigned but never reached; ' +
      'an L2Advertisement restricted to other interfaces or to node selectors that match no node announces nothing.',
    remediation:
      'Move the pool into the LAN subnet of the nodes ({subnet}), or add an L2Advertisement for the pool with the right interfaces/nodeSelectors.',
  },
  evaluate(ev) {
    const facts = factsOf(ev);
    const pools = (ev.byType.get('metallb-pool') ?? []) as unknown as Array<
      MetallbPoolRecord & { node?: string }
    >;
    const advs = (ev.byType.get('metallb-l2adv') ?? []) as unknown as Array<
      MetallbL2AdvRecord & { node?: string }
    >;
    if (pools.length === 0) return [];
    const subnets = facts.addresses
      .map((a) => ({ a, p: parsePrefix(`${a.ip}/${a.prefix}`) }))
      .filter(
        (x) =>
          x.p && x.p.length > 0 && x.p.length < (x.p.family === 4 ? 32 : 128) && !x.a.ip.startsWith('127.'),
      );
    const out: Finding[] = [];
    for (const pool of pools) {
      const outside: string[] = [];
      const ifacesForPool = new Set<string>();
      for (const text of pool.addresses) {
        const r = parseRange(text);
        if (!r) continue;
        const first = { family: r.family, value: r.first };
        const hits = subnets.filter((s) => s.p && contains(s.p, first));
        if (subnets.length && hits.length === 0) outside.push(text);
        for (const h of hits) ifacesForPool.add(h.a.ifname);
      }
      if (outside.length) {
        out.push({
          id: findingId('metallb-config', undefined, `pool-${pool.name}`),
          rule: 'metallb-config',
          title: `MetalLB pool ${pool.name} is outside every node subnet`,
          layer: 'config',
          severity: 'high',
          summary: `IPAddressPool ${pool.name} (${outside.join(', ')}) lies in none of the nodes' subnets (${[...new Set(subnets.map((s) => `${s.a.node ?? '?'} ${s.a.ifname} ${s.a.ip}/${s.a.prefix}`))].slice(0, 4).join('; ')}): in L2 mode nobody on the LAN will get an ARP answer for these VIPs.`,
          evidence: [recordRef(pool, `IPAddressPool ${pool.name}: ${pool.addresses.join(', ')}`)],
          facts: { pool: pool.name, outside },
        });
      }
      for (const adv of advs) {
        const covers = adv.ipAddressPools.length === 0 || adv.ipAddressPools.includes(pool.name);
        if (!covers) continue;
        if (
          adv.interfaces.length &&
          ifacesForPool.size &&
          !adv.interfaces.some((i) => ifacesForPool.has(i))
        ) {
          out.push({
            id: findingId('metallb-config', undefined, `l2adv-${adv.name}-${pool.name}`),
            rule: 'metallb-config',
            title: `L2Advertisement ${adv.name} announces ${pool.name} on the wrong interfaces`,
            layer: 'config',
            severity: 'high',
            summary: `L2Advertisement ${adv.name} limits announcements to ${adv.interfaces.join(', ')}, but ${pool.name}'s subnet is on ${[...ifacesForPool].join(', ')}.`,
            evidence: [
              recordRef(adv, `L2Advertisement ${adv.name}: interfaces ${adv.interfaces.join(', ')}`),
            ],
            facts: { l2adv: adv.name, pool: pool.name },
          });
        }
        const known = [...ev.nodes.keys()];
        if (adv.nodes.length && known.length && !adv.nodes.some((n) => known.includes(n))) {
          out.push({
            id: findingId('metallb-config', undefined, `l2adv-${adv.name}-nodes`),
            rule: 'metallb-config',
            title: `L2Advertisement ${adv.name} selects no node in the bundle`,
            layer: 'config',
            severity: 'medium',
            summary: `L2Advertisement ${adv.name} is restricted to ${adv.nodes.join(', ')}; none of the bundle's nodes (${known.join(', ')}) matches, so it may announce from nowhere.`,
            evidence: [recordRef(adv, `nodeSelectors: ${adv.nodeSelectors.join('; ')}`)],
          });
        }
      }
    }
    return out;
  },
};

/** Exported for the service rule: is `ip` inside one of the pools? */
export function inAnyPool(ip: string, pools: ReadonlyArray<{ addresses: string[] }>): boolean {
  const a = parseAddr(ip);
  if (!a) return false;
  return pools.some((p) =>
    p.addresses.some((t) => {
      const r = parseRange(t);
      return !!r && r.family === a.family && a.value >= r.first && a.value <= r.last;
    }),
  );
}
