/**
 * MetalLB: manifests (`metallb.io` IPAddressPool / L2Advertisement, the legacy
 * `config` ConfigMap; YAML or JSON, see k8s/objects.ts) and speaker/controller
 * JSON logs (`kubectl logs`, with or without `--timestamps`/`--prefix`). Log
 * lines with an `event` become `metallb-event`s, as do ARP/NDP answers for a
 * service IP; other warnings and errors become `log` records; the rest is skipped.
 */
import type { LogRecord, MetallbEventRecord } from '../../src/model/records/index.js';
import { clip, displayText } from '../../src/util/sanitize.js';
import { parseIsoLike } from '../../src/util/time.js';
import type { LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { DocCollector, emitDoc, PROMPT_LINE, Tally } from './k8s/docs.js';
import { objectRecords } from './k8s/objects.js';
import { isoFromEpochNumber } from './k8s/time.js';

const KUBECTL_TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;
const POD_PREFIX = /^\[pod\/[^\]\s]{1,253}\] /;
const MEMBERLIST = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[[A-Z]+\] /;
const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ \S+:\d+\] /;

const EVENTS: Record<string, string> = {
  serviceAnnounced: 'announced',
  serviceWithdrawn: 'withdrawn',
  ipAllocated: 'allocated',
};

/** `createARPResponder` → `create-arp-responder`. */
function kebab(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

const sv = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? displayText(clip(v, 500)) : undefined;

/** A JSON object from a log line, or null. */
function jsonLine(l: string): Record<string, unknown> | null {
  if (l.charCodeAt(0) !== 0x7b || l.charCodeAt(l.length - 1) !== 0x7d) return null;
  try {
    const v = JSON.parse(l);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** A MetalLB log entry (as opposed to a one-line JSON manifest). */
const isLogEntry = (o: Record<string, unknown>) =>
  !('apiVersion' in o) && ('caller' in o || 'msg' in o) && ('level' in o || 'ts' in o);

function tsOf(v: unknown, fallback: string | null, tz: string): string | null {
  if (typeof v === 'string') return parseIsoLike(v, tz) ?? fallback;
  if (typeof v === 'number') return isoFromEpochNumber(v) ?? fallback;
  return fallback;
}

/** A log entry → record, or null when it is routine (info/debug without an event). */
export function metallbEntry(
  o: Record<string, unknown>,
  file: string,
  line: number,
  text: string,
  ts: string | null,
): MetallbEventRecord | LogRecord | null {
  const level = sv(o.level) ?? null;
  const message = sv(o.msg) ?? sv(o.message) ?? '';
  const raw = sv(o.event);
  const arp = /got (ARP|NDP) request for service IP/.exec(message);
  if (raw || arp) {
    const ips = [o.ips, o.ip]
      .flatMap((v) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []))
      .flatMap((v) => (sv(v) ? [sv(v) as string] : []));
    const uniq = [...new Set(ips)];
    const rawEvent = raw ?? `${arp?.[1].toLowerCase()}Response`;
    const r: MetallbEventRecord = {
      type: 'metallb-event',
      file,
      line,
      ts,
      level,
      event: EVENTS[rawEvent] ?? kebab(rawEvent),
      rawEvent,
      ips: uniq,
      message,
      text,
    };
    if (uniq.length) r.ip = uniq[0];
    const svc = sv(o.service);
    if (svc) r.service = svc;
    const node = sv(o.node) ?? sv(o.nodeName);
    if (node) r.node = node;
    const pool = sv(o.pool);
    if (pool) r.pool = pool;
    const proto = sv(o.protocol);
    if (proto) r.protocol = proto;
    const reason = sv(o.reason);
    if (reason) r.reason = reason;
    const iface = sv(o.interface);
    if (iface) r.iface = iface;
    const mac = sv(o.responseMAC) ?? sv(o.mac);
    if (mac) r.mac = mac;
    const sender = sv(o.senderIP);
    if (sender) r.client = { ip: sender };
    return r;
  }
  if (level !== 'error' && level !== 'warn' && level !== 'warning') return null;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'ts' || k === 'level' || k === 'msg') continue;
    fields[displayText(k)] =
      typeof v === 'string'
        ? displayText(clip(v, 500))
        : typeof v === 'object' && v !== null
          ? displayText(clip(JSON.stringify(v), 500))
          : v;
  }
  return { type: 'log', file, line, ts, level, message, fields, text };
}

