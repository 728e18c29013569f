/**
 * Live check against the installed iproute2/net-tools/arping: throwaway network
 * namespaces (documentation addresses only, a private bridge) are dumped in text
 * and JSON form; both readings must agree, sniffing must pick the right format,
 * and arping must see the two hosts that answer one address.
 * Skipped (with the reason printed) when not root or `ip netns` is unavailable.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../../parsers/sniff.js';
import { arp } from '../../../../parsers/text/arp.js';
import { arping } from '../../../../parsers/text/arping.js';
import { ipAddr } from '../../../../parsers/text/ip-addr.js';
import { ipJson } from '../../../../parsers/text/ip-json.js';
import { ipLink } from '../../../../parsers/text/ip-link.js';
import { ipNeigh } from '../../../../parsers/text/ip-neigh.js';
import { ipRoute } from '../../../../parsers/text/ip-route.js';
import { ipRule } from '../../../../parsers/text/ip-rule.js';
import { routeN } from '../../../../parsers/text/route-n.js';
import type { TextFormat } from '../../../../parsers/types.js';
import type {
  AnyRecord,
  ArpingRecord,
  NeighborRecord,
  RouteRecord,
} from '../../../../src/model/records/index.js';
import { checkRecord } from '../../../../src/model/records/index.js';
import { parseString } from '../../../helpers/text.js';

const tag = `${process.pid % 100000}`;
const NS = { br: `fx-nsbr-${tag}`, a: `fx-nsa-${tag}`, b: `fx-nsb-${tag}`, c: `fx-nsc-${tag}` };

function unavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  for (const cmd of [
    ['ip', 'netns', 'list'],
    ['arp', '-V'],
    ['route', '-V'],
    ['arping', '--help'],
  ]) {
    try {
      execFileSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
    } catch (e) {
      // arping --help exits non-zero on some versions; only a missing binary counts
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return `${cmd[0]} not installed`;
      if (cmd[0] === 'ip') return 'ip netns unavailable';
    }
  }
  return null;
}
const skip = unavailable();
if (skip) console.warn(`netstate live tests skipped: ${skip}`);

const ipn = (ns: string, ...args: string[]) => execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
const inNs = (ns: string, cmd: string, ...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8' });

async function parse(f: TextFormat, text: string) {
  const r = await parseString(f, text);
  for (const x of [...r.records, ...r.issues]) expect(checkRecord(x), JSON.stringify(x)).toBeNull();
  expect(r.issues, `${f.id}: ${JSON.stringify(r.issues)}`).toEqual([]);
  expect(r.counts.parsed + r.counts.skipped + r.counts.issues).toBe(r.counts.lines);
  return r.records;
}

/** Records without location/display and source-specific fields, as sorted JSON strings. */
function comparable(rs: AnyRecord[], drop: string[] = []): string[] {
  return rs
    .map((r) => {
      const o = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
      for (const k of ['file', 'line', 'text', 'extra', ...drop]) delete o[k];
      return JSON.stringify(o, Object.keys(o).sort());
    })
    .sort();
}

const dumps: Record<string, string> = {};

/**
 * Dump `args` as text and as JSON from namespace A and compare the readings.
 * Interfaces that just came up still change (carrier, operstate, IPv6 DAD), so the
 * pair is taken again until the kernel state holds still between the two dumps.
 */
