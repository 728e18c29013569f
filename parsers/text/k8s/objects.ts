/**
 * Kubernetes objects → records: Service (`k8s-service`), Pod (`k8s-pod`), MetalLB IPAddressPool,
 * L2Advertisement and the legacy `config` ConfigMap (`metallb-pool`,
 * `metallb-l2adv`), cert-manager Certificate / Issuer / ClusterIssuer /
 * CertificateRequest / Order / Challenge (`cert`). Other kinds return null.
 * Objects are untrusted: every field is type-checked before use.
 */
import type {
  AnyRecord,
  CertRecord,
  K8sPodRecord,
  K8sServiceRecord,
  MetallbL2AdvRecord,
  MetallbPoolRecord,
} from '../../../src/model/records/index.js';
import { clip, displayText } from '../../../src/util/sanitize.js';
import { yaml } from '../../../src/util/yaml.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? displayText(clip(v, 2000)) : typeof v === 'number' ? String(v) : undefined;
const strs = (v: unknown): string[] =>
  arr(v).flatMap((x) => (str(x) !== undefined ? [str(x) as string] : []));
const bool = (v: unknown): boolean | undefined =>
  typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v)
    ? v
    : typeof v === 'string' && /^\d+$/.test(v)
      ? Number(v)
      : undefined;

/** Render a label selector as `k=v` / `key In (a,b)` / `key Exists` strings. */
export function selectorStrings(sel: unknown): string[] {
  const s = obj(sel);
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj(s.matchLabels))) out.push(`${displayText(k)}=${str(v) ?? ''}`);
  for (const e of arr(s.matchExpressions)) {
    const x = obj(e);
    const key = str(x.key) ?? '?';
    const op = str(x.operator) ?? '?';
    const vals = strs(x.values);
    out.push(vals.length ? `${key} ${op} (${vals.join(',')})` : `${key} ${op}`);
  }
  return out;
}

/** Host names a node selector pins via `kubernetes.io/hostname`. */
function selectorNodes(sel: unknown): string[] {
  const s = obj(sel);
  const out: string[] = [];
  const h = str(obj(s.matchLabels)['kubernetes.io/hostname']);
  if (h) out.push(h);
  for (const e of arr(s.matchExpressions)) {
    const x = obj(e);
    if (x.key === 'kubernetes.io/hostname' && x.operator === 'In') out.push(...strs(x.values));
  }
  return out;
}

const METALLB_ANN = /^metallb\.(?:universe\.tf|io)\//;

function service(o: Obj, file: string, line: number): K8sServiceRecord {
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const svcType = str(spec.type) ?? 'ClusterIP';
  const ingress = arr(obj(obj(o.status).loadBalancer).ingress).flatMap((i) => {
    const x = obj(i);
    const v = str(x.ip) ?? str(x.hostname);
    return v ? [v] : [];
  });
  const externalIPs = [...ingress, ...strs(spec.externalIPs).filter((ip) => !ingress.includes(ip))];
  const r: K8sServiceRecord = {
    type: 'k8s-service',
    file,
    line,
    name: str(meta.name) ?? '?',
    svcType,
    externalIPs,
    pending: svcType === 'LoadBalancer' && ingress.length === 0,
    ports: arr(spec.ports).map((p) => {
      const x = obj(p);
      const port: K8sServiceRecord['ports'][number] = {
        port: int(x.port) ?? 0,
        protocol: str(x.protocol) ?? 'TCP',
      };
      const name = str(x.name);
      if (name) port.name = name;
      const np = int(x.nodePort);
      if (np !== undefined) port.nodePort = np;
      const tp = typeof x.targetPort === 'number' ? x.targetPort : str(x.targetPort);
      if (tp !== undefined) port.targetPort = tp;
      return port;
    }),
  };
  const ns = str(meta.namespace);
  if (ns) r.namespace = ns;
  const cip = str(spec.clusterIP);
  if (cip) r.clusterIP = cip;
  const etp = str(spec.externalTrafficPolicy);
  if (etp) r.externalTrafficPolicy = etp;
  const lbip = str(spec.loadBalancerIP);
  if (lbip) r.loadBalancerIP = lbip;
  const sel = Object.entries(obj(spec.selector));
  if (sel.length) r.selector = sel.map(([k, v]) => `${displayText(k)}=${str(v) ?? ''}`).join(',');
  const ann: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(meta.annotations)))
    if (METALLB_ANN.test(k) && str(v) !== undefined) ann[displayText(k)] = str(v) as string;
  if (Object.keys(ann).length) {
    r.annotations = ann;
    const pool = ann['metallb.io/address-pool'] ?? ann['metallb.universe.tf/address-pool'];
    if (pool) r.addressPool = pool;
    const ips = ann['metallb.io/loadBalancerIPs'] ?? ann['metallb.universe.tf/loadBalancerIPs'];
    if (ips)
      r.loadBalancerIPs = ips
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  }
  return r;
}

function pool(o: Obj, file: string, line: number): MetallbPoolRecord {
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const r: MetallbPoolRecord = {
    type: 'metallb-pool',
    file,
    line,
    name: str(meta.name) ?? '?',
    addresses: strs(spec.addresses),
  };
  const ns = str(meta.namespace);
  if (ns) r.namespace = ns;
  const aa = bool(spec.autoAssign);
  if (aa !== undefined) r.autoAssign = aa;
  const ab = bool(spec.avoidBuggyIPs);
  if (ab !== undefined) r.avoidBuggyIPs = ab;
  return r;
}

