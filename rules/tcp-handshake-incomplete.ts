/**
 * tcp-handshake-incomplete (L4): TCP handshakes that never completed — SYN
 * retransmitted with no SYN-ACK, SYN-ACK retransmitted with no final ACK, or a SYN
 * answered by an ICMP error (host/port unreachable, administratively prohibited) —
 * grouped per node, server and the interfaces each direction was seen on.
 */

import { recordsOf } from '../src/engine/evidence.js';
import { recordRef } from '../src/engine/facts.js';
import {
  cap,
  eventRef,
  findingId,
  flowRef,
  groupBy,
  priorOf,
  sortedGroups,
  targetsName,
} from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding, FlowSummary } from '../src/model/analysis.js';
import { hostPort } from '../src/netstate/ip.js';

/**
 * A handshake that did not complete and was retried, or drew an ICMP error (so not just
 * cut by the capture: a client gives up at once on host or port unreachable).
 */
export function isIncomplete(f: FlowSummary): boolean {
  if (f.proto !== 'tcp') return false;
  const retried = (f.synRetransmits ?? 0) > 0 || (f.synAckRetransmits ?? 0) > 0 || (f.icmpErrors ?? 0) > 0;
  return retried && (f.state === 'syn-sent' || f.state === 'syn-received' || f.state === 'incomplete');
}

/** What an ICMP error says, by type and code (`ICMP error type 3 code 13` → `administratively prohibited`). */
export function icmpMeaning(text: string): string {
  const m = /^ICMP(v6)? error type (\d+) code (\d+)/.exec(text);
  if (!m) return text;
  const [type, code] = [Number(m[2]), Number(m[3])];
  const v4: Record<number, Record<number, string>> = {
    3: {
      0: 'network unreachable',
      1: 'host unreachable',
      2: 'protocol unreachable',
      3: 'port unreachable',
      4: 'fragmentation needed',
      6: 'network unknown',
      7: 'host unknown',
      9: 'network administratively prohibited',
      10: 'host administratively prohibited',
      13: 'administratively prohibited',
    },
    11: { 0: 'TTL exceeded in transit', 1: 'fragment reassembly time exceeded' },
  };
  const v6: Record<number, Record<number, string>> = {
    1: {
      0: 'no route to destination',
      1: 'administratively prohibited',
      3: 'address unreachable',
      4: 'port unreachable',
      5: 'source address failed policy',
      6: 'reject route',
    },
    2: { 0: 'packet too big' },
    3: { 0: 'hop limit exceeded in transit' },
  };
  return (m[1] ? v6 : v4)[type]?.[code] ?? `ICMP${m[1] ?? ''} type ${type} code ${code}`;
}

