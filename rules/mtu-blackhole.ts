/**
 * mtu-blackhole (L3): large packets towards some clients never arrive while small ones
 * do — a link on the path has a smaller MTU and the ICMP "fragmentation needed" that
 * should tell the sender is lost (filtered), so the sender keeps retransmitting the same
 * full-size segment. The classic symptom is a TLS handshake that stops after the
 * ClientHello: the TCP handshake and ping work, the server's first flight (certificate)
 * does not get through, clients time out.
 *
 * Evidence: conversations whose sender retransmitted one segment again and again and
 * whose peer never acknowledged it (FlowSummary.stall), grouped per node, direction and
 * client network; packets as large reaching other clients fine; ICMP fragmentation-
 * needed errors when some did arrive (they give the next-hop MTU).
 */

import { factsOf } from '../src/engine/facts.js';
import {
  cap,
  eventRef,
  findingId,
  flowRef,
  groupBy,
  namesAny,
  priorOf,
  sortedGroups,
  stallText,
  targetsName,
} from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding, FlowSummary } from '../src/model/analysis.js';
import { clientNetwork, hostPort, parseAddr } from '../src/netstate/ip.js';

/** IP packet length of a flow's largest segment in `dir` (payload plus the stalled segment's header size). */
function largestPacket(f: FlowSummary, dir: 'toServer' | 'toClient', headers: number): number {
  return (f.maxPayload?.[dir] ?? 0) + headers;
}

/** A conversation with a segment that never got through. */
type Stalled = FlowSummary & { stall: NonNullable<FlowSummary['stall']> };

/** The peer a flow's packets in `dir` go to. */
const farEnd = (f: FlowSummary, dir: 'toServer' | 'toClient') =>
  dir === 'toClient' ? f.client.ip : f.server.ip;

