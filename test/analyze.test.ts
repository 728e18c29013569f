/**
 * The pipeline end to end, in-process: a bundle mixing capture styles and text
 * formats gets the right node for every file and the right interfaces for its
 * flows; corrupt, unknown and unreadable files and a bad manifest are reported
 * with their location while the rest is still analysed; output is deterministic.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCapture } from '../bench/gen-capture.js';
import { analyzeBundle } from '../src/analyze.js';
import { LATE_PER_MINUTE, RECORDS_CAP } from '../src/bundle/keep.js';
import { workerScript } from '../src/bundle/pool.js';
import { Analysis } from '../src/model/analysis.js';
import { renderText } from '../src/report/text.js';

const ROOT = resolve(import.meta.dirname, '..');
const S = (p: string) => join(ROOT, 'samples', p);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'forensic-test-'));
  dirs.push(d);
  return d;
}

/** A bundle mixing every capture style and naming convention. */
function mixedBundle(): string {
  const b = tmp();
  mkdirSync(join(b, 'node1'));
  mkdirSync(join(b, 'captures'));
  mkdirSync(join(b, 'logs'));
  mkdirSync(join(b, 'lan-host'));
  // node1: tcpdump -i any (SLL2) + its ip -j addr to name the ifindexes.
  cpSync(S('asymmetric-drop/node1/tcpdump-any.pcap'), join(b, 'node1/tcpdump-any.pcap'));
  cpSync(S('asymmetric-drop/node1/ip-addr.json'), join(b, 'node1/ip-addr.json'));
  cpSync(S('asymmetric-drop/node1/ip-route-all.txt'), join(b, 'node1/routes.out'));
  cpSync(S('asymmetric-drop/node1/traefik.log'), join(b, 'logs/node1_traefik.log'));
  // node2: one pcap per interface, attributed by file-name prefix.
  cpSync(S('lan-corruption/node1/eth0.pcap'), join(b, 'captures/node2-eth0.pcap'));
  cpSync(S('lan-corruption/node1/eth1.pcap'), join(b, 'captures/node2-eth1.pcap'));
  // node3: dumpcap pcapng with interface names, named in the manifest only.
  cpSync(S('asymmetric-mangle/node1/capture.pcapng'), join(b, 'captures/dumpcap-both.pcapng'));
  // a LAN host in its own directory.
  cpSync(S('healthy/client-lan/curl-v.txt'), join(b, 'lan-host/curl.log'));
  cpSync(S('healthy/client-lan/arp-a.txt'), join(b, 'lan-host/arp'));
  writeFileSync(
    join(b, 'forensic.yaml'),
    'nodes:\n  node1: {}\n  node2: {}\n  node3: {}\nfiles:\n  captures/dumpcap-both.pcapng: {node: node3}\n',
  );
  return b;
}