export const rule: Rule = {
  meta: {
    id: 'tcp-handshake-incomplete',
    title: 'TCP handshakes retransmitted and never completed',
    layer: 'L4',
    severity: 'high',
    needs: ['flows', 'socket'],
    description:
      'Connections whose SYN or SYN-ACK was retransmitted and whose three-way handshake never completed. A retransmitted ' +
      'SYN with no SYN-ACK means the request did not reach the server or the answer did not come back; a retransmitted ' +
      'SYN-ACK means the server answered but the client never acknowledged — the reply was lost on its way back, which is ' +
      'the signature of an asymmetric return path through a stateful hop; a SYN answered by an ICMP error (host or port ' +
      'unreachable, administratively prohibited) names the hop that refused it. Socket tables (ss, netstat) say the same ' +
      'without a capture: SYN-RECV on the server (it answered, no ACK came back), SYN-SENT on a client (no SYN-ACK came). ' +
      'Grouped by node, server and interfaces.',
  },
  evaluate(ev, prior) {
    const bad = ev.flows.filter(isIncomplete);
    const halfOpen = recordsOf(ev, 'socket').filter(
      (r) => r.proto === 'tcp' && (r.state === 'SYN-RECV' || r.state === 'SYN-SENT'),
    );
    if (bad.length === 0 && halfOpen.length === 0) return [];
    const groups = groupBy(
      bad,
      (f) =>
        `${f.node ?? ''}|${f.server.ip}:${f.server.port}|${f.interfaces.toServer.join(',')}|${f.interfaces.toClient.join(',')}`,
    );
    const symptoms = priorOf(prior, 'client-failures').filter((s) =>
      ['timeout', 'tls-reset', 'refused'].includes(String(s.facts?.kind)),
    );
    const out: Finding[] = [];
    const linkSymptoms = (server: string) =>
      // A symptom that names no target cannot be told apart from this one, so it is linked too.
      symptoms
        .filter((s) => {
          const t = s.facts?.targets;
          return !Array.isArray(t) || t.length === 0 || targetsName(t, server);
        })
        .map((s) => s.id);
    // Half-open sockets in the nodes' socket tables, by node, state and the service end.
    const sockGroups = groupBy(halfOpen, (r) => {
      const svc = r.state === 'SYN-RECV' ? r.local : r.peer;
      return `${r.node ?? ''}|${r.state}|${svc.ip}:${svc.port ?? '*'}`;
    });
    const sockEvidence = (list: typeof halfOpen) =>
      cap(list, 6).map((r) =>
        recordRef(
          r,
          `${r.state} ${hostPort(r.local.ip ?? '*', r.local.port ?? '*')} ${r.state === 'SYN-RECV' ? '←' : '→'} ${hostPort(r.peer.ip ?? '*', r.peer.port ?? '*')}`,
        ),
      );
    const usedSockets = new Set<string>();
    for (const [k, list] of sortedGroups(groups)) {
      const node = k.split('|')[0] || undefined;
      const f0 = list[0];
      const synAck = list.filter((f) => (f.synAckRetransmits ?? 0) > 0).length;
      // ICMP errors that answered these handshakes (joined to them by the header they quote).
      const ids = new Set(list.map((f) => f.id));
      const icmp = ev.events.filter(
        (e) => e.kind === 'icmp-error' && e.flow !== undefined && ids.has(e.flow),
      );
      const meanings = [...new Set(icmp.map((e) => icmpMeaning(e.text)))];
      const clients = [...new Set(list.map((f) => f.client.ip))].sort();
      const where = `requests on ${f0.interfaces.toServer.join(',') || '?'}, ${list.some((f) => f.packets.toClient > 0) ? `replies on ${f0.interfaces.toClient.join(',') || '?'}` : 'no reply captured'}`;
      const qualifier = `${f0.server.ip}:${f0.server.port}${groups.size > 1 ? `/${f0.interfaces.toServer.join(',')}` : ''}`;
      // The same node's half-open sockets for this server belong with the captured handshakes.
      const sockKey = `${node ?? ''}|SYN-RECV|${f0.server.ip}:${f0.server.port}`;
      const sockets = usedSockets.has(sockKey) ? [] : (sockGroups.get(sockKey) ?? []);
      if (sockets.length) usedSockets.add(sockKey);
      out.push({
        id: findingId('tcp-handshake-incomplete', node, qualifier),
        rule: 'tcp-handshake-incomplete',
        title: `TCP handshakes to ${hostPort(f0.server.ip, f0.server.port)} never complete`,
        layer: 'L4',
        severity: list.length >= 3 ? 'high' : 'medium',
        ...(node ? { node } : {}),
        summary: `${list.length} connection(s) from ${clients.length} client(s) to ${hostPort(f0.server.ip, f0.server.port)} never completed the handshake${synAck ? ` (${synAck} with SYN-ACK retransmitted: the server answered, the client never got it)` : ''}${icmp.length ? `; ${icmp.length} ICMP error(s) answered them: ${meanings.join(', ')}` : ''}; ${where}.`,
        evidence: [
          ...cap(list).map((f) => flowRef(f)),
          ...cap(icmp, 4).map((e) => ({ ...eventRef(e), text: `${icmpMeaning(e.text)}: ${e.text}` })),
          ...sockEvidence(sockets),
        ],
        causes: linkSymptoms(f0.server.ip),
        facts: {
          flows: list.map((f) => f.id),
          clients,
          synAckRetransmitted: synAck,
          ...(icmp.length ? { icmpErrors: icmp.length } : {}),
          ...(sockets.length ? { halfOpenSockets: sockets.length } : {}),
          server: `${f0.server.ip}:${f0.server.port}`,
        },
      });
    }
    // Socket tables alone (no capture of these handshakes): what the half-open state says.
    for (const [k, list] of sortedGroups(sockGroups)) {
      if (usedSockets.has(k)) continue;
      const [nodeName, state, server] = k.split('|');
      const node = nodeName || undefined;
      const recv = state === 'SYN-RECV';
      const peers = [...new Set(list.map((r) => r.peer.ip).filter((ip): ip is string => !!ip))].sort();
      const serverIp = server.slice(0, server.lastIndexOf(':'));
      out.push({
        id: findingId('tcp-handshake-incomplete', node, `${server}/${state.toLowerCase()}`),
        rule: 'tcp-handshake-incomplete',
        title: `TCP handshakes ${recv ? 'to' : 'from this client to'} ${server} left half-open`,
        layer: 'L4',
        severity: list.length >= 3 ? 'high' : 'medium',
        ...(node ? { node } : {}),
        summary: recv
          ? `${node ?? 'a node'} had ${list.length} connection(s) to ${server} from ${peers.length} client(s) in SYN-RECV when its socket table was taken: it answered their SYNs, and no ACK came back — the SYN-ACKs were lost on the way to the clients.`
          : `${node ?? 'a client'} had ${list.length} connection(s) to ${server} in SYN-SENT when its socket table was taken: its SYNs got no SYN-ACK.`,
        evidence: sockEvidence(list),
        causes: linkSymptoms(serverIp),
        facts: {
          clients: recv
            ? peers
            : [...new Set(list.map((r) => r.local.ip).filter((ip): ip is string => !!ip))].sort(),
          server,
          halfOpenSockets: list.length,
          state,
        },
      });
    }
    return out;
  },
};