export const rule: Rule = {
  meta: {
    id: 'mtu-blackhole',
    title: 'Large packets to some clients are lost (path-MTU black hole)',
    layer: 'L3',
    severity: 'high',
    needs: ['flows'],
    description:
      'Conversations in which one side sent the same segment three or more times and the other side never acknowledged ' +
      'it, while the handshake (small packets) went through: a link on the path carries only smaller packets and the ' +
      'ICMP "fragmentation needed" / "packet too big" that should make the sender shrink them does not arrive (a ' +
      'firewall drops ICMP). TLS stops after the ClientHello because the server’s first flight is the first large ' +
      'packet; clients time out, servers log EOF/reset handshake errors. Packets as large reaching other clients show ' +
      'the loss is specific to the path; an ICMP error that did arrive names the next-hop MTU.',
    remediation:
      'Find the narrow link (tracepath CLIENT; ping -M do -s SIZE CLIENT) and let ICMP fragmentation-needed through; ' +
      'meanwhile clamp the TCP MSS on the router (nft: tcp flags syn tcp option maxseg size set rt mtu) or lower the ' +
      "node's route MTU towards those clients (ip route replace PREFIX via GW mtu lock 1280).",
  },
  evaluate(ev, prior) {
    // Only packets larger than every path must carry (576 bytes IPv4, 1280 IPv6) can be too big for one.
    const stalled = ev.flows.filter(
      (f): f is Stalled =>
        f.proto === 'tcp' &&
        f.stall !== undefined &&
        f.stall.ipLen > (parseAddr(f.server.ip)?.family === 6 ? 1280 : 576) &&
        f.state !== 'syn-sent' &&
        f.state !== 'syn-received',
    );
    if (stalled.length === 0) return [];
    const facts = factsOf(ev);
    const groups = groupBy(stalled, (f) => {
      return `${f.node ?? ''}|${f.stall.dir}|${clientNetwork(farEnd(f, f.stall.dir))}`;
    });
    const out: Finding[] = [];
    for (const [k, list] of sortedGroups(groups)) {
      const [nodeName, dir, net] = k.split('|') as [string, 'toServer' | 'toClient', string];
      const node = nodeName || undefined;
      const sizes = list.map((f) => f.stall.ipLen);
      const smallest = Math.min(...sizes);
      const s0 = list[0].stall;
      const headers = s0.ipLen - s0.payload;
      const farIps = new Set(list.map((f) => farEnd(f, dir)));
      const ids = new Set(list.map((f) => f.id));
      // The same size reaching other peers: the loss belongs to this path, not to the sender.
      const fine = ev.flows.filter(
        (f) =>
          f.proto === 'tcp' &&
          f.node === nodeName &&
          !f.stall &&
          !farIps.has(farEnd(f, dir)) &&
          largestPacket(f, dir, headers) >= smallest,
      );
      const fragNeeded = ev.events.filter(
        (e) =>
          e.kind === 'icmp-error' &&
          (e.flow === undefined || ids.has(e.flow)) &&
          /^ICMP error type 3 code 4|^ICMPv6 error type 2 code/.test(e.text),
      );
      const mtus = [
        ...new Set(
          fragNeeded.map((e) => Number(/next-hop MTU (\d+)/.exec(e.text)?.[1] ?? 0)).filter((m) => m > 0),
        ),
      ];
      const servers = [...new Set(list.map((f) => hostPort(f.server.ip, f.server.port)))].sort();
      const clients = [...new Set(list.map((f) => f.client.ip))].sort();
      const symptoms = [
        ...priorOf(prior, 'tls-handshake-failure', 'tls-bad-record-mac').filter((f) =>
          namesAny(f, ids, new Set(clients)),
        ),
        ...priorOf(prior, 'client-failures').filter(
          (f) =>
            ['timeout', 'tls-reset'].includes(String(f.facts?.kind)) &&
            servers.some((svc) => targetsName(f.facts?.targets, svc.slice(0, svc.lastIndexOf(':')))),
        ),
      ];
      // A peer that went away also leaves data unacknowledged: only a peer that spoke after the
      // loss, packets as large reaching others, or an ICMP error make it the path.
      const alive = list.filter((f) => f.stall.peerAlive).length;
      if (alive === 0 && fine.length === 0 && fragNeeded.length === 0) continue;
      const sender = dir === 'toClient' ? 'the server' : 'the client';
      const evidence: EvidenceRef[] = cap(list, 6).map((f) => flowRef(f, stallText(f.stall)));
      for (const f of fine.slice(0, 2))
        evidence.push(flowRef(f, `${largestPacket(f, dir, headers)}-byte packets reached ${farEnd(f, dir)}`));
      for (const e of fragNeeded.slice(0, 2))
        evidence.push({ ...eventRef(e), text: `fragmentation needed: ${e.text}` });
      const sizeText = `${smallest}${Math.max(...sizes) > smallest ? `–${Math.max(...sizes)}` : ''}`;
      const finePeers = [...new Set(fine.map((f) => farEnd(f, dir)))].slice(0, 3);
      const why = [
        `${list.length} conversation(s): ${sender} sent a ${sizeText}-byte packet again and again and ${net} never acknowledged it, while the TCP handshake got through${alive ? ` and the peer kept talking in ${alive} of them` : ''}`,
        fine.length
          ? `packets as large reached ${fine.length} other conversation(s) (${finePeers.join(', ')}): the loss is on the path to ${net}`
          : 'no conversation with other peers shows packets as large getting through',
        mtus.length
          ? `ICMP fragmentation needed arrived: next-hop MTU ${mtus.join(', ')}`
          : 'no ICMP fragmentation-needed reached the capture: it is filtered on the way (the black hole)',
      ];
      const severe = list.length >= 2 || symptoms.length > 0;
      // The sender's own route towards those peers, for the route-MTU stopgap.
      const back = dir === 'toClient' ? 'toServer' : 'toClient';
      const route = node
        ? facts.router(node)?.get({ dst: farEnd(list[0], dir), src: farEnd(list[0], back) })
        : undefined;
      const via =
        route?.type === 'unicast'
          ? [route.gateway ? `via ${route.gateway}` : '', route.dev ? `dev ${route.dev}` : '']
              .filter(Boolean)
              .join(' ')
          : 'via <gateway>';
      // A size known to get through: the ICMP error's MTU, else the largest packet those peers
      // got across to us, but at least the minimum every path must carry (576 IPv4, 1280 IPv6).
      const floor = parseAddr(list[0].server.ip)?.family === 6 ? 1280 : 576;
      const crossed = Math.max(...list.map((f) => largestPacket(f, back, headers)));
      const mtu = mtus.length ? Math.min(...mtus) : Math.min(Math.max(floor, crossed), smallest - 1);
      out.push({
        id: findingId('mtu-blackhole', node, `${dir}/${net}`),
        rule: 'mtu-blackhole',
        title: `Packets of ${smallest} bytes to ${net} are lost (path-MTU black hole)`,
        layer: 'L3',
        severity: severe ? 'high' : 'medium',
        ...(node ? { node } : {}),
        summary:
          `${node ? `${node} (${dir === 'toClient' ? 'server' : 'client'})` : `The ${dir === 'toClient' ? 'server' : 'client'}`} sent a ${sizeText}-byte packet up to ${Math.max(...list.map((f) => f.stall.sends))}× in ${list.length} conversation(s) with ${net} and it was never acknowledged, though the TCP handshake got through; ` +
          `${fine.length ? `packets as large reach ${finePeers.join(', ')}` : 'no packet as large to other peers was captured'}; ` +
          `${mtus.length ? `ICMP gives next-hop MTU ${mtus.join(', ')}` : 'no ICMP fragmentation-needed reached the capture (filtered: a black hole)'}.`,
        evidence: cap(evidence, 12),
        causes: symptoms.map((f) => f.id),
        remediation: {
          summary: `On ${node ?? 'the sender'}, keep packets towards ${net} under the narrow link's MTU until the path is fixed; then let that link's ICMP fragmentation-needed through.`,
          commands: [`ip route replace ${net} ${via} mtu lock ${mtu}`],
          assumptions: [
            mtus.length
              ? `the path MTU is ${mtu} (from the ICMP error)`
              : `${mtu} bytes get through (${crossed > headers ? `${crossed}-byte packets from ${net} arrived; ` : ''}every path carries ${floor}): raise it after measuring with ping -M do -s SIZE ${clients[0] ?? ''}`.trim(),
          ],
          alternatives: [
            {
              summary:
                'On the router with the narrow link: clamp the MSS of connections crossing it to its MTU.',
              commands: ['nft add rule inet filter forward tcp flags syn tcp option maxseg size set rt mtu'],
              assumes: 'an inet filter table with a forward chain exists on that router',
            },
          ],
        },
        facts: {
          flows: list.map((f) => f.id),
          clients,
          servers,
          direction: dir,
          lostPacketBytes: smallest,
          ...(mtus.length ? { nextHopMtu: mtu } : {}),
          confidence: fine.length ? 0.85 : 0.6,
          confidenceReasons: why,
        },
      });
    }
    return out;
  },
};
