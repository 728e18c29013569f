/**
 * rp-filter-drop (L3): a node's strict reverse-path filter drops service requests
 * before they reach a socket. Linux checks each arriving IPv4 packet's source against
 * its own routing table: in strict mode (`rp_filter = 1`; the effective value is the
 * larger of `conf.all` and `conf.<interface>`) the packet is dropped when the route
 * back to its source leaves by another interface; in loose mode (2) only when there is
 * no route back at all. So the routing that sends replies out of a management NIC
 * (default-route-mismatch) makes the kernel drop the requests themselves: the capture
 * shows SYNs arriving and nothing answering, and clients time out. With log_martians on,
 * the kernel's `martian source` reports (syslog, journal, dmesg) are direct evidence.
 */
import { recordsOf } from '../src/engine/evidence.js';
import { factsOf, recordRef } from '../src/engine/facts.js';
import { cap, findingId, flowRef, namesAny, priorOf, targetsName } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding } from '../src/model/analysis.js';
import type { RouteRecord, SysctlRecord } from '../src/model/records/index.js';
import { hostPort, parseAddr } from '../src/netstate/ip.js';
import { routeText } from '../src/netstate/routing.js';

/** The reverse-path filter mode in effect on one interface of a node. */
export interface RpFilter {
  /** 0 off, 1 strict, 2 loose. */
  mode: number;
  /** The sysctl records it was computed from (`all`, then the interface's own when dumped). */
  from: Array<SysctlRecord & { node?: string }>;
}

/** Name of a mode. */
export function rpFilterName(mode: number): string {
  return mode === 1 ? 'strict' : mode === 2 ? 'loose' : 'off';
}

/**
 * The effective `rp_filter` of `node`'s interface `iface` (max of `all` and the
 * interface's own), or null when the bundle has neither. An interface name's dots are
 * `/` in sysctl keys (`eth0.100` → `net.ipv4.conf.eth0/100.rp_filter`).
 */
export function rpFilterOf(
  sysctls: ReadonlyArray<SysctlRecord & { node?: string }>,
  node: string,
  iface: string,
): RpFilter | null {
  const want = [`net.ipv4.conf.all.rp_filter`, `net.ipv4.conf.${iface.replaceAll('.', '/')}.rp_filter`];
  const from: RpFilter['from'] = [];
  let mode = -1;
  for (const key of want) {
    // The last value a bundle dumped for a key is the one in force when it was collected.
    const r = sysctls.findLast((s) => s.node === node && s.key === key && /^\d+$/.test(s.value));
    if (!r) continue;
    from.push(r);
    mode = Math.max(mode, Number(r.value));
  }
  return from.length ? { mode, from } : null;
}

