/**
 * firewall-drop (L4): a node's own packet filter (`nft list ruleset`, `iptables-save`)
 * drops or rejects new connections to a service it holds, from clients the bundle shows
 * trying. Each client's first packet (its address to the service address and port,
 * arriving on the service interface) is run through the node's ruleset
 * (src/netstate/firewall.ts): the rule or chain policy that decides is the evidence,
 * with its counter when the dump has one. A capture on the node shows the requests
 * arriving and nothing (drop) or a reset (reject) answering; the socket table shows no
 * half-open connection; clients time out or are refused.
 */
import { recordsOf } from '../src/engine/evidence.js';
import { factsOf, recordRef } from '../src/engine/facts.js';
import { cap, findingId, flowRef, namesAny, priorOf, targetsName } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding } from '../src/model/analysis.js';
import type { FirewallRecord } from '../src/model/records/index.js';
import { Firewall, type FwDecision } from '../src/netstate/firewall.js';
import { clientNetwork, hostPort, parseAddr } from '../src/netstate/ip.js';

/** `inet hostfw input #4` */
function where(r: FirewallRecord): string {
  return `${r.family} ${r.table} ${r.chain}${r.index ? ` #${r.index}` : ''}`;
}

/** What decided, for a sentence: the rule as written, or the chain's policy. */
function decidedBy(d: FwDecision): string {
  if (d.rule) return `rule ${where(d.rule)} \`${d.rule.rule}\``;
  return d.chain
    ? `the ${d.chain.family} ${d.chain.table} ${d.chain.chain} chain's policy ${d.chain.policy}`
    : 'the ruleset';
}

/** Counter of the deciding rule or chain, when dumped. */
function counted(d: FwDecision): number | undefined {
  return d.rule ? d.rule.packets : d.chain?.packets;
}

