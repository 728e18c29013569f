/**
 * `kubectl get svc|pods [-o wide]` tables (header-driven, with or without NAMESPACE)
 * and `kubectl get … -o json|yaml` documents (a single object, a `List`, or a
 * `---` stream). Documents yield Services, MetalLB resources and cert-manager
 * resources alike (parsers/text/k8s/objects.ts); other kinds are skipped.
 */
import type { K8sPodRecord, K8sServiceRecord } from '../../src/model/records/index.js';
import { displayText } from '../../src/util/sanitize.js';
import type { LineParser, LineStatus, ParseContext, TextFormat, TextSink } from '../types.js';
import { DocCollector, emitDoc, PROMPT_LINE, Tally } from './k8s/docs.js';
import { objectRecords } from './k8s/objects.js';
import { cell, parseHeader, rowCells, type Table } from './k8s/table.js';

const PORT = /^(\d+)(?::(\d+))?\/([A-Za-z]+)$/;

/** True for a `kubectl get svc` header. */
function isSvcHeader(t: Table): boolean {
  return t.names.includes('NAME') && t.names.includes('TYPE') && t.names.includes('CLUSTER-IP');
}

/** True for a `kubectl get pods` header. */
function isPodHeader(t: Table): boolean {
  return (
    t.names.includes('NAME') &&
    t.names.includes('READY') &&
    t.names.includes('STATUS') &&
    t.names.includes('RESTARTS')
  );
}

