/**
 * `forensic collect`: the generated script is POSIX sh, runs under dash inside a lab
 * namespace, and produces a tarball whose every file the analyzer recognises.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffFile } from '../parsers/sniff.js';
import { labAvailable, Topology } from '../samples/lab/topology.js';
import { parseManifest } from '../src/bundle/manifest.js';
import { cmdCollect, collectScript } from '../src/collect.js';
import { analyzerCli, have, tsharkFields, walkCapture } from './samples/bundle-check.js';

const STATE_FILES = [
  'ip-route-all.txt',
  'ip-route-all.json',
  'ip-rule.txt',
  'ip-rule.json',
  'ip-addr.txt',
  'ip-addr.json',
  'ip-link.json',
  'ip-neigh.txt',
  'ip-neigh.json',
  'arp-an.txt',
  'ss-tanp.txt',
  'sysctl.txt',
  'forensic.json',
];

/** A stand-in for kubectl answering what the script asks, as a small k3s cluster would. */
const KUBECTL_STUB = `#!/bin/sh
case "$*" in
"get svc -A -o wide"*) cat <<'END'
NAMESPACE     NAME         TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)                      AGE   SELECTOR
default       kubernetes   ClusterIP      10.43.0.1     <none>        443/TCP                      12d   <none>
traefik       traefik      LoadBalancer   10.43.120.7   192.0.2.240   80:30080/TCP,443:30443/TCP   12d   app.kubernetes.io/name=traefik
END
;;
"get pods -A -o wide"*) cat <<'END'
NAMESPACE        NAME                      READY   STATUS    RESTARTS   AGE   IP           NODE    NOMINATED NODE   READINESS GATES
metallb-system   speaker-4xq9z             1/1     Running   0          12d   192.0.2.20   node1   <none>           <none>
END
;;
"get svc -A -o yaml"*) cat <<'END'
apiVersion: v1
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: traefik
    namespace: traefik
  spec:
    type: LoadBalancer
    ports:
    - name: websecure
      port: 443
      protocol: TCP
      nodePort: 30443
  status:
    loadBalancer:
      ingress:
      - ip: 192.0.2.240
kind: List
metadata:
  resourceVersion: ""
END
;;
"get ipaddresspools.metallb.io -A -o yaml"*) cat <<'END'
apiVersion: v1
items:
- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: lan
    namespace: metallb-system
  spec:
    addresses:
    - 192.0.2.240/29
kind: List
metadata:
  resourceVersion: ""
END
;;
"get l2advertisements.metallb.io -A -o yaml"*) cat <<'END'
apiVersion: v1
items:
- apiVersion: metallb.io/v1beta1
  kind: L2Advertisement
  metadata:
    name: lan
    namespace: metallb-system
  spec:
    ipAddressPools:
    - lan
kind: List
metadata:
  resourceVersion: ""
END
;;
"get pods -A -l app.kubernetes.io/name=traefik "*) echo 'traefik traefik-7d9c6b5f4-x2k8p' ;;
"get pods -A -l app.kubernetes.io/name=metallb "*) echo 'metallb-system speaker-4xq9z' ;;
"get pods -A -l"*) ;;
"logs -n traefik traefik-7d9c6b5f4-x2k8p"*) cat <<'END'
time="2024-05-01T10:00:00Z" level=info msg="Configuration loaded from flags."
time="2024-05-01T10:00:05Z" level=debug msg="http: TLS handshake error from 203.0.113.50:50432: local error: tls: bad record MAC"
END
;;
"logs -n metallb-system speaker-4xq9z"*) cat <<'END'
{"caller":"main.go:409","event":"serviceAnnounced","ips":["192.0.2.240"],"level":"info","msg":"service has IP, announcing","pool":"lan","protocol":"layer2","ts":"2024-05-01T10:00:00Z"}
END
;;
*) echo "error: the server doesn't have a resource type" >&2; exit 1 ;;
esac
`;

