/**
 * End-to-end: asymmetric routing captured for real in Linux network namespaces,
 * then analysed. Topology (documentation addresses only; traffic never leaves
 * the namespaces this test creates):
 *
 *   client ns                router ns                          node ns
 *   c0 198.51.100.10 ─── r0 198.51.100.1
 *                            r1 192.0.2.1     ───  eth1 192.0.2.10   (LAN, service address)
 *                            r2 203.0.113.1   ───  eth0 203.0.113.10 (mgmt, default route)
 *
 * The client connects to 192.0.2.10:8080: requests enter the node on eth1, the
 * replies follow the node's default route and leave on eth0 (rp_filter off so
 * nothing drops them). The node captures with `tcpdump -i any -y LINUX_SLL2`
 * (interfaces by SLL2 ifindex, mapped through `ip -j link`) and with
 * `dumpcap -i eth0 -i eth1` (interfaces by pcapng IDB names); per flow the
 * request direction must be on eth1 only and the reply direction on eth0 only.
 *
 * Skipped with a message when not root or when ip netns / tcpdump / dumpcap are missing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../parsers/capture/read.js';
import { captureRecords } from '../../parsers/capture/records.js';
import { analyzeCapture } from '../../src/flows/analyze.js';
import type { FlowSummary } from '../../src/model/analysis.js';
import type { AnyRecord, PacketRecord } from '../../src/model/records/index.js';

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasNetns = isRoot && has('ip', ['netns', 'list']);
const hasTcpdump = has('tcpdump', ['--version']);
const hasDumpcap = has('dumpcap', ['--version']);
const skipWhy = !isRoot
  ? 'not root'
  : !hasNetns
    ? '`ip netns` unavailable'
    : !hasTcpdump && !hasDumpcap
      ? 'neither tcpdump nor dumpcap installed'
      : null;
if (skipWhy) console.warn(`capture-netns e2e skipped: ${skipWhy}`);

const tag = `fx${process.pid}`;
const NS = { cli: `${tag}-cli`, rtr: `${tag}-rtr`, node: `${tag}-node` };
const SERVER = '192.0.2.10';
const CLIENT = '198.51.100.10';
const PORT = 8080;
const CONNECTIONS = 3;
/** Packets of one connection: handshake (3), request + ACK, reply + ACK, FIN, FIN, ACK. */
const PACKETS_PER_CONNECTION = 10;

/**
 * Wait until a capture being written holds `min` packets (the capturing tool may not
 * have written the last FIN/ACK when the client returns), at most `ms` milliseconds.
 */
async function waitForPackets(file: string, min: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    let n = 0;
    await readCapture(file, { onFrame: () => void n++, onIssue: () => {} }).catch(() => null);
    if (n >= min) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

function sh(ns: string, ...args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
}

function cleanup(): void {
  for (const ns of Object.values(NS)) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not there
    }
  }
}

