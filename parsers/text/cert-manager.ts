/**
 * cert-manager: controller logs (klog text, old logr `"msg"="…" "error"="…"`
 * pairs, new `key="value"` pairs, or JSON), `kubectl describe
 * certificate|issuer|clusterissuer|certificaterequest|order|challenge` and
 * `kubectl get` tables of those kinds. Log warnings/errors and describe events
 * become `cert-event`s; readiness becomes `cert` (at the end of each describe
 * block, or per table row).
 */
import type { CertEventRecord, CertRecord } from '../../src/model/records/index.js';
import { clip, displayText } from '../../src/util/sanitize.js';
import { parseIsoLike, wallClockToIso } from '../../src/util/time.js';
import type { LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { PROMPT_LINE, Tally } from './k8s/docs.js';
import { condStatus } from './k8s/objects.js';
import { cell, parseHeader, rowCells, type Table } from './k8s/table.js';
import { isoFromEpochNumber } from './k8s/time.js';

const KUBECTL_TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;
const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,9})\s+\d+ ([^\]\s]+)\] ?(.*)$/;
const LOGGER = /^(cert-manager[\w/.-]*)\s+/;
const KV = /(?:"([^"\\]{1,100})"|([A-Za-z_][\w.-]{0,100}))=("(?:[^"\\]|\\.)*"|\S+)/g;
const LEAD_QUOTED = /^"((?:[^"\\]|\\.)*)"(?!=)/;
const DESCRIBE_KEY = /^( *)([A-Za-z][\w .()/-]*?):(?:\s+(.*))?$/;
const LEVELS: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };
const KINDS = ['Certificate', 'Issuer', 'ClusterIssuer', 'CertificateRequest', 'Order', 'Challenge'];
const PREFIX_KIND: Record<string, string> = {
  certificate: 'Certificate',
  issuer: 'Issuer',
  clusterissuer: 'ClusterIssuer',
  certificaterequest: 'CertificateRequest',
  order: 'Order',
  challenge: 'Challenge',
};

/** Go `%q` / JSON string literal → text. */
function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  try {
    return JSON.parse(s);
  } catch {
    return s.slice(1, -1);
  }
}

const isAcme = (s: string) => /\bacme\b|urn:ietf:params:acme|\bchallenges?\b|\borders?\b/i.test(s);
/** Event types of `kubectl describe` in the log-level vocabulary. */
const EVENT_LEVEL: Record<string, string> = { Normal: 'info', Warning: 'warning' };

/** A log entry → `cert-event`, or null when it is routine (info without an error). */
function logEvent(
  file: string,
  line: number,
  ts: string | null,
  level: string | null,
  logger: string | undefined,
  message: string,
  kv: Record<string, string>,
  text: string,
): CertEventRecord | null {
  const error = kv.error ?? kv.err;
  if (!error && (level === 'info' || level === 'debug' || level === null)) return null;
  const r: CertEventRecord = {
    type: 'cert-event',
    file,
    line,
    ts,
    level,
    message: displayText(clip(message, 2000)),
    acme: isAcme(`${error ?? ''} ${logger ?? ''}`),
    text: displayText(clip(text, 4000)),
  };
  if (logger) r.logger = displayText(logger);
  if (error) r.error = displayText(clip(error, 2000));
  const name = kv.resource_name;
  if (name) {
    const ns = kv.resource_namespace;
    const kind = kv.resource_kind;
    r.resource = displayText(`${kind ? `${kind}/` : ''}${ns ? `${ns}/` : ''}${name}`);
  }
  return r;
}

/** Parse the body of a klog line: logger, message, key/value pairs. */
function klogBody(body: string): { logger?: string; message: string; kv: Record<string, string> } {
  let rest = body;
  let logger: string | undefined;
  const lg = LOGGER.exec(rest);
  if (lg) {
    logger = lg[1];
    rest = rest.slice(lg[0].length);
  }
  let message = '';
  const lq = LEAD_QUOTED.exec(rest);
  if (lq) {
    message = unquote(`"${lq[1]}"`);
    rest = rest.slice(lq[0].length);
  }
  const kv: Record<string, string> = {};
  let firstKv = -1;
  KV.lastIndex = 0;
  for (let m = KV.exec(rest); m; m = KV.exec(rest)) {
    if (firstKv < 0) firstKv = m.index;
    kv[m[1] ?? m[2]] = unquote(m[3]);
  }
  if (!message) message = kv.msg ?? (firstKv < 0 ? rest : rest.slice(0, firstKv)).trim();
  if (!logger && kv.logger) logger = kv.logger;
  return { logger, message, kv };
}

