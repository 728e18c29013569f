/**
 * The lab's scenarios, one per sample bundle: how node1 routes, whether it holds
 * the VIP, which nftables rules the hypervisor / LAN switch / router load, and how
 * captures are taken (styles vary on purpose, as real users' bundles do).
 */
import { ADDR, type Host, type NodeRouting } from './topology.js';

/** One capture process: `tcpdump -i IF` (pcap) or `dumpcap -i IF…` (pcapng). */
export interface CaptureSpec {
  host: Host;
  tool: 'tcpdump' | 'dumpcap';
  ifaces: string[];
  /** Bundle-relative output path, `<host>/<name>`. */
  file: string;
}

/** A lab scenario. */
export interface Scenario {
  id: string;
  n: number;
  title: string;
  routing: NodeRouting;
  vipHeld: boolean;
  /** Extra nftables rulesets per host (loaded after the topology's NAT). */
  nft: Partial<Record<Host, string>>;
  /** Kernel parameters set per host after the topology is built (`key=value`, for `sysctl -w`). */
  sysctl?: Partial<Record<Host, string[]>>;
  /** Extra addresses per host after the topology is built: [device, address/prefix]. */
  addresses?: Partial<Record<Host, Array<[string, string]>>>;
  /** Interface MTUs set per host after the topology is built. */
  mtu?: Partial<Record<Host, Record<string, number>>>;
  /** The service is reached over IPv6 (the topology is dual-stack, clients use ADDR6.vip). */
  ipv6?: boolean;
  captures: CaptureSpec[];
}

/**
 * Hypervisor: a stateful forward path that drops what conntrack cannot place. The
 * node's SYN-ACK for a SYN it received on eth1 is the first packet of that flow the
 * hypervisor sees, so conntrack classifies it INVALID (no SYN seen) and it is dropped.
 */
const HV_DROP_INVALID = `table ip hvfilter {
  chain forward {
    type filter hook forward priority filter; policy accept;
    ct state invalid counter drop
  }
}`;

/** HV_DROP_INVALID for IPv6 as well (an inet table covers both families). */
const HV_DROP_INVALID_INET = HV_DROP_INVALID.replace('table ip hvfilter', 'table inet hvfilter');

/**
 * Hypervisor: forwards the asymmetric replies but rewrites two bytes of the server's
 * first TLS flight (the segment starting with the ServerHello record, 16 03 …).
 * Byte 400 of that segment lies in the encrypted Certificate record (TLS 1.3: the
 * ServerHello record is ~127 bytes, ChangeCipherSpec 6, EncryptedExtensions < 60),
 * so the client's AEAD check fails: "decryption failed or bad record mac". nft's
 * payload statement fixes the TCP checksum (verified with tshark: no bad checksums).
 */
const HV_MANGLE = `table ip hvmangle {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "mgmt0" tcp sport 443 @ih,0,16 0x1603 counter @ih,3200,16 set 0xdead
  }
}`;

/**
 * LAN switch: a faulty bridge hop rewrites two bytes of the client's second flight
 * (ChangeCipherSpec 14 03 03 00 01 01, then the encrypted Finished record whose
 * ciphertext starts at byte 11); bytes 20-21 are inside the ciphertext, so the
 * server's AEAD check fails: "local error: tls: bad record MAC". Paths stay symmetric.
 */
const SW_CORRUPT = `table bridge lancorrupt {
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip daddr ${ADDR.vip} tcp dport 443 @ih,0,16 0x1403 counter @ih,160,16 set 0xbeef
  }
}`;

/**
 * Router: the ICMP "fragmentation needed" it would send about packets too big for its
 * narrow link never leaves (a firewall that drops ICMP), so senders never learn the
 * path MTU: a path-MTU black hole.
 */
const ROUTER_NO_FRAG_NEEDED = `table ip rtfilter {
  chain output {
    type filter hook output priority filter; policy accept;
    icmp type destination-unreachable icmp code frag-needed counter drop
  }
}`;

/**
 * node1: a host firewall meant to admit only the LAN to the service: new connections to
 * 443 from anywhere else are dropped on arrival (the `counter` shows how many).
 */
const NODE_LAN_ONLY = `table inet hostfw {
  chain input {
    type filter hook input priority filter; policy accept;
    ct state established,related accept
    iifname "lo" accept
    ip saddr 192.0.2.0/24 tcp dport 443 accept
    tcp dport 443 counter drop
  }
}`;