export const rule: Rule = {
  meta: {
    id: 'firewall-drop',
    title: "The node's packet filter drops or rejects connections to a service",
    layer: 'L4',
    severity: 'high',
    needs: ['firewall', 'address'],
    description:
      'Runs the first packet of each connection the bundle shows a client attempting (client address → service ' +
      'address and port, on the interface the service is reached by) through the node’s own ruleset — `nft list ' +
      'ruleset` or `iptables-save`: base chains on the prerouting and input hooks in priority order, user chains ' +
      'through jump/goto, addresses, ports, interfaces and conntrack state read; other conditions make the answer ' +
      'uncertain. A drop or reject is a finding when real clients are affected: the deciding rule (or chain policy) ' +
      'with its counter is the evidence, with the requests a capture on the node shows arriving and left unanswered.',
    remediation:
      'Admit the clients before the dropping rule (nft insert rule … accept / iptables -I … -j ACCEPT), or delete that rule; ' +
      'then make the change where the ruleset is provisioned (/etc/nftables.conf, iptables-persistent, firewalld, the CNI or cloud-init).',
  },
  evaluate(ev, prior) {
    const all = recordsOf(ev, 'firewall');
    if (all.length === 0) return [];
    const facts = factsOf(ev);
    const out: Finding[] = [];
    for (const node of [...new Set(all.map((r) => r.node).filter((n): n is string => !!n))].sort()) {
      const fw = new Firewall(all.filter((r) => r.node === node));
      if (fw.empty) continue;
      for (const [svc, arrival] of facts.nodeServices(node)) {
        const family = parseAddr(svc)?.family;
        if (family !== 4 && family !== 6) continue;
        const flows = ev.flows.filter((f) => f.node === node && f.server.ip === svc && f.proto === 'tcp');
        const port = flows[0]?.server.port ?? facts.servicePort();
        // Every client the bundle shows trying, with the clients of incomplete handshakes.
        const handshakes = priorOf(prior, 'tcp-handshake-incomplete').flatMap(
          (f) => (f.facts?.clients as string[] | undefined) ?? [],
        );
        const clients = facts.serviceClients(node, svc, handshakes);
        const dropped: Array<{ client: string; d: FwDecision }> = [];
        const admitted: string[] = [];
        for (const c of clients.filter((c) => parseAddr(c)?.family === family)) {
          const d = fw.decide({ family, src: c, dst: svc, proto: 'tcp', dport: port, iif: arrival }, 'input');
          if (d.verdict === 'accept') admitted.push(c);
          else dropped.push({ client: c, d });
        }
        if (dropped.length === 0) continue;
        const droppedIps = new Set(dropped.map((x) => x.client));
        const first = dropped[0].d;
        // The deciding rules (usually one), each with the clients it stops.
        const byRule = new Map<string, { d: FwDecision; clients: string[] }>();
        for (const x of dropped) {
          const k = x.d.rule ? `${where(x.d.rule)}` : `policy ${x.d.chain?.chain}`;
          const g = byRule.get(k) ?? { d: x.d, clients: [] };
          g.clients.push(x.client);
          byRule.set(k, g);
        }
        const refused = (f: (typeof flows)[number]) => f.packets.toClient === 0 || (f.resets ?? 0) > 0;
        const unanswered = flows.filter((f) => droppedIps.has(f.client.ip) && refused(f));
        const answered = flows.filter((f) => droppedIps.has(f.client.ip) && !refused(f));
        const unansweredIds = new Set(unanswered.map((f) => f.id));
        const hits = [...byRule.values()].reduce((n, g) => n + (counted(g.d) ?? 0), 0);
        const symptoms = [
          // The node's own view of the handshakes, and the clients' view of the same service.
          ...priorOf(prior, 'tcp-handshake-incomplete', 'tls-handshake-failure').filter(
            (f) =>
              (!f.node || f.node === node || f.facts?.server === `${svc}:${port}`) &&
              namesAny(f, unansweredIds, droppedIps),
          ),
          ...priorOf(prior, 'client-failures').filter((f) => targetsName(f.facts?.targets, svc)),
        ];
        // Connections from those clients that got through contradict the simulation (the ruleset changed).
        const contradicted = answered.length > 0 && unanswered.length === 0 && hits === 0;
        const certain = dropped.every((x) => x.d.certain);
        const severe = !contradicted && (unanswered.length > 0 || hits > 0 || symptoms.length > 0);
        const evidence: EvidenceRef[] = [];
        for (const g of byRule.values()) {
          const rec = g.d.rule ?? g.d.chain;
          if (rec)
            evidence.push(
              recordRef(
                rec as FirewallRecord & { node?: string },
                `${g.d.verdict}s ${g.clients.slice(0, 3).join(', ')}${g.clients.length > 3 ? ` and ${g.clients.length - 3} more` : ''} → ${hostPort(svc, port)}: ${decidedBy(g.d)}${counted(g.d) !== undefined ? ` (${counted(g.d)} packet(s) counted)` : ''}`,
              ),
            );
        }
        for (const f of unanswered.slice(0, 6))
          evidence.push(
            flowRef(
              f,
              `${f.packets.toServer} packet(s) from ${hostPort(f.client.ip, f.client.port)} arrived${f.interfaces.toServer.length ? ` on ${f.interfaces.toServer.join(',')}` : ''}, ${f.packets.toClient ? 'answered by a reset' : 'none answered'}`,
            ),
          );
        const verdicts = [...new Set(dropped.map((x) => x.d.verdict))].join(' / ');
        const nftRule = first.rule && !(first.rule.rule ?? '').startsWith('-');
        const admit = nftRule
          ? `nft insert rule ${first.chain?.family} ${first.chain?.table} ${first.rule?.chain ?? first.chain?.chain} ${family === 4 ? 'ip' : 'ip6'} saddr ${clientNetwork(dropped[0].client)} tcp dport ${port} accept`
          : `${family === 4 ? 'iptables' : 'ip6tables'} -I ${first.rule?.chain ?? first.chain?.chain ?? 'INPUT'} ${first.rule?.index ?? 1} -s ${clientNetwork(dropped[0].client)} -p tcp --dport ${port} -j ACCEPT`;
        out.push({
          id: findingId('firewall-drop', node, svc),
          rule: 'firewall-drop',
          title: `${node}'s packet filter ${verdicts}s connections to ${hostPort(svc, port)}`,
          layer: 'L4',
          severity: severe ? 'high' : contradicted ? 'low' : 'medium',
          node,
          summary:
            `${node}'s packet filter ${verdicts}s new connections to ${hostPort(svc, port)} arriving on ${arrival} from ${dropped.length} client(s) (${dropped
              .slice(0, 3)
              .map((x) => x.client)
              .join(', ')}${dropped.length > 3 ? ', …' : ''}): ${decidedBy(first)}` +
            (hits ? `, which counted ${hits} packet(s)` : '') +
            (admitted.length
              ? `; ${admitted.slice(0, 3).join(', ')}${admitted.length > 3 ? ', …' : ''} are let in`
              : '') +
            (contradicted
              ? `. But ${answered.length} connection(s) from those clients were answered: the ruleset was probably changed after the capture.`
              : unanswered.length
                ? `. ${unanswered.length} connection(s) were captured arriving with no answer${verdicts.includes('reject') ? ' but a reset' : ''}.`
                : severe
                  ? '.'
                  : '. Latent: no dropped request in the bundle yet.') +
            (certain ? '' : ' (Some rules on the way have conditions not read here: see the rule text.)'),
          evidence: cap(evidence, 12),
          causes: contradicted ? [] : symptoms.map((f) => f.id),
          remediation: {
            summary: `Admit the clients to ${hostPort(svc, port)} before the rule that ${verdicts}s them, or remove that rule if it is a mistake.`,
            commands: [admit],
            persistent: nftRule
              ? 'Make the same change in /etc/nftables.conf (or whatever provisions the ruleset: firewalld, the CNI, cloud-init).'
              : 'Make the same change where the rules are provisioned (/etc/iptables/rules.v4 with iptables-persistent, firewalld, ufw, the CNI).',
            assumptions: [
              `the clients of ${hostPort(svc, port)} are meant to reach it (an allow-list that excludes them on purpose needs its owner's say)`,
              `${clientNetwork(dropped[0].client)} stands for the affected clients' network: narrow or widen it as needed`,
            ],
          },
          facts: {
            service: svc,
            port,
            serviceIface: arrival,
            droppedClients: [...droppedIps],
            admittedClients: admitted,
            flows: unanswered.map((f) => f.id),
            confidence: contradicted
              ? 0.2
              : !certain
                ? 0.5
                : unanswered.length || hits
                  ? 0.9
                  : severe
                    ? 0.75
                    : 0.5,
            confidenceReasons: [
              `ruleset simulation: ${decidedBy(first)} ${first.verdict}s ${dropped[0].client} → ${hostPort(svc, port)} on ${arrival}${certain ? '' : ' (some conditions on the way not read)'}`,
              ...(hits ? [`the deciding rule counted ${hits} packet(s)`] : []),
              contradicted
                ? `captures contradict it: ${answered.length} connection(s) from those clients were answered`
                : unanswered.length
                  ? `captures: ${unanswered.length} connection(s) arrived on ${arrival} and got no answer`
                  : 'no capture shows the dropped requests',
            ],
          },
        });
      }
    }
    return out;
  },
};