function create(ctx: ParseContext): LineParser {
  const file = ctx.file;
  const docs = new DocCollector();
  const tally = new Tally();
  let logMode = false;
  const read = (o: Record<string, unknown>, line: number) => objectRecords(o, file, line);
  const line = (text: string, lineNo: number, out: TextSink): LineStatus => {
    tally.begin();
    if (PROMPT_LINE.test(text)) {
      // A new command: whatever document was open ends here.
      const d = docs.flush();
      if (d) tally.settle(emitDoc(d, read, out), d.lines);
      return tally.mark('skipped');
    }
    if (docs.idle) {
      let l = text.trim();
      let prefixTs: string | null = null;
      const k = KUBECTL_TS.exec(l);
      if (k) {
        prefixTs = parseIsoLike(k[1], ctx.tz);
        l = l.slice(k[0].length);
      }
      const p = POD_PREFIX.exec(l);
      if (p) l = l.slice(p[0].length);
      const o = jsonLine(l);
      if (o && isLogEntry(o)) {
        logMode = true;
        const r = metallbEntry(o, file, lineNo, displayText(clip(l, 2000)), tsOf(o.ts, prefixTs, ctx.tz));
        if (!r) return tally.mark('skipped');
        out.record(r);
        return tally.mark('parsed');
      }
      if (logMode) {
        if (l === '' || MEMBERLIST.test(l) || KLOG.test(l)) return tally.mark('skipped');
        out.issue(lineNo, 'metallb-unrecognised', `not a MetalLB log line: ${displayText(l.slice(0, 200))}`);
        return tally.mark('issue');
      }
    }
    const { done, collected } = docs.push(text, lineNo);
    if (done) tally.settle(emitDoc(done, read, out), done.lines);
    return collected ? tally.pending() : tally.mark('skipped');
  };
  return {
    line,
    end(out) {
      const d = docs.flush();
      if (d) tally.settle(emitDoc(d, read, out), d.lines);
      return tally.counts;
    },
  };
}

