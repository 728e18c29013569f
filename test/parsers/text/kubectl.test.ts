import { describe, expect, it } from 'vitest';
import { kubectl } from '../../../parsers/text/kubectl.js';
import { parseString } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('kubectl samples', () => sampleCases(kubectl));

describe('kubectl details', () => {
  it('settles line accounting per document (recognised objects parsed, others skipped)', async () => {
    const s = kubectl.samples.find((x) => x.note?.startsWith('multi-doc'))!;
    const { counts } = await parseString(kubectl, s.input);
    expect(counts).toEqual({ parsed: 11, skipped: 6, issues: 0, lines: 17 });
  });
  it('reads concatenated JSON objects and top-level arrays', async () => {
    const input = [
      '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"type":"LoadBalancer"},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.240"}]}}}',
      '{"apiVersion":"v1","kind":"Service","metadata":{"name":"b"},"spec":{"type":"ClusterIP"}}',
      '[{"apiVersion":"v1","kind":"Service","metadata":{"name":"c"}}]',
    ].join('\n');
    const { records, issues } = await parseString(kubectl, input);
    expect(issues).toEqual([]);
    expect(records.map((r) => [(r as { name: string }).name, r.line])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(records[0]).toMatchObject({ externalIPs: ['192.0.2.240'], pending: false });
  });
  it('YAML syntax errors are reported with their line, other documents still read', async () => {
    const input = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: a',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: b}',
    ].join('\n');
    const { records, issues, counts } = await parseString(kubectl, input);
    expect(records).toMatchObject([{ name: 'b', line: 5 }]);
    expect(issues).toHaveLength(1);
    expect(counts.issues).toBe(3);
    expect(counts.parsed + counts.skipped + counts.issues).toBe(counts.lines);
  });
  it('hostile strings are neutralised', async () => {
    const { records } = await parseString(
      kubectl,
      '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a\\u001b[31mred"}}',
    );
    expect((records[0] as { name: string }).name).toBe('a\\x1b[31mred');
  });
  it('sniff', () => {
    expect(kubectl.sniff(['PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.'], 'x')).toBe(0);
    expect(kubectl.sniff(['NAME   TYPE   CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE'], 'x')).toBe(0.9);
    expect(kubectl.sniff(['apiVersion: apps/v1', 'kind: Deployment'], 'x')).toBeLessThan(0.5);
  });
});

describe('kubectl session transcripts', () => {
  it('splits tables and documents at shell prompts', async () => {
    const input = [
      '$ kubectl get svc -A -o wide',
      'NAMESPACE     NAME      TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE   SELECTOR',
      'kube-system   traefik   LoadBalancer   10.43.5.5    <pending>     443:30443/TCP   3d    app=traefik',
      '$ kubectl -n kube-system get svc traefik -o yaml',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: traefik, namespace: kube-system}',
      'spec: {type: LoadBalancer}',
      'root@node1:~# kubectl get ipaddresspool -A -o json',
      '{"apiVersion": "v1", "kind": "List", "items": [',
      '  {"apiVersion": "metallb.io/v1beta1", "kind": "IPAddressPool", "metadata": {"name": "lan"}, "spec": {"addresses": ["192.0.2.240/32"]}}',
      ']}',
    ].join('\n');
    const { records, issues, counts } = await parseString(kubectl, input);
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { type: 'k8s-service', line: 3, pending: true },
      { type: 'k8s-service', line: 5, pending: true },
      { type: 'metallb-pool', line: 11, name: 'lan' },
    ]);
    expect(counts).toEqual({ parsed: 6, skipped: 6, issues: 0, lines: 12 });
  });
});