/** One `kubectl describe` block being read. */
interface Block {
  line: number;
  name: string;
  namespace?: string;
  kind?: string;
  api?: string;
  lines: number;
  stack: Array<{ indent: number; key: string }>;
  conds: Array<Record<string, string>>;
  cond: Record<string, string> | null;
  fields: Record<string, string>;
  dnsNames: string[];
  events: CertEventRecord[];
  evHeader: { names: string[]; starts: number[] } | null;
  /** `Events:  <none>` seen: the block is complete. */
  ended: boolean;
}

function blockRecords(b: Block, file: string): { cert: CertRecord; events: CertEventRecord[] } | null {
  const kind = b.kind ?? '';
  if (!KINDS.includes(kind) && !/cert-manager\.io\//.test(b.api ?? '')) return null;
  const r: CertRecord = { type: 'cert', file, line: b.line, kind: kind || '?', name: b.name, ready: null };
  if (b.namespace) r.namespace = b.namespace;
  const ready = b.conds.find((c) => c.Type === 'Ready');
  if (ready) {
    r.ready = condStatus(ready.Status);
    if (ready.Reason) r.reason = ready.Reason;
    if (ready.Message) r.message = ready.Message;
  }
  const f = b.fields;
  if (f['Status.State']) {
    r.state = f['Status.State'];
    if (!ready)
      r.ready = r.state === 'valid' ? true : /^(?:invalid|errored|expired)$/.test(r.state) ? false : null;
    if (f['Status.Reason'] && !r.message) r.message = f['Status.Reason'];
  }
  if (f['Spec.Secret Name']) r.secret = f['Spec.Secret Name'];
  const iname = f['Spec.Issuer Ref.Name'];
  if (iname) r.issuer = f['Spec.Issuer Ref.Kind'] ? `${f['Spec.Issuer Ref.Kind']}/${iname}` : iname;
  if (b.dnsNames.length) r.dnsNames = b.dnsNames;
  else if (f['Spec.Dns Name']) r.dnsNames = [f['Spec.Dns Name']];
  if (f['Status.Not After']) r.notAfter = f['Status.Not After'];
  const res = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  for (const e of b.events) e.resource = res;
  return { cert: r, events: b.events };
}

function create(ctx: ParseContext): LineParser {
  const file = ctx.file;
  const year = ctx.year ?? new Date().getUTCFullYear();
  const tally = new Tally();
  let block: Block | null = null;
  let table: Table | null = null;
  let tableKind: string | null = null;

  const endBlock = (out: TextSink) => {
    const b = block;
    block = null;
    if (!b) return;
    if (b.cond) b.conds.push(b.cond);
    const recs = blockRecords(b, file);
    if (!recs) {
      tally.settle({ parsed: 0, skipped: b.lines, issues: 0 }, b.lines);
      return;
    }
    tally.settle({ parsed: b.lines, skipped: 0, issues: 0 }, b.lines);
    out.record(recs.cert);
    for (const e of recs.events) out.record(e);
  };

  const describeLine = (b: Block, text: string, lineNo: number): void => {
    b.lines++;
    if (b.evHeader) {
      // Events table rows: Type Reason Age From Message, sliced at the header's column starts.
      if (/^\s+-{2,}/.test(text)) return;
      const h = b.evHeader;
      const cells = h.names.map((_, i) => text.slice(h.starts[i], h.starts[i + 1] ?? text.length).trim());
      const c = Object.fromEntries(h.names.map((n, i) => [n, cells[i]]));
      if (!c.Type) return;
      const msg = c.Message ?? '';
      const ev: CertEventRecord = {
        type: 'cert-event',
        file,
        line: lineNo,
        ts: null,
        level: EVENT_LEVEL[c.Type] ?? displayText(c.Type),
        message: displayText(clip(msg, 2000)),
        acme: isAcme(msg) || isAcme(c.From ?? ''),
        text: displayText(clip(text.trim(), 4000)),
      };
      if (c.Reason) ev.reason = displayText(c.Reason);
      if (c.From) ev.logger = displayText(c.From);
      b.events.push(ev);
      return;
    }
    if (/^Events:/.test(text)) {
      if (/<none>\s*$/.test(text)) b.ended = true;
      b.stack = [{ indent: 0, key: 'Events' }];
      return;
    }
    if (b.stack[0]?.key === 'Events' && /^\s+Type\s+Reason\s+/.test(text)) {
      const names: string[] = [];
      const starts: number[] = [];
      const re = /\S+/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        names.push(m[0]);
        starts.push(m.index);
      }
      b.evHeader = { names, starts };
      return;
    }
    const m = DESCRIBE_KEY.exec(text);
    if (!m) {
      // A bare value: an item of the list section above (Dns Names), or a continuation.
      const v = text.trim();
      const top = b.stack[b.stack.length - 1];
      if (v && top?.key === 'Dns Names') b.dnsNames.push(displayText(v));
      return;
    }
    const indent = m[1].length;
    const key = m[2];
    const value = m[3]?.trim() ?? '';
    while (b.stack.length && b.stack[b.stack.length - 1].indent >= indent) b.stack.pop();
    const path = [...b.stack.map((s) => s.key), key];
    if (path[0] === 'Status' && path[1] === 'Conditions' && path.length === 3) {
      if (b.cond && key in b.cond) {
        b.conds.push(b.cond);
        b.cond = null;
      }
      b.cond ??= {};
      b.cond[key] = displayText(clip(value, 2000));
    } else if (value) {
      const p = path.join('.');
      if (p === 'Namespace') b.namespace = displayText(value);
      else if (p === 'Kind') b.kind = displayText(value);
      else if (p === 'API Version') b.api = value;
      else b.fields[p] = displayText(clip(value, 2000));
    }
    if (!value) b.stack.push({ indent, key });
  };

  const line = (raw: string, lineNo: number, out: TextSink): LineStatus => {
    tally.begin();
    if (PROMPT_LINE.test(raw)) {
      endBlock(out);
      table = null;
      return tally.mark('skipped');
    }
    const name = /^Name:\s+(\S+)\s*$/.exec(raw);
    if (name) {
      endBlock(out);
      table = null;
      block = {
        line: lineNo,
        name: displayText(name[1]),
        lines: 1,
        stack: [],
        conds: [],
        cond: null,
        fields: {},
        dnsNames: [],
        events: [],
        evHeader: null,
        ended: false,
      };
      return tally.pending();
    }
    if (block) {
      const b = block as Block;
      if (raw.trim() === '' && b.evHeader) {
        endBlock(out);
        return tally.mark('skipped');
      }
      describeLine(b, raw, lineNo);
      const s = tally.pending();
      if (b.ended) endBlock(out);
      return s;
    }
    let l = raw.trim();
    if (l === '') {
      table = null;
      return tally.mark('skipped');
    }
    let prefixTs: string | null = null;
    const k = KUBECTL_TS.exec(l);
    if (k) {
      prefixTs = parseIsoLike(k[1], ctx.tz);
      l = l.slice(k[0].length);
    }
    const kl = KLOG.exec(l);
    if (kl) {
      table = null;
      const ts =
        prefixTs ??
        wallClockToIso(
          { year, month: +kl[2], day: +kl[3], hour: +kl[4], minute: +kl[5], second: +kl[6], frac: kl[7] },
          ctx.tz,
        );
      const body = klogBody(kl[9]);
      const ev = logEvent(file, lineNo, ts, LEVELS[kl[1]], body.logger, body.message, body.kv, l);
      if (!ev) return tally.mark('skipped');
      out.record(ev);
      return tally.mark('parsed');
    }
    if (l.startsWith('{') && l.endsWith('}')) {
      let o: Record<string, unknown> | null = null;
      try {
        const v = JSON.parse(l);
        if (v && typeof v === 'object' && !Array.isArray(v)) o = v;
      } catch {
        o = null;
      }
      if (o) {
        const kv: Record<string, string> = {};
        for (const [key, v] of Object.entries(o))
          if (typeof v === 'string' || typeof v === 'number') kv[key] = String(v);
        let ts = prefixTs;
        if (typeof o.ts === 'number') ts = isoFromEpochNumber(o.ts) ?? ts;
        else if (typeof o.ts === 'string') ts = parseIsoLike(o.ts, ctx.tz) ?? ts;
        const level = typeof o.level === 'string' ? o.level : kv.err || kv.error ? 'error' : 'info';
        const ev = logEvent(file, lineNo, ts, level, kv.logger, kv.msg ?? kv.message ?? '', kv, l);
        if (!ev) return tally.mark('skipped');
        out.record(ev);
        return tally.mark('parsed');
      }
    }
    const h = parseHeader(raw);
    if (h) {
      table = h;
      const n = h.names;
      tableKind = !n.includes('NAME')
        ? null
        : n.includes('SECRET')
          ? 'Certificate'
          : n.includes('APPROVED')
            ? 'CertificateRequest'
            : n.includes('DOMAIN') && n.includes('STATE')
              ? 'Challenge'
              : n.includes('STATE')
                ? 'Order'
                : n.includes('READY')
                  ? 'Issuer'
                  : null;
      return tally.mark('skipped');
    }
    if (table) {
      if (!tableKind) return tally.mark('skipped');
      const c = rowCells(table, raw);
      const nm = cell(c.NAME);
      const ready = cell(c.READY);
      if (!nm || (ready !== undefined && !/^(?:True|False|Unknown)$/.test(ready))) {
        out.issue(lineNo, 'cert-row', `unreadable ${tableKind} row: ${displayText(raw.slice(0, 200))}`);
        return tally.mark('issue');
      }
      const pre = /^([a-z]+)\.(?:acme\.)?cert-manager\.io\/(.+)$/.exec(nm);
      const r: CertRecord = {
        type: 'cert',
        file,
        line: lineNo,
        kind: (pre && PREFIX_KIND[pre[1]]) || tableKind,
        name: displayText(pre ? pre[2] : nm),
        ready: ready === undefined ? null : condStatus(ready),
      };
      const ns = cell(c.NAMESPACE);
      if (ns) r.namespace = displayText(ns);
      const secret = cell(c.SECRET);
      if (secret) r.secret = displayText(secret);
      const issuer = cell(c.ISSUER);
      if (issuer) r.issuer = displayText(issuer);
      const status = cell(c.STATUS) ?? cell(c.REASON);
      if (status) r.message = displayText(status);
      const state = cell(c.STATE);
      if (state) {
        r.state = displayText(state);
        if (ready === undefined)
          r.ready = state === 'valid' ? true : /^(?:invalid|errored|expired)$/.test(state) ? false : null;
      }
      const domain = cell(c.DOMAIN);
      if (domain) r.dnsNames = [displayText(domain)];
      out.record(r);
      return tally.mark('parsed');
    }
    if (/^(?:No resources found|Error from server|error: |Warning: )/.test(l)) return tally.mark('skipped');
    out.issue(lineNo, 'cert-manager-unrecognised', `unrecognised line: ${displayText(l.slice(0, 200))}`);
    return tally.mark('issue');
  };
  return {
    line,
    end(out) {
      endBlock(out);
      return tally.counts;
    },
  };
}

