/**
 * rp-filter-drop: strict reverse-path filtering on the interface requests arrive on,
 * with the route back leaving by another one, drops the requests; loose mode only when
 * there is no route back; default-route-mismatch explains it, or rules it out.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpFilterOf } from '../../rules/rp-filter-drop.js';
import { analyzeBundle } from '../../src/analyze.js';
import type { Finding } from '../../src/model/analysis.js';
import type { SysctlRecord } from '../../src/model/records/index.js';
import { tempDirs } from '../helpers/tmp.js';
import { REPO_ROOT } from '../samples/bundle-check.js';

const tmp = tempDirs('forensic-rpf-');

/** node1 as in the lab: VIP on eth1, default route via the management NIC eth0 unless `lanDefault`. */
function bundle(sysctl: string, opts: { lanDefault?: boolean; noDefault?: boolean } = {}): string {
  const d = tmp();
  mkdirSync(join(d, 'node1'));
  const def = opts.noDefault
    ? ''
    : opts.lanDefault
      ? 'default via 192.0.2.1 dev eth1\n'
      : 'default via 198.51.100.1 dev eth0\n';
  writeFileSync(
    join(d, 'node1', 'ip-route.txt'),
    `${def}192.0.2.0/24 dev eth1 proto kernel scope link src 192.0.2.10\n198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.15\n`,
  );
  writeFileSync(
    join(d, 'node1', 'ip-addr.txt'),
    [
      '2: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
      '    link/ether 02:00:00:00:0a:01 brd ff:ff:ff:ff:ff:ff',
      '    inet 192.0.2.10/24 scope global eth1',
      '       valid_lft forever preferred_lft forever',
      '    inet 192.0.2.240/32 scope global eth1',
      '       valid_lft forever preferred_lft forever',
      '3: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
      '    link/ether 02:00:00:00:0b:01 brd ff:ff:ff:ff:ff:ff',
      '    inet 198.51.100.15/24 scope global eth0',
      '       valid_lft forever preferred_lft forever',
    ].join('\n'),
  );
  writeFileSync(join(d, 'node1', 'sysctl.txt'), sysctl);
  writeFileSync(
    join(d, 'forensic.json'),
    JSON.stringify({ nodes: { node1: { role: 'node' } }, service: { vip: '192.0.2.240', port: 443 } }),
  );
  return d;
}