function setupTopology(): void {
  cleanup();
  for (const ns of Object.values(NS)) ip('netns', 'add', ns);
  ip('-n', NS.cli, 'link', 'add', 'c0', 'type', 'veth', 'peer', 'name', 'r0', 'netns', NS.rtr);
  ip('-n', NS.node, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'r1', 'netns', NS.rtr);
  ip('-n', NS.node, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'r2', 'netns', NS.rtr);
  const addr = (ns: string, dev: string, cidr: string) => {
    ip('-n', ns, 'addr', 'add', cidr, 'dev', dev);
    ip('-n', ns, 'link', 'set', dev, 'up');
  };
  addr(NS.cli, 'c0', `${CLIENT}/24`);
  addr(NS.rtr, 'r0', '198.51.100.1/24');
  addr(NS.rtr, 'r1', '192.0.2.1/24');
  addr(NS.rtr, 'r2', '203.0.113.1/24');
  addr(NS.node, 'eth1', `${SERVER}/24`);
  addr(NS.node, 'eth0', '203.0.113.10/24');
  for (const ns of Object.values(NS)) ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('-n', NS.cli, 'route', 'add', 'default', 'via', '198.51.100.1');
  // The misconfiguration under test: the node's default route is the management link.
  ip('-n', NS.node, 'route', 'add', 'default', 'via', '203.0.113.1', 'dev', 'eth0');
  sh(NS.rtr, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  for (const ns of [NS.rtr, NS.node]) {
    for (const k of ['all', 'default']) sh(ns, 'sysctl', '-qw', `net.ipv4.conf.${k}.rp_filter=0`);
  }
  for (const d of ['r0', 'r1', 'r2']) sh(NS.rtr, 'sysctl', '-qw', `net.ipv4.conf.${d}.rp_filter=0`);
  for (const d of ['eth0', 'eth1']) sh(NS.node, 'sysctl', '-qw', `net.ipv4.conf.${d}.rp_filter=0`);
}

/** Start a process in a namespace; resolves once `ready` appears on stdout/stderr. */
function start(ns: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]} not ready: ${out}`)), 15_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(p);
      }
    };
    p.stdout?.on('data', onData);
    p.stderr?.on('data', onData);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (!ready.test(out)) reject(new Error(`${args[0]} exited ${code}: ${out}`));
    });
  });
}

function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
    p.kill(signal);
  });
}

const SERVER_JS = `require('net').createServer((s) => s.on('data', (d) => s.end('pong ' + d)))
  .listen(${PORT}, '0.0.0.0', () => console.log('listening'));`;
const CLIENT_JS = `let n = ${CONNECTIONS};
function one() {
  const s = require('net').connect(${PORT}, '${SERVER}', () => s.write('ping'));
  s.setTimeout(5000, () => { console.error('timeout'); process.exit(2); });
  s.on('data', () => {});
  s.on('close', () => (--n > 0 ? one() : console.log('done')));
  s.on('error', (e) => { console.error(e.message); process.exit(3); });
}
one();`;

let dir = '';
let ifindexName = new Map<number, string>();
const procs: ChildProcess[] = [];

describe.skipIf(skipWhy !== null)('asymmetric routing captured in network namespaces', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forensic-netns-'));
    try {
      setupTopology();
      const links = JSON.parse(ip('-n', NS.node, '-j', 'link', 'show')) as Array<{
        ifindex: number;
        ifname: string;
      }>;
      ifindexName = new Map(links.map((l) => [l.ifindex, l.ifname]));
      const server = await start(NS.node, [process.execPath, '-e', SERVER_JS], /listening/);
      procs.push(server);
      if (hasTcpdump) {
        procs.push(
          await start(
            NS.node,
            [
              'tcpdump',
              '-i',
              'any',
              '-y',
              'LINUX_SLL2',
              '--immediate-mode',
              '-U',
              '-w',
              join(dir, 'node-any.pcap'),
              'tcp port 8080',
            ],
            /listening on/,
          ),
        );
      }
      if (hasDumpcap) {
        procs.push(
          await start(
            NS.node,
            ['dumpcap', '-i', 'eth0', '-i', 'eth1', '-f', 'tcp port 8080', '-w', join(dir, 'node.pcapng')],
            /Capturing on/,
          ),
        );
      }
      await new Promise((r) => setTimeout(r, 500));
      const out = sh(NS.cli, process.execPath, '-e', CLIENT_JS);
      expect(out).toContain('done');
      const want = CONNECTIONS * PACKETS_PER_CONNECTION;
      if (hasTcpdump) await waitForPackets(join(dir, 'node-any.pcap'), want);
      if (hasDumpcap) await waitForPackets(join(dir, 'node.pcapng'), want);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      for (const p of procs.reverse()) await stop(p);
      procs.length = 0;
    }
  }, 60_000);

  afterAll(() => {
    cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function check(flows: FlowSummary[]): void {
    const mine = flows.filter((f) => f.proto === 'tcp' && f.server.ip === SERVER && f.server.port === PORT);
    expect(mine).toHaveLength(CONNECTIONS);
    for (const f of mine) {
      expect(f.client.ip).toBe(CLIENT);
      expect(f.interfaces).toEqual({ toServer: ['eth1'], toClient: ['eth0'] });
      expect(f.asymmetric).toBe(true);
      // The handshake completed; whether the last FIN, and the ACK of it, made it into the file
      // before the capture tool stopped depends on the machine's load (both seen in CI), and is
      // not what this checks: SYN-ACK and the reply are always there.
      expect(['established', 'closing', 'closed']).toContain(f.state);
      expect(f.packets.toServer).toBeGreaterThanOrEqual(4);
      expect(f.packets.toClient).toBeGreaterThanOrEqual(2);
    }
  }

  it.skipIf(!hasTcpdump)('tcpdump -i any (SLL2): interfaces from ifindex via ip -j link', async () => {
    const r = await analyzeCapture(join(dir, 'node-any.pcap'), {
      ifindexName: (i) => ifindexName.get(i),
    });
    expect(r.summary.rejected).toBe(false);
    expect(r.summary.interfaces[0]?.linktype).toBe(276);
    check(r.flows);
  });

  it.skipIf(!hasTcpdump)(
    'packet records: request in on eth1, reply out on eth0 (SLL2 packet type)',
    async () => {
      const recs: AnyRecord[] = [];
      await captureRecords(join(dir, 'node-any.pcap'), { file: 'node-any.pcap', tz: 'UTC' }, (r) =>
        recs.push(r),
      );
      const byName = new Map([...ifindexName].map(([i, n]) => [n, `ifindex-${i}`]));
      const pk = recs.filter((r): r is PacketRecord => r.type === 'packet');
      const req = pk.filter((p) => p.dport === PORT);
      const rep = pk.filter((p) => p.sport === PORT);
      expect(req.length).toBeGreaterThan(0);
      expect(rep.length).toBeGreaterThan(0);
      expect(new Set(req.map((p) => `${p.interface} ${p.direction}`))).toEqual(
        new Set([`${byName.get('eth1')} in`]),
      );
      expect(new Set(rep.map((p) => `${p.interface} ${p.direction}`))).toEqual(
        new Set([`${byName.get('eth0')} out`]),
      );
    },
  );

  it.skipIf(!hasDumpcap)('dumpcap -i eth0 -i eth1 (pcapng): interfaces from IDB names', async () => {
    const r = await analyzeCapture(join(dir, 'node.pcapng'));
    expect(r.summary.rejected).toBe(false);
    expect(r.summary.interfaces.map((i) => i.name).sort()).toEqual(['eth0', 'eth1']);
    check(r.flows);
  });
});

// Only when something is missing: a skipped test whose title says why.
if (skipWhy !== null) it.skip(`capture-netns e2e skipped: ${skipWhy}`, () => {});