describe('analyzeBundle', () => {
  it('attributes every file and every capture interface in a mixed bundle', async () => {
    const a = await analyzeBundle(mixedBundle(), { workers: 0 });
    Analysis.parse(a);
    const nodeOf = Object.fromEntries(a.bundle.files.map((f) => [f.path, f.node]));
    expect(nodeOf).toEqual({
      'captures/dumpcap-both.pcapng': 'node3',
      'captures/node2-eth0.pcap': 'node2',
      'captures/node2-eth1.pcap': 'node2',
      'lan-host/arp': 'lan-host',
      'lan-host/curl.log': 'lan-host',
      'logs/node1_traefik.log': 'node1',
      'node1/ip-addr.json': 'node1',
      'node1/routes.out': 'node1',
      'node1/tcpdump-any.pcap': 'node1',
    });
    const ifaces = (node: string) =>
      [
        ...new Set(
          a.flows
            .filter((f) => f.node === node && f.server.port === 443)
            .map((f) => `${f.interfaces.toServer.join(',')}>${f.interfaces.toClient.join(',')}`),
        ),
      ].sort();
    // SLL2 ifindexes named through node1's ip -j addr; pcapng if_name; one file per interface.
    expect(ifaces('node1')).toContain('eth1>eth0');
    expect(ifaces('node1').every((s) => !s.includes('ifindex'))).toBe(true);
    expect(ifaces('node2')).toEqual(['eth1>eth1']);
    expect(ifaces('node3')).toContain('eth1>eth0');
    expect(a.rootCause?.finding).toMatch(/^default-route-mismatch#node1/);
  });

  it('keeps going past corrupt, unknown and unreadable files and a bad manifest', async () => {
    const b = tmp();
    cpSync(S('asymmetric-mangle'), b, { recursive: true });
    const cap = readFileSync(S('asymmetric-mangle/node1/capture.pcapng'));
    writeFileSync(join(b, 'node1/cut.pcapng'), cap.subarray(0, Math.floor(cap.length / 2) + 3));
    writeFileSync(join(b, 'node1/garbage.bin'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9]));
    writeFileSync(join(b, 'node1/notes.txt'), 'remember to buy milk\nand bread\n');
    symlinkSync('/etc/passwd', join(b, 'node1/passwd'));
    symlinkSync(join(b, 'does-not-exist'), join(b, 'node1/dangling'));
    writeFileSync(
      join(b, 'forensic.json'),
      '{"nodes": {"node1": {"timezone": "Nowhere/Nope"}}, "service": {"vip": 5}}',
    );
    const a = await analyzeBundle(b, { workers: 0 });
    const cov = Object.fromEntries(a.coverage.files.map((c) => [c.path, c]));
    expect(cov['forensic.json'].status).toBe('rejected');
    expect(cov['forensic.json'].firstIssues?.map((i) => i.message).join('\n')).toMatch(
      /forensic\.json: nodes\.node1\.timezone/,
    );
    expect(cov['node1/cut.pcapng'].status).toMatch(/partial|rejected/);
    expect(cov['node1/cut.pcapng'].firstIssues?.[0].offset).toBeGreaterThan(0);
    expect(cov['node1/cut.pcapng'].parsed).toBeGreaterThan(0);
    expect(cov['node1/garbage.bin'].status).toBe('unrecognised');
    expect(cov['node1/notes.txt'].status).toBe('unrecognised');
    expect(cov['node1/passwd'].status).toBe('rejected');
    expect(cov['node1/passwd'].firstIssues?.[0].message).toMatch(/outside the bundle/);
    expect(cov['node1/dangling'].status).toBe('rejected');
    // The rest of the bundle is still diagnosed.
    expect(a.findings.map((f) => f.rule)).toContain('tls-bad-record-mac');
    expect(a.rootCause).not.toBeNull();
  });

  it('is deterministic: same bundle → identical JSON, in-process or with workers', async () => {
    const one = JSON.stringify(await analyzeBundle(S('asymmetric-mangle'), { workers: 0 }));
    const two = JSON.stringify(await analyzeBundle(S('asymmetric-mangle'), { workers: 2 }));
    expect(two).toBe(one);
  });

  it('reads .tar.gz and .zip bundles, wrapped in their directory or not', async () => {
    const { execFileSync } = await import('node:child_process');
    const d = tmp();
    const dir = await analyzeBundle(S('vip-unresolved'), { workers: 0 });
    const nodesOf = (a: Analysis) => a.coverage.files.map((f) => `${f.path} ${f.node ?? '-'}`);
    // `tar czf b.tgz vip-unresolved/`: the wrapping directory is the bundle's root.
    execFileSync('tar', ['-czf', join(d, 'wrapped.tar.gz'), '-C', S(''), 'vip-unresolved']);
    // `tar czf b.tgz -C vip-unresolved .`: the bundle at the archive's root.
    execFileSync('tar', ['-czf', join(d, 'flat.tgz'), '-C', S('vip-unresolved'), '.']);
    const archives = ['wrapped.tar.gz', 'flat.tgz'];
    let zip = true;
    try {
      execFileSync('zip', ['-qr', join(d, 'wrapped.zip'), 'vip-unresolved'], { cwd: S('') });
      archives.push('wrapped.zip');
    } catch {
      zip = false;
    }
    for (const name of archives) {
      const a = await analyzeBundle(join(d, name), { workers: 0 });
      expect(a.rootCause?.finding, name).toMatch(/^vip-unresolved/);
      expect(nodesOf(a), name).toEqual(nodesOf(dir));
      // The manifest at the bundle's root was found: it names the service.
      expect(a.bundle.service, name).toEqual(dir.bundle.service);
      expect(dir.bundle.service).toBeDefined();
    }
    if (!zip) console.warn('zip not installed: the .zip case was not run (.ci/run installs it)');
  });

  it('attributes a flat bundle by the host names in front of its file names', async () => {
    const d = tmp();
    const src = S('asymmetric-mangle');
    const dir = await analyzeBundle(src, { workers: 0 });
    const want: string[] = [];
    for (const c of dir.coverage.files) {
      if (!c.node || !c.path.startsWith(`${c.node}/`) || c.path.split('/').length !== 2) continue;
      cpSync(join(src, c.path), join(d, `${c.node}_${c.path.split('/')[1]}`));
      want.push(`${c.node}_${c.path.split('/')[1]} ${c.node}`);
    }
    // No manifest and no directories: only the file names say which host each file is from.
    const a = await analyzeBundle(d, { workers: 0 });
    expect(a.coverage.files.map((c) => `${c.path} ${c.node}`)).toEqual(want.sort());
    expect(a.rootCause?.finding).toBe(dir.rootCause?.finding);
  });

  it("names the host after the directory analysed when nothing else does (a host's directory, a file in it)", async () => {
    const dir = await analyzeBundle(join(S('asymmetric-drop'), 'client-remote'), { workers: 0 });
    expect(new Set(dir.coverage.files.map((c) => c.node))).toEqual(new Set(['client-remote']));
    const one = await analyzeBundle(join(S('asymmetric-drop'), 'node1/tcpdump-any.pcap'), { workers: 0 });
    expect(one.flows.every((f) => f.node === 'node1')).toBe(true);
    // A generic directory name (logs/, captures/, pcap/) names no host.
    const d = tmp();
    mkdirSync(join(d, 'captures'));
    cpSync(join(S('asymmetric-drop'), 'node1/tcpdump-any.pcap'), join(d, 'captures/a.pcap'));
    const generic = await analyzeBundle(join(d, 'captures'), { workers: 0 });
    expect(generic.flows.every((f) => f.node === 'node')).toBe(true);
  });

  it('filters by node and time window', async () => {
    const a = await analyzeBundle(S('asymmetric-mangle'), { workers: 0, node: 'client-remote' });
    expect(a.flows.every((f) => f.node === 'client-remote')).toBe(true);
    expect(a.timeline.every((t) => !t.node || t.node === 'client-remote')).toBe(true);
    const all = await analyzeBundle(S('asymmetric-mangle'), { workers: 0 });
    const mid = all.timeline[Math.floor(all.timeline.length / 2)].ts;
    const late = await analyzeBundle(S('asymmetric-mangle'), { workers: 0, since: mid });
    expect(late.timeline.length).toBeLessThan(all.timeline.length);
    expect(late.timeline.every((t) => (t.until ?? t.ts) >= mid)).toBe(true);
  });
});