const tmp = mkdtempSync(join(tmpdir(), 'forensic-collect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Extract a tarball into a fresh directory; returns it. */
function extract(tarball: string): string {
  const d = mkdtempSync(join(tmp, 'x-'));
  const r = spawnSync('tar', ['-xzf', tarball, '-C', d], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return d;
}

/** Files of a directory tree, relative. */
function tree(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(d.length + 1))
    .sort();
}

/** Every file must be recognised by content (capture or a registered text format). */
async function unrecognised(root: string): Promise<string[]> {
  const bad: string[] = [];
  for (const f of tree(root)) {
    if (f.endsWith('forensic.json')) continue; // the manifest is read as such, not sniffed
    const s = await sniffFile(join(root, f), f.split('/').pop() ?? f);
    if (s.kind === 'unknown') bad.push(`${f}: ${s.reason}`);
  }
  return bad;
}

describe('collectScript', () => {
  it('bakes the options in and validates them', () => {
    const s = collectScript({ durationS: 5, maxMb: 7, ifaces: ['eth1', 'bond0.100'], outDir: "/tmp/it's" });
    expect(s.startsWith('#!/bin/sh\n')).toBe(true);
    expect(s).toContain('DURATION=5\n');
    expect(s).toContain('MAX_MB=7\n');
    expect(s).toContain("IFACES='eth1 bond0.100'\n");
    expect(s).toContain("OUT_DIR='/tmp/it'\\''s'\n");
    expect(s).toContain('KUBECTL=0\n');
    expect(() => collectScript({ ifaces: ['eth0; rm -rf /'] })).toThrow(/bad interface/);
    expect(() => collectScript({ durationS: 0 })).toThrow(/duration/);
    expect(() => collectScript({ maxMb: 1.5 })).toThrow(/max-mb/);
  });

  it('sends no traffic itself: no client tools in the script', () => {
    const s = collectScript({ kubectl: true });
    for (const tool of ['curl', 'wget', 'ping', 'arping', 'nc ', 'openssl']) expect(s).not.toContain(tool);
  });

  const shells = ['dash', 'bash', 'busybox'].filter(have);
  for (const sh of shells)
    it(`parses under ${sh} -n for every option combination`, () => {
      for (const capture of [true, false])
        for (const kubectl of [true, false])
          for (const ifaces of [[], ['eth0'], ['eth0', 'eth1']]) {
            const f = join(tmp, 'syntax.sh');
            writeFileSync(f, collectScript({ capture, kubectl, ifaces }));
            const args = sh === 'busybox' ? ['sh', '-n', f] : ['-n', f];
            const r = spawnSync(sh, args, { encoding: 'utf8' });
            expect(r.stderr).toBe('');
            expect(r.status).toBe(0);
          }
    });

  it('cmdCollect --write writes an executable script; bad options exit 2', async () => {
    const f = join(tmp, 'written.sh');
    expect(await cmdCollect(['--write', f, '--duration', '9', '--iface', 'eth1', '--no-capture'])).toBe(0);
    const s = readFileSync(f, 'utf8');
    expect(s).toContain('DURATION=9\n');
    expect(s).toContain('CAPTURE=0\n');
    expect(s).toContain("IFACES='eth1'\n");
    expect(await cmdCollect(['--write', f, '--duration', 'soon'])).toBe(2);
  });
});

const avail = labAvailable();
if (!avail.ok) console.warn(`collect namespace tests skipped: ${avail.reason}`);

describe.skipIf(!avail.ok)('collect script in a lab namespace', () => {
  const topo = new Topology(`fxc${process.pid % 100000}`);
  const script = join(tmp, 'collect.sh');
  beforeAll(() => {
    topo.create({ routing: 'lan-default', vipHeld: true });
  });
  afterAll(() => topo.destroy());

  /** Run the script as node1 (own UTS namespace, hostname node1) under dash while client-lan pings. */
  async function collectOnNode(
    opts: Parameters<typeof collectScript>[0],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const out = mkdtempSync(join(tmp, 'out-'));
    writeFileSync(script, collectScript({ ...opts, outDir: out }));
    const run = spawn(
      'ip',
      [
        'netns',
        'exec',
        topo.ns('node1'),
        'unshare',
        '--uts',
        'sh',
        '-c',
        `hostname node1 && exec dash ${script}`,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((r) => run.once('exit', r));
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (d) => {
      stdout += d;
    });
    run.stderr.on('data', (d) => {
      stderr += d;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const ping = topo.run('client-lan', 'ping', ['-c', '3', '-i', '0.3', '192.0.2.240']);
    const code = await exited;
    expect(code, stderr).toBe(0);
    expect(ping.status).toBe(0);
    const tarball = stdout.trim();
    expect(tarball).toMatch(new RegExp(`^${out}/forensic-node1-\\d{8}T\\d{6}Z\\.tar\\.gz$`));
    return { dir: extract(tarball), stderr };
  }

  it('with dumpcap: pcapng with interface names, state in text and JSON, a valid manifest', async () => {
    const { dir, stderr } = await collectOnNode({ durationS: 3 });
    expect(stderr).toContain('capturing for 3 s');
    const files = tree(dir);
    expect(files.every((f) => f.startsWith('node1/'))).toBe(true);
    for (const f of [...STATE_FILES, 'capture.pcapng']) expect(files).toContain(`node1/${f}`);
    const cap = walkCapture(join(dir, 'node1/capture.pcapng'));
    expect(cap.interfaces.sort()).toEqual(['eth0', 'eth1']);
    expect(cap.packets).toBeGreaterThanOrEqual(6); // 3 echo requests + 3 replies at least
    const m = parseManifest(readFileSync(join(dir, 'node1/forensic.json'), 'utf8'), 'forensic.json');
    expect(m.errors).toEqual([]);
    expect(m.manifest?.hostname).toBe('node1');
    expect(m.manifest?.timezone).toBeTruthy();
    expect(Object.values(m.manifest?.nodes?.node1?.interfaces ?? {}).sort()).toEqual(['eth0', 'eth1', 'lo']);
    expect(await unrecognised(dir)).toEqual([]);
    if (have('tshark')) {
      // the script itself sent nothing: node1 only answered (echo replies, ARP, IPv6 link-local chatter)
      const sent = tsharkFields(
        join(dir, 'node1/capture.pcapng'),
        'ip.src==192.0.2.10 || ip.src==192.0.2.240 || ip.src==198.51.100.15',
        ['icmp.type', 'ip.proto'],
      );
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((r) => r[0] === '0')).toBe(true);
    }
  });

  it('without dumpcap: tcpdump -i any (SLL2) and an ifindex map in the manifest', async () => {
    // A PATH with every command except dumpcap.
    const bin = join(tmp, 'bin-no-dumpcap');
    mkdirSync(bin, { recursive: true });
    for (const d of (process.env.PATH ?? '').split(':'))
      for (const e of (() => {
        try {
          return readdirSync(d);
        } catch {
          return [];
        }
      })()) {
        if (e === 'dumpcap') continue;
        try {
          symlinkSync(join(d, e), join(bin, e));
        } catch {
          /* first one on PATH wins */
        }
      }
    const { dir } = await collectOnNode({ durationS: 2 }, { ...process.env, PATH: bin });
    const files = tree(dir);
    expect(files).toContain('node1/capture.pcap');
    expect(files).not.toContain('node1/capture.pcapng');
    expect(walkCapture(join(dir, 'node1/capture.pcap')).linktypes).toEqual(['sll2']);
    const m = parseManifest(readFileSync(join(dir, 'node1/forensic.json'), 'utf8'), 'forensic.json');
    expect(m.errors).toEqual([]);
    const map = m.manifest?.nodes?.node1?.interfaces ?? {};
    const addrs = JSON.parse(readFileSync(join(dir, 'node1/ip-addr.json'), 'utf8')) as Array<{
      ifindex: number;
      ifname: string;
    }>;
    for (const a of addrs) expect(map[String(a.ifindex)]).toBe(a.ifname);
    expect(await unrecognised(dir)).toEqual([]);
  });

  it('state only (--no-capture) works without root', async () => {
    if (!have('runuser')) return;
    const out = mkdtempSync(join(tmp, 'nobody-'));
    chmodSync(out, 0o777);
    writeFileSync(script, collectScript({ capture: false, outDir: out }));
    chmodSync(tmp, 0o755);
    chmodSync(script, 0o644);
    const r = spawnSync(
      'ip',
      ['netns', 'exec', topo.ns('node1'), 'runuser', '-u', 'nobody', '--', 'dash', script],
      {
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: out },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const dir = extract(r.stdout.trim());
    const files = tree(dir).map((f) => f.split('/').slice(1).join('/'));
    for (const f of STATE_FILES) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('capture.'))).toBe(false);
    const manifest = JSON.parse(
      readFileSync(join(dir, tree(dir).find((f) => f.endsWith('forensic.json')) ?? ''), 'utf8'),
    );
    expect(manifest.collected.uid).toBe(65534);
    expect(await unrecognised(dir)).toEqual([]);
  });

  it.skipIf(!have('busybox'))(
    'under busybox sh with only busybox applets and tcpdump (Alpine-like)',
    async () => {
      const bin = join(tmp, 'bin-busybox');
      mkdirSync(bin, { recursive: true });
      execFileSync('busybox', ['--install', '-s', bin]);
      symlinkSync(
        execFileSync('sh', ['-c', 'command -v tcpdump'], { encoding: 'utf8' }).trim(),
        join(bin, 'tcpdump'),
      );
      const out = mkdtempSync(join(tmp, 'bb-'));
      writeFileSync(script, collectScript({ durationS: 2, outDir: out }));
      const ip = execFileSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim();
      const run = spawn(ip, ['netns', 'exec', topo.ns('node1'), join(bin, 'sh'), script], {
        env: { PATH: bin },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((r) => run.once('exit', r));
      let stdout = '';
      run.stdout.on('data', (d) => {
        stdout += d;
      });
      await new Promise((r) => setTimeout(r, 700));
      topo.run('client-lan', 'ping', ['-c', '2', '-i', '0.3', '192.0.2.240']);
      expect(await exited).toBe(0);
      const dir = extract(stdout.trim());
      const files = tree(dir).map((f) => f.split('/').slice(1).join('/'));
      // busybox ip has no -j: the JSON variants are skipped, the text ones are there
      for (const f of [
        'capture.pcap',
        'ip-route-all.txt',
        'ip-rule.txt',
        'ip-addr.txt',
        'ip-neigh.txt',
        'arp-an.txt',
      ])
        expect(files).toContain(f);
      const manifest = tree(dir).find((f) => f.endsWith('forensic.json')) ?? '';
      expect(parseManifest(readFileSync(join(dir, manifest), 'utf8'), 'forensic.json').errors).toEqual([]);
      expect(await unrecognised(dir)).toEqual([]);
    },
  );

  it('--kubectl: services, pods, MetalLB objects and pod logs (kubectl stubbed)', async () => {
    const bin = join(tmp, 'bin-kubectl');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'kubectl'), KUBECTL_STUB, { mode: 0o755 });
    const { dir } = await collectOnNode(
      { durationS: 1, kubectl: true, capture: false },
      { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    );
    const files = tree(dir).filter((f) => f.includes('/k8s/'));
    expect(files).toEqual(
      [
        'node1/k8s/services.txt',
        'node1/k8s/pods.txt',
        'node1/k8s/svc.yaml',
        'node1/k8s/ipaddresspools.yaml',
        'node1/k8s/l2advertisements.yaml',
        'node1/k8s/traefik-traefik-7d9c6b5f4-x2k8p.log',
        'node1/k8s/metallb-speaker-4xq9z.log',
      ].sort(),
    );
    expect(await unrecognised(dir)).toEqual([]);
  });

  it.skipIf(!analyzerCli().ok)(
    'the analyzer reads a collected bundle with no unrecognised files',
    async () => {
      const cli = analyzerCli();
      if (!cli.ok) return;
      const { dir } = await collectOnNode({ durationS: 2 });
      const r = spawnSync(process.execPath, [cli.cli, 'analyze', dir, '--format', 'json'], {
        encoding: 'utf8',
      });
      expect([0, 1], r.stderr).toContain(r.status);
      const a = JSON.parse(r.stdout) as {
        bundle: { files: Array<{ path: string; format: string | null }> };
        coverage?: unknown;
      };
      const unknown = a.bundle.files.filter((f) => !f.format && !f.path.endsWith('forensic.json'));
      expect(
        unknown.map((f) => JSON.stringify(f)),
        JSON.stringify(a.coverage ?? null),
      ).toEqual([]);
    },
  );
});
