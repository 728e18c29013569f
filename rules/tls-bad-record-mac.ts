/**
 * tls-bad-record-mac (L7): TLS record integrity failures — the server's
 * `local error: tls: bad record MAC`, a client's `decryption failed or bad record
 * mac`, or bad_record_mac alerts in captures. Each server log record is joined to
 * its flow by client ip:port and time; ambiguous joins are reported as such.
 */
import { FlowIndex } from '../src/engine/correlate.js';
import { notKeptOf, recordsOf } from '../src/engine/evidence.js';
import { recordRef } from '../src/engine/facts.js';
import { cap, eventRef, findingId } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { EvidenceRef, Finding } from '../src/model/analysis.js';

/** Evidence references the finding cites. */
const EVIDENCE_CAP = 24;

const CLIENT_MAC = /bad record mac|decryption failed|bad_record_mac|SSL_R_BAD_RECORD_MAC/i;

export const rule: Rule = {
  meta: {
    id: 'tls-bad-record-mac',
    title: 'TLS record integrity failures (bad record MAC)',
    layer: 'L7',
    severity: 'high',
    needs: ['tls-handshake-error', 'client-error', 'curl', 'flows'],
    description:
      'A TLS peer received a record whose MAC did not verify: the bytes it decrypted are not the bytes its peer encrypted. ' +
      'TLS itself is almost never wrong; something on the path altered or mixed up segments (a stateful middlebox on an ' +
      'asymmetric path, a NIC offload bug, a corrupting hop). Evidence: server logs `http: TLS handshake error from C:P: ' +
      'local error: tls: bad record MAC`, clients report `decryption failed or bad record mac` / SSL_ERROR_SYSCALL, captures ' +
      'carry bad_record_mac (20) alerts. Each server error is joined to its captured flow by client ip:port and time.',
    remediation:
      'Find what alters the payload: check the routing of the joined flows (asymmetric-routing) and compare captures from both ends (payload-corruption).',
  },
  evaluate(ev) {
    const serverErrs = recordsOf(ev, 'tls-handshake-error').filter((r) => r.cause === 'bad-record-mac');
    const clientErrs = recordsOf(ev, 'client-error').filter((r) => CLIENT_MAC.test(r.text));
    const alertEvents = ev.events.filter((e) => e.kind === 'tls-alert' && /bad_record_mac/.test(e.text));
    if (serverErrs.length + clientErrs.length + alertEvents.length === 0) return [];
    const flows = FlowIndex.of(ev.flows);
    const joins: Array<{ ref: string; status: string; flow?: string }> = [];
    const evidence: EvidenceRef[] = [];
    const joinedFlows = new Set<string>();
    let ambiguous = 0;
    for (const r of serverErrs) {
      const j = flows.join(r.node, r.client.ip, r.client.port, r.ts);
      const ref = `${r.file}:${r.line ?? '?'}`;
      if (j.status === 'joined') {
        joinedFlows.add(j.flow.id);
        joins.push({ ref, status: 'joined', flow: j.flow.id });
      } else if (j.status === 'ambiguous') {
        ambiguous++;
        joins.push({ ref, status: `ambiguous: ${j.flows.length} flows` });
      } else joins.push({ ref, status: `not joined: ${j.reason}` });
      // Only the first EVIDENCE_CAP references are kept: build no more.
      if (evidence.length < EVIDENCE_CAP) {
        const e = recordRef(r, r.text);
        if (j.status === 'joined') e.flow = j.flow.id;
        evidence.push(e);
      }
    }
    for (const r of cap(clientErrs, EVIDENCE_CAP - evidence.length)) evidence.push(recordRef(r, r.text));
    for (const e of cap(alertEvents, EVIDENCE_CAP - evidence.length)) evidence.push(eventRef(e));
    const nodeCounts = new Map<string, number>();
    for (const r of serverErrs) if (r.node) nodeCounts.set(r.node, (nodeCounts.get(r.node) ?? 0) + 1);
    const node = [...nodeCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    const clients = [...new Set(serverErrs.map((r) => r.client.ip ?? '?'))].sort();
    // Beyond a log's record cap errors are counted, not kept: the total includes them.
    const notKept = notKeptOf(ev, 'tls-handshake-error', 'bad-record-mac');
    const parts: string[] = [];
    if (serverErrs.length)
      parts.push(
        `${serverErrs.length + notKept} server-side "bad record MAC" handshake error(s)${notKept ? ` (${serverErrs.length} kept for detail)` : ''} from ${clients.length} client(s) (${clients.slice(0, 5).join(', ')}${clients.length > 5 ? ', …' : ''})`,
      );
    if (clientErrs.length) parts.push(`${clientErrs.length} client-side decryption failure(s)`);
    if (alertEvents.length) parts.push(`${alertEvents.length} bad_record_mac alert(s) in captures`);
    const joinedCount = joins.filter((j) => j.status === 'joined').length;
    const finding: Finding = {
      id: findingId('tls-bad-record-mac', node),
      rule: 'tls-bad-record-mac',
      title: 'TLS records fail integrity checks (bad record MAC)',
      layer: 'L7',
      severity: 'high',
      ...(node ? { node } : {}),
      summary: `${parts.join('; ')}${serverErrs.length ? `; ${joinedCount} of ${serverErrs.length} joined to a captured flow${ambiguous ? `, ${ambiguous} ambiguous` : ''}` : ''}.`,
      evidence,
      facts: {
        serverErrors: serverErrs.length,
        ...(notKept ? { serverErrorsNotKept: notKept } : {}),
        clientErrors: clientErrs.length,
        captureAlerts: alertEvents.length,
        clients,
        joins,
        joinedFlows: [...joinedFlows].sort(),
      },
    };
    return [finding];
  },
};
