/**
 * cert-acme-egress (config): cert-manager cannot complete ACME orders because the
 * node cannot reach the ACME server or the challenge is not reachable — dial
 * timeouts, connection refused, no route. Evaluated with the L7 symptoms so the
 * routing finding of the node can explain it.
 */
import { recordRef } from '../src/engine/facts.js';
import { cap, findingId } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { CertEventRecord, CertRecord } from '../src/model/records/index.js';

const EGRESS =
  /i\/o timeout|timed out|timeout|connection refused|no route to host|network is unreachable|dial tcp|context deadline exceeded|connection reset/i;

export const rule: Rule = {
  meta: {
    id: 'cert-acme-egress',
    title: 'cert-manager ACME failures from missing egress',
    layer: 'config',
    severity: 'medium',
    needs: ['cert-event', 'cert'],
    description:
      'cert-manager logs or Certificate/Order/Challenge status show ACME requests failing with network errors (dial ' +
      'timeouts, refused, no route): the controller cannot reach the ACME directory, or the HTTP-01 self-check cannot ' +
      'reach the service. When the node’s default route is the broken one (default-route-mismatch) this is one more ' +
      'symptom of it.',
    remediation:
      'Fix the node’s egress route first; then `kubectl describe challenge -A` and `cmctl renew` the certificate.',
  },
  evaluate(ev) {
    const events = (
      (ev.byType.get('cert-event') ?? []) as unknown as Array<CertEventRecord & { node?: string }>
    ).filter((e) => e.acme && EGRESS.test(`${e.error ?? ''} ${e.message}`));
    const certs = ((ev.byType.get('cert') ?? []) as unknown as Array<CertRecord & { node?: string }>).filter(
      (c) => c.ready === false && EGRESS.test(`${c.message ?? ''} ${c.reason ?? ''}`),
    );
    if (events.length + certs.length === 0) return [];
    const node = events.find((e) => e.node)?.node ?? certs.find((c) => c.node)?.node;
    return [
      {
        id: findingId('cert-acme-egress', node),
        rule: 'cert-acme-egress',
        title: 'ACME requests fail with network errors',
        layer: 'config',
        severity: 'medium',
        ...(node ? { node } : {}),
        summary: `${events.length} cert-manager ACME error(s) and ${certs.length} not-ready certificate object(s) fail with network errors, e.g. "${(events[0]?.error ?? events[0]?.message ?? certs[0]?.message ?? '').slice(0, 160)}".`,
        evidence: cap([
          ...events.map((e) => recordRef(e, e.text)),
          ...certs.map((c) => recordRef(c, `${c.kind} ${c.name}: ${c.message ?? c.reason ?? ''}`)),
        ]),
        facts: { events: events.length, certificates: certs.length },
      },
    ];
  },
};
