import { describe, expect, it } from 'vitest';
import { defaultRouteFix, vagrantfile } from '../../../parsers/text/vagrantfile.js';
import { parseString } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('vagrantfile samples', () => sampleCases(vagrantfile));

const REFERENCE = `# -*- mode: ruby -*-
NODES = 2
Vagrant.configure("2") do |config|
  config.vm.box = "generic/ubuntu2204"
  (1..NODES).each do |i|
    config.vm.define "node#{i}" do |node|
      node.vm.hostname = "node#{i}"
      node.vm.network "public_network", bridge: ["en0: Wi-Fi", "eth0"], ip: "192.0.2.5#{i}"
      node.vm.provider "virtualbox" do |vb|
        vb.memory = 4096
      end
      if i == 1
        node.vm.provision "shell", inline: "ip route replace default via 192.0.2.1 dev eth1"
      end
      node.vm.provision "k3s", type: "shell", path: "k3s.sh"
    end
  end
end
`;

describe('vagrantfile details', () => {
  it('reads the reference lab: per-VM NICs in adapter order, route fix that runs only once', async () => {
    const { records, issues, counts } = await parseString(vagrantfile, REFERENCE);
    expect(issues).toEqual([]);
    expect(counts.parsed + counts.skipped).toBe(counts.lines);
    expect(records).toMatchObject([
      {
        type: 'vagrant-nic',
        line: 6,
        vm: 'node#{i}',
        kind: 'management-nat',
        adapter: 1,
        provider: 'virtualbox',
        ip: '10.0.2.15',
      },
      {
        type: 'vagrant-nic',
        line: 8,
        kind: 'public_network',
        adapter: 2,
        bridge: 'en0: Wi-Fi,eth0',
        ip: '192.0.2.5#{i}',
      },
      {
        type: 'vagrant-provisioner',
        line: 13,
        vm: 'node#{i}',
        run: 'once',
        fixesDefaultRoute: true,
        gateway: '192.0.2.1',
        dev: 'eth1',
      },
      {
        type: 'vagrant-provisioner',
        line: 15,
        vm: 'node#{i}',
        name: 'k3s',
        path: 'k3s.sh',
        fixesDefaultRoute: false,
      },
    ]);
  });
  it('leaves a define block at its end: later top-level declarations have no vm', async () => {
    const input = [
      'Vagrant.configure("2") do |config|',
      '  config.vm.define "a" do |a|',
      '    a.vm.network "private_network", ip: "198.51.100.2"',
      '  end',
      '  config.vm.provision :shell, run: :always, inline: "route add default gw 198.51.100.1"',
      'end',
    ].join('\n');
    const { records } = await parseString(vagrantfile, input);
    expect(records[2]).toMatchObject({ type: 'vagrant-provisioner', run: 'always', gateway: '198.51.100.1' });
    expect(records[2]).not.toHaveProperty('vm');
  });
  it('reports an unterminated heredoc', async () => {
    const { issues } = await parseString(
      vagrantfile,
      'Vagrant.configure("2") do |config|\n  config.vm.provision "shell", inline: <<-SHELL\n    echo hi\n',
    );
    expect(issues).toMatchObject([{ code: 'unterminated-heredoc', line: 2 }]);
  });
  it('bounds the work on hostile long lines', async () => {
    const long = `  config.vm.provision "shell",${' '.repeat(200_000)}x`;
    const t0 = Date.now();
    const { issues } = await parseString(vagrantfile, `Vagrant.configure("2") do |config|\n${long}\nend\n`);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(issues).toMatchObject([{ code: 'vagrant-statement', line: 2 }]);
  });
  it('block-form provisioner with a heredoc assignment', async () => {
    const input = [
      'Vagrant.configure("2") do |config|',
      '  config.vm.provision "fix-route", type: "shell", run: "always" do |s|',
      '    s.inline = <<-SHELL',
      '      ip route replace default via 192.0.2.1 dev eth1',
      '    SHELL',
      '  end',
      '  config.vm.network "private_network", ip: "198.51.100.5"',
      'end',
    ].join('\n');
    const { records, issues } = await parseString(vagrantfile, input);
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { kind: 'management-nat' },
      { type: 'vagrant-provisioner', name: 'fix-route', run: 'always', fixesDefaultRoute: true, dev: 'eth1' },
      { type: 'vagrant-nic', kind: 'private_network', adapter: 2 },
    ]);
  });
  it('resolves options that name a simple string constant', async () => {
    const input = [
      'LAN_IP = "192.0.2.50"',
      "BRIDGE = 'br0'",
      'Vagrant.configure("2") do |config|',
      '  config.vm.network "public_network", ip: LAN_IP, bridge: BRIDGE, netmask: unknown_var',
      'end',
    ].join('\n');
    const { records } = await parseString(vagrantfile, input);
    expect(records[1]).toMatchObject({
      kind: 'public_network',
      ip: '192.0.2.50',
      bridge: 'br0',
      netmask: 'unknown_var',
    });
  });
  it('defaultRouteFix', () => {
    expect(defaultRouteFix('ip route replace default via 192.0.2.1 dev eth1 metric 10')).toEqual({
      gateway: '192.0.2.1',
      dev: 'eth1',
    });
    expect(defaultRouteFix('sudo ip r add default via 192.0.2.1')).toEqual({ gateway: '192.0.2.1' });
    expect(defaultRouteFix('ip -4 route change default dev eth1')).toEqual({ dev: 'eth1' });
    expect(defaultRouteFix('route add default gw 192.0.2.1 eth1')).toEqual({
      gateway: '192.0.2.1',
      dev: 'eth1',
    });
    expect(defaultRouteFix('ip route del default')).toBeNull();
    expect(defaultRouteFix('ip route add 10.0.0.0/8 via 192.0.2.1')).toBeNull();
  });
  it('sniff', () => {
    expect(vagrantfile.sniff(['Vagrant.configure("2") do |config|'], 'x')).toBeGreaterThan(0.9);
    expect(vagrantfile.sniff(['config.vm.box = "x"'], 'Vagrantfile')).toBeGreaterThan(0.9);
    expect(vagrantfile.sniff(['apiVersion: v1', 'kind: Service'], 'Vagrantfile')).toBe(0);
  });
});
