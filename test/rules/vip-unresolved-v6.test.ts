/**
 * vip-unresolved over IPv6, live: a client and a node in two throwaway network
 * namespaces joined by one veth (2001:db8::/64, documentation range). The client
 * `curl`s a VIP nobody holds, so its neighbour solicitations go unanswered; the
 * bundle holds both ends' captures, the client's curl output and `ip -6 neigh`, and
 * the node's `ip addr`. Skipped (with the reason) when not root, without `ip netns`,
 * tcpdump or curl.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import type { Analysis } from '../../src/model/analysis.js';
import { netnsSkip } from '../helpers/netns.js';
import { tempDirs } from '../helpers/tmp.js';

const skip = netnsSkip('IPv6 vip-unresolved live test', ['tcpdump', 'curl']);

const VIP = '2001:db8::240';
const tmp = tempDirs('forensic-v6vip-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!!skip)('vip-unresolved over IPv6 (neighbour discovery), live', () => {
  const id = process.pid % 100000;
  const client = `fx-v6c-${id}`;
  const node = `fx-v6n-${id}`;
  let a: Analysis;

  beforeAll(async () => {
    const dir = tmp();
    for (const d of ['client', 'node1']) mkdirSync(join(dir, d));
    const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
    const inNs = (ns: string, ...cmd: string[]) =>
      spawnSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', timeout: 20_000 });
    ip('netns', 'add', client);
    ip('netns', 'add', node);
    ip('-n', client, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', node);
    for (const [ns, dev] of [
      [client, 'eth0'],
      [node, 'eth1'],
    ]) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
    ip('-n', client, 'addr', 'add', '2001:db8::50/64', 'dev', 'eth0', 'nodad');
    ip('-n', node, 'addr', 'add', '2001:db8::10/64', 'dev', 'eth1', 'nodad');
    const dumps = [
      spawn('ip', ['netns', 'exec', node, 'tcpdump', '-i', 'eth1', '-U', '-w', join(dir, 'node1/eth1.pcap')]),
      spawn('ip', [
        'netns',
        'exec',
        client,
        'tcpdump',
        '-i',
        'eth0',
        '-U',
        '-w',
        join(dir, 'client/client.pcap'),
      ]),
    ];
    await sleep(1000);
    // The node answers for its own address; nobody holds the VIP.
    inNs(client, 'ping', '-6', '-c', '1', '-W', '2', '2001:db8::10');
    const curl = inNs(client, 'curl', '-v', '-6', '--connect-timeout', '8', `https://[${VIP}]/`);
    writeFileSync(join(dir, 'client/curl.txt'), curl.stderr + curl.stdout);
    writeFileSync(join(dir, 'client/ip-neigh.txt'), ip('-n', client, '-6', 'neigh'));
    writeFileSync(join(dir, 'node1/ip-addr.txt'), ip('-n', node, 'addr'));
    await sleep(500);
    for (const p of dumps) p.kill('SIGINT');
    await Promise.all(dumps.map((p) => new Promise((r) => p.once('exit', r))));
    a = await analyzeBundle(dir, { workers: 0 });
  }, 60_000);

  afterAll(() => {
    for (const ns of [client, node]) spawnSync('ip', ['netns', 'del', ns]);
  });

  it('finds the unanswered solicitations in both captures and the FAILED neighbour entry', () => {
    const f = a.findings.find((x) => x.rule === 'vip-unresolved');
    expect(f?.title).toBe(`${VIP} does not resolve at L2`);
    expect(f?.summary).toMatch(
      new RegExp(
        `^Nobody answers neighbour discovery for ${VIP}: 1 failed/incomplete neighbour entry, \\d+ unanswered neighbour solicitation\\(s\\); no node holds`,
      ),
    );
    const texts = f?.evidence.map((e) => `${e.file} ${e.text}`) ?? [];
    expect(texts).toContain(`client/ip-neigh.txt ${VIP} (no MAC) FAILED dev eth0`);
    for (const file of ['client/client.pcap', 'node1/eth1.pcap'])
      expect(
        texts.some(
          (t) =>
            t.startsWith(`${file} `) && t.includes(`neighbour solicitation(s) for ${VIP} without a reply`),
        ),
      ).toBe(true);
    expect(f?.remediation?.commands).toContain(`ndisc6 ${VIP} <LAN interface>`);
  });

  it('is the root cause of the client failure, and the timeline shows the solicitations', () => {
    expect(a.rootCause?.finding).toBe(`vip-unresolved#bundle/${VIP}`);
    expect(a.rootCause?.chain[0]).toMatch(/^client-failures#/);
    const nd = a.timeline.filter((t) =>
      t.text.includes(`neighbour solicitation for ${VIP} with no advertisement`),
    );
    expect(nd.map((t) => t.node).sort()).toEqual(['client', 'node1']);
    // The node's own address resolved: no event, no finding for it.
    expect(JSON.stringify(a.findings)).not.toContain('2001:db8::10 does not resolve');
  });
});
