import { describe, expect, it } from 'vitest';
import { metallb } from '../../../parsers/text/metallb.js';
import { parseString } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('metallb samples', () => sampleCases(metallb));

describe('metallb details', () => {
  it('reads kubectl get ipaddresspools -o json (a List) in document mode', async () => {
    const input = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'metallb.io/v1beta1',
            kind: 'IPAddressPool',
            metadata: { name: 'a' },
            spec: { addresses: ['192.0.2.240/32'] },
          },
          { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'b' }, spec: {} },
        ],
      },
      null,
      2,
    );
    expect(metallb.sniff(input.split('\n'), 'x')).toBeGreaterThan(0.9);
    const { records, issues, counts } = await parseString(metallb, input);
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { type: 'metallb-pool', name: 'a', addresses: ['192.0.2.240/32'] },
      { type: 'metallb-l2adv', name: 'b', ipAddressPools: [], nodeSelectors: [], nodes: [], interfaces: [] },
    ]);
    expect(counts.parsed + counts.skipped).toBe(counts.lines);
    expect(counts.skipped).toBeGreaterThan(0); // the List wrapper lines
  });
  it('selects nodes through In expressions', async () => {
    const input = [
      'apiVersion: metallb.io/v1beta1',
      'kind: L2Advertisement',
      'metadata: {name: x}',
      'spec:',
      '  nodeSelectors:',
      '  - matchExpressions:',
      '    - {key: kubernetes.io/hostname, operator: In, values: [node1, node2]}',
    ].join('\n');
    const { records } = await parseString(metallb, input);
    expect(records).toMatchObject([
      { nodes: ['node1', 'node2'], nodeSelectors: ['kubernetes.io/hostname In (node1,node2)'] },
    ]);
  });
  it('accounts every log line: events parsed, routine lines skipped', async () => {
    const s = metallb.samples[2];
    const { counts } = await parseString(metallb, s.input);
    expect(counts).toEqual({ parsed: 5, skipped: 2, issues: 0, lines: 7 });
  });
  it('sniffs 0 for other JSON logs and for plain Kubernetes YAML', () => {
    expect(metallb.sniff(['{"level":"info","msg":"hello","ts":"2024-05-01T10:00:00Z"}'], 'x')).toBe(0);
    expect(metallb.sniff(['apiVersion: v1', 'kind: Service'], 'x')).toBe(0);
  });
});