/** One `kubectl get pods` row → record (`RESTARTS` may read `37 (2m ago)`); null when the row does not have the columns. */
export function podRow(c: Record<string, string>, file: string, line: number): K8sPodRecord | null {
  const name = cell(c.NAME);
  const status = cell(c.STATUS);
  const restarts = /^(\d+)/.exec(cell(c.RESTARTS) ?? '');
  if (!name || !status || !restarts || /\s/.test(name)) return null;
  const r: K8sPodRecord = {
    type: 'k8s-pod',
    file,
    line,
    name: displayText(name.replace(/^pod\//, '')),
    status: displayText(status),
    restarts: Number(restarts[1]),
  };
  const ready = /^(\d+)\/(\d+)$/.exec(cell(c.READY) ?? '');
  if (ready) {
    r.ready = Number(ready[1]);
    r.containers = Number(ready[2]);
  }
  const ns = cell(c.NAMESPACE);
  if (ns) r.namespace = displayText(ns);
  const ip = cell(c.IP);
  if (ip) r.ip = displayText(ip);
  const node = cell(c.NODE);
  if (node) r.nodeName = displayText(node);
  return r;
}

/** One `kubectl get svc` row → record; null when the row does not have the columns. */
export function svcRow(c: Record<string, string>, file: string, line: number): K8sServiceRecord | null {
  const name = cell(c.NAME);
  const svcType = cell(c.TYPE);
  if (!name || !svcType || /\s/.test(name)) return null;
  const ext = c['EXTERNAL-IP'] ?? '';
  const ports: K8sServiceRecord['ports'] = [];
  for (const p of (cell(c['PORT(S)']) ?? '').split(',')) {
    const m = PORT.exec(p.trim());
    if (!m) continue;
    const port: K8sServiceRecord['ports'][number] = { port: Number(m[1]), protocol: m[3] };
    if (m[2]) port.nodePort = Number(m[2]);
    ports.push(port);
  }
  const r: K8sServiceRecord = {
    type: 'k8s-service',
    file,
    line,
    name: displayText(name.replace(/^service\//, '')),
    svcType: displayText(svcType),
    externalIPs: cell(ext) && ext !== '<pending>' ? ext.split(',').map(displayText) : [],
    pending: ext === '<pending>',
    ports,
  };
  const ns = cell(c.NAMESPACE);
  if (ns) r.namespace = displayText(ns);
  const cip = cell(c['CLUSTER-IP']);
  if (cip) r.clusterIP = displayText(cip);
  const sel = cell(c.SELECTOR);
  if (sel) r.selector = displayText(sel);
  return r;
}

function create(ctx: ParseContext): LineParser {
  const file = ctx.file;
  const docs = new DocCollector();
  const tally = new Tally();
  let table: Table | null = null;
  /** Rows of the open table become: a service, a pod, or nothing (a table of some other resource). */
  let rows:
    | ((c: Record<string, string>, file: string, line: number) => K8sPodRecord | K8sServiceRecord | null)
    | null = null;
  const read = (o: Record<string, unknown>, line: number) => objectRecords(o, file, line);
  const flushDoc = (out: TextSink) => {
    const d = docs.flush();
    if (d) tally.settle(emitDoc(d, read, out), d.lines);
  };
  const line = (text: string, lineNo: number, out: TextSink): LineStatus => {
    tally.begin();
    if (PROMPT_LINE.test(text)) {
      // A new command: whatever table or document was open ends here.
      table = null;
      const d = docs.flush();
      if (d) tally.settle(emitDoc(d, read, out), d.lines);
      return tally.mark('skipped');
    }
    if (docs.idle) {
      const h = parseHeader(text);
      if (h) {
        table = h;
        rows = isSvcHeader(h) ? svcRow : isPodHeader(h) ? podRow : null;
        return tally.mark('skipped');
      }
      if (table) {
        if (text.trim() === '') {
          table = null;
          return tally.mark('skipped');
        }
        if (!rows) return tally.mark('skipped'); // a table of some other resource
        const r = rows(rowCells(table, text), file, lineNo);
        if (r) {
          out.record(r);
          return tally.mark('parsed');
        }
        const what = rows === svcRow ? 'service' : 'pod';
        out.issue(lineNo, 'kubectl-row', `unreadable ${what} row: ${displayText(text.slice(0, 200))}`);
        return tally.mark('issue');
      }
      if (/^(?:No resources found|Error from server|error: |Warning: )/.test(text))
        return tally.mark('skipped');
    }
    const { done, collected } = docs.push(text, lineNo);
    if (done) tally.settle(emitDoc(done, read, out), done.lines);
    return collected ? tally.pending() : tally.mark('skipped');
  };
  return {
    line,
    end(out) {
      flushDoc(out);
      return tally.counts;
    },
  };
}

/** Sniff: a `get svc` header, or Kubernetes objects in JSON/YAML. */
function sniff(lines: readonly string[]): number {
  let api = false;
  let kind = '';
  for (const l of lines.slice(0, 100)) {
    const h = l.startsWith('NAME') || l.startsWith('NAMESPACE') ? parseHeader(l) : null;
    if (h && (isSvcHeader(h) || isPodHeader(h))) return 0.9;
    if (/^\s*"?apiVersion"?\s*:/.test(l)) api = true;
    const k = /^\s*"?kind"?\s*:\s*"?(\w+)/.exec(l);
    if (k && !kind) kind = k[1];
  }
  if (!api || !kind) return 0;
  return /^(?:Service|List|ServiceList|Pod|PodList|Certificate|Issuer|ClusterIssuer|CertificateList)$/.test(
    kind,
  )
    ? 0.8
    : 0.4;
}

/** The `kubectl` text format. */
export const kubectl: TextFormat = {
  id: 'kubectl',
  title: 'kubectl get svc|pods tables and -o json|yaml documents',
  sniff: (lines) => sniff(lines),
  create,
  samples: [
    {
      note: 'get svc -o wide, LoadBalancer pending and assigned',
      input: [
        'NAME         TYPE           CLUSTER-IP      EXTERNAL-IP     PORT(S)                      AGE   SELECTOR',
        'kubernetes   ClusterIP      10.43.0.1       <none>          443/TCP                      12d   <none>',
        'traefik      LoadBalancer   10.43.120.7     192.0.2.240     80:30080/TCP,443:30443/TCP   12d   app=traefik',
        'whoami       LoadBalancer   10.43.99.1      <pending>       80:31111/TCP                 2m    app=whoami',
      ].join('\n'),
      records: [
        {
          type: 'k8s-service',
          line: 2,
          name: 'kubernetes',
          svcType: 'ClusterIP',
          externalIPs: [],
          pending: false,
        },
        {
          type: 'k8s-service',
          name: 'traefik',
          svcType: 'LoadBalancer',
          clusterIP: '10.43.120.7',
          externalIPs: ['192.0.2.240'],
          pending: false,
          ports: [
            { port: 80, nodePort: 30080, protocol: 'TCP' },
            { port: 443, nodePort: 30443, protocol: 'TCP' },
          ],
          selector: 'app=traefik',
        },
        { type: 'k8s-service', name: 'whoami', pending: true, externalIPs: [] },
      ],
    },
    {
      note: 'get svc -A (NAMESPACE column), then pods, then a table of another resource that is skipped',
      input: [
        'NAMESPACE     NAME             TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)         AGE',
        'kube-system   traefik          LoadBalancer   10.43.5.5     192.0.2.240   443:30443/TCP   3d',
        '',
        'NAME                      READY   STATUS    RESTARTS   AGE',
        'traefik-6d8f7c9b5-x2x9k   1/1     Running   0          3d',
        '',
        'NAME                  STATUS   ROLES           AGE   VERSION',
        'node1                 Ready    control-plane   3d    v1.30.2',
      ].join('\n'),
      records: [
        { type: 'k8s-service', namespace: 'kube-system', name: 'traefik', externalIPs: ['192.0.2.240'] },
        {
          type: 'k8s-pod',
          name: 'traefik-6d8f7c9b5-x2x9k',
          status: 'Running',
          ready: 1,
          containers: 1,
          restarts: 0,
        },
      ],
    },
    {
      note: 'get pods -A -o wide: a MetalLB speaker crash-looping on one node',
      input: [
        'NAMESPACE        NAME                          READY   STATUS             RESTARTS        AGE   IP           NODE    NOMINATED NODE   READINESS GATES',
        'metallb-system   speaker-4kq8x                 1/1     Running            0               12d   192.0.2.21   node1   <none>           <none>',
        'metallb-system   speaker-zq2mw                 0/1     CrashLoopBackOff   37 (2m ago)     12d   192.0.2.22   node2   <none>           <none>',
      ].join('\n'),
      records: [
        {
          type: 'k8s-pod',
          namespace: 'metallb-system',
          name: 'speaker-4kq8x',
          status: 'Running',
          nodeName: 'node1',
        },
        {
          type: 'k8s-pod',
          name: 'speaker-zq2mw',
          status: 'CrashLoopBackOff',
          ready: 0,
          containers: 1,
          restarts: 37,
          ip: '192.0.2.22',
          nodeName: 'node2',
        },
      ],
    },
    {
      note: "get pods -o yaml: a List of Pods; a waiting container's reason is the status, restarts are summed",
      input: [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- apiVersion: v1',
        '  kind: Pod',
        '  metadata: {name: speaker-zq2mw, namespace: metallb-system}',
        '  spec: {nodeName: node2}',
        '  status:',
        '    phase: Running',
        '    podIP: 192.0.2.22',
        '    containerStatuses:',
        '    - {name: speaker, ready: false, restartCount: 37, state: {waiting: {reason: CrashLoopBackOff}}}',
        '    - {name: frr, ready: true, restartCount: 1, state: {running: {startedAt: "2026-11-26T07:00:00Z"}}}',
        '- apiVersion: v1',
        '  kind: Pod',
        '  metadata: {name: controller-5f7bb57799-9x2lq, namespace: metallb-system}',
        '  status: {phase: Pending}',
      ].join('\n'),
      records: [
        {
          type: 'k8s-pod',
          namespace: 'metallb-system',
          name: 'speaker-zq2mw',
          status: 'CrashLoopBackOff',
          ready: 1,
          containers: 2,
          restarts: 38,
          ip: '192.0.2.22',
          nodeName: 'node2',
        },
        { type: 'k8s-pod', name: 'controller-5f7bb57799-9x2lq', status: 'Pending', restarts: 0 },
      ],
    },
    {
      note: '-o yaml of one Service with MetalLB annotations and Local policy',
      input: [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: traefik',
        '  namespace: kube-system',
        '  annotations:',
        '    metallb.universe.tf/address-pool: lan',
        '    metallb.io/loadBalancerIPs: 192.0.2.240',
        '    unrelated/annotation: x',
        'spec:',
        '  type: LoadBalancer',
        '  clusterIP: 10.43.5.5',
        '  externalTrafficPolicy: Local',
        '  ports:',
        '  - name: websecure',
        '    port: 443',
        '    targetPort: websecure',
        '    nodePort: 30443',
        '    protocol: TCP',
        'status:',
        '  loadBalancer:',
        '    ingress:',
        '    - ip: 192.0.2.240',
      ].join('\n'),
      records: [
        {
          type: 'k8s-service',
          line: 1,
          namespace: 'kube-system',
          name: 'traefik',
          svcType: 'LoadBalancer',
          externalIPs: ['192.0.2.240'],
          pending: false,
          externalTrafficPolicy: 'Local',
          addressPool: 'lan',
          loadBalancerIPs: ['192.0.2.240'],
          annotations: {
            'metallb.universe.tf/address-pool': 'lan',
            'metallb.io/loadBalancerIPs': '192.0.2.240',
          },
          ports: [
            { name: 'websecure', port: 443, nodePort: 30443, targetPort: 'websecure', protocol: 'TCP' },
          ],
        },
      ],
    },
    {
      note: '-o json List with two items (one pending), item lines',
      input: [
        '{',
        '    "apiVersion": "v1",',
        '    "items": [',
        '        {',
        '            "apiVersion": "v1",',
        '            "kind": "Service",',
        '            "metadata": { "name": "web", "namespace": "default" },',
        '            "spec": { "type": "LoadBalancer", "clusterIP": "10.43.1.1", "loadBalancerIP": "192.0.2.241",',
        '                      "externalTrafficPolicy": "Cluster", "ports": [ { "port": 80, "protocol": "TCP" } ] },',
        '            "status": { "loadBalancer": {} }',
        '        },',
        '        {',
        '            "apiVersion": "v1",',
        '            "kind": "Service",',
        '            "metadata": { "name": "db", "namespace": "default" },',
        '            "spec": { "clusterIP": "None" }',
        '        }',
        '    ],',
        '    "kind": "List",',
        '    "metadata": { "resourceVersion": "" }',
        '}',
      ].join('\n'),
      records: [
        {
          type: 'k8s-service',
          line: 4,
          name: 'web',
          pending: true,
          loadBalancerIP: '192.0.2.241',
          externalTrafficPolicy: 'Cluster',
        },
        { type: 'k8s-service', line: 12, name: 'db', svcType: 'ClusterIP', clusterIP: 'None', ports: [] },
      ],
    },
    {
      note: 'multi-doc YAML: Service, Deployment (skipped), cert-manager Certificate',
      input: [
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: a}',
        'spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: a}',
        '---',
        'apiVersion: cert-manager.io/v1',
        'kind: Certificate',
        'metadata: {name: web-tls, namespace: default}',
        'spec: {secretName: web-tls, issuerRef: {name: le, kind: ClusterIssuer}, dnsNames: [web.example]}',
        'status:',
        '  conditions:',
        '  - {type: Ready, status: "False", reason: DoesNotExist, message: Issuing certificate as Secret does not exist}',
      ].join('\n'),
      records: [
        {
          type: 'k8s-service',
          line: 2,
          name: 'a',
          svcType: 'NodePort',
          ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
        },
        {
          type: 'cert',
          line: 11,
          kind: 'Certificate',
          name: 'web-tls',
          ready: false,
          reason: 'DoesNotExist',
          secret: 'web-tls',
          issuer: 'ClusterIssuer/le',
          dnsNames: ['web.example'],
        },
      ],
    },
    {
      note: 'negative: broken JSON document and a bad table row are issues',
      input: [
        'NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
        'x',
        '',
        '{ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "a" ] }',
      ].join('\n'),
      issues: 2,
      records: [],
    },
  ],
};
