/**
 * default-route-mismatch (L3): the route a node uses for replies to the affected
 * clients (simulated from its own `ip route`/`ip rule` dumps, source = the service
 * address) leaves by a different interface than the one the service traffic
 * arrives on — typically a default route via a hypervisor's management NAT NIC.
 * Says which facts identify the management NIC, infers the LAN gateway from the
 * bundle, and gives the immediate, policy-routing and persistent fixes.
 */
import { recordsOf } from '../src/engine/evidence.js';
import { type Facts, factsOf, recordRef } from '../src/engine/facts.js';
import { cap, findingId, flowRef, priorOf, targetsName } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding, RuledOut } from '../src/model/analysis.js';
import type { RouteRecord } from '../src/model/records/index.js';
import { contains, hostPort, parseAddr, parsePrefix } from '../src/netstate/ip.js';
import { routeText } from '../src/netstate/routing.js';
import { rpFilterName, rpFilterOf } from './rp-filter-drop.js';

interface GatewayGuess {
  ip: string;
  how: string;
  evidence?: EvidenceRef;
}

/**
 * Infer the LAN gateway of address family `family` (the service's: an IPv6 service needs
 * an IPv6 gateway) for `node`'s interface `iface` from the rest of the bundle.
 */
export function inferLanGateway(
  facts: Facts,
  node: string,
  iface: string,
  family: 4 | 6 = 4,
): GatewayGuess | null {
  const subnets = facts
    .addressesOn(node, iface)
    .map((a) => parsePrefix(`${a.ip}/${a.prefix}`))
    .filter(
      (p) =>
        !!p && p.family === family && p.length < (family === 4 ? 32 : 128) && !isLinkLocal(p.network, family),
    );
  const inLan = (ip: string | undefined) => {
    const a = ip ? parseAddr(ip) : null;
    return !!a && subnets.some((p) => p && contains(p, a));
  };
  // An IPv6 router is usually known by its link-local address, on the interface itself.
  const onIface = (ip: string | undefined) => {
    const a = ip ? parseAddr(ip) : null;
    return !!a && a.family === family && (inLan(ip) || isLinkLocal(a.value, family));
  };
  const routes = recordsOf(facts.ev, 'route');
  // 1. Other hosts on the same LAN: the gateway their default route uses.
  const votes = new Map<string, RouteRecord & { node?: string }>();
  for (const r of routes) {
    if (r.node === node || r.dst !== 'default' || !r.gateway || !inLan(r.gateway)) continue;
    if (!votes.has(r.gateway)) votes.set(r.gateway, r);
  }
  const first = [...votes.values()][0];
  if (first?.gateway)
    return {
      ip: first.gateway,
      how: `${first.node ?? 'another host'} on the same LAN routes its default via ${first.gateway}`,
      evidence: recordRef(first, routeText(first)),
    };
  // 2. A router in the bundle with an address on that LAN.
  for (const a of facts.addresses) {
    if (a.node === node || !a.node || !inLan(a.ip)) continue;
    const role = facts.ev.nodes.get(a.node)?.role ?? '';
    if (/router|gateway|gw/i.test(`${a.node} ${role}`))
      return {
        ip: a.ip,
        how: `${a.node} (a router) holds ${a.ip} on that LAN`,
        evidence: recordRef(a, `${a.ifname} ${a.ip}/${a.prefix}`),
      };
  }
  // 3. The node's own routes through that interface (other tables, specific prefixes).
  for (const r of routes) {
    if (r.node !== node || !r.gateway || r.dev !== iface || !onIface(r.gateway)) continue;
    return {
      ip: r.gateway,
      how: `${node} already routes ${r.dst} via ${r.gateway} dev ${iface}`,
      evidence: recordRef(r, routeText(r)),
    };
  }
  // 4. A router-flagged neighbour on that interface.
  for (const n of facts.neighbors) {
    const nn = n as typeof n & { router?: boolean };
    if (n.node === node && n.dev === iface && nn.router && onIface(n.ip))
      return {
        ip: n.ip,
        how: `neighbour ${n.ip} on ${iface} is flagged as a router`,
        evidence: recordRef(n, `${n.ip} lladdr ${n.mac} router`),
      };
  }
  return null;
}