export const rule: Rule = {
  meta: {
    id: 'rp-filter-drop',
    title: "The node's strict reverse-path filter drops service requests",
    layer: 'L3',
    severity: 'high',
    needs: ['sysctl', 'martian', 'route', 'address'],
    description:
      'Reads net.ipv4.conf.{all,<interface>}.rp_filter (sysctl output) and simulates the node’s routing back to the ' +
      'clients of each service address it holds. With strict reverse-path filtering (the larger of the two values is 1) ' +
      'a request whose source is routed back through another interface than the one it arrived on is dropped by the ' +
      'kernel before any socket sees it: captures on the node show SYNs arriving and no SYN-ACK, clients time out. ' +
      'Loose mode (2) drops only sources with no route back at all. With log_martians on, the kernel says so itself ' +
      '(`IPv4: martian source VIP from CLIENT, on dev eth1` in dmesg / the journal): such reports make the case even ' +
      'without the sysctl dump.',
    remediation:
      'Fix the reply route (see default-route-mismatch); until then, loose mode lets the requests in: ' +
      'sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.{serviceIface}.rp_filter=2.',
  },
  evaluate(ev, prior) {
    const sysctls = recordsOf(ev, 'sysctl');
    // The kernel's own word for a failed reverse-path check (log_martians).
    const martians = recordsOf(ev, 'martian').filter((m) => m.kind === 'source');
    if (sysctls.length === 0 && martians.length === 0) return [];
    const facts = factsOf(ev);
    const out: Finding[] = [];
    for (const node of facts.routedNodes()) {
      const router = facts.router(node);
      if (!router) continue;
      for (const [svc, arrival] of facts.nodeServices(node)) {
        if (parseAddr(svc)?.family !== 4) continue; // rp_filter is IPv4 only
        const rpf = rpFilterOf(sysctls, node, arrival);
        const logged = martians.filter((m) => m.node === node && m.dst === svc && m.dev === arrival);
        // Martian reports are what the kernel did, whatever the dumped setting says now.
        if ((!rpf || rpf.mode === 0) && logged.length === 0) continue;
        const loggedFrom = new Set(logged.map((m) => m.src));
        const offLink = facts.offLinkClients(node, svc, arrival, loggedFrom);
        const { clients, probing } = offLink;
        const dropped: Array<{ client: string; decision: ReturnType<typeof router.get>; why: string }> = [];
        for (const c of clients) {
          const d = router.get({ dst: c, src: svc });
          const noRoute = d.type !== 'unicast' && d.type !== 'local';
          if (noRoute) dropped.push({ client: c, decision: d, why: `no route back to ${c} (${d.type})` });
          else if ((rpf?.mode === 1 || loggedFrom.has(c)) && d.dev && d.dev !== arrival)
            dropped.push({ client: c, decision: d, why: `the route back to ${c} leaves by ${d.dev}` });
          else if (loggedFrom.has(c))
            dropped.push({
              client: c,
              decision: d,
              why: `the kernel logged packets from ${c} as martian sources`,
            });
        }
        if (dropped.length === 0) continue;
        const first = dropped[0];
        const droppedIps = new Set(dropped.map((x) => x.client));
        // What the drop looks like in a capture on the node: requests in, nothing out.
        const requests = ev.flows.filter(
          (f) =>
            f.node === node &&
            f.server.ip === svc &&
            f.proto === 'tcp' &&
            (probing ? !facts.onLink(node, f.client.ip, arrival) : droppedIps.has(f.client.ip)) &&
            (f.interfaces.toServer.length === 0 || f.interfaces.toServer.includes(arrival)),
        );
        const unanswered = requests.filter((f) => f.packets.toClient === 0);
        // Answered requests from those clients contradict the dump: the setting changed between capture and dump.
        const answered = requests.length - unanswered.length;
        const contradicted = answered > 0 && unanswered.length === 0 && logged.length === 0;
        const unansweredIds = new Set(unanswered.map((f) => f.id));
        const symptoms = [
          ...priorOf(prior, 'tcp-handshake-incomplete', 'tls-handshake-failure').filter(
            (f) => (!f.node || f.node === node) && namesAny(f, unansweredIds, droppedIps),
          ),
          ...priorOf(prior, 'client-failures').filter((f) => targetsName(f.facts?.targets, svc)),
        ];
        const severe = !contradicted && (unanswered.length > 0 || symptoms.length > 0 || logged.length > 0);
        const evidence: EvidenceRef[] = (rpf?.from ?? []).map((r) =>
          recordRef(r, `${r.key} = ${r.value} (${rpFilterName(Number(r.value))})`),
        );
        for (const m of logged.slice(0, 4))
          evidence.push(recordRef(m, `kernel: martian source ${m.src} → ${m.dst} on ${m.dev}`));
        if (first.decision.route)
          evidence.push(
            recordRef(
              first.decision.route as RouteRecord & { node?: string },
              `route back to ${first.client}: ${routeText(first.decision.route)}`,
            ),
          );
        for (const f of unanswered.slice(0, 6))
          evidence.push(
            flowRef(
              f,
              `${f.packets.toServer} packet(s) from ${hostPort(f.client.ip, f.client.port)} arrived${f.interfaces.toServer.length ? ` on ${f.interfaces.toServer.join(',')}` : ''}, none answered`,
            ),
          );
        const values = (rpf?.from ?? []).map((r) => `${r.key.split('.')[3]} = ${r.value}`);
        const known = rpf !== null && rpf.mode > 0;
        const mode = known
          ? `${rpFilterName(rpf.mode)} (rp_filter ${values.length > 1 ? `max of ${values.join(', ')}` : values[0]})`
          : '';
        out.push({
          id: findingId('rp-filter-drop', node, svc),
          rule: 'rp-filter-drop',
          title: `${node}: ${known ? `${mode} ` : ''}reverse-path filter on ${arrival} drops requests to ${svc}`,
          layer: 'L3',
          severity: severe ? 'high' : contradicted ? 'low' : 'medium',
          node,
          summary:
            `${node} ${known ? `filters ${arrival} in ${mode} mode` : `checks the source of packets arriving on ${arrival} (rp_filter ${rpf ? `dumped as ${rpf.mode}, but active when they were logged` : 'not in the bundle'})`} and ${first.why}, so the kernel drops requests from ` +
            `${probing ? 'off-LAN clients' : `${dropped.length} client(s)`} to ${svc} on arrival` +
            (contradicted
              ? `. But the captures show ${answered} such connection(s) answered: the setting was probably changed after they were taken.`
              : logged.length
                ? `: the kernel logged ${logged.length} of them as martian sources${unanswered.length ? `, and ${unanswered.length} connection(s) were captured arriving with no reply` : ''}.`
                : unanswered.length
                  ? `: ${unanswered.length} connection(s) captured arriving with no reply.`
                  : severe
                    ? '.'
                    : '. Latent: no dropped request in the bundle yet.'),
          evidence: cap(evidence, 12),
          causes: contradicted ? [] : symptoms.map((f) => f.id),
          remediation: {
            summary: `Route replies out of ${arrival} (see default-route-mismatch); until then, loose mode lets the requests in.`,
            commands: [`sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.${arrival}.rp_filter=2`],
            persistent: `/etc/sysctl.d/90-rp-filter.conf:\n  net.ipv4.conf.all.rp_filter = 2\n  net.ipv4.conf.${arrival}.rp_filter = 2`,
            assumptions: [
              'loose mode still drops sources with no route back at all; it only stops insisting on the arrival interface',
            ],
          },
          facts: {
            service: svc,
            serviceIface: arrival,
            rpFilter: rpf?.mode ?? null,
            ...(logged.length ? { martians: logged.length } : {}),
            replyIface: first.decision.dev,
            droppedClients: [...droppedIps],
            flows: unanswered.map((f) => f.id),
            confidence: contradicted ? 0.2 : unanswered.length || logged.length ? 0.9 : severe ? 0.75 : 0.5,
            confidenceReasons: [
              rpf
                ? `${rpf.from.map((r) => `${r.key} = ${r.value}`).join(', ')}: ${rpFilterName(rpf.mode)} on ${arrival}`
                : 'rp_filter settings not in the bundle',
              ...(logged.length
                ? [
                    `the kernel logged ${logged.length} martian source(s) from ${[...loggedFrom].join(', ')} on ${arrival}`,
                  ]
                : []),
              `route simulation: ${first.why}`,
              contradicted
                ? `captures contradict it: ${answered} connection(s) from those clients were answered`
                : unanswered.length
                  ? `captures: ${unanswered.length} connection(s) arrived on ${arrival} and got no reply`
                  : 'no capture shows the dropped requests',
            ],
          },
        });
      }
    }
    return out;
  },
};