const of = (fs: readonly Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('rp-filter-drop', () => {
  it('strict on all (the interface itself 0): a latent finding, explained by the default route', async () => {
    const a = await analyzeBundle(
      bundle('/proc/sys/net/ipv4/conf/all/rp_filter:1\n/proc/sys/net/ipv4/conf/eth1/rp_filter:0\n'),
      { workers: 0 },
    );
    const [f] = of(a.findings, 'rp-filter-drop');
    expect(f).toBeDefined();
    expect(f.severity).toBe('medium'); // nothing in the bundle shows a dropped request
    expect(f.node).toBe('node1');
    expect(f.facts).toMatchObject({
      service: '192.0.2.240',
      serviceIface: 'eth1',
      rpFilter: 1,
      replyIface: 'eth0',
    });
    expect(f.summary).toContain('max of all = 1, eth1 = 0');
    expect(f.evidence.map((e) => `${e.file}:${e.line}`)).toEqual([
      'node1/sysctl.txt:1',
      'node1/sysctl.txt:2',
      'node1/ip-route.txt:1',
    ]);
    const [drm] = of(a.findings, 'default-route-mismatch');
    expect(drm.causes).toContain(f.id);
    expect(drm.severity).toBe('critical');
  });

  it('strict on the interface alone, with the sysctl -a spelling', async () => {
    const a = await analyzeBundle(
      bundle('net.ipv4.conf.all.rp_filter = 0\nnet.ipv4.conf.eth1.rp_filter = 1\n'),
      {
        workers: 0,
      },
    );
    expect(of(a.findings, 'rp-filter-drop')).toHaveLength(1);
  });

  it('loose mode: no finding, and default-route-mismatch rules the filter out', async () => {
    const a = await analyzeBundle(
      bundle('net.ipv4.conf.all.rp_filter = 2\nnet.ipv4.conf.eth1.rp_filter = 2\n'),
      {
        workers: 0,
      },
    );
    expect(of(a.findings, 'rp-filter-drop')).toEqual([]);
    const [drm] = of(a.findings, 'default-route-mismatch');
    const ruledOut = (drm.facts?.ruledOut ?? []) as Array<{ hypothesis: string; reason: string }>;
    expect(ruledOut.find((r) => r.hypothesis.includes('reverse-path filter'))?.reason).toContain('2 (loose)');
  });

  it('loose mode with no route back at all still drops', async () => {
    const a = await analyzeBundle(bundle('net.ipv4.conf.all.rp_filter = 2\n', { noDefault: true }), {
      workers: 0,
    });
    const [f] = of(a.findings, 'rp-filter-drop');
    expect(f?.summary).toMatch(/no route back to \S+ \(none\)/);
  });

  it('strict mode with the route back through the arrival interface: nothing to report', async () => {
    const a = await analyzeBundle(bundle('net.ipv4.conf.all.rp_filter = 1\n', { lanDefault: true }), {
      workers: 0,
    });
    expect(of(a.findings, 'rp-filter-drop')).toEqual([]);
    expect(of(a.findings, 'default-route-mismatch')).toEqual([]);
  });

  it('a dump that captures contradict (the requests were answered) gives only a low finding', async () => {
    // Scenario 1's bundle: SYN-ACKs did leave node1 (by eth0), so nothing dropped the SYNs then.
    const d = tmp();
    cpSync(join(REPO_ROOT, 'samples', 'asymmetric-drop'), d, { recursive: true });
    writeFileSync(join(d, 'node1', 'sysctl.txt'), 'net.ipv4.conf.all.rp_filter = 1\n');
    const a = await analyzeBundle(d, { workers: 0 });
    const [f] = of(a.findings, 'rp-filter-drop');
    expect(f.severity).toBe('low');
    expect(f.causes).toEqual([]);
    expect(f.summary).toMatch(/captures show \d+ such connection\(s\) answered/);
    expect(a.rootCause?.chain).not.toContain(f.id);
  });

  it("the kernel's martian-source reports make the case without a sysctl dump, and reach the timeline", async () => {
    // Scenario 6's bundle with the rp_filter dump replaced by node1's kernel log (log_martians = 1).
    const d = tmp();
    cpSync(join(REPO_ROOT, 'samples', 'rp-filter'), d, { recursive: true });
    rmSync(join(d, 'node1', 'sysctl.txt'));
    const line = (s: number) =>
      `Nov 26 21:12:${s} node1 kernel: [1234${s}.5] IPv4: martian source 192.0.2.240 from 203.0.113.50, on dev eth1\n` +
      `Nov 26 21:12:${s} node1 kernel: [1234${s}.5] ll header: 00000000: 02 00 00 00 0a 01 02 00 00 00 0b 02 08 00\n`;
    writeFileSync(
      join(d, 'node1', 'kern.log'),
      `${line(55)}${line(56)}${line(58)}Nov 26 21:13:01 node1 systemd[1]: Started x.\n`,
    );
    const a = await analyzeBundle(d, { workers: 0 });
    const [f] = of(a.findings, 'rp-filter-drop');
    expect(f.severity).toBe('high');
    expect(f.facts).toMatchObject({ rpFilter: null, martians: 3, droppedClients: ['203.0.113.50'] });
    expect(f.summary).toContain('rp_filter not in the bundle');
    expect(f.evidence.slice(0, 3).map((e) => `${e.file}:${e.line}`)).toEqual([
      'node1/kern.log:1',
      'node1/kern.log:3',
      'node1/kern.log:5',
    ]);
    expect(a.rootCause?.chain).toContain(f.id);
    const entry = a.timeline.find((e) => e.layer === 'L3' && e.text.includes('martian'));
    expect(entry).toMatchObject({
      text: 'kernel dropped a martian source: 203.0.113.50 → 192.0.2.240 on eth1',
      count: 3,
      severity: 'medium',
      node: 'node1',
    });
    expect(a.coverage.files.find((c) => c.path === 'node1/kern.log')).toMatchObject({
      format: 'syslog',
      parsed: 7,
      issues: 0,
    });
  });

  it('reads an interface with a dot under its sysctl name (eth0.100 → eth0/100); the last value wins', () => {
    const rec = (key: string, value: string, line: number): SysctlRecord & { node?: string } => ({
      type: 'sysctl',
      file: 's',
      line,
      key,
      value,
      node: 'n',
    });
    const s = [
      rec('net.ipv4.conf.all.rp_filter', '0', 1),
      rec('net.ipv4.conf.eth0/100.rp_filter', '1', 2),
      rec('net.ipv4.conf.eth0/100.rp_filter', '2', 3),
    ];
    expect(rpFilterOf(s, 'n', 'eth0.100')).toMatchObject({ mode: 2, from: [{ line: 1 }, { line: 3 }] });
    expect(rpFilterOf(s, 'other', 'eth0.100')).toBeNull();
  });
});
