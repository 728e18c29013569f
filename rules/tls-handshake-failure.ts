/**
 * tls-handshake-failure (L7): TLS handshake failures other than bad record MAC —
 * EOF, reset, timeout, certificate problems, non-TLS clients — grouped by cause
 * and client, plus TLS alerts seen in captures.
 */
import { FlowIndex } from '../src/engine/correlate.js';
import { notKeptOf, recordsOf } from '../src/engine/evidence.js';
import { recordRef } from '../src/engine/facts.js';
import { cap, eventRef, findingId, groupBy, sortedGroups } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding, Severity } from '../src/model/analysis.js';

/** Causes that point at the network (as opposed to configuration or scanners). */
const NETWORK_CAUSES = new Set(['eof', 'reset', 'timeout']);

export const rule: Rule = {
  meta: {
    id: 'tls-handshake-failure',
    title: 'TLS handshake failures (EOF, reset, timeout, certificate)',
    layer: 'L7',
    severity: 'medium',
    needs: ['tls-handshake-error', 'flows'],
    description:
      'Handshakes that did not complete for reasons other than record integrity: the peer closed (EOF) or reset the ' +
      'connection, the handshake timed out, a certificate was rejected, or the client did not speak TLS. Grouped by cause ' +
      'and client; EOF/reset/timeout from many clients point at the path, certificate causes at configuration, scattered ' +
      'not-tls errors usually at scanners. Captured TLS alerts (other than bad_record_mac) are included.',
    remediation:
      'For EOF/reset/timeout follow the joined flows down to L4/L3; for certificate causes check the served chain and client trust.',
  },
  evaluate(ev) {
    const errs = recordsOf(ev, 'tls-handshake-error').filter((r) => r.cause !== 'bad-record-mac');
    const alerts = ev.events.filter((e) => e.kind === 'tls-alert' && !/bad_record_mac/.test(e.text));
    if (errs.length + alerts.length === 0) return [];
    const flows = FlowIndex.of(ev.flows);
    const byCause = groupBy(errs, (r) => r.cause);
    const out: Finding[] = [];
    for (const [cause, list] of sortedGroups(byCause)) {
      const seen = new Set<string>();
      let joined = 0;
      for (const r of list) {
        seen.add(r.client.ip ?? '?');
        if (!flows.empty && flows.join(r.node, r.client.ip, r.client.port, r.ts).status === 'joined')
          joined++;
      }
      const clients = [...seen].sort();
      const node = list.find((r) => r.node)?.node;
      const severity: Severity = NETWORK_CAUSES.has(cause) && list.length >= 3 ? 'medium' : 'low';
      // Beyond a log's record cap errors are counted, not kept: the total includes them.
      const notKept = notKeptOf(ev, 'tls-handshake-error', cause);
      out.push({
        id: findingId('tls-handshake-failure', node, cause),
        rule: 'tls-handshake-failure',
        title: `TLS handshake failures: ${cause}`,
        layer: 'L7',
        severity,
        ...(node ? { node } : {}),
        summary: `${list.length + notKept} TLS handshake error(s) with cause "${cause}"${notKept ? ` (${list.length} kept for detail)` : ''} from ${clients.length} client(s) (${clients.slice(0, 5).join(', ')}${clients.length > 5 ? ', …' : ''}); ${joined} joined to a captured flow.`,
        evidence: cap(list).map((r) => recordRef(r, r.text)),
        facts: { cause, count: list.length, ...(notKept ? { notKept } : {}), clients },
      });
    }
    if (alerts.length) {
      const node = alerts.find((a) => a.node)?.node;
      out.push({
        id: findingId('tls-handshake-failure', node, 'alerts'),
        rule: 'tls-handshake-failure',
        title: 'TLS alerts in captures',
        layer: 'L7',
        severity: 'low',
        ...(node ? { node } : {}),
        summary: `${alerts.length} TLS alert(s) captured: ${[...new Set(alerts.map((a) => a.text.replace(/^.*alert:?\s*/i, '')))].slice(0, 4).join('; ')}.`,
        evidence: cap(alerts).map(eventRef),
        facts: { count: alerts.length },
      });
    }
    return out;
  },
};