async function agree(fmt: TextFormat, args: string[], drop: string[] = []): Promise<AnyRecord[]> {
  let recs: AnyRecord[] = [];
  let text: string[] = [];
  let json: string[] = [];
  for (let i = 0; i < 20; i++) {
    recs = await parse(fmt, ipn(NS.a, ...args));
    text = comparable(recs, drop);
    json = comparable(await parse(ipJson, ipn(NS.a, '-j', ...args)), drop);
    if (JSON.stringify(text) === JSON.stringify(json)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(text, fmt.id).toEqual(json);
  return recs;
}

describe.skipIf(skip !== null)('netstate parsers against live namespaces', () => {
  beforeAll(() => {
    for (const ns of Object.values(NS)) execFileSync('ip', ['netns', 'add', ns]);
    ipn(NS.br, 'link', 'add', 'br0', 'type', 'bridge');
    ipn(NS.br, 'link', 'set', 'br0', 'up');
    const hosts: Array<[string, string, string]> = [
      [NS.a, '02:00:00:00:0a:01', '192.0.2.10/24'],
      [NS.b, '02:00:00:00:0b:01', '192.0.2.20/24'],
      [NS.c, '02:00:00:00:0c:01', '192.0.2.20/24'], // same address as b: a conflict
    ];
    hosts.forEach(([ns, mac, addr], i) => {
      const v = `fxv${i}${tag}`.slice(0, 15);
      const p = `fxp${i}${tag}`.slice(0, 15);
      execFileSync('ip', ['link', 'add', v, 'type', 'veth', 'peer', 'name', p]);
      execFileSync('ip', ['link', 'set', v, 'netns', ns]);
      execFileSync('ip', ['link', 'set', p, 'netns', NS.br]);
      ipn(NS.br, 'link', 'set', p, 'master', 'br0');
      ipn(NS.br, 'link', 'set', p, 'up');
      ipn(ns, 'link', 'set', v, 'name', 'eth1');
      ipn(ns, 'link', 'set', 'eth1', 'address', mac);
      ipn(ns, 'link', 'set', 'eth1', 'up');
      ipn(ns, 'link', 'set', 'lo', 'up');
      ipn(ns, 'addr', 'add', addr, 'dev', 'eth1');
    });
    const A = NS.a;
    ipn(A, 'addr', 'add', '192.0.2.11/24', 'dev', 'eth1');
    ipn(A, 'addr', 'add', '2001:db8::10/64', 'dev', 'eth1', 'nodad');
    ipn(A, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0peer'); // no carrier: linkdown
    ipn(A, 'addr', 'add', '203.0.113.15/24', 'dev', 'eth0');
    ipn(A, 'link', 'set', 'eth0', 'up');
    ipn(A, 'route', 'add', 'default', 'via', '203.0.113.1', 'dev', 'eth0', 'onlink');
    ipn(A, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth1', 'metric', '200');
    ipn(
      A,
      'route',
      'add',
      '198.18.0.0/15',
      'nexthop',
      'via',
      '192.0.2.1',
      'dev',
      'eth1',
      'weight',
      '1',
      'nexthop',
      'via',
      '192.0.2.2',
      'dev',
      'eth1',
      'weight',
      '2',
    );
    ipn(A, 'route', 'add', 'blackhole', '10.99.0.0/16');
    ipn(A, 'route', 'add', 'prohibit', '10.97.0.0/16', 'metric', '10');
    ipn(A, 'route', 'add', '192.0.2.99', 'via', '192.0.2.1', 'dev', 'eth1', 'mtu', '1400');
    ipn(A, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth1', 'table', '100', 'proto', 'static');
    ipn(A, '-6', 'route', 'add', 'default', 'via', '2001:db8::1', 'dev', 'eth1', 'metric', '1024');
    ipn(A, 'rule', 'add', 'from', '192.0.2.10', 'table', '100', 'priority', '100');
    ipn(A, 'rule', 'add', 'fwmark', '0x1/0xff', 'lookup', '100', 'priority', '200');
    ipn(A, 'neigh', 'add', '192.0.2.30', 'lladdr', '02:00:00:00:00:30', 'dev', 'eth1', 'nud', 'permanent');
    ipn(A, 'neigh', 'add', '192.0.2.31', 'lladdr', '02:00:00:00:00:31', 'dev', 'eth1', 'nud', 'stale');
    ipn(
      A,
      'neigh',
      'add',
      '2001:db8::1',
      'lladdr',
      '02:00:00:00:00:01',
      'dev',
      'eth1',
      'router',
      'nud',
      'stale',
    );
    // ARP traffic stays on the private bridge between the namespaces
    dumps.arping = inNs(A, 'arping', '-c', '2', '-W', '0.2', '-i', 'eth1', '192.0.2.20');
    const d = (name: string, ...args: string[]) => {
      dumps[name] = ipn(A, ...args);
    };
    d('routeAll', 'route', 'show', 'table', 'all');
    d('jRouteAll', '-j', 'route', 'show', 'table', 'all');
    d('route', 'route');
    d('rule', 'rule');
    d('jRule', '-j', '-p', 'rule');
    d('addr', 'addr');
    d('jAddr', '-j', 'addr');
    d('link', 'link');
    d('jLink', '-j', '-p', 'link');
    d('neigh', 'neigh');
    d('jNeigh', '-j', 'neigh');
    dumps.routeN = inNs(A, 'route', '-n');
    dumps.arpAn = inNs(A, 'arp', '-an');
  }, 60_000);

  afterAll(() => {
    for (const ns of Object.values(NS)) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  });

  it('sniffing picks the right format for every dump', () => {
    const want: Record<string, string> = {
      routeAll: 'ip-route',
      jRouteAll: 'ip-json',
      route: 'ip-route',
      rule: 'ip-rule',
      jRule: 'ip-json',
      addr: 'ip-addr',
      jAddr: 'ip-json',
      link: 'ip-link',
      jLink: 'ip-json',
      neigh: 'ip-neigh',
      jNeigh: 'ip-json',
      routeN: 'route-n',
      arpAn: 'arp',
      arping: 'arping',
    };
    for (const [k, id] of Object.entries(want))
      expect(rankTextFormats(dumps[k].replace(/\n$/, '').split('\n'), k)[0]?.format.id, k).toBe(id);
  });

  it('ip route show table all: text and JSON agree, and the features are there', async () => {
    const rs = (await agree(ipRoute, ['route', 'show', 'table', 'all'])) as RouteRecord[];
    expect(rs.find((r) => r.dst === 'default' && r.dev === 'eth0')).toMatchObject({
      onlink: true,
      linkdown: true,
    });
    expect(rs.find((r) => r.dst === '198.18.0.0/15')?.nexthops).toEqual([
      { gateway: '192.0.2.1', dev: 'eth1', weight: 1 },
      { gateway: '192.0.2.2', dev: 'eth1', weight: 2 },
    ]);
    expect(rs.find((r) => r.table === '100')).toMatchObject({ dst: 'default', proto: 'static' });
    expect(rs.find((r) => r.dst === '192.0.2.99/32')).toMatchObject({ mtu: 1400 });
    expect(rs.some((r) => r.table === 'local' && r.routeType === 'broadcast')).toBe(true);
    expect(rs.find((r) => r.dst === 'default' && r.family === 'inet6')).toMatchObject({
      gateway: '2001:db8::1',
    });
  });

  it('route -n agrees with ip route on the main IPv4 unicast routes', async () => {
    const ip = (await parse(ipRoute, dumps.route)) as RouteRecord[];
    const rn = (await parse(routeN, dumps.routeN)) as RouteRecord[];
    const key = (r: RouteRecord) => `${r.dst} ${r.gateway ?? '-'} ${r.dev ?? '-'}`;
    const ipKeys = ip
      .filter((r) => r.routeType === 'unicast' && !r.nexthops)
      .map(key)
      .sort();
    const rnKeys = rn
      .filter((r) => r.routeType === 'unicast' && r.dev)
      .map(key)
      .sort();
    for (const k of ipKeys) expect(rnKeys, k).toContain(k);
  });

  it('ip rule, ip addr, ip link: text and JSON agree', async () => {
    await agree(ipRule, ['rule']);
    // JSON names the peer where text has `@ifN`
    await agree(ipAddr, ['addr'], ['parent', 'linkType']);
    await agree(ipLink, ['link'], ['parent', 'linkType']);
  });

  it('ip neigh, ip -j neigh and arp -an agree on who is who', async () => {
    const text = (await parse(ipNeigh, dumps.neigh)) as NeighborRecord[];
    const json = (await parse(ipJson, dumps.jNeigh)) as NeighborRecord[];
    const arpRs = (await parse(arp, dumps.arpAn)) as NeighborRecord[];
    const macOf = (rs: NeighborRecord[], ip: string) => rs.find((r) => r.ip === ip)?.mac;
    for (const rs of [text, json, arpRs]) {
      expect(macOf(rs, '192.0.2.30')).toBe('02:00:00:00:00:30');
      expect(macOf(rs, '192.0.2.31')).toBe('02:00:00:00:00:31');
      expect(rs.find((r) => r.ip === '192.0.2.30')?.state).toBe('PERMANENT');
    }
    expect(text.find((r) => r.ip === '2001:db8::1')).toMatchObject({ router: true, state: 'STALE' });
    expect(json.find((r) => r.ip === '2001:db8::1')).toMatchObject({ router: true, state: 'STALE' });
  });

  it('arping sees both hosts that answer 192.0.2.20', async () => {
    const rs = (await parse(arping, dumps.arping)) as ArpingRecord[];
    expect(rs.map((r) => r.mac).sort()).toEqual(['02:00:00:00:0b:01', '02:00:00:00:0c:01']);
    for (const r of rs) {
      expect(r.target).toBe('192.0.2.20');
      expect(r.count).toBeGreaterThanOrEqual(1);
    }
  });
});
