/**
 * The sample-bundle lab: `npm run lab -- SCENARIO OUT [--prefix P]` (as root).
 * Builds the namespace topology (topology.ts), applies the scenario (scenarios.ts),
 * runs the Traefik stand-in (server.ts) on node1, captures, drives the clients,
 * collects what a user would, and removes everything on every exit path.
 *
 * Output layout: OUT/forensic.json, OUT/<host>/<files>, OUT/.lab.json (provenance:
 * nft counters, commands; hidden, so the analyzer skips it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CaptureSpec, findScenario, SCENARIOS, type Scenario } from './scenarios.js';
import { ADDR, ADDR6, type Host, labAvailable, sh, Topology } from './topology.js';

/** Service name clients use (reserved `.test` TLD; resolved with curl --resolve). */
export const HOSTNAME = 'app.example.test';
/** Clients in the order they are driven. */
const CLIENTS: Host[] = ['client-lan', 'client-remote', 'router'];
/** TLS connections per client. */
const ATTEMPTS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process the lab started, and how to wait for it. */
interface Child {
  proc: ChildProcess;
  name: string;
  exited: Promise<void>;
  stderr: string;
}

/** Options of one lab run. */
export interface LabOptions {
  scenario: Scenario;
  out: string;
  prefix: string;
  log?: (s: string) => void;
}

/** What a run recorded about itself (written to OUT/.lab.json). */
export interface LabRecord {
  scenario: string;
  prefix: string;
  started: string;
  finished: string;
  nft: Record<string, string>;
  commands: Array<{ host: string; cmd: string; status: number | null }>;
  captures: CaptureSpec[];
}

