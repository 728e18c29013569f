import { describe, expect, it } from 'vitest';
import {
  attributeFile,
  hostDir,
  hostPrefixes,
  ifaceFromName,
  NodeNames,
} from '../../src/bundle/attribute.js';
import type { Manifest } from '../../src/bundle/manifest.js';

describe('ifaceFromName', () => {
  it.each([
    ['eth1.pcap', 'eth1'],
    ['node1-eth0.pcapng', 'eth0'],
    ['node1_ens18.pcap.gz', 'ens18'],
    ['capture-enp0s8.pcapng', 'enp0s8'],
    ['br-lan.pcap', 'br-lan'],
    ['tcpdump-any.pcap', undefined],
    ['capture.pcapng', undefined],
    ['node1.pcapng', undefined],
  ])('%s → %s', (name, iface) => expect(ifaceFromName(name)).toBe(iface));
});

describe('hostDir', () => {
  it('skips directories that group by kind', () => {
    expect(hostDir('logs/node1/traefik.log')).toBe('node1');
    expect(hostDir('node1/logs/traefik.log')).toBe('node1');
    expect(hostDir('captures/x.pcap')).toBeUndefined();
    expect(hostDir('x.pcap')).toBeUndefined();
  });
});

describe('attributeFile', () => {
  const manifest: Manifest = {
    nodes: { node1: { aliases: ['k8s-node-1'], interfaces: { 'mystery.pcap': 'eth7' } }, gw: {} },
    files: { 'misc/routes.out': { node: 'gw', interface: 'wan0' } },
  };
  const names = new NodeNames(manifest);
  names.add('client-lan', 'client-lan');
  const hosts = new Map([['collected/host-a', 'node1']]);
  it('manifest file entries win', () => {
    expect(attributeFile('misc/routes.out', manifest, names, hosts, undefined)).toMatchObject({
      node: 'gw',
      basis: 'manifest',
      iface: 'wan0',
    });
  });
  it('a collect manifest names the host of its directory', () => {
    expect(attributeFile('collected/host-a/ip-route.txt', manifest, names, hosts, undefined)).toMatchObject({
      node: 'node1',
      basis: 'host-manifest',
    });
  });
  it('directories named after nodes and aliases', () => {
    expect(attributeFile('k8s-node-1/traefik.log', manifest, names, hosts, undefined)).toMatchObject({
      node: 'node1',
      basis: 'directory',
    });
    expect(attributeFile('logs/client-lan/curl.txt', manifest, names, hosts, undefined).node).toBe(
      'client-lan',
    );
  });
  it('file-name prefixes of known nodes, longest first', () => {
    expect(attributeFile('captures/node1-eth1.pcapng', manifest, names, hosts, undefined)).toMatchObject({
      node: 'node1',
      basis: 'file-name',
      iface: 'eth1',
    });
    expect(attributeFile('k8s-node-1_ip_r.log', manifest, names, hosts, undefined).node).toBe('node1');
    expect(attributeFile('node10-x.log', manifest, names, hosts, undefined).node).toBeUndefined();
  });
  it('per-node interface maps name single-interface captures', () => {
    expect(attributeFile('node1/mystery.pcap', manifest, names, hosts, undefined).iface).toBe('eth7');
  });
  it('falls back to the default node for flat bundles', () => {
    expect(attributeFile('routes.txt', null, new NodeNames(null), new Map(), 'node')).toMatchObject({
      node: 'node',
      basis: 'default',
    });
  });
});

describe('hostPrefixes', () => {
  it('finds the hosts a flat bundle names in front of its files', () => {
    expect(
      hostPrefixes([
        'node1_ip_r.log',
        'node1_capture.pcapng',
        'client-lan_curl-v.txt',
        'client-lan_ping.txt',
        'vm2-eth0.pcap',
        'vm2-routes.out',
      ]).sort(),
    ).toEqual(['client-lan', 'node1', 'vm2']);
  });

  it('ignores tools, kinds of data, interfaces, dates and prefixes of a single file', () => {
    expect(
      hostPrefixes([
        'ip_route.txt',
        'ip_addr.txt',
        'tcpdump-any.pcap',
        'tcpdump_eth0.pcap',
        'access_log',
        'access_log.1',
        'eth0_capture.pcap',
        'eth0_old.pcap',
        '2026-11-26_capture.pcap',
        '2026-11-26_routes.txt',
        'curl-v.txt',
        'curl-v2.txt',
        'lonely_file.txt',
      ]),
    ).toEqual([]);
  });

  it('takes a lone prefix only when it starts half the files or more', () => {
    expect(
      hostPrefixes(['app_server.log', 'app_client.log', 'ip-route.txt', 'capture.pcap', 'arp.txt']),
    ).toEqual([]);
    expect(hostPrefixes(['node1_ip-route.txt', 'node1_capture.pcap', 'notes.txt'])).toEqual(['node1']);
  });
});