/** All scenarios, in issue order. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'asymmetric-drop',
    n: 1,
    title:
      'default route via the management NIC; the hypervisor drops the asymmetric replies (conntrack INVALID)',
    routing: 'mgmt-default',
    vipHeld: true,
    nft: { hv: HV_DROP_INVALID },
    captures: [{ host: 'node1', tool: 'tcpdump', ifaces: ['any'], file: 'node1/tcpdump-any.pcap' }],
  },
  {
    id: 'asymmetric-mangle',
    n: 2,
    title: 'default route via the management NIC; the hypervisor alters TLS payload of the replies',
    routing: 'mgmt-default',
    vipHeld: true,
    nft: { hv: HV_MANGLE },
    captures: [
      { host: 'node1', tool: 'dumpcap', ifaces: ['eth0', 'eth1'], file: 'node1/capture.pcapng' },
      { host: 'client-remote', tool: 'tcpdump', ifaces: ['eth0'], file: 'client-remote/client.pcap' },
    ],
  },
  {
    id: 'lan-corruption',
    n: 3,
    title: 'routing correct; a LAN hop alters client-to-server TLS payload on symmetric paths',
    routing: 'lan-default',
    vipHeld: true,
    nft: { sw: SW_CORRUPT },
    captures: [
      { host: 'node1', tool: 'tcpdump', ifaces: ['eth0'], file: 'node1/eth0.pcap' },
      { host: 'node1', tool: 'tcpdump', ifaces: ['eth1'], file: 'node1/eth1.pcap' },
      { host: 'client-lan', tool: 'dumpcap', ifaces: ['eth0'], file: 'client-lan/laptop.pcapng' },
    ],
  },
  {
    id: 'vip-unresolved',
    n: 4,
    title: 'the VIP is held by no node: ARP for it stays incomplete',
    routing: 'lan-default',
    vipHeld: false,
    nft: {},
    captures: [
      { host: 'node1', tool: 'tcpdump', ifaces: ['eth1'], file: 'node1/node1-eth1.pcap' },
      { host: 'client-lan', tool: 'dumpcap', ifaces: ['eth0'], file: 'client-lan/arp-debug.pcapng' },
    ],
  },
  {
    id: 'healthy',
    n: 5,
    title: 'healthy: routing correct, VIP held, nothing alters traffic',
    routing: 'lan-default',
    vipHeld: true,
    nft: {},
    captures: [{ host: 'node1', tool: 'dumpcap', ifaces: ['any'], file: 'node1/node1.pcapng' }],
  },
  {
    id: 'rp-filter',
    n: 6,
    title:
      'default route via the management NIC and strict reverse-path filtering: node1 drops the off-LAN requests',
    routing: 'mgmt-default',
    vipHeld: true,
    nft: {},
    // Strict mode on every interface: a SYN from off the LAN arrives on eth1 but would be
    // answered through eth0, so the kernel drops it before the socket sees it.
    sysctl: { node1: ['net.ipv4.conf.all.rp_filter=1'] },
    captures: [{ host: 'node1', tool: 'dumpcap', ifaces: ['eth0', 'eth1'], file: 'node1/node1.pcapng' }],
  },
  {
    id: 'mtu-blackhole',
    n: 7,
    title:
      "routing correct; the router's link to the remote network carries only 800-byte packets and its ICMP fragmentation-needed never leaves: the server's TLS flight to off-LAN clients is lost",
    routing: 'lan-default',
    vipHeld: true,
    nft: { router: ROUTER_NO_FRAG_NEEDED },
    mtu: { router: { eth1: 800 } },
    captures: [
      { host: 'node1', tool: 'tcpdump', ifaces: ['eth1'], file: 'node1/eth1.pcap' },
      { host: 'client-remote', tool: 'dumpcap', ifaces: ['eth0'], file: 'client-remote/client.pcapng' },
    ],
  },
  {
    id: 'ipv6-asymmetric',
    n: 8,
    title:
      "dual-stack; clients reach the VIP over IPv6; node1's IPv6 default route goes via the management NIC and the hypervisor drops the asymmetric replies",
    routing: 'mgmt-default',
    vipHeld: true,
    ipv6: true,
    nft: { hv: HV_DROP_INVALID_INET },
    captures: [
      { host: 'node1', tool: 'dumpcap', ifaces: ['eth0', 'eth1'], file: 'node1/node1.pcapng' },
      { host: 'client-remote', tool: 'tcpdump', ifaces: ['eth0'], file: 'client-remote/client.pcap' },
    ],
  },
  {
    id: 'vip-conflict',
    n: 9,
    title:
      'routing correct; a stale host on the LAN (the hypervisor) also holds the VIP and answers ARP for it: clients that resolve the VIP to it are refused',
    routing: 'lan-default',
    vipHeld: true,
    nft: {},
    addresses: { hv: [['eth0', `${ADDR.vip}/32`]] },
    captures: [
      { host: 'node1', tool: 'tcpdump', ifaces: ['eth1'], file: 'node1/eth1.pcap' },
      { host: 'client-lan', tool: 'dumpcap', ifaces: ['eth0'], file: 'client-lan/client.pcapng' },
    ],
  },
  {
    id: 'node-firewall',
    n: 10,
    title:
      "routing correct; node1's host firewall admits only the LAN to port 443: off-LAN clients' SYNs are dropped on arrival",
    routing: 'lan-default',
    vipHeld: true,
    nft: { node1: NODE_LAN_ONLY },
    captures: [
      { host: 'node1', tool: 'dumpcap', ifaces: ['eth1'], file: 'node1/eth1.pcapng' },
      { host: 'client-remote', tool: 'tcpdump', ifaces: ['eth0'], file: 'client-remote/client.pcap' },
    ],
  },
];

/** Find a scenario by id or number. */
export function findScenario(key: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === key || String(s.n) === key);
}
