/** vip-unresolved names a MetalLB speaker that is down as the reason nobody answers ARP. */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { tempDirs } from '../helpers/tmp.js';

const SAMPLE = resolve(import.meta.dirname, '../../samples/vip-unresolved');
const tmp = tempDirs('forensic-vip-');

/** The vip-unresolved sample plus a `kubectl get pods -A -o wide` of the cluster. */
function withPods(pods: string[]): string {
  const d = tmp();
  cpSync(SAMPLE, d, { recursive: true });
  mkdirSync(join(d, 'k8s'));
  writeFileSync(
    join(d, 'k8s/pods.txt'),
    [
      'NAMESPACE        NAME                 READY   STATUS             RESTARTS       AGE   IP           NODE    NOMINATED NODE   READINESS GATES',
      ...pods,
    ].join('\n'),
  );
  return d;
}

describe('vip-unresolved with pod state', () => {
  it('names the speaker that is down, with its pod line as evidence', async () => {
    const a = await analyzeBundle(
      withPods([
        'metallb-system   speaker-4kq8x        1/1     Running            0              12d   192.0.2.21   node1   <none>           <none>',
        'metallb-system   speaker-zq2mw        0/1     CrashLoopBackOff   37 (2m ago)    12d   192.0.2.22   node2   <none>           <none>',
      ]),
      { workers: 0 },
    );
    const f = a.findings.find((x) => x.rule === 'vip-unresolved');
    expect(f?.summary).toMatch(/the MetalLB speaker is down on node2 \(CrashLoopBackOff\)\.$/);
    expect(
      f?.evidence.some(
        (e) => e.file === 'k8s/pods.txt' && e.line === 3 && /speaker-zq2mw on node2/.test(e.text),
      ),
    ).toBe(true);
    expect(f?.remediation?.commands[0]).toBe(
      'kubectl -n metallb-system logs speaker-zq2mw --previous --tail=100',
    );
    expect(a.rootCause?.finding).toBe(f?.id);
  });

  it('says nothing of speakers that are up', async () => {
    const a = await analyzeBundle(
      withPods([
        'metallb-system   speaker-4kq8x        1/1     Running            0              12d   192.0.2.21   node1   <none>           <none>',
      ]),
      { workers: 0 },
    );
    const f = a.findings.find((x) => x.rule === 'vip-unresolved');
    expect(f).toBeDefined();
    expect(f?.summary).not.toMatch(/speaker/);
  });
});
