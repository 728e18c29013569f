/**
 * Route simulation checked against a real kernel: a throwaway network namespace
 * gets veth interfaces (peers kept inside it), policy rules, metrics, multipath, blackhole/unreachable
 * routes and a second table; its dumps are parsed with our own parsers and every
 * query is compared with `ip -j route get` answered by the kernel.
 * No packet is sent. Skipped when not root or `ip netns` is unavailable.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../parsers/sniff.js';
import type { AddressRecord, RouteRecord, RuleRecord } from '../../src/model/records/index.js';
import { Router, routeText } from '../../src/netstate/routing.js';
import { parseString } from '../helpers/text.js';

const NS = `fx-route-${process.pid}`;

function canUseNetns(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'ip netns unavailable';
  }
}
const skipReason = canUseNetns();
if (skipReason) console.warn(`routing-kernel tests skipped: ${skipReason}`);

const ip = (...args: string[]) => execFileSync('ip', ['-n', NS, ...args], { encoding: 'utf8' });

const SETUP = [
  'link add eth0 type veth peer name eth0p',
  'link add eth1 type veth peer name eth1p',
  'link set lo up',
  'link set eth0p up',
  'link set eth1p up',
  'link set eth0 up',
  'link set eth1 up',
  'addr add 198.51.100.15/24 dev eth0',
  'addr add 192.0.2.10/24 dev eth1',
  'addr add 192.0.2.240/32 dev eth1',
  'addr add 2001:db8:1::10/64 dev eth1 nodad',
  'addr add 2001:db8:2::15/64 dev eth0 nodad',
  'route add default via 198.51.100.1 dev eth0 metric 100',
  'route add default via 192.0.2.1 dev eth1 metric 200',
  'route add 203.0.113.0/25 via 192.0.2.1 dev eth1',
  'route add blackhole 203.0.113.128/26',
  'route add unreachable 203.0.113.200/32',
  'route add 100.64.0.0/10 nexthop via 192.0.2.1 dev eth1 nexthop via 198.51.100.1 dev eth0',
  'route add default via 192.0.2.1 dev eth1 table 100',
  'route add 198.51.100.0/24 dev eth0 table 100',
  'rule add from 192.0.2.240 lookup 100 priority 100',
  'rule add fwmark 0x1 lookup 100 priority 200',
  'rule add to 198.51.100.77 prohibit priority 300',
  '-6 route add default via 2001:db8:2::1 dev eth0 metric 100',
  '-6 route add 2001:db8:99::/48 via 2001:db8:1::1 dev eth1',
];

const QUERIES: Array<{ dst: string; src?: string; mark?: number }> = [
  { dst: '203.0.113.5' },
  { dst: '203.0.113.50', src: '192.0.2.240' },
  { dst: '8.8.8.8' },
  { dst: '8.8.8.8', src: '192.0.2.240' },
  { dst: '8.8.8.8', mark: 1 },
  { dst: '192.0.2.77' },
  { dst: '198.51.100.20', src: '192.0.2.240' },
  { dst: '203.0.113.130' },
  { dst: '203.0.113.200' },
  { dst: '100.64.1.1' },
  { dst: '198.51.100.77' },
  { dst: '192.0.2.240' },
  { dst: '2001:db8:99::5' },
  { dst: '2001:db8:1::77' },
  { dst: '2001:db8:ffff::1' },
];

describe.skipIf(!!skipReason)('route simulation vs the kernel', () => {
  let router: Router;
  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    for (const c of SETUP) ip(...c.split(' '));
    const parse = async (text: string) => {
      const f = rankTextFormats(text.split('\n'), 'dump.txt')[0]?.format;
      if (!f) throw new Error(`no parser recognised:\n${text.slice(0, 300)}`);
      return (await parseString(f, text)).records;
    };
    const routes = [
      ...(await parse(ip('route', 'show', 'table', 'all'))),
      ...(await parse(ip('-6', 'route', 'show', 'table', 'all'))),
    ].filter((r): r is RouteRecord => r.type === 'route');
    const rules = (await parse(ip('rule', 'show'))).filter((r): r is RuleRecord => r.type === 'rule');
    const addresses = (await parse(ip('-j', 'addr', 'show'))).filter(
      (r): r is AddressRecord => r.type === 'address',
    );
    expect(routes.length).toBeGreaterThan(10);
    expect(rules.length).toBeGreaterThanOrEqual(5);
    expect(addresses.length).toBeGreaterThanOrEqual(5);
    router = new Router({ routes, rules, addresses });
  });
  afterAll(() => {
    try {
      execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  });

  it('a route both dumps list (`table all` shows IPv6 too) is one route, not a rival that lost', () => {
    const d = router.get({ dst: '2001:db8:ffff::1' });
    expect(d.route && routeText(d.route)).toBe('default via 2001:db8:2::1 dev eth0 metric 100');
    expect(d.losers.map((l) => routeText(l.route))).not.toContain(routeText(d.route as RouteRecord));
  });

  it.each(QUERIES)('ip route get $dst from $src mark $mark', (q) => {
    const args = ['-j', 'route', 'get', q.dst];
    if (q.src) args.push('from', q.src);
    if (q.mark) args.push('mark', String(q.mark));
    let kernel: { type?: string; dev?: string; gateway?: string; prefsrc?: string } | null = null;
    let kernelErr: string | null = null;
    try {
      kernel = JSON.parse(ip(...args))[0];
    } catch (e) {
      kernelErr = String((e as { stderr?: Buffer }).stderr ?? e);
    }
    const ours = router.get({ dst: q.dst, src: q.src, fwmark: q.mark });
    if (kernelErr) {
      // The kernel refuses: prohibit → Permission denied, unreachable → No route to host/Network unreachable.
      expect(['prohibit', 'unreachable', 'blackhole', 'none'], `${ours.type} vs ${kernelErr}`).toContain(
        ours.type,
      );
      return;
    }
    expect(kernel).not.toBeNull();
    const k = kernel as NonNullable<typeof kernel>;
    if (k.type && k.type !== 'unicast') {
      expect(ours.type).toBe(k.type);
      if (k.type !== 'local') return;
    }
    if (ours.nexthops) {
      // Multipath: the kernel picks one by hash; ours lists them all.
      expect(ours.nexthops.map((n) => n.gateway)).toContain(k.gateway);
      return;
    }
    expect(ours.dev, ours.steps.join('\n')).toBe(k.dev);
    expect(ours.gateway ?? null, ours.steps.join('\n')).toBe(k.gateway ?? null);
    if (k.prefsrc) expect(ours.src).toBe(k.prefsrc);
  });
});