/** fe80::/10 (IPv6 link-local); IPv4 link-local gateways do not occur. */
function isLinkLocal(value: bigint, family: 4 | 6): boolean {
  return family === 6 && value >> 118n === 0x3fan;
}

/** Facts that identify `iface` as a management/NAT NIC. */
function managementFacts(
  facts: Facts,
  node: string,
  iface: string,
  gateway: string | undefined,
  route: RouteRecord | undefined,
  lanGw: string | undefined,
): string[] {
  const out: string[] = [];
  if (gateway === '10.0.2.2' || gateway === '10.0.2.3')
    out.push(`its gateway ${gateway} is VirtualBox's NAT gateway (Vagrant's management NIC)`);
  if (
    gateway &&
    contains(
      parsePrefix('192.168.121.0/24') as NonNullable<ReturnType<typeof parsePrefix>>,
      parseAddr(gateway) ?? { family: 4, value: -1n },
    )
  )
    out.push(
      `its gateway ${gateway} is on libvirt's default network 192.168.121.0/24 (vagrant-libvirt management network)`,
    );
  for (const a of facts.addressesOn(node, iface))
    if (a.ip.startsWith('10.0.2.')) out.push(`${iface} has ${a.ip}/${a.prefix}, VirtualBox's NAT subnet`);
  if (route?.proto === 'dhcp')
    out.push(
      `the default route via ${iface} was learned by DHCP (proto dhcp), as on a hypervisor-provided NIC`,
    );
  const links = facts.links.filter((l) => l.node === node && l.ifindex !== undefined && l.ifname !== 'lo');
  const firstNic = links.sort((a, b) => (a.ifindex ?? 0) - (b.ifindex ?? 0))[0];
  if (firstNic?.ifname === iface)
    out.push(
      `${iface} is the node's first NIC (ifindex ${firstNic.ifindex}), where Vagrant puts the management NAT`,
    );
  const arriving = facts.ev.flows.filter(
    (f) => f.node === node && f.interfaces.toServer.includes(iface),
  ).length;
  const total = facts.ev.flows.filter((f) => f.node === node).length;
  if (total > 0 && arriving === 0) out.push(`no captured service request arrived on ${iface}`);
  if (lanGw && gateway && gateway !== lanGw)
    out.push(`its gateway ${gateway} is not the LAN gateway ${lanGw}`);
  const vag = facts.ev.byType.get('vagrant-nic') ?? [];
  if (vag.length) out.push('the Vagrantfile declares extra networks next to the implicit management NAT NIC');
  const role = facts.ev.manifest?.nodes?.[node]?.interfaces;
  if (role && Object.values(role).some((v) => v === iface)) out.push(`the manifest names ${iface}`);
  return out;
}

