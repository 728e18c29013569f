/**
 * client-failures (L7): what clients saw — curl errors (SSL_ERROR_SYSCALL,
 * timeouts, refused, unreachable), failed pings — grouped by client and kind,
 * with the target address so lower layers can be checked for it.
 */
import { recordsOf } from '../src/engine/evidence.js';
import { recordRef } from '../src/engine/facts.js';
import { cap, findingId, groupBy, sortedGroups } from '../src/engine/finding.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding, Severity } from '../src/model/analysis.js';

/** The fields of a `curl` record this rule reads. */
interface CurlLike {
  file: string;
  line?: number;
  server?: { ip?: string | null };
  errors?: string[];
}

/** Classify a client error text. */
export function clientErrorKind(text: string, code?: string | number): string {
  const t = text.toLowerCase();
  if (/bad record mac|decryption failed/.test(t)) return 'tls-integrity';
  if (/ssl_error_syscall|unexpected eof|connection reset|econnreset/.test(t)) return 'tls-reset';
  if (/unreachable|no route to host/.test(t)) return 'unreachable';
  if (/timed out|timeout|request timed out|100% packet loss/.test(t) || code === 28) return 'timeout';
  if (/refused/.test(t) || code === 7) return 'refused';
  if (/certificate|ssl_r_|verify/.test(t)) return 'certificate';
  if (/resolve|name or service not known|could not resolve/.test(t) || code === 6) return 'dns';
  return 'other';
}

/**
 * The curl run an error line belongs to: of the file's curl records at or before that
 * line, the last (the first listed when several share its line). Indexed once, instead of
 * filtering and sorting all curl records for every error.
 */
function curlBefore(curls: readonly CurlLike[]): (file: string, line: number) => CurlLike | undefined {
  const byFile = new Map<string, CurlLike[]>();
  for (const c of curls) {
    const l = byFile.get(c.file);
    if (l) l.push(c);
    else byFile.set(c.file, [c]);
  }
  const at = (c: CurlLike) => c.line ?? 0;
  // Stable: records that share a line keep their order.
  for (const l of byFile.values()) l.sort((a, b) => at(a) - at(b));
  return (file, line) => {
    const l = byFile.get(file);
    if (!l) return undefined;
    // First index whose line is > `line`, then the start of the run before it.
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at(l[mid]) <= line) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    let i = lo - 1;
    while (i > 0 && at(l[i - 1]) === at(l[lo - 1])) i--;
    return l[i];
  };
}

export const rule: Rule = {
  meta: {
    id: 'client-failures',
    title: 'Client-side failures (curl, ping)',
    layer: 'L7',
    severity: 'medium',
    needs: ['client-error'],
    description:
      'Failures reported by client tools collected in the bundle: curl exit codes and OpenSSL errors (SSL_ERROR_SYSCALL, ' +
      'decryption failed or bad record mac, connection timed out, connection refused), and pings that got no echo reply ' +
      '(including Windows pings whose "Received" counts Destination-host-unreachable answers). Grouped by client and kind; ' +
      'the target tells which service address to follow down the stack.',
  },
  evaluate(ev) {
    const errs = recordsOf(ev, 'client-error');
    if (errs.length === 0) return [];
    // curl invocations give the address actually tried and the lower-level errors behind the final one.
    const curls = (ev.byType.get('curl') ?? []) as unknown as CurlLike[];
    const before = curlBefore(curls);
    const context = (r: (typeof errs)[number]): { target?: string; detail: string } => {
      if (r.tool !== 'curl') return { target: r.target, detail: r.text };
      const c = before(r.file, r.line ?? 0);
      return { target: c?.server?.ip ?? r.target, detail: [r.text, ...(c?.errors ?? [])].join(' | ') };
    };
    const targetOf = new Map<(typeof errs)[number], string | undefined>();
    const groups = groupBy(errs, (r) => {
      const cx = context(r);
      targetOf.set(r, cx.target);
      return `${r.node ?? ''}|${clientErrorKind(cx.detail, r.code)}`;
    });
    const out: Finding[] = [];
    for (const [k, list] of sortedGroups(groups)) {
      const [node, kind] = k.split('|');
      const targets = [...new Set(list.map((r) => targetOf.get(r)).filter((t): t is string => !!t))].sort();
      const severity: Severity = kind === 'dns' || kind === 'other' ? 'low' : 'medium';
      out.push({
        id: findingId('client-failures', node || undefined, kind),
        rule: 'client-failures',
        title: `Client ${node || ''} fails: ${kind}`.replace(/\s+/g, ' '),
        layer: 'L7',
        severity,
        ...(node ? { node } : {}),
        summary: `${node || 'a client'}: ${list.length} ${kind} failure(s)${targets.length ? ` towards ${targets.join(', ')}` : ''} — e.g. "${list[0].text.slice(0, 160)}"`,
        evidence: cap(list).map((r) => recordRef(r, r.text)),
        facts: { kind, count: list.length, targets, client: node },
      });
    }
    return out;
  },
};
