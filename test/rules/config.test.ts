/** Config rules on MetalLB / Kubernetes / cert-manager state parsed by the real parsers. */
import { describe, expect, it } from 'vitest';
import { textFormats } from '../../parsers/text/registry.js';
import { rule as certAcme } from '../../rules/cert-acme-egress.js';
import { rule as metallb } from '../../rules/metallb-config.js';
import { rule as svcPool } from '../../rules/service-ip-outside-pool.js';
import { makeEvidence, type NodeRecord } from '../../src/engine/evidence.js';
import { parseString } from '../helpers/text.js';

async function records(format: string, text: string, node?: string): Promise<NodeRecord[]> {
  const f = textFormats.get(format);
  if (!f) throw new Error(`no format ${format}`);
  const { records: rs, issues } = await parseString(f, text);
  expect(issues).toEqual([]);
  return rs.map((r) => (node ? { ...r, node } : r));
}

const POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lan
  namespace: metallb-system
spec:
  addresses:
  - 198.18.0.240-198.18.0.250
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: lan
  namespace: metallb-system
spec:
  ipAddressPools:
  - lan
  interfaces:
  - eth0
`;

const ADDR = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000
    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic eth0
       valid_lft 86000sec preferred_lft 86000sec
3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000
    link/ether 08:00:27:aa:bb:cc brd ff:ff:ff:ff:ff:ff
    inet 192.0.2.10/24 brd 192.0.2.255 scope global eth1
       valid_lft forever preferred_lft forever
`;

const SVC = `NAME      TYPE           CLUSTER-IP     EXTERNAL-IP    PORT(S)                      AGE   SELECTOR
traefik   LoadBalancer   10.43.12.201   192.0.2.240    80:31080/TCP,443:31443/TCP   12d   app=traefik
`;

describe('config rules', () => {
  it('a pool outside every node subnet, announced on the wrong interface', async () => {
    const ev = makeEvidence({
      records: [...(await records('metallb', POOL)), ...(await records('ip-addr', ADDR, 'node1'))],
    });
    const f = metallb.evaluate(ev, []);
    expect(f.map((x) => x.title)).toEqual(['MetalLB pool lan is outside every node subnet']);
    expect(f[0].summary).toContain('198.18.0.240-198.18.0.250');
  });
  it('an L2Advertisement limited to the management NIC', async () => {
    const ev = makeEvidence({
      records: [
        ...(await records('metallb', POOL.replace('198.18.0.240-198.18.0.250', '192.0.2.240/29'))),
        ...(await records('ip-addr', ADDR, 'node1')),
      ],
    });
    const f = metallb.evaluate(ev, []);
    expect(f.map((x) => x.title)).toEqual(['L2Advertisement lan announces lan on the wrong interfaces']);
  });
  it('no finding when the pool sits on the LAN and is announced there', async () => {
    const ok = POOL.replace('198.18.0.240-198.18.0.250', '192.0.2.240/29').replace(
      '  - eth0\n',
      '  - eth1\n',
    );
    const ev = makeEvidence({
      records: [...(await records('metallb', ok)), ...(await records('ip-addr', ADDR, 'node1'))],
    });
    expect(metallb.evaluate(ev, [])).toEqual([]);
  });
  it('the sticky-IP trap: a LoadBalancer IP outside the current pools', async () => {
    const ev = makeEvidence({
      records: [...(await records('metallb', POOL)), ...(await records('kubectl', SVC))],
    });
    const f = svcPool.evaluate(ev, []);
    expect(f).toHaveLength(1);
    expect(f[0].summary).toContain('192.0.2.240');
    expect(f[0].remediation?.commands.join('\n')).toContain('"type":"ClusterIP"');
    const inside = makeEvidence({
      records: [
        ...(await records('metallb', POOL.replace('198.18.0.240-198.18.0.250', '192.0.2.240/29'))),
        ...(await records('kubectl', SVC)),
      ],
    });
    expect(svcPool.evaluate(inside, [])).toEqual([]);
  });
  it('ACME failures from missing egress', async () => {
    const log = `E0501 10:00:00.000000       1 sync.go:190] cert-manager/orders "msg"="failed to create Order resource due to bad request, marking Order as failed" "error"="Get \\"https://acme-v02.api.letsencrypt.org/directory\\": dial tcp 172.65.32.248:443: i/o timeout" "resource_name"="web-tls-1" "resource_namespace"="default"\n`;
    const ev = makeEvidence({ records: await records('cert-manager', log, 'node1') });
    const f = certAcme.evaluate(ev, []);
    expect(f).toHaveLength(1);
    expect(f[0].summary).toMatch(/i\/o timeout/);
  });
});