export const rule: Rule = {
  meta: {
    id: 'default-route-mismatch',
    title: 'Replies routed out of a different interface than requests arrive on',
    layer: 'L3',
    severity: 'critical',
    needs: ['route', 'rule', 'address', 'flows', 'tls-handshake-error'],
    description:
      "Simulates the node's own routing (ip rule + ip route, longest prefix, metrics) for a reply from the service " +
      'address to each affected client. When that route leaves by an interface other than the one holding the service ' +
      'address — typically the default route via a management/NAT NIC (Vagrant eth0, 10.0.2.2) while the VIP sits on the ' +
      'bridged LAN NIC — replies take a path that never saw the request; a stateful hop drops or mangles them. The LAN ' +
      'gateway is inferred from other hosts on the LAN, a router in the bundle, or the node’s own routes.',
    remediation:
      'ip route replace default via {lanGateway} dev {serviceIface}; or policy routing: ip rule add from {vip} table 100 && ' +
      'ip route add default via {lanGateway} dev {serviceIface} table 100; make it permanent in provisioning (Vagrant shell ' +
      'provisioner with run: "always", netplan, NetworkManager).',
  },
  evaluate(ev, prior) {
    const facts = factsOf(ev);
    const out: Finding[] = [];
    for (const node of facts.routedNodes()) {
      const router = facts.router(node);
      if (!router) continue;
      const asym = priorOf(prior, 'asymmetric-routing').filter((f) => f.node === node);
      const asymClients = asym.flatMap((f) => (f.facts?.clients as string[]) ?? []);
      for (const [svc, arrival] of facts.nodeServices(node)) {
        const { clients: targets, probing } = facts.offLinkClients(node, svc, arrival, asymClients);
        const affected: Array<{ client: string; decision: ReturnType<typeof router.get> }> = [];
        for (const c of targets) {
          const d = router.get({ dst: c, src: svc });
          if (d.type === 'unicast' && d.dev && d.dev !== arrival) affected.push({ client: c, decision: d });
        }
        if (affected.length === 0) continue;
        const d = affected[0].decision;
        const replyIf = d.dev as string;
        const symptoms = [
          ...priorOf(prior, 'tls-bad-record-mac', 'tcp-handshake-incomplete', 'tls-handshake-failure').filter(
            (f) => f.node === node,
          ),
          ...priorOf(prior, 'client-failures').filter((f) => {
            const t = f.facts?.targets;
            return targetsName(t, svc);
          }),
        ];
        const acme = priorOf(prior, 'cert-acme-egress').filter((f) => !f.node || f.node === node);
        // The kernel's own reverse-path filter dropping the requests is a consequence of this route too.
        const rpf = priorOf(prior, 'rp-filter-drop').filter(
          (f) => f.node === node && f.facts?.service === svc,
        );
        const causes =
          asym.length || rpf.length
            ? [...asym.map((f) => f.id), ...rpf.map((f) => f.id), ...acme.map((f) => f.id)]
            : symptoms.map((f) => f.id);
        const family = parseAddr(svc)?.family ?? 4;
        // The commands of the service's family: IPv6 routes and rules are set with `ip -6`.
        const ipCmd = family === 6 ? 'ip -6' : 'ip';
        const gw = inferLanGateway(facts, node, arrival, family);
        const mgmt = managementFacts(facts, node, replyIf, d.gateway, d.route, gw?.ip);
        const evidence: EvidenceRef[] = [];
        if (d.route)
          evidence.push(
            recordRef(
              d.route as RouteRecord & { node?: string },
              `reply route: ${routeText(d.route)} (${d.rule?.text ?? 'main table'})`,
            ),
          );
        const svcAddr = facts.ownerOf(svc).find((o) => o.node === node);
        if (svcAddr)
          evidence.push(
            recordRef(
              svcAddr.rec as typeof svcAddr.rec & { node?: string },
              `${svc}/${svcAddr.rec.prefix} is on ${arrival}`,
            ),
          );
        for (const l of d.losers.slice(0, 2))
          evidence.push(
            recordRef(l.route as RouteRecord & { node?: string }, `lost: ${routeText(l.route)} — ${l.why}`),
          );
        if (gw?.evidence) evidence.push({ ...gw.evidence, text: `LAN gateway: ${gw.how}` });
        for (const f of ev.flows
          .filter((x) => x.node === node && x.server.ip === svc && x.interfaces.toClient.includes(replyIf))
          .slice(0, 4))
          evidence.push(
            flowRef(
              f,
              `reply captured leaving ${replyIf}: ${hostPort(f.client.ip, f.client.port)} ← ${hostPort(svc, f.server.port)}`,
            ),
          );
        const asymIds = new Set(asym.flatMap((f) => (f.facts?.flows as string[]) ?? []));
        for (const c of ev.comparisons
          .filter((x) => x.result.status === 'differs' && x.text && x.flowIds.some((id) => asymIds.has(id)))
          .slice(0, 2))
          evidence.push({
            file: c.result.pairs[0]?.a.file ?? '(captures)',
            flow: c.flowIds[0],
            text: `altered on the reply path: ${c.text}`,
          });
        const gwIp = gw?.ip ?? '<LAN gateway>';
        const provisioners = (ev.byType.get('vagrant-provisioner') ?? []) as unknown as Array<{
          run?: string;
          fixesDefaultRoute?: boolean;
          file: string;
          line?: number;
        }>;
        const notAlways = provisioners.find((p) => p.fixesDefaultRoute && p.run !== 'always');
        const severe = asym.length > 0 || rpf.length > 0 || symptoms.length > 0;
        const ruledOut: RuledOut[] = [];
        const vipNeigh = facts.neighborsFor(svc).filter((n) => n.node !== node && n.mac);
        const arrivalMac = facts.macOf(node, arrival);
        const resolved = vipNeigh.find(
          (n) => arrivalMac && n.mac?.toLowerCase() === arrivalMac.toLowerCase(),
        );
        if (resolved)
          ruledOut.push({
            hypothesis: `${family === 6 ? 'neighbour discovery' : 'ARP'} / L2 (VIP not announced)`,
            reason: `${svc} resolves to ${node} ${arrival} (${arrivalMac}) in ${resolved.node ?? 'a client'}'s neighbour table`,
            evidence: [recordRef(resolved, `${resolved.ip} lladdr ${resolved.mac}`)],
          });
        // rp_filter is IPv4 only: for an IPv6 service it neither drops nor rules anything out.
        const rpMode = family === 4 ? rpFilterOf(recordsOf(ev, 'sysctl'), node, arrival) : null;
        if (rpMode && rpMode.mode !== 1 && rpf.length === 0)
          ruledOut.push({
            hypothesis: `${node}'s reverse-path filter dropping the requests`,
            reason: `rp_filter on ${arrival} is ${rpMode.mode} (${rpFilterName(rpMode.mode)}): the kernel accepts requests whose route back leaves by another interface`,
            evidence: rpMode.from.map((r) => recordRef(r, `${r.key} = ${r.value}`)),
          });
        if (asym.length)
          ruledOut.push({
            hypothesis: 'a CNI / host firewall policy dropping the reply',
            reason: `the reply left ${node} (captured on ${replyIf}); it is lost or altered after leaving the node`,
          });
        const lanOk = ev.flows.filter(
          (f) =>
            f.node === node &&
            f.server.ip === svc &&
            facts.onLink(node, f.client.ip, arrival) &&
            f.packets.toClient > 2 &&
            !(f.tls?.alerts.length ?? 0) &&
            f.state !== 'syn-sent' &&
            f.state !== 'syn-received',
        );
        if (lanOk.length)
          ruledOut.push({
            hypothesis: 'the service, its certificate or the internet router',
            reason: `${lanOk.length} connection(s) from clients on ${arrival}'s own subnet exchanged data without TLS alerts (their replies are routed on-link, not via ${replyIf})`,
            evidence: [flowRef(lanOk[0])],
          });
        // Half-open sockets of the affected clients: the node answered, the answers got lost.
        const affectedIps = new Set(affected.map((a) => a.client));
        const halfOpen = symptoms.filter(
          (f) =>
            f.rule === 'tcp-handshake-incomplete' &&
            f.facts?.state === 'SYN-RECV' &&
            ((f.facts?.clients as string[] | undefined) ?? []).some((c) => probing || affectedIps.has(c)),
        );
        const confidenceReasons = [
          `route simulation: replies from ${svc} to ${affected.length} client(s) leave by ${replyIf}, requests arrive on ${arrival}`,
          ...(asym.length
            ? [`captures confirm: ${asym.length} asymmetric conversation group(s)`]
            : rpf.length
              ? [
                  `${node}'s strict reverse-path filter drops the requests this route cannot answer (rp-filter-drop)`,
                ]
              : halfOpen.length
                ? [
                    `${node}'s socket table: ${halfOpen.reduce((n, f) => n + Number(f.facts?.halfOpenSockets ?? 0), 0)} connection(s) from the affected clients half-open in SYN-RECV (answered, never acknowledged)`,
                  ]
                : ['no capture confirms the asymmetric path']),
          ...(gw ? [`LAN gateway inferred: ${gw.how}`] : ['LAN gateway could not be inferred']),
        ];
        out.push({
          id: findingId('default-route-mismatch', node, svc),
          rule: 'default-route-mismatch',
          title: `${node}: replies from ${svc} leave by ${replyIf}, requests arrive on ${arrival}`,
          layer: 'L3',
          severity: severe ? 'critical' : 'medium',
          node,
          summary: `${node} routes replies from ${svc} to ${probing ? 'off-LAN clients' : `${affected.length} off-LAN client(s)`} via ${d.gateway ?? '(direct)'} dev ${replyIf}${mgmt.length ? ' (a management/NAT NIC)' : ''}, while ${svc} and the requests are on ${arrival}${gw ? `; the LAN gateway is ${gw.ip}` : ''}.${severe ? '' : ' Latent: no symptom in the bundle yet.'}`,
          evidence: cap(evidence, 16),
          causes,
          remediation: {
            summary: `Route replies out of ${arrival}: make ${gwIp} on ${arrival} the default route.`,
            commands: [`${ipCmd} route replace default via ${gwIp} dev ${arrival}`],
            persistent: [
              'Vagrant (Vagrantfile), re-applied on every boot:',
              `  config.vm.provision "shell", run: "always", inline: "${ipCmd} route replace default via ${gwIp} dev ${arrival}"`,
              'netplan (/etc/netplan/60-lan-default.yaml):',
              // IPv6 defaults come from router advertisements or static config, not DHCP: the lower metric wins.
              family === 6
                ? `  network: {version: 2, ethernets: {${arrival}: {routes: [{to: default, via: ${gwIp}, metric: 50}]}}}`
                : `  network: {version: 2, ethernets: {${arrival}: {routes: [{to: default, via: ${gwIp}, metric: 50}]}, ${replyIf}: {dhcp4-overrides: {use-routes: false}}}}`,
              'NetworkManager:',
              `  nmcli connection modify <${replyIf} connection> ipv${family}.never-default yes && nmcli connection modify <${arrival} connection> ipv${family}.gateway ${gwIp}`,
              ...(notAlways
                ? [
                    `Note: ${notAlways.file}${notAlways.line ? `:${notAlways.line}` : ''} already fixes the default route but does not run always — it is lost on reboot / vagrant reload.`,
                  ]
                : []),
            ].join('\n'),
            assumptions: [
              gw
                ? `the LAN gateway is ${gw.ip} (${gw.how})`
                : 'replace <LAN gateway> with the router on the LAN (not inferable from the bundle)',
              `${replyIf} is only needed for management access from its own subnet (its connected route stays)`,
            ],
            alternatives: [
              {
                summary: `Policy routing: only traffic from ${svc} uses the LAN gateway; the management default stays.`,
                commands: [
                  `${ipCmd} rule add from ${svc} table 100 priority 100`,
                  `${ipCmd} route add default via ${gwIp} dev ${arrival} table 100`,
                ],
                assumes: `table 100 and priority 100 are unused on ${node}; every service address needs its own rule`,
              },
            ],
          },
          facts: {
            service: svc,
            serviceIface: arrival,
            replyIface: replyIf,
            replyGateway: d.gateway,
            lanGateway: gw?.ip,
            lanGatewayBasis: gw?.how,
            affectedClients: affected.map((a) => a.client),
            managementNic: mgmt,
            routeSteps: d.steps,
            confidence: asym.length
              ? 0.92
              : rpf.some((f) => Number(f.facts?.confidence) >= 0.9)
                ? 0.9
                : halfOpen.length
                  ? 0.85
                  : severe
                    ? 0.75
                    : 0.5,
            confidenceReasons,
            ruledOut,
          },
        });
      }
    }
    return out;
  },
};