function sniff(lines: readonly string[]): number {
  let score = 0;
  for (const l of lines.slice(0, 100)) {
    if (/^API Version:\s+(?:acme\.)?cert-manager\.io\//.test(l)) return 0.95;
    if (/^(?:\S+ )?[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+\] (?:"[^"]*" )?.*cert-manager/.test(l))
      return 0.9;
    if (/"logger":"cert-manager/.test(l)) return 0.9;
    if (/^Kind:\s+(?:Certificate|Issuer|ClusterIssuer|CertificateRequest)\s*$/.test(l))
      score = Math.max(score, 0.8);
    const h = parseHeader(l);
    if (h?.names.includes('NAME') && h.names.includes('READY') && h.names.includes('SECRET'))
      score = Math.max(score, 0.9);
    if (
      /^(?:certificate|issuer|clusterissuer|certificaterequest|order|challenge)\.(?:acme\.)?cert-manager\.io\//.test(
        l,
      )
    )
      score = Math.max(score, 0.9);
    if (/^\S+\s+(?:True|False)\s+\d+[smhdy]/.test(l)) score = Math.max(score, 0.4); // NAME READY AGE rows
  }
  return score;
}

/** The `cert-manager` text format. */
export const certManager: TextFormat = {
  id: 'cert-manager',
  title: 'cert-manager logs, kubectl describe/get of certificates and issuers',
  sniff: (lines) => sniff(lines),
  create,
  samples: [
    {
      note: 'klog with old logr pairs: ACME propagation error; info line skipped',
      input: [
        'E0501 10:00:00.123456       1 controller.go:167] cert-manager/challenges "msg"="propagation check failed" "error"="wrong status code \'404\', expected \'200\'" "dnsName"="web.example" "resource_kind"="Challenge" "resource_name"="web-tls-1-2-3" "resource_namespace"="default" "resource_version"="v1" "type"="HTTP-01"',
        'I0501 10:00:01.000000       1 conditions.go:203] Setting lastTransitionTime for Certificate "web-tls" condition "Ready" to 2024-05-01 10:00:01 +0000 UTC',
      ].join('\n'),
      records: [
        {
          type: 'cert-event',
          line: 1,
          level: 'error',
          logger: 'cert-manager/challenges',
          message: 'propagation check failed',
          error: "wrong status code '404', expected '200'",
          resource: 'Challenge/default/web-tls-1-2-3',
          acme: true,
        },
      ],
    },
    {
      note: 'klog with new key=value pairs and JSON log',
      input: [
        'E0501 10:00:00.000000       1 sync.go:190] "failed to create Order resource due to bad request, marking Order as failed" err="429 urn:ietf:params:acme:error:rateLimited: too many certificates" logger="cert-manager.orders" resource_name="web-tls-1-1" resource_namespace="default" resource_kind="Order"',
        '{"ts":1714557600000.5,"caller":"acme/sync.go:120","msg":"error re-queuing item","err":"acme: authorization error for web.example: 403 urn:ietf:params:acme:error:unauthorized","logger":"cert-manager.orders"}',
      ].join('\n'),
      records: [
        {
          type: 'cert-event',
          logger: 'cert-manager.orders',
          message: 'failed to create Order resource due to bad request, marking Order as failed',
          error: '429 urn:ietf:params:acme:error:rateLimited: too many certificates',
          resource: 'Order/default/web-tls-1-1',
          acme: true,
        },
        {
          type: 'cert-event',
          ts: '2024-05-01T10:00:00.000500000Z',
          level: 'error',
          logger: 'cert-manager.orders',
          acme: true,
        },
      ],
    },
    {
      note: 'kubectl describe certificate: Ready False with events',
      input: [
        'Name:         web-tls',
        'Namespace:    default',
        'Labels:       <none>',
        'Annotations:  <none>',
        'API Version:  cert-manager.io/v1',
        'Kind:         Certificate',
        'Metadata:',
        '  Creation Timestamp:  2024-05-01T09:00:00Z',
        'Spec:',
        '  Dns Names:',
        '    web.example',
        '    www.web.example',
        '  Issuer Ref:',
        '    Kind:       ClusterIssuer',
        '    Name:       letsencrypt',
        '  Secret Name:  web-tls',
        'Status:',
        '  Conditions:',
        '    Last Transition Time:  2024-05-01T09:00:00Z',
        '    Message:               Issuing certificate as Secret does not exist',
        '    Observed Generation:   1',
        '    Reason:                DoesNotExist',
        '    Status:                False',
        '    Type:                  Ready',
        '    Last Transition Time:  2024-05-01T09:00:00Z',
        '    Message:               Issuing certificate as Secret does not exist',
        '    Status:                True',
        '    Type:                  Issuing',
        'Events:',
        '  Type     Reason     Age                From                                       Message',
        '  ----     ------     ----               ----                                       -------',
        '  Normal   Issuing    10m                cert-manager-certificates-trigger          Issuing certificate as Secret does not exist',
        '  Warning  Failed     2m (x3 over 8m)    cert-manager-certificates-issuing          The certificate request has failed to complete and will be retried: Failed to wait for order resource "web-tls-1-1" to become ready: order is in "errored" state',
      ].join('\n'),
      records: [
        {
          type: 'cert',
          line: 1,
          kind: 'Certificate',
          name: 'web-tls',
          namespace: 'default',
          ready: false,
          reason: 'DoesNotExist',
          message: 'Issuing certificate as Secret does not exist',
          secret: 'web-tls',
          issuer: 'ClusterIssuer/letsencrypt',
          dnsNames: ['web.example', 'www.web.example'],
        },
        {
          type: 'cert-event',
          line: 32,
          level: 'info',
          reason: 'Issuing',
          resource: 'Certificate/default/web-tls',
        },
        {
          type: 'cert-event',
          line: 33,
          level: 'warning',
          reason: 'Failed',
          logger: 'cert-manager-certificates-issuing',
          acme: true,
        },
      ],
    },
    {
      note: 'kubectl describe clusterissuer: Ready True, no events; then a describe of something else',
      input: [
        'Name:         letsencrypt',
        'Namespace:',
        'API Version:  cert-manager.io/v1',
        'Kind:         ClusterIssuer',
        'Spec:',
        '  Acme:',
        '    Server:  https://acme-v02.api.letsencrypt.org/directory',
        'Status:',
        '  Acme:',
        '    Uri:  https://acme-v02.api.letsencrypt.org/acme/acct/1',
        '  Conditions:',
        '    Last Transition Time:  2024-05-01T09:00:00Z',
        '    Message:               The ACME account was registered with the ACME server',
        '    Reason:                ACMEAccountRegistered',
        '    Status:                True',
        '    Type:                  Ready',
        'Events:                    <none>',
        'Name:         other',
        'Kind:         Service',
      ].join('\n'),
      records: [
        {
          type: 'cert',
          kind: 'ClusterIssuer',
          name: 'letsencrypt',
          ready: true,
          reason: 'ACMEAccountRegistered',
        },
      ],
    },
    {
      note: 'kubectl get certificate -o wide, issuers and challenges tables',
      input: [
        'NAME      READY   SECRET    ISSUER        STATUS                                         AGE',
        'web-tls   False   web-tls   letsencrypt   Issuing certificate as Secret does not exist   10m',
        'api-tls   True    api-tls   letsencrypt   Certificate is up to date and has not expired  5d',
        '',
        'NAME                                        READY   AGE',
        'clusterissuer.cert-manager.io/letsencrypt   True    30d',
        '',
        'NAME                    STATE     DOMAIN        AGE',
        'web-tls-1-2-3           pending   web.example   9m',
      ].join('\n'),
      records: [
        {
          type: 'cert',
          kind: 'Certificate',
          name: 'web-tls',
          ready: false,
          secret: 'web-tls',
          issuer: 'letsencrypt',
          message: 'Issuing certificate as Secret does not exist',
        },
        { type: 'cert', kind: 'Certificate', name: 'api-tls', ready: true },
        { type: 'cert', kind: 'ClusterIssuer', name: 'letsencrypt', ready: true },
        {
          type: 'cert',
          kind: 'Challenge',
          name: 'web-tls-1-2-3',
          state: 'pending',
          ready: null,
          dnsNames: ['web.example'],
        },
      ],
    },
    {
      note: 'negative: a StatefulSet-style READY column and free text are issues',
      input: ['NAME   READY   SECRET   AGE', 'web    1/1     x        1d', 'some free text'].join('\n'),
      issues: 2,
      records: [],
    },
  ],
};
