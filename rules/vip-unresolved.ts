/**
 * vip-unresolved (L2): an address clients use has no neighbour resolution — ARP (IPv4)
 * or neighbour discovery (IPv6) requests go unanswered in captures, clients and routers
 * hold INCOMPLETE/FAILED entries, and no node holds the address in its `ip addr`.
 */
import { recordsOf } from '../src/engine/evidence.js';
import { factsOf, neighborResolved, recordRef } from '../src/engine/facts.js';
import { cap, findingId, priorOf, targetHost, targetsName } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding } from '../src/model/analysis.js';
import { podUp } from '../src/model/records/k8s.js';
import { formatAddr, parseAddr, sameAddr } from '../src/netstate/ip.js';

export const rule: Rule = {
  meta: {
    id: 'vip-unresolved',
    title: 'Service address does not resolve at L2',
    layer: 'L2',
    severity: 'high',
    needs: ['neighbor', 'arp', 'address', 'client-error'],
    description:
      'Nobody answers ARP (IPv6: neighbour discovery) for an address clients use (typically a MetalLB VIP): clients and routers show INCOMPLETE or ' +
      'FAILED neighbour entries, captures show who-has requests (neighbour solicitations) without replies, and no node holds the address in its ' +
      '`ip addr` (MetalLB L2 mode answers ARP from the speaker without adding the address). Connections then fail with ' +
      '"no route to host"/timeouts, pings get Destination Host Unreachable from the router.',
    remediation:
      'Check which node should announce {vip}: MetalLB speaker pods (a crash-looping speaker announces nothing) and logs (serviceAnnounced), L2Advertisement nodeSelectors/interfaces, that {vip} is inside an IPAddressPool; then `arping -I <iface> {vip}` from the LAN.',
  },
  evaluate(ev, prior) {
    const facts = factsOf(ev);
    // Candidates in one canonical text each (an IPv6 address has many spellings).
    const candidates = new Set<string>();
    const candidate = (text: string) => {
      const a = parseAddr(text);
      if (a) candidates.add(formatAddr(a));
    };
    for (const ip of facts.serviceIps()) candidate(ip);
    const symptoms = priorOf(prior, 'client-failures', 'tcp-handshake-incomplete');
    for (const s of symptoms)
      for (const t of (s.facts?.targets as string[]) ?? []) candidate(targetHost(String(t)));
    // Connections that were attempted and never answered name addresses clients use, too.
    for (const f of ev.flows)
      if ((f.synRetransmits ?? 0) > 0 && f.packets.toClient === 0) candidate(f.server.ip);
    // MetalLB's speakers answer ARP for the addresses they announce: one that is down
    // (crash-looping, not ready) announces nothing.
    const speakersDown = recordsOf(ev, 'k8s-pod').filter(
      (p) => /speaker/i.test(p.name) && (!p.namespace || /metallb/i.test(p.namespace)) && !podUp(p),
    );
    const out: Finding[] = [];
    for (const ip of [...candidates].sort()) {
      const v6 = parseAddr(ip)?.family === 6;
      // IPv4 resolves with ARP, IPv6 with neighbour discovery (solicitation / advertisement).
      const asked = v6 ? 'neighbour solicitation(s)' : 'ARP request(s)';
      const neigh = facts.neighborsFor(ip);
      const failed = neigh.filter((n) => !neighborResolved(n));
      const resolved = neigh.filter(neighborResolved);
      const unanswered = ev.arp.filter((a) => sameAddr(a.ip, ip) && a.requests > 0 && a.replies === 0);
      const answered = ev.arp.filter((a) => sameAddr(a.ip, ip) && a.replies > 0);
      // Only addresses clients use are candidates: an unanswered ARP for anything else is not a finding.
      if (failed.length + unanswered.length === 0 || resolved.length + answered.length > 0) continue;
      const holders = facts.ownerOf(ip);
      const nodesWithAddr = new Set(facts.addresses.map((a) => a.node));
      const explains = symptoms.filter((s) => {
        const t = s.facts?.targets;
        const srv = s.facts?.server;
        return targetsName(t, ip) || (typeof srv === 'string' && srv.startsWith(`${ip}:`));
      });
      const evidence: EvidenceRef[] = [
        ...failed.map((n) =>
          recordRef(
            n,
            `${n.ip} ${n.mac ?? '(no MAC)'} ${n.state ?? ''}${n.dev ? ` dev ${n.dev}` : ''}`.trim(),
          ),
        ),
        ...unanswered.map((a) => ({
          file: a.file,
          ...(a.packets[0] ? { packet: a.packets[0] } : {}),
          ...(a.node ? { node: a.node } : {}),
          ...(a.firstTs ? { ts: a.firstTs } : {}),
          ...(a.ifaces[0] ? { interface: a.ifaces[0] } : {}),
          text: `${a.requests} ${v6 ? 'neighbour solicitation(s) for' : 'ARP who-has'} ${ip} without a reply`,
        })),
        ...speakersDown.map((p) =>
          recordRef(
            p,
            `MetalLB speaker ${p.namespace ? `${p.namespace}/` : ''}${p.name}${p.nodeName ? ` on ${p.nodeName}` : ''}: ${p.status}${p.ready !== undefined ? `, ${p.ready}/${p.containers} ready` : ''}, ${p.restarts} restart(s)`,
          ),
        ),
      ];
      const down = speakersDown.length
        ? `; the MetalLB speaker is down on ${[...new Set(speakersDown.map((p) => p.nodeName ?? p.name))].join(', ')} (${[...new Set(speakersDown.map((p) => p.status))].join(', ')})`
        : '';
      const nobody = holders.length === 0 && nodesWithAddr.size > 0;
      out.push({
        id: findingId('vip-unresolved', undefined, ip),
        rule: 'vip-unresolved',
        title: `${ip} does not resolve at L2`,
        layer: 'L2',
        severity: 'high',
        summary: `Nobody answers ${v6 ? 'neighbour discovery' : 'ARP'} for ${ip}: ${failed.length} failed/incomplete neighbour entr${failed.length === 1 ? 'y' : 'ies'}, ${unanswered.reduce((s, a) => s + a.requests, 0)} unanswered ${asked}${nobody ? `; no node holds ${ip} in its ip addr dump` : holders.length ? `; ${holders.map((h) => `${h.node}/${h.ifname}`).join(', ')} holds it but does not answer` : ''}${down}.`,
        evidence: cap(evidence),
        causes: explains.map((s) => s.id),
        remediation: {
          summary: `Make a node announce ${ip} on the LAN.`,
          commands: [
            ...speakersDown.map(
              (p) => `kubectl -n ${p.namespace ?? 'metallb-system'} logs ${p.name} --previous --tail=100`,
            ),
            'kubectl -n metallb-system logs -l component=speaker --tail=200 | grep -i announc',
            'kubectl get ipaddresspools.metallb.io,l2advertisements.metallb.io -A -o yaml',
            v6 ? `ndisc6 ${ip} <LAN interface>` : `arping -c 3 -I <LAN interface> ${ip}`,
          ],
        },
        facts: {
          ip,
          holders: holders.map((h) => `${h.node}/${h.ifname}`),
          neighborFailures: failed.length,
          unansweredArp: unanswered.reduce((s, a) => s + a.requests, 0),
          confidence: explains.length ? 0.85 : 0.6,
          confidenceReasons: [
            nobody ? 'no node holds the address' : 'a holder exists but does not answer',
            `${explains.length} client symptom(s) target ${ip}`,
            ...(speakersDown.length ? [`${speakersDown.length} MetalLB speaker pod(s) not up`] : []),
          ],
        },
      });
    }
    return out;
  },
};