describe('progress', () => {
  for (const workers of [0, 1]) {
    // The pool needs the compiled worker (npm run build).
    it.skipIf(workers > 0 && workerScript() === null)(
      `reports bytes and packets while a capture is read, not only when it is done (workers: ${workers})`,
      async () => {
        const b = tmp();
        mkdirSync(join(b, 'node1'));
        const gen = await generateCapture(join(b, 'node1/eth0.pcap'), 40e6, 3);
        const seen: Array<{ filesDone: number; bytesDone: number; packetsDone?: number }> = [];
        await analyzeBundle(b, { workers, onProgress: (p) => seen.push(p) });
        const during = seen.filter((p) => p.filesDone === 0 && p.bytesDone > 0);
        expect(during.length).toBeGreaterThan(0);
        expect(during.at(-1)?.packetsDone).toBeGreaterThan(0);
        // Never backwards, and the last report is the whole file.
        for (let i = 1; i < seen.length; i++)
          expect(seen[i].bytesDone).toBeGreaterThanOrEqual(seen[i - 1].bytesDone);
        expect(seen.at(-1)).toMatchObject({ filesDone: 1, packetsDone: gen.packets });
      },
    );
  }
});

describe('what is counted but not kept', () => {
  it("counts TLS errors that were not kept in the findings' totals", async () => {
    const b = tmp();
    mkdirSync(join(b, 'node1'));
    const line = (i: number, cause: string) =>
      `time="2024-05-01T10:${String(Math.floor(i / 4000) % 60).padStart(2, '0')}:00Z" level=debug msg="http: TLS handshake error from 192.0.2.${i % 200}:${1024 + i}: ${cause}"`;
    // The cap in EOF errors, then a burst of bad record MAC in one minute: LATE_PER_MINUTE kept.
    const lines = Array.from({ length: RECORDS_CAP }, (_, i) => line(i, 'EOF'));
    for (let k = 0; k < 300; k++) lines.push(line(RECORDS_CAP, 'local error: tls: bad record MAC'));
    writeFileSync(join(b, 'node1/traefik.log'), `${lines.join('\n')}\n`);
    const a = await analyzeBundle(b, { workers: 0 });
    const cov = a.coverage.files.find((c) => c.path === 'node1/traefik.log');
    expect(cov?.notKeptByKind).toEqual({ 'tls-handshake-error|bad-record-mac': 300 - LATE_PER_MINUTE });
    const mac = a.findings.find((f) => f.rule === 'tls-bad-record-mac');
    expect(mac?.summary).toMatch(
      new RegExp(
        `^300 server-side "bad record MAC" handshake error\\(s\\) \\(${LATE_PER_MINUTE} kept for detail\\)`,
      ),
    );
    expect(mac?.facts?.serverErrorsNotKept).toBe(300 - LATE_PER_MINUTE);
    const eof = a.findings.find((f) => f.rule === 'tls-handshake-failure' && f.facts?.cause === 'eof');
    expect(eof?.summary).toMatch(
      new RegExp(`^${RECORDS_CAP} TLS handshake error\\(s\\) with cause "eof" from`),
    );
  });

  it('shows access lines sampled beyond the per-file cap as "not kept" in coverage and the text report', async () => {
    const b = tmp();
    mkdirSync(join(b, 'node1'));
    const line = (i: number) =>
      `192.0.2.${10 + (i % 200)} - - [01/May/2024:10:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:00 +0000] "GET /item/${i} HTTP/1.1" 200 512 "-" "curl/8.5.0"`;
    // The cap, then 250 lines of one minute: LATE_PER_MINUTE of them are kept.
    const n = RECORDS_CAP + 250;
    const notKept = 250 - LATE_PER_MINUTE;
    writeFileSync(
      join(b, 'node1/access.log'),
      `${Array.from({ length: n }, (_, i) => line(i)).join('\n')}\n`,
    );
    const a = await analyzeBundle(b, { workers: 0 });
    const cov = a.coverage.files.find((c) => c.path === 'node1/access.log');
    expect(cov).toMatchObject({ parsed: n, notKept });
    expect(renderText(a)).toContain(`issues 0, not kept ${notKept}`);
    // The request summary says so instead of silently counting only the kept lines.
    const summary = a.findings.find(
      (f) => f.id.startsWith('access-summary') && f.facts?.notKept !== undefined,
    );
    expect(summary?.facts?.notKept).toBe(notKept);
    expect(summary?.summary).toMatch(
      new RegExp(
        `^${n - notKept} request\\(s\\).*${notKept} more line\\(s\\) of these logs were counted but not kept`,
      ),
    );
  });
});
