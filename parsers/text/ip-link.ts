/**
 * `ip link` / `ip -o link` / `ip -br link` (iproute2 text).
 *
 *   4: eth0@veth-x: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1450 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT …
 *       link/ether 02:00:00:00:00:0e brd ff:ff:ff:ff:ff:ff
 *
 * One `link` record per interface: ifindex, name, MAC, MTU, state, flags, master.
 * Parsing is shared with `ip-addr` (parsers/text/netstate/iface.ts); `ip link` is
 * told apart by `mode DEFAULT` in its headers and the absence of inet lines.
 */
import type { FormatSample, TextFormat } from '../types.js';
import { looksLikeJson } from './netstate/common.js';
import { IfaceParser, ifaceStats } from './netstate/iface.js';

const samples: FormatSample[] = [
  {
    note: 'ip link (iproute2 6.1, captured in a namespace)',
    input: [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '2: br1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether 62:44:9a:11:ec:89 brd ff:ff:ff:ff:ff:ff',
      '4: eth0@veth-x: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1450 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:00:0e brd ff:ff:ff:ff:ff:ff',
      '6: vx0@vx1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue master br1 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
      '    link/ether 62:44:9a:11:ec:89 brd ff:ff:ff:ff:ff:ff',
      '8: eth1@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns fx-br',
    ].join('\n'),
    records: [
      { type: 'link', line: 1, ifindex: 1, ifname: 'lo', linkType: 'loopback', state: 'UNKNOWN' },
      { type: 'link', line: 3, ifindex: 2, ifname: 'br1', mac: '62:44:9a:11:ec:89', state: 'DOWN' },
      {
        type: 'link',
        ifindex: 4,
        ifname: 'eth0',
        parent: 'veth-x',
        mtu: 1450,
        flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN'],
      },
      { type: 'link', ifindex: 6, ifname: 'vx0', master: 'br1' },
      { type: 'link', line: 9, ifindex: 8, ifname: 'eth1', mac: '02:00:00:00:01:01', linkType: 'ether' },
    ],
  },
  {
    note: 'ip -o link and a tunnel without MAC',
    input: [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '9: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 500\\    link/none ',
    ].join('\n'),
    records: [
      { type: 'link', ifindex: 1, ifname: 'lo', mac: '00:00:00:00:00:00' },
      { type: 'link', ifindex: 9, ifname: 'tun0', linkType: 'none', mac: undefined, mtu: 1420 },
    ],
  },
  {
    note: 'ip -br link',
    input: [
      'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
      'eth0@veth-x      LOWERLAYERDOWN 02:00:00:00:00:0e <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ',
    ].join('\n'),
    records: [
      { type: 'link', ifname: 'lo', state: 'UNKNOWN', flags: ['LOOPBACK', 'UP', 'LOWER_UP'] },
      { type: 'link', ifname: 'eth0', parent: 'veth-x', mac: '02:00:00:00:00:0e' },
    ],
  },
];

/** The `ip link` text format. */
export const ipLink: TextFormat = {
  id: 'ip-link',
  title: 'iproute2 `ip link` (also -o and -br): interfaces, MACs, state',
  sniff(lines) {
    if (looksLikeJson(lines)) return 0;
    const s = ifaceStats(lines);
    if (s.inet + s.lft > 0) return 0;
    if (s.headers > 0 && s.modeHeaders > 0) return 0.9;
    if (s.briefLink > 0 && s.briefLink >= s.other + s.briefAddr) return 0.9;
    if (s.headers > 0) return 0.5;
    return 0;
  },
  create: (ctx) => new IfaceParser(ctx),
  samples,
};
