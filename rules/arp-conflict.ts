/**
 * arp-conflict (L2): one IP answered by more than one MAC — across neighbour
 * dumps of different hosts, `arping` replies, and ARP replies in captures.
 */
import { factsOf, neighborResolved, recordRef } from '../src/engine/facts.js';
import { cap, findingId, priorOf, targetsName } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding } from '../src/model/analysis.js';
import { sameAddr } from '../src/netstate/ip.js';

/** `a`, `a and b`, `a, b and c`. */
function listText(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

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
  evaluate(ev, prior) {
    const facts = factsOf(ev);
    const macs = new Map<string, Map<string, EvidenceRef>>();
    const add = (ip: string, mac: string, ref: EvidenceRef) => {
      const m = macs.get(ip) ?? new Map<string, EvidenceRef>();
      if (!m.has(mac.toLowerCase())) m.set(mac.toLowerCase(), ref);
      macs.set(ip, m);
    };
    for (const n of facts.neighbors)
      if (n.mac && neighborResolved(n))
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
    // Every IP each MAC answers for: a stale host is often known by its own address.
    const ipsOf = new Map<string, Set<string>>();
    for (const [ip, m] of macs)
      for (const mac of m.keys()) ipsOf.set(mac, (ipsOf.get(mac) ?? new Set()).add(ip));
    const symptoms = priorOf(prior, 'client-failures', 'tcp-handshake-incomplete', 'tls-handshake-failure');
    const out: Finding[] = [];
    for (const [ip, m] of [...macs.entries()].sort()) {
      if (m.size < 2) continue;
      // The MACs of the interfaces that hold the address in an `ip addr` dump are the rightful ones.
      const holderMacs = new Map<string, string>();
      for (const h of facts.ownerOf(ip)) {
        const mac = facts.macOf(h.node, h.ifname);
        if (mac) holderMacs.set(mac.toLowerCase(), `${h.node ?? '?'} ${h.ifname}`);
      }
      const describe = (mac: string) => {
        const held = holderMacs.get(mac);
        if (held) return `${mac} (${held}, which holds ${ip})`;
        const o = facts.macOwner(mac);
        const also = [...(ipsOf.get(mac) ?? [])].filter((x) => x !== ip).sort();
        const notes = [
          ...(o ? [`${o.node ?? '?'} ${o.ifname}`] : []),
          ...(also.length ? [`also answers for ${also.slice(0, 3).join(', ')}`] : []),
        ];
        return `${mac}${notes.length ? ` (${notes.join('; ')})` : ''}`;
      };
      const rogue = holderMacs.size ? [...m.keys()].filter((mac) => !holderMacs.has(mac)) : [];
      // Clients whose neighbour table sends the address to a MAC that does not hold it.
      const misdirectedAll = facts.neighbors.filter(
        (n) => n.mac && neighborResolved(n) && sameAddr(n.ip, ip) && rogue.includes(n.mac.toLowerCase()),
      );
      // One per host (a neighbour table may list an address twice).
      const misdirected = [
        ...new Map(misdirectedAll.map((n) => [`${n.node}|${n.mac?.toLowerCase()}`, n])).values(),
      ];
      const explains = symptoms.filter(
        (f) =>
          targetsName(f.facts?.targets, ip) ||
          (typeof f.facts?.server === 'string' && f.facts.server.startsWith(`${ip}:`)) ||
          (f.rule === 'tls-handshake-failure' && holderMacs.size > 0 && misdirected.length > 0),
      );
      const wrong = [...new Set(misdirected.map((n) => n.node ?? '?'))].sort();
      const rogueText = rogue.map(describe).join(', ');
      out.push({
        id: findingId('arp-conflict', undefined, ip),
        rule: 'arp-conflict',
        title: `${ip} is claimed by ${m.size} MACs`,
        layer: 'L2',
        severity: 'high',
        summary:
          `${ip} resolves to ${m.size} different MAC addresses: ${[...m.keys()].map(describe).join(', ')}.` +
          (wrong.length
            ? ` ${listText(wrong)} resolve${wrong.length === 1 ? 's' : ''} it to ${rogue.length === 1 ? 'the MAC of a host that does' : 'MACs of hosts that do'} not hold it.`
            : ''),
        evidence: cap([
          ...misdirected.map((n) =>
            recordRef(n, `${n.node ?? 'a host'} resolves ${n.ip} to ${n.mac}, not the holder`),
          ),
          ...m.values(),
        ]),
        causes: explains.map((f) => f.id),
        remediation: {
          summary: rogue.length
            ? `Remove ${ip} from the host with MAC ${rogueText}: only ${[...holderMacs.values()].join(', ')} should answer for it.`
            : `Find the hosts with these MACs and keep ${ip} on one of them.`,
          commands: [
            `arping -c 3 -I <LAN interface> ${ip}   # every responder's MAC`,
            `ip -br addr | grep -F '${ip}'   # on the suspect host; then: ip addr del ${ip}/<prefix> dev <its interface>`,
            'kubectl get l2advertisements.metallb.io -A -o yaml   # MetalLB: one announcement per address',
          ],
        },
        facts: {
          ip,
          macs: [...m.keys()],
          holderMacs: [...holderMacs.keys()],
          rogueMacs: rogue,
          misdirectedClients: wrong,
          confidence: explains.length && wrong.length ? 0.85 : explains.length ? 0.7 : 0.6,
          confidenceReasons: [
            `${m.size} MACs answer for ${ip}`,
            ...(holderMacs.size
              ? [`the ip addr dumps name ${[...holderMacs.values()].join(', ')} as its holder`]
              : []),
            ...(wrong.length
              ? [`${listText(wrong)} resolve${wrong.length === 1 ? 's' : ''} it to another MAC`]
              : []),
            `${explains.length} client symptom(s) target ${ip}`,
          ],
        },
      });
    }
    return out;
  },
};
