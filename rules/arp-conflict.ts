/**
 * arp-conflict (L2): one IP answered by more than one MAC — across neighbour
 * dumps of different hosts, `arping` replies, and ARP replies in captures.
 */
import { factsOf, recordRef } from '../src/engine/facts.js';
import { cap, findingId } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding } from '../src/model/analysis.js';

export const rule: Rule = {
  meta: {
    id: 'arp-conflict',
    title: 'One IP answered by several MACs',
    layer: 'L2',
    severity: 'high',
    needs: ['neighbor', 'arping', 'arp'],
    description:
      'An address resolves to different MAC addresses depending on who asks or when: two hosts (or two MetalLB ' +
      'speakers, a stale VM, a misconfigured static IP) claim it. Clients then reach a random holder, and connections ' +
      'break when the answer flips. Evidence: neighbour tables of different hosts disagree, `arping` shows several ' +
      'responders, captures show ARP replies (IPv6: neighbour advertisements) for the IP from several MACs.',
    remediation:
      'Find the holders by MAC (switch tables, `ip -br link` on the nodes) and remove the duplicate; for MetalLB make sure one L2Advertisement/speaker owns the VIP.',
  },
  evaluate(ev) {
    const facts = factsOf(ev);
    const macs = new Map<string, Map<string, EvidenceRef>>();
    const add = (ip: string, mac: string, ref: EvidenceRef) => {
      const m = macs.get(ip) ?? new Map<string, EvidenceRef>();
      if (!m.has(mac.toLowerCase())) m.set(mac.toLowerCase(), ref);
      macs.set(ip, m);
    };
    for (const n of facts.neighbors)
      if (n.mac && !/FAILED|INCOMPLETE/i.test(n.state ?? ''))
        add(n.ip, n.mac, recordRef(n, `${n.ip} lladdr ${n.mac}${n.node ? ` (seen by ${n.node})` : ''}`));
    for (const r of ev.byType.get('arping') ?? []) {
      const a = r as unknown as { ip?: string; target?: string; mac?: string; macs?: string[] };
      const ip = a.ip ?? a.target;
      if (!ip) continue;
      for (const m of [...(a.macs ?? []), ...(a.mac ? [a.mac] : [])])
        add(ip, m, recordRef(r, `arping ${ip}: reply from ${m}`));
    }
    for (const o of ev.arp)
      for (const m of o.macs)
        if (o.replies > 0)
          add(o.ip, m, {
            file: o.file,
            ...(o.packets[0] ? { packet: o.packets[0] } : {}),
            ...(o.node ? { node: o.node } : {}),
            text: o.ip.includes(':')
              ? `neighbour advertisement: ${o.ip} is at ${m}`
              : `ARP: ${o.ip} is-at ${m}`,
          });
    const out: Finding[] = [];
    for (const [ip, m] of [...macs.entries()].sort()) {
      if (m.size < 2) continue;
      const owners = [...m.keys()].map((mac) => {
        const o = facts.macOwner(mac);
        return `${mac}${o ? ` (${o.node ?? '?'} ${o.ifname})` : ''}`;
      });
      out.push({
        id: findingId('arp-conflict', undefined, ip),
        rule: 'arp-conflict',
        title: `${ip} is claimed by ${m.size} MACs`,
        layer: 'L2',
        severity: 'high',
        summary: `${ip} resolves to ${m.size} different MAC addresses: ${owners.join(', ')}.`,
        evidence: cap([...m.values()]),
        facts: { ip, macs: [...m.keys()] },
      });
    }
    return out;
  },
};
