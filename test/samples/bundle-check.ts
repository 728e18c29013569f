/**
 * Helpers shared by the sample-bundle tests and the lab end-to-end test: the
 * expected.json schema, a minimal capture walker (independent of the analyzer), the
 * checks of expected.json facts against a bundle's files, and the comparison of an
 * analyzer result (`forensic analyze --format json`) with expected.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

const Severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const SEVERITY_ORDER = Severity.options;

/** Schema of samples/<scenario>/expected.json (documented in samples/README.md). */
export const Expected = z
  .object({
    scenario: z.string(),
    rootCause: z.object({ rule: z.string(), node: z.string().optional() }).strict().nullable(),
    findings: z.array(
      z.object({ rule: z.string(), node: z.string().optional(), minSeverity: Severity.optional() }).strict(),
    ),
    absent: z.array(z.string()),
    facts: z
      .object({
        vip: z.string(),
        port: z.number().int(),
        hostname: z.string(),
        lanGateway: z.string(),
        mgmtGateway: z.string(),
        serviceInterface: z.string(),
        mgmtInterface: z.string(),
        defaultRouteInterface: z.string(),
        tlsErrors: z.number().int().min(0),
        tlsErrorSide: z.enum(['local', 'remote']).nullable(),
        okRequests: z.number().int().min(0),
        affectedClients: z.array(z.string()),
        unaffectedClients: z.array(z.string()),
        clientFailures: z.record(z.string(), z.number().int().min(0)),
        curlExit: z.record(z.string(), z.number().int()),
        pingReceived: z.record(z.string(), z.number().int().min(0)),
        vipHeldBy: z.string().nullable().optional(),
        captures: z.record(
          z.string(),
          z
            .object({
              linktype: z.enum(['ethernet', 'sll', 'sll2']),
              packets: z.number().int().positive(),
              interfaces: z.array(z.string()).optional(),
            })
            .strict(),
        ),
        remediation: z.string().nullable(),
      })
      .strict(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const found = new Set(e.findings.map((f) => f.rule));
    for (const a of e.absent)
      if (found.has(a)) ctx.addIssue({ code: 'custom', message: `${a} both expected and absent` });
    if (e.rootCause && !found.has(e.rootCause.rule))
      ctx.addIssue({ code: 'custom', message: `root cause ${e.rootCause.rule} not among findings` });
    if (!e.rootCause && e.findings.length)
      ctx.addIssue({ code: 'custom', message: 'healthy but with findings' });
  });
/** A parsed expected.json. */
export type Expected = z.infer<typeof Expected>;

/** Load and validate a bundle's expected.json. */
export function loadExpected(bundle: string): Expected {
  return Expected.parse(JSON.parse(readFileSync(join(bundle, 'expected.json'), 'utf8')));
}

const LINKTYPES: Record<number, 'ethernet' | 'sll' | 'sll2'> = { 1: 'ethernet', 113: 'sll', 276: 'sll2' };

/** What the capture walker saw. */
export interface CaptureInfo {
  format: 'pcap' | 'pcapng';
  linktypes: string[];
  packets: number;
  interfaces: string[];
}

/** Walk a pcap/pcapng file's framing (no decoding): format, link types, packets, interface names. */
export function walkCapture(file: string): CaptureInfo {
  const b = readFileSync(file);
  if (b.length < 24) throw new Error(`${file}: too short for a capture`);
  const be = b.readUInt32BE(0);
  if (be === 0xd4c3b2a1 || be === 0x4d3cb2a1 || be === 0xa1b2c3d4 || be === 0xa1b23c4d) {
    const le = be === 0xd4c3b2a1 || be === 0x4d3cb2a1;
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    let off = 24;
    let packets = 0;
    while (off + 16 <= b.length) {
      const incl = u32(off + 8);
      if (off + 16 + incl > b.length) throw new Error(`${file}: truncated record at ${off}`);
      off += 16 + incl;
      packets++;
    }
    return {
      format: 'pcap',
      linktypes: [LINKTYPES[u32(20) & 0xffff] ?? String(u32(20))],
      packets,
      interfaces: [],
    };
  }
  if (be !== 0x0a0d0d0a) throw new Error(`${file}: not a pcap/pcapng capture`);
  const le = b.readUInt32LE(8) === 0x1a2b3c4d;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  let off = 0;
  let packets = 0;
  const linktypes: string[] = [];
  const interfaces: string[] = [];
  while (off + 12 <= b.length) {
    const type = u32(off);
    const len = u32(off + 4);
    if (len < 12 || off + len > b.length) throw new Error(`${file}: bad block length at ${off}`);
    if (type === 1) {
      const lt = u16(off + 8);
      linktypes.push(LINKTYPES[lt] ?? String(lt));
      // options after linktype(2) reserved(2) snaplen(4)
      let o = off + 16;
      let name = '';
      while (o + 4 <= off + len - 4) {
        const code = u16(o);
        const olen = u16(o + 2);
        if (code === 0) break;
        if (code === 2) name = b.toString('utf8', o + 4, o + 4 + olen);
        o += 4 + ((olen + 3) & ~3);
      }
      interfaces.push(name);
    } else if (type === 6 || type === 3 || type === 2) packets++;
    off += len;
  }
  return { format: 'pcapng', linktypes: [...new Set(linktypes)], packets, interfaces };
}

/** True when a command exists on PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Rows of `tshark -r FILE -Y FILTER -T fields -e …` (empty filter = all packets). */
export function tsharkFields(file: string, filter: string, fields: string[]): string[][] {
  const args = ['-r', file, '-n', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  if (filter) args.push('-Y', filter);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark -r ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length)
    .map((l) => l.split('\t'));
}

const CLIENT_HOSTS = ['client-lan', 'client-remote', 'router'] as const;

/**
 * Compare expected.json facts with the bundle's files (logs, client output, state).
 * Returns the list of mismatches (empty = consistent). Packet counts are only
 * compared when `exactCaptures` (committed bundles; a fresh lab run differs in noise).
 */
export function checkFacts(bundle: string, e: Expected, exactCaptures: boolean): string[] {
  const bad: string[] = [];
  const f = e.facts;
  const read = (p: string) => readFileSync(join(bundle, p), 'utf8');
  const lines = (p: string) => (existsSync(join(bundle, p)) ? read(p).split('\n').filter(Boolean) : []);

  const tls = lines('node1/traefik.log').filter((l) => /TLS handshake error from .*bad record MAC/.test(l));
  if (tls.length !== f.tlsErrors)
    bad.push(`traefik.log: ${tls.length} bad record MAC lines, expected ${f.tlsErrors}`);
  const sides = new Set(
    tls.map((l) => (/: local error: /.test(l) ? 'local' : /: remote error: /.test(l) ? 'remote' : '?')),
  );
  if (f.tlsErrorSide === null ? sides.size !== 0 : sides.size !== 1 || !sides.has(f.tlsErrorSide))
    bad.push(`traefik.log: sides ${[...sides]}, expected ${f.tlsErrorSide}`);
  for (const l of tls) {
    const ip = /from ([\d.]+):\d+:/.exec(l)?.[1] ?? '';
    if (!f.affectedClients.includes(ip)) bad.push(`traefik.log: error from unexpected client ${ip}`);
  }
  const access = lines('node1/access.log');
  if (access.length !== f.okRequests)
    bad.push(`access.log: ${access.length} lines, expected ${f.okRequests}`);
  for (const l of access) {
    const ip = l.split(' ')[0];
    if (!f.unaffectedClients.includes(ip)) bad.push(`access.log: request from affected client ${ip}`);
    if (!/" 200 \d+ /.test(l)) bad.push(`access.log: not a 200: ${l}`);
  }

  for (const h of CLIENT_HOSTS) {
    const curl = read(`${h}/curl-v.txt`);
    const fails = [...curl.matchAll(/^curl: \((\d+)\)/gm)].map((m) => Number(m[1]));
    if (fails.length !== (f.clientFailures[h] ?? 0))
      bad.push(`${h}/curl-v.txt: ${fails.length} failures, expected ${f.clientFailures[h] ?? 0}`);
    for (const c of fails)
      if (c !== f.curlExit[h]) bad.push(`${h}/curl-v.txt: exit ${c}, expected ${f.curlExit[h]}`);
    const attempts = (curl.match(/^\* +Trying /gm) ?? []).length;
    if (attempts !== 4) bad.push(`${h}/curl-v.txt: ${attempts} attempts, expected 4`);
    const rx = Number(/(\d+) received/.exec(read(`${h}/ping.txt`))?.[1] ?? -1);
    if (rx !== f.pingReceived[h]) bad.push(`${h}/ping.txt: ${rx} received, expected ${f.pingReceived[h]}`);
  }

  const routes = read('node1/ip-route-all.txt');
  // The default route of the service's family (`ip route show table all` lists IPv6 too).
  const def = (
    f.vip.includes(':') ? /^default via ([\da-f:]+) dev (\S+)/m : /^default via ([\d.]+) dev (\S+)/m
  ).exec(routes);
  if (def?.[2] !== f.defaultRouteInterface)
    bad.push(`ip-route-all.txt: default dev ${def?.[2]}, expected ${f.defaultRouteInterface}`);
  const gw = f.defaultRouteInterface === f.serviceInterface ? f.lanGateway : f.mgmtGateway;
  if (def?.[1] !== gw) bad.push(`ip-route-all.txt: default via ${def?.[1]}, expected ${gw}`);
  const addrs = JSON.parse(read('node1/ip-addr.json')) as Array<{
    ifname: string;
    addr_info: Array<{ local: string }>;
  }>;
  const vipOn = addrs.filter((a) => a.addr_info.some((i) => i.local === f.vip)).map((a) => a.ifname);
  const held = f.vipHeldBy === null ? [] : [f.serviceInterface];
  if (vipOn.join() !== held.join()) bad.push(`ip-addr.json: VIP on [${vipOn}], expected [${held}]`);

  for (const [file, c] of Object.entries(f.captures)) {
    if (!existsSync(join(bundle, file))) {
      bad.push(`${file}: missing`);
      continue;
    }
    const info = walkCapture(join(bundle, file));
    if (info.linktypes.join() !== c.linktype)
      bad.push(`${file}: linktype ${info.linktypes}, expected ${c.linktype}`);
    if (exactCaptures && info.packets !== c.packets)
      bad.push(`${file}: ${info.packets} packets, expected ${c.packets}`);
    if (c.interfaces && info.interfaces.join() !== c.interfaces.join())
      bad.push(`${file}: interfaces ${info.interfaces}, expected ${c.interfaces}`);
  }
  return bad;
}

/** The subset of the Analysis JSON these checks read. */
export interface AnalysisLike {
  findings: Array<{ id: string; rule: string; severity: string; node?: string }>;
  rootCause: { finding: string } | null;
}

/** Compare an analyzer result with expected.json; returns mismatches (empty = correct diagnosis). */
export function checkAnalysis(a: AnalysisLike, e: Expected): string[] {
  const bad: string[] = [];
  for (const want of e.findings) {
    const hits = a.findings.filter((f) => f.rule === want.rule && (!want.node || f.node === want.node));
    if (!hits.length) bad.push(`missing finding ${want.rule}${want.node ? ` on ${want.node}` : ''}`);
    else if (want.minSeverity) {
      const min = SEVERITY_ORDER.indexOf(want.minSeverity);
      if (!hits.some((h) => SEVERITY_ORDER.indexOf(h.severity as (typeof SEVERITY_ORDER)[number]) >= min))
        bad.push(`${want.rule}: severity ${hits.map((h) => h.severity)} below ${want.minSeverity}`);
    }
  }
  for (const rule of e.absent)
    if (a.findings.some((f) => f.rule === rule)) bad.push(`finding ${rule} must not fire`);
  const root = a.rootCause ? a.findings.find((f) => f.id === a.rootCause?.finding) : undefined;
  if (e.rootCause === null) {
    if (a.rootCause) bad.push(`root cause ${root?.rule ?? a.rootCause.finding} reported, expected none`);
  } else if (!root || root.rule !== e.rootCause.rule || (e.rootCause.node && root.node !== e.rootCause.node))
    bad.push(
      `root cause ${root ? `${root.rule}@${root.node}` : 'none'}, expected ${e.rootCause.rule}@${e.rootCause.node ?? '*'}`,
    );
  return bad;
}

/** The built CLI, when present and it has an `analyze` command that prints JSON. */
export function analyzerCli(): { ok: true; cli: string } | { ok: false; reason: string } {
  const cli = join(REPO_ROOT, 'dist/src/cli.js');
  if (!existsSync(cli)) return { ok: false, reason: `${cli} not built (npm run build)` };
  const r = spawnSync(process.execPath, [cli, 'analyze', '--help'], { encoding: 'utf8' });
  if (!/--format/.test(r.stdout + r.stderr))
    return { ok: false, reason: 'the built CLI has no `analyze --format`' };
  return { ok: true, cli };
}

/** Run `forensic analyze BUNDLE --format json` and parse the result. */
export function runAnalyzer(cli: string, bundle: string): AnalysisLike {
  const r = spawnSync(process.execPath, [cli, 'analyze', bundle, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`analyze ${bundle} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as AnalysisLike;
}

/** What each scenario's captures must show (checked with tshark by captureStory). */
export const CAPTURE_STORIES: Record<string, string> = {
  'asymmetric-drop':
    'SYNs from the remote client arrive on eth1, SYN-ACKs leave on eth0, no handshake completes',
  'asymmetric-mangle': 'replies to the remote client leave on eth0; the client sends bad_record_mac alerts',
  'lan-corruption': 'service flows are symmetric on eth1, nothing of them on eth0',
  'vip-unresolved': 'ARP requests for the VIP are never answered',
  'rp-filter': 'SYNs from the remote client arrive on eth1 and nothing answers them on any interface',
  'mtu-blackhole':
    "the server's 865-byte packets to the remote client are retransmitted and never reach it; its small packets do",
  'vip-conflict':
    'two MACs answer ARP for the VIP; the RSTs refusing the client come from the one that is not node1, and nothing reaches node1',
  'node-firewall':
    "SYNs from the remote client arrive on node1's eth1 and nothing answers them; LAN clients are answered",
  'ipv6-asymmetric':
    'over IPv6, SYNs from the remote client arrive on eth1, SYN-ACKs leave on eth0 and never reach the client',
};

/** Check a bundle's captures against its scenario's story with tshark; returns mismatches. */
export function captureStory(bundle: string, id: string): string[] {
  const bad: string[] = [];
  const ifindex = (name: string) =>
    String(
      (
        JSON.parse(readFileSync(join(bundle, 'node1/ip-addr.json'), 'utf8')) as Array<{
          ifindex: number;
          ifname: string;
        }>
      ).find((a) => a.ifname === name)?.ifindex,
    );
  const same = (what: string, got: Iterable<string>, want: string[]) => {
    const g = [...new Set(got)].sort().join();
    if (g !== [...want].sort().join()) bad.push(`${what}: [${g}], expected [${want}]`);
  };
  if (id === 'asymmetric-drop') {
    const rows = tsharkFields(join(bundle, 'node1/tcpdump-any.pcap'), 'ip.addr==203.0.113.50 && tcp', [
      'sll.ifindex',
      'tcp.flags.syn',
      'tcp.flags.ack',
    ]);
    const syn = rows.filter((r) => r[1] === '1' && r[2] === '0');
    const synack = rows.filter((r) => r[1] === '1' && r[2] === '1');
    if (syn.length < 4 || synack.length < 4)
      bad.push(`${syn.length} SYNs, ${synack.length} SYN-ACKs (want >= 4 each)`);
    same(
      'SYN ifindex',
      syn.map((r) => r[0]),
      [ifindex('eth1')],
    );
    same(
      'SYN-ACK ifindex',
      synack.map((r) => r[0]),
      [ifindex('eth0')],
    );
    if (rows.some((r) => r[1] === '0')) bad.push('a non-SYN segment: some handshake completed');
  } else if (id === 'vip-conflict') {
    const client = join(bundle, 'client-lan/client.pcapng');
    same(
      'ARP replies for the VIP from',
      tsharkFields(client, 'arp.opcode==2 && arp.src.proto_ipv4==192.0.2.240', ['arp.src.hw_mac']).map(
        (r) => r[0],
      ),
      ['02:00:00:00:01:01', '02:00:00:00:0a:01'],
    );
    same(
      'RSTs from the VIP sent by',
      tsharkFields(client, 'ip.src==192.0.2.240 && tcp.flags.reset==1', ['eth.src']).map((r) => r[0]),
      ['02:00:00:00:01:01'],
    );
    const atNode = tsharkFields(join(bundle, 'node1/eth1.pcap'), 'tcp.port==443', ['ip.src']);
    if (atNode.length) bad.push(`${atNode.length} service packet(s) reached node1`);
  } else if (id === 'node-firewall') {
    const rows = tsharkFields(join(bundle, 'node1/eth1.pcapng'), 'tcp.port==443', ['ip.src', 'ip.dst']);
    const remote = '203.0.113.50';
    if (rows.filter((r) => r[0] === remote).length < 8)
      bad.push('fewer than 8 packets from the remote client');
    if (rows.some((r) => r[1] === remote))
      bad.push('a packet to the remote client: its requests were answered');
    same(
      'answered LAN clients',
      rows.filter((r) => r[0] === '192.0.2.240').map((r) => r[1]),
      ['192.0.2.50', '192.0.2.1'],
    );
  } else if (id === 'ipv6-asymmetric') {
    const remote = '2001:db8:0:113::50';
    const rows = tsharkFields(join(bundle, 'node1/node1.pcapng'), `ipv6.addr==${remote} && tcp`, [
      'frame.interface_name',
      'ipv6.src',
      'tcp.flags.syn',
      'tcp.flags.ack',
    ]);
    const syn = rows.filter((r) => r[1] === remote && r[2] === '1' && r[3] === '0');
    const synack = rows.filter((r) => r[1] !== remote && r[2] === '1' && r[3] === '1');
    if (syn.length < 4 || synack.length < 4)
      bad.push(`${syn.length} SYNs, ${synack.length} SYN-ACKs (want >= 4 each)`);
    same(
      'SYNs arrive on',
      syn.map((r) => r[0]),
      ['eth1'],
    );
    same(
      'SYN-ACKs leave on',
      synack.map((r) => r[0]),
      ['eth0'],
    );
    const got = tsharkFields(
      join(bundle, 'client-remote/client.pcap'),
      'tcp.flags.syn==1 && tcp.flags.ack==1',
      ['ipv6.src'],
    );
    if (got.length) bad.push(`${got.length} SYN-ACK(s) reached the remote client`);
  } else if (id === 'rp-filter') {
    const rows = tsharkFields(join(bundle, 'node1/node1.pcapng'), 'ip.addr==203.0.113.50', [
      'frame.interface_name',
      'ip.src',
      'tcp.flags.syn',
    ]);
    const syn = rows.filter((r) => r[1] === '203.0.113.50' && r[2] === '1');
    if (syn.length < 4) bad.push(`${syn.length} SYNs from 203.0.113.50 (want >= 4)`);
    same(
      'requests arrive on',
      rows.filter((r) => r[1] === '203.0.113.50').map((r) => r[0]),
      ['eth1'],
    );
    const replies = rows.filter((r) => r[1] !== '203.0.113.50');
    if (replies.length)
      bad.push(`${replies.length} packet(s) sent to 203.0.113.50: the requests were answered`);
  } else if (id === 'mtu-blackhole') {
    const big = (f: string, filter: string) =>
      tsharkFields(join(bundle, f), `ip.src==192.0.2.240 && ip.dst==203.0.113.50 && ${filter}`, [
        'ip.len',
        'tcp.analysis.retransmission',
      ]);
    const sent = big('node1/eth1.pcap', 'tcp.len>700');
    if (sent.length < 8 || !sent.some((r) => r[1] === '1'))
      bad.push(`${sent.length} large server packets to the remote client, want >= 8 with retransmissions`);
    if (sent.some((r) => Number(r[0]) <= 800)) bad.push('a large server packet of 800 bytes or less');
    if (big('client-remote/client.pcapng', 'tcp.len>700').length)
      bad.push('a large server packet reached the remote client');
    if (big('client-remote/client.pcapng', 'tcp.flags.syn==1').length < 4)
      bad.push('fewer than 4 SYN-ACKs reached the remote client');
  } else if (id === 'asymmetric-mangle') {
    const rows = tsharkFields(join(bundle, 'node1/capture.pcapng'), 'ip.addr==203.0.113.50', [
      'frame.interface_name',
      'ip.src',
    ]);
    same(
      'replies leave on',
      rows.filter((r) => r[1] === '192.0.2.240').map((r) => r[0]),
      ['eth0'],
    );
    same(
      'requests arrive on',
      rows.filter((r) => r[1] === '203.0.113.50').map((r) => r[0]),
      ['eth1'],
    );
    const alerts = tsharkFields(join(bundle, 'client-remote/client.pcap'), 'tls.alert_message', [
      'ip.src',
      'tls.alert_message.desc',
    ]);
    if (alerts.length !== 4 || alerts.some((a) => a[0] !== '203.0.113.50' || a[1] !== '20'))
      bad.push(`client alerts ${JSON.stringify(alerts)}, expected 4 x bad_record_mac (20) from 203.0.113.50`);
  } else if (id === 'lan-corruption') {
    const eth0 = tsharkFields(join(bundle, 'node1/eth0.pcap'), 'ip', ['ip.src']);
    if (eth0.length) bad.push(`${eth0.length} IPv4 packets on eth0`);
    const eth1 = tsharkFields(join(bundle, 'node1/eth1.pcap'), 'tcp.port==443', ['ip.src', 'ip.dst']);
    const clients = ['192.0.2.50', '203.0.113.50', '192.0.2.1'];
    same(
      'to server from',
      eth1.filter((r) => r[1] === '192.0.2.240').map((r) => r[0]),
      clients,
    );
    same(
      'to client',
      eth1.filter((r) => r[0] === '192.0.2.240').map((r) => r[1]),
      clients,
    );
  } else if (id === 'vip-unresolved') {
    for (const f of ['node1/node1-eth1.pcap', 'client-lan/arp-debug.pcapng']) {
      const rows = tsharkFields(
        join(bundle, f),
        'arp.dst.proto_ipv4==192.0.2.240 || arp.src.proto_ipv4==192.0.2.240',
        ['arp.opcode'],
      );
      if (!rows.length) bad.push(`${f}: no ARP for the VIP`);
      if (rows.some((r) => r[0] !== '1')) bad.push(`${f}: an ARP reply for the VIP`);
    }
  }
  return bad;
}
