import { describe, expect, test } from 'vitest';
import { loadFixture } from './helpers.js';

describe('reference-analysis fixture', () => {
  const a = loadFixture();

  test('is a valid Analysis describing the reference incident', () => {
    expect(a.rootCause?.finding).toBe('default-route-mismatch#node1');
    expect(a.rootCause?.chain).toEqual([
      'tls-bad-record-mac#node1',
      'asymmetric-routing#node1',
      'default-route-mismatch#node1',
    ]);
    const ids = new Set(a.findings.map((f) => f.id));
    for (const id of a.rootCause?.chain ?? []) expect(ids.has(id)).toBe(true);
    const eth1 = a.bundle.nodes.find((n) => n.name === 'node1')?.interfaces.find((i) => i.name === 'eth1');
    expect(eth1?.addresses).toContain('192.0.2.240/32');
  });

  test('has asymmetric flows in eth1 / out eth0, a timeline in time order and a rejected file', () => {
    const asym = a.flows.filter((f) => f.asymmetric);
    expect(asym.length).toBeGreaterThan(0);
    for (const f of asym) {
      expect(f.interfaces.toServer).toEqual(['eth1']);
      expect(f.interfaces.toClient).toEqual(['eth0']);
    }
    for (let i = 1; i < a.timeline.length; i++) expect(a.timeline[i - 1].ts <= a.timeline[i].ts).toBe(true);
    expect(a.timeline.some((e) => /bad record MAC/.test(e.text))).toBe(true);
    expect(a.coverage.files.some((f) => f.status === 'rejected')).toBe(true);
  });
});