function l2adv(o: Obj, file: string, line: number): MetallbL2AdvRecord {
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const sels = arr(spec.nodeSelectors);
  const r: MetallbL2AdvRecord = {
    type: 'metallb-l2adv',
    file,
    line,
    name: str(meta.name) ?? '?',
    ipAddressPools: strs(spec.ipAddressPools),
    ipAddressPoolSelectors: arr(spec.ipAddressPoolSelectors).flatMap(selectorStrings),
    nodeSelectors: sels.flatMap(selectorStrings),
    nodes: sels.flatMap(selectorNodes),
    interfaces: strs(spec.interfaces),
  };
  const ns = str(meta.namespace);
  if (ns) r.namespace = ns;
  return r;
}

/** Pools of the legacy (pre-0.13) `config` ConfigMap; null when it is not one. */
function legacyConfig(o: Obj, file: string, line: number): MetallbPoolRecord[] | null {
  const cfg = obj(o.data).config;
  if (typeof cfg !== 'string' || !/address-pools\s*:/.test(cfg)) return null;
  let parsed: unknown;
  try {
    parsed = yaml().parse(cfg, { maxAliasCount: 50, uniqueKeys: false });
  } catch {
    return null;
  }
  const ns = str(obj(o.metadata).namespace);
  return arr(obj(parsed)['address-pools']).map((p) => {
    const x = obj(p);
    const r: MetallbPoolRecord = {
      type: 'metallb-pool',
      file,
      line,
      name: str(x.name) ?? '?',
      addresses: strs(x.addresses),
    };
    if (ns) r.namespace = ns;
    const proto = str(x.protocol);
    if (proto) r.protocol = proto;
    const aa = bool(x['auto-assign']);
    if (aa !== undefined) r.autoAssign = aa;
    const ab = bool(x['avoid-buggy-ips']);
    if (ab !== undefined) r.avoidBuggyIPs = ab;
    return r;
  });
}

/** `True`/`False`/other condition status → boolean or null. */
export function condStatus(s: unknown): boolean | null {
  return s === 'True' ? true : s === 'False' ? false : null;
}

const CERT_KINDS = new Set([
  'Certificate',
  'Issuer',
  'ClusterIssuer',
  'CertificateRequest',
  'Order',
  'Challenge',
]);

function cert(o: Obj, kind: string, file: string, line: number): CertRecord {
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const ready = arr(status.conditions)
    .map(obj)
    .find((c) => c.type === 'Ready');
  const r: CertRecord = { type: 'cert', file, line, kind, name: str(meta.name) ?? '?', ready: null };
  const ns = str(meta.namespace);
  if (ns) r.namespace = ns;
  if (ready) {
    r.ready = condStatus(ready.status);
    const reason = str(ready.reason);
    if (reason) r.reason = reason;
    const msg = str(ready.message);
    if (msg) r.message = msg;
  }
  const state = str(status.state);
  if (state) {
    r.state = state;
    if (!ready)
      r.ready = state === 'valid' ? true : /^(?:invalid|errored|expired)$/.test(state) ? false : null;
    const reason = str(status.reason);
    if (reason && !r.message) r.message = reason;
  }
  const secret = str(spec.secretName);
  if (secret) r.secret = secret;
  const iref = obj(spec.issuerRef);
  const issuer = str(iref.name);
  if (issuer) r.issuer = str(iref.kind) ? `${str(iref.kind)}/${issuer}` : issuer;
  const dns = strs(spec.dnsNames);
  const one = str(spec.dnsName);
  if (dns.length || one) r.dnsNames = dns.length ? dns : [one as string];
  const na = str(status.notAfter);
  if (na) r.notAfter = na;
  return r;
}

/** A Pod, with the status kubectl would show: a container's waiting/terminated reason, else the phase. */
function pod(o: Obj, file: string, line: number): K8sPodRecord {
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const cs = arr(status.containerStatuses).map(obj);
  let reason: string | undefined;
  for (const c of cs) {
    const st = obj(c.state);
    reason ??= str(obj(st.waiting).reason) ?? str(obj(st.terminated).reason);
  }
  const r: K8sPodRecord = {
    type: 'k8s-pod',
    file,
    line,
    name: str(meta.name) ?? '(unnamed)',
    status: str(meta.deletionTimestamp) ? 'Terminating' : (reason ?? str(status.phase) ?? 'Unknown'),
    restarts: cs.reduce((n, c) => n + (int(c.restartCount) ?? 0), 0),
  };
  const ns = str(meta.namespace);
  if (ns) r.namespace = ns;
  if (cs.length) {
    r.ready = cs.filter((c) => c.ready === true).length;
    r.containers = cs.length;
  }
  const ip = str(status.podIP);
  if (ip) r.ip = ip;
  const node = str(spec.nodeName);
  if (node) r.nodeName = node;
  return r;
}

/** Records for one Kubernetes object (see file doc); null for kinds this module does not read. */
export function objectRecords(o: Record<string, unknown>, file: string, line: number): AnyRecord[] | null {
  const kind = typeof o.kind === 'string' ? o.kind : '';
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  if (kind === 'Service' && (api === 'v1' || api === '')) return [service(o, file, line)];
  if (kind === 'Pod' && (api === 'v1' || api === '')) return [pod(o, file, line)];
  if (api.startsWith('metallb.io/')) {
    if (kind === 'IPAddressPool') return [pool(o, file, line)];
    if (kind === 'L2Advertisement') return [l2adv(o, file, line)];
    return null;
  }
  if (kind === 'ConfigMap') return legacyConfig(o, file, line);
  if (CERT_KINDS.has(kind) && /^(?:acme\.)?cert-manager\.io\/|^certmanager\.k8s\.io\//.test(api))
    return [cert(o, kind, file, line)];
  return null;
}
