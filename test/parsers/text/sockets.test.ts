/**
 * Socket tables: sniffing against the other netstat outputs, and the installed ss and
 * netstat on a real connection in a throwaway network namespace (loopback only): both
 * tools must give the same sockets. Skipped (with the reason) when not root, without
 * `ip netns`, ss, netstat or busybox.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../parsers/sniff.js';
import { sockets } from '../../../parsers/text/sockets.js';
import type { SocketRecord } from '../../../src/model/records/index.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { netnsSkip } from '../../helpers/netns.js';
import { parseString } from '../../helpers/text.js';

const skip = netnsSkip('socket table live tests', ['ss', 'netstat', 'busybox']);

const top = (text: string) => rankTextFormats(text.split('\n'), 'x.txt')[0]?.format.id;

async function parse(text: string): Promise<SocketRecord[]> {
  const r = await parseString(sockets, text);
  for (const x of r.records) expect(checkRecord(x), JSON.stringify(x)).toBeNull();
  return r.records as SocketRecord[];
}

/** The sockets as comparable strings (state, endpoints), sorted. */
const shape = (rs: SocketRecord[]) =>
  rs
    .map(
      (r) => `${r.proto} ${r.state} ${r.local.ip}:${r.local.port ?? '*'} ${r.peer.ip}:${r.peer.port ?? '*'}`,
    )
    .sort();

describe('socket tables', () => {
  it('are told apart from routing tables and interface statistics', () => {
    expect(
      top(
        'Kernel IP routing table\nDestination Gateway Genmask Flags MSS Window irtt Iface\n0.0.0.0 10.0.2.2 0.0.0.0 UG 0 0 0 eth0',
      ),
    ).toBe('route-n');
    expect(
      top(
        'State    Recv-Q Send-Q Local Address:Port Peer Address:Port\nSYN-RECV 0 0 192.0.2.240:443 203.0.113.50:50358',
      ),
    ).toBe('sockets');
    // ss -H: no header, rows only.
    expect(
      top('ESTAB 0 0 192.0.2.50:41234 192.0.2.240:443\nSYN-SENT 0 1 192.0.2.50:41236 192.0.2.240:443'),
    ).toBe('sockets');
    expect(sockets.sniff(['Kernel Interface table', 'Iface MTU RX-OK RX-ERR', 'eth0 1500 12 0'], 'x')).toBe(
      0,
    );
  });

  describe.skipIf(!!skip)('live, in a network namespace', () => {
    const ns = `fx-sock-${process.pid % 100000}`;
    const procs: ChildProcess[] = [];
    const run = (cmd: string) =>
      execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8' });

    beforeAll(async () => {
      execFileSync('ip', ['netns', 'add', ns]);
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      procs.push(spawn('ip', ['netns', 'exec', ns, 'busybox', 'nc', '-ll', '-p', '4444', '-e', 'cat']));
      for (let i = 0; i < 50 && !/:4444 /.test(run('ss -tln')); i++)
        await new Promise((r) => setTimeout(r, 100));
      procs.push(spawn('ip', ['netns', 'exec', ns, 'sh', '-c', 'sleep 30 | busybox nc 127.0.0.1 4444']));
      for (let i = 0; i < 50 && !/ESTAB/.test(run('ss -tn')); i++)
        await new Promise((r) => setTimeout(r, 100));
    });
    afterAll(() => {
      for (const p of procs) p.kill('SIGKILL');
      spawnSync('pkill', ['-f', 'sleep 30']);
      spawnSync('ip', ['netns', 'del', ns]);
    });

    it('ss -tanp and netstat -tanp list the same connection and listener', async () => {
      const ss = await parse(run('ss -tanp'));
      const ns2 = await parse(run('netstat -tanp'));
      expect(shape(ss)).toEqual(
        shape(ns2).map((s) => s.replace('tcp LISTEN :::4444 :::*', 'tcp LISTEN null:4444 null:*')),
      );
      expect(shape(ss)).toContain('tcp LISTEN null:4444 null:*');
      expect(ss.filter((r) => r.state === 'ESTABLISHED')).toHaveLength(2);
      expect(ss.find((r) => r.state === 'LISTEN')?.process).toMatch(/^users:\(\("busybox",pid=\d+/);
      expect(ns2.find((r) => r.state === 'LISTEN')?.process).toMatch(/^\d+\/busybox$/);
    });

    it('ss -tuanoe details do not disturb the rows', async () => {
      const r = await parseString(sockets, run('ss -tuanoe 2>/dev/null'));
      expect(r.issues).toEqual([]);
      expect(shape(r.records as SocketRecord[])).toEqual(shape(await parse(run('ss -tan'))));
    });
  });
});