function sniff(lines: readonly string[]): number {
  let score = 0;
  for (const l of lines.slice(0, 100)) {
    if (/^\s*"?apiVersion"?\s*:\s*"?metallb\.io\//.test(l)) return 0.95;
    if (
      /"event":"(?:serviceAnnounced|serviceWithdrawn|ipAllocated|createARPResponder|deleteARPResponder)"/.test(
        l,
      )
    )
      return 0.95;
    if (/^\s*address-pools:\s*$/.test(l)) score = Math.max(score, 0.9);
    if (
      /"caller":"(?:announcer|layer2_controller|speakerlist|bgp_controller|service_controller|arp|ndp)\.go:\d+"/.test(
        l,
      )
    )
      score = Math.max(score, 0.7);
  }
  return score;
}

/** The `metallb` text format. */
export const metallb: TextFormat = {
  id: 'metallb',
  title: 'MetalLB manifests and speaker/controller logs',
  sniff: (lines) => sniff(lines),
  create,
  samples: [
    {
      note: 'IPAddressPool and L2Advertisement with node selector and interfaces',
      input: [
        'apiVersion: metallb.io/v1beta1',
        'kind: IPAddressPool',
        'metadata:',
        '  name: lan',
        '  namespace: metallb-system',
        'spec:',
        '  addresses:',
        '  - 192.0.2.240/29',
        '  - 192.0.2.250-192.0.2.252',
        '  autoAssign: false',
        '---',
        'apiVersion: metallb.io/v1beta1',
        'kind: L2Advertisement',
        'metadata:',
        '  name: lan',
        '  namespace: metallb-system',
        'spec:',
        '  ipAddressPools: [lan]',
        '  interfaces: [eth1]',
        '  nodeSelectors:',
        '  - matchLabels:',
        '      kubernetes.io/hostname: node1',
        '  - matchExpressions:',
        '    - {key: node-role.kubernetes.io/worker, operator: Exists}',
      ].join('\n'),
      records: [
        {
          type: 'metallb-pool',
          line: 1,
          name: 'lan',
          namespace: 'metallb-system',
          addresses: ['192.0.2.240/29', '192.0.2.250-192.0.2.252'],
          autoAssign: false,
        },
        {
          type: 'metallb-l2adv',
          line: 12,
          name: 'lan',
          ipAddressPools: ['lan'],
          interfaces: ['eth1'],
          nodeSelectors: ['kubernetes.io/hostname=node1', 'node-role.kubernetes.io/worker Exists'],
          nodes: ['node1'],
        },
      ],
    },
    {
      note: 'legacy ConfigMap config with address-pools',
      input: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  namespace: metallb-system',
        '  name: config',
        'data:',
        '  config: |',
        '    address-pools:',
        '    - name: default',
        '      protocol: layer2',
        '      addresses:',
        '      - 192.0.2.240-192.0.2.250',
      ].join('\n'),
      records: [
        { type: 'metallb-pool', name: 'default', protocol: 'layer2', addresses: ['192.0.2.240-192.0.2.250'] },
      ],
    },
    {
      note: 'speaker log: announced, withdrawn, ARP responder and answer, routine line, memberlist text',
      input: [
        '{"caller":"main.go:409","event":"serviceAnnounced","ips":["192.0.2.240"],"level":"info","msg":"service has IP, announcing","pool":"lan","protocol":"layer2","service":"kube-system/traefik","ts":"2024-05-01T10:00:00Z"}',
        '{"caller":"main.go:374","event":"serviceWithdrawn","ip":null,"ips":null,"level":"info","msg":"withdrawing service announcement","pool":"","protocol":"layer2","reason":"notOwner","service":"kube-system/traefik","ts":"2024-05-01T10:05:00.5Z"}',
        '{"caller":"announcer.go:126","event":"createARPResponder","interface":"eth1","level":"info","msg":"created ARP responder for interface","ts":"2024-05-01T10:00:00Z"}',
        '{"caller":"arp.go:110","interface":"eth1","ip":"192.0.2.240","level":"debug","msg":"got ARP request for service IP, sending response","responseMAC":"08:00:27:aa:bb:cc","senderIP":"192.0.2.50","senderMAC":"08:00:27:11:22:33","ts":"2024-05-01T10:00:01Z"}',
        '{"caller":"node_controller.go:46","controller":"NodeReconciler","level":"info","start reconcile":"/node1","ts":"2024-05-01T10:00:00Z"}',
        '2024/05/01 10:00:02 [DEBUG] memberlist: Stream connection from=192.0.2.11:44444',
        '{"caller":"main.go:120","error":"dial tcp: i/o timeout","level":"error","msg":"failed to update","ts":"2024-05-01T10:00:03Z"}',
      ].join('\n'),
      records: [
        {
          type: 'metallb-event',
          ts: '2024-05-01T10:00:00.000000000Z',
          event: 'announced',
          rawEvent: 'serviceAnnounced',
          service: 'kube-system/traefik',
          ip: '192.0.2.240',
          pool: 'lan',
          protocol: 'layer2',
        },
        {
          type: 'metallb-event',
          event: 'withdrawn',
          reason: 'notOwner',
          ips: [],
          ts: '2024-05-01T10:05:00.500000000Z',
        },
        { type: 'metallb-event', event: 'create-arp-responder', iface: 'eth1' },
        {
          type: 'metallb-event',
          event: 'arp-response',
          ip: '192.0.2.240',
          iface: 'eth1',
          mac: '08:00:27:aa:bb:cc',
          client: { ip: '192.0.2.50' },
        },
        {
          type: 'log',
          level: 'error',
          message: 'failed to update',
          fields: { error: 'dial tcp: i/o timeout' },
        },
      ],
    },
    {
      note: 'controller log via kubectl logs --timestamps --prefix',
      input:
        '2024-05-01T10:00:00.123456789Z [pod/controller-5c9/controller] {"caller":"service.go:140","event":"ipAllocated","ip":["192.0.2.240"],"level":"info","msg":"IP address assigned by controller","service":"kube-system/traefik"}',
      records: [
        {
          type: 'metallb-event',
          event: 'allocated',
          ip: '192.0.2.240',
          ts: '2024-05-01T10:00:00.123456789Z',
        },
      ],
    },
    {
      note: 'negative: plain text inside a log file is an issue',
      input: [
        '{"caller":"main.go:409","event":"serviceAnnounced","ips":["192.0.2.240"],"level":"info","msg":"x","service":"a/b","ts":"2024-05-01T10:00:00Z"}',
        'panic: something broke',
      ].join('\n'),
      issues: 1,
      records: [{ type: 'metallb-event', event: 'announced' }],
    },
  ],
};