/** Run one scenario into `out`. Cleans up before returning or throwing. */
export async function runLab(opts: LabOptions): Promise<LabRecord> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`lab: ${s}\n`));
  const { scenario, out } = opts;
  const topo = new Topology(opts.prefix);
  const children: Child[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'forensic-lab-'));
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    topo.destroy();
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals) => {
    cleanup();
    process.stderr.write(`lab: interrupted by ${sig}, cleaned up\n`);
    process.exit(130);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', cleanup);

  const start = (host: Host, name: string, cmd: string, args: string[]): Child => {
    const proc = spawn('ip', ['netns', 'exec', topo.ns(host), cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const c: Child = { proc, name, stderr: '', exited: new Promise((r) => proc.once('exit', () => r())) };
    proc.stderr?.on('data', (d) => {
      c.stderr += d;
    });
    children.push(c);
    return c;
  };
  const waitFor = async (c: Child, re: RegExp, stream: 'stdout' | 'stderr', ms = 10_000) => {
    let buf = '';
    await new Promise<void>((res, rej) => {
      const t = setTimeout(
        () => rej(new Error(`${c.name}: not ready after ${ms} ms: ${c.stderr.trim()}`)),
        ms,
      );
      const check = (d: Buffer) => {
        buf += d;
        if (re.test(buf)) {
          clearTimeout(t);
          res();
        }
      };
      c.proc[stream]?.on('data', check);
      c.proc.once('exit', (code) => {
        clearTimeout(t);
        rej(new Error(`${c.name} exited (${code}): ${c.stderr.trim()}`));
      });
    });
  };

  const rec: LabRecord = {
    scenario: scenario.id,
    prefix: opts.prefix,
    started: new Date().toISOString(),
    finished: '',
    nft: {},
    commands: [],
    captures: scenario.captures,
  };
  try {
    log(`scenario ${scenario.n} ${scenario.id}: ${scenario.title}`);
    topo.create({ routing: scenario.routing, vipHeld: scenario.vipHeld, ipv6: scenario.ipv6 });
    // The address family clients use: the VIP and node1's gateway are of that family.
    const A = scenario.ipv6 ? ADDR6 : ADDR;
    for (const [h, rules] of Object.entries(scenario.nft)) topo.nft(h as Host, rules);
    for (const [h, list] of Object.entries(scenario.addresses ?? {}))
      for (const [dev, cidr] of list ?? []) topo.ip(h as Host, 'addr', 'add', cidr, 'dev', dev);
    for (const [h, mtus] of Object.entries(scenario.mtu ?? {}))
      for (const [dev, mtu] of Object.entries(mtus ?? {}))
        topo.ip(h as Host, 'link', 'set', dev, 'mtu', String(mtu));
    for (const [h, kv] of Object.entries(scenario.sysctl ?? {}))
      topo.exec(h as Host, 'sysctl', ['-w', ...kv]);

    const cert = join(tmp, 'cert.pem');
    const key = join(tmp, 'key.pem');
    const subj = [`/CN=${HOSTNAME}`, '-addext', `subjectAltName=DNS:${HOSTNAME}`];
    const req = 'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj'.split(' ');
    sh('openssl', [...req, ...subj, '-keyout', key, '-out', cert]);
    for (const h of ['node1', ...CLIENTS]) mkdirSync(join(out, h), { recursive: true });

    const serverJs = join(dirname(fileURLToPath(import.meta.url)), 'server.js');
    const logs = [
      '--error-log',
      join(out, 'node1', 'traefik.log'),
      '--access-log',
      join(out, 'node1', 'access.log'),
    ];
    const server = start('node1', 'server', process.execPath, [
      serverJs,
      '--cert',
      cert,
      '--key',
      key,
      ...logs,
      ...(scenario.ipv6 ? ['--host', '::'] : []),
    ]);
    await waitFor(server, /ready/, 'stdout');
    // The node's own background traffic (NTP, registry pulls…) keeps its gateway in the
    // neighbour table; one echo stands in for it, before the captures start.
    const gateway = scenario.routing === 'lan-default' ? A.lanGateway : A.mgmtGateway;
    topo.run('node1', 'ping', ['-c', '1', '-W', '1', gateway]);

    const caps: Child[] = [];
    for (const c of scenario.captures) {
      const file = join(out, c.file);
      const args =
        c.tool === 'tcpdump'
          ? ['-i', c.ifaces[0], '-n', '-U', '-Z', 'root', '-w', file]
          : [...c.ifaces.flatMap((i) => ['-i', i]), '-q', '-w', file];
      const child = start(c.host, `${c.tool} ${c.file}`, c.tool, args);
      caps.push(child);
      await waitFor(child, c.tool === 'tcpdump' ? /listening on/ : /Capturing on/, 'stderr');
    }
    await sleep(500);

    const run = (h: Host, cmd: string, timeoutMs = 60_000) => {
      const r = topo.run(h, 'sh', ['-c', `${cmd} 2>&1`], timeoutMs);
      rec.commands.push({ host: h, cmd, status: r.status });
      return r.out;
    };
    for (const h of CLIENTS) {
      log(`${h}: ping + ${ATTEMPTS} x curl`);
      writeFileSync(join(out, h, 'ping.txt'), run(h, `ping -c 4 -W 2 ${A.vip}`));
      let curl = '';
      for (let i = 0; i < ATTEMPTS; i++)
        curl += run(
          h,
          `curl -vk -sS --connect-timeout 4 --max-time 8 --resolve ${HOSTNAME}:443:${scenario.ipv6 ? `[${A.vip}]` : A.vip} https://${HOSTNAME}/`,
        );
      writeFileSync(join(out, h, 'curl-v.txt'), curl);
    }
    await sleep(1000);
    for (const c of caps) c.proc.kill('SIGINT');
    await Promise.race([Promise.all(caps.map((c) => c.exited)), sleep(5000)]);
    for (const c of scenario.captures) chmodSync(join(out, c.file), 0o644);

    for (const h of CLIENTS) {
      // `arp -a` knows IPv4 only (empty when nothing used IPv4): IPv6 clients give their neighbour table.
      if (scenario.ipv6) writeFileSync(join(out, h, 'ip-neigh.txt'), run(h, 'ip neigh'));
      else writeFileSync(join(out, h, 'arp-a.txt'), run(h, 'arp -a'));
      writeFileSync(join(out, h, 'ip-route.txt'), run(h, 'ip route'));
      if (scenario.ipv6) writeFileSync(join(out, h, 'ip6-route.txt'), run(h, 'ip -6 route'));
    }
    const node: Array<[string, string]> = [
      ['ip-route-all.txt', 'ip route show table all'],
      ...(scenario.ipv6
        ? ([['ip6-route-all.txt', 'ip -6 route show table all']] as Array<[string, string]>)
        : []),
      ['ip-rule.txt', 'ip rule'],
      ['ip-addr.json', 'ip -j addr'],
      ['ip-neigh.txt', 'ip neigh'],
      ...(scenario.ipv6 ? [] : ([['arp-an.txt', 'arp -an']] as Array<[string, string]>)),
      ['ss-tanp.txt', 'ss -tanp'],
      [
        'sysctl.txt',
        'grep -H . /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/log_martians /proc/sys/net/ipv4/ip_forward',
      ],
    ];
    for (const [f, cmd] of node) writeFileSync(join(out, 'node1', f), run('node1', cmd));
    // The host firewall, when node1 has one (`forensic collect` saves it the same way).
    const ruleset = run('node1', 'nft list ruleset');
    if (ruleset.trim()) writeFileSync(join(out, 'node1', 'nft-ruleset.txt'), ruleset);

    server.proc.kill('SIGTERM');
    await Promise.race([server.exited, sleep(3000)]);
    for (const h of Object.keys(scenario.nft) as Host[])
      rec.nft[h] = topo.exec(h, 'nft', ['list', 'ruleset']);

    writeFileSync(
      join(out, 'forensic.json'),
      `${JSON.stringify(
        {
          nodes: {
            node1: { role: 'node' },
            'client-lan': { role: 'client' },
            'client-remote': { role: 'client' },
            router: { role: 'router' },
          },
          service: { vip: A.vip, port: 443, hostname: HOSTNAME },
          timezone: 'UTC',
          exclude: ['EXPECTED.md', 'expected.json'],
        },
        null,
        2,
      )}\n`,
    );
    rec.finished = new Date().toISOString();
    writeFileSync(join(out, '.lab.json'), `${JSON.stringify(rec, null, 2)}\n`);
    log(`bundle written to ${out}`);
    return rec;
  } finally {
    cleanup();
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', cleanup);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { prefix: { type: 'string', default: 'fxlab' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 2) {
    process.stdout.write(
      `usage: npm run lab -- SCENARIO OUT [--prefix NAME]\n\nscenarios:\n${SCENARIOS.map((s) => `  ${s.n} ${s.id.padEnd(18)} ${s.title}`).join('\n')}\n`,
    );
    return values.help ? 0 : 2;
  }
  const scenario = findScenario(positionals[0]);
  if (!scenario) {
    process.stderr.write(`lab: unknown scenario ${positionals[0]}\n`);
    return 2;
  }
  const avail = labAvailable();
  if (!avail.ok) {
    process.stderr.write(`lab: ${avail.reason}\n`);
    return 2;
  }
  const out = resolve(positionals[1]);
  mkdirSync(out, { recursive: true });
  if (readdirSync(out).length) {
    process.stderr.write(`lab: ${out} is not empty\n`);
    return 2;
  }
  await runLab({ scenario, out, prefix: values.prefix ?? 'fxlab' });
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main().then(
    (c) => {
      process.exitCode = c;
    },
    (e) => {
      process.stderr.write(`lab: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
