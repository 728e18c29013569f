import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ping } from '../../../parsers/text/ping.js';
import { parseString, subsetMismatch } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('ping samples', () => sampleCases(ping));

const fx = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/ping', name), 'utf8');

describe('ping real output (fixtures/ping, iputils)', () => {
  it('unreachable neighbour: 0 replies, 3 errors from the local host', async () => {
    const { records, issues, counts } = await parseString(ping, fx('ping-unreach.txt'));
    expect(issues).toEqual([]);
    expect(counts.parsed + counts.skipped).toBe(counts.lines);
    expect(
      subsetMismatch(records[0], {
        type: 'ping',
        dialect: 'linux',
        target: '192.0.2.77',
        transmitted: 3,
        received: 0,
        errors: 3,
        unreachable: 3,
        from: '192.0.2.101',
        lossPct: 100,
        reportedLossPct: 100,
        complete: true,
      }),
    ).toBeNull();
    expect(
      subsetMismatch(records[1], { type: 'client-error', code: 'unreachable', target: '192.0.2.77' }),
    ).toBeNull();
  });
  it('-D timestamps give the run its time', async () => {
    const { records } = await parseString(ping, fx('ping-ok.txt'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      type: 'ping',
      received: 2,
      lossPct: 0,
      ts: '2026-11-26T07:34:15.307244000Z',
    });
  });
  it('network unreachable', async () => {
    const { records } = await parseString(ping, fx('ping-net.txt'));
    expect(records).toMatchObject([{ type: 'client-error', tool: 'ping', code: 'network-unreachable' }]);
  });
});

describe('ping details', () => {
  it('Windows: real replies are counted from reply lines, mixed replies and errors', async () => {
    const input = [
      'Pinging 192.0.2.240 with 32 bytes of data:',
      'Reply from 192.0.2.240: bytes=32 time=2ms TTL=64',
      'Reply from 192.0.2.1: Destination host unreachable.',
      'Request timed out.',
      'Reply from 192.0.2.1: TTL expired in transit.',
      '',
      'Ping statistics for 192.0.2.240:',
      '    Packets: Sent = 4, Received = 3, Lost = 1 (25% loss),',
    ].join('\r\n');
    const { records } = await parseString(ping, input);
    expect(records[0]).toMatchObject({
      transmitted: 4,
      received: 1,
      reportedReceived: 3,
      unreachable: 2,
      timeouts: 1,
      lossPct: 75,
      from: '192.0.2.1',
      icmpError: 'Destination host unreachable',
    });
  });
  it('Windows local failures inside a run are counted, not reported line by line', async () => {
    const input = [
      'Pinging 192.0.2.240 with 32 bytes of data:',
      'Destination host unreachable.',
      'General failure.',
      'Ping statistics for 192.0.2.240:',
      '    Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),',
    ].join('\r\n');
    const { records, issues } = await parseString(ping, input);
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      {
        type: 'ping',
        transmitted: 2,
        received: 0,
        unreachable: 2,
        icmpError: 'Destination host unreachable',
      },
      {
        type: 'client-error',
        code: 'unreachable',
        text: '0/2 echo replies from 192.0.2.240; 2 error(s): Destination host unreachable',
      },
    ]);
  });
  it('a run cut before its statistics is still summarised, marked incomplete', async () => {
    const { records } = await parseString(
      ping,
      'PING 192.0.2.10 (192.0.2.10) 56(84) bytes of data.\n64 bytes from 192.0.2.10: icmp_seq=1 ttl=64 time=1 ms\n',
    );
    expect(records).toMatchObject([{ type: 'ping', transmitted: 1, received: 1, complete: false }]);
  });
  it('quiet runs (-q) use the summary', async () => {
    const { records } = await parseString(
      ping,
      'PING 192.0.2.10 (192.0.2.10) 56(84) bytes of data.\n\n--- 192.0.2.10 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss, time 4005ms\n',
    );
    expect(records).toMatchObject([{ type: 'ping', transmitted: 5, received: 5, lossPct: 0 }]);
  });
  it('named targets and IPv6', async () => {
    const { records } = await parseString(
      ping,
      'PING 2001:db8::1(2001:db8::1) 56 data bytes\n64 bytes from 2001:db8::1: icmp_seq=1 ttl=64 time=0.05 ms\nPING web.example (192.0.2.10) 56(84) bytes of data.\n64 bytes from web.example (192.0.2.10): icmp_seq=1 ttl=64 time=0.1 ms\n',
    );
    expect(records).toMatchObject([
      { target: '2001:db8::1', ip: '2001:db8::1', received: 1 },
      { target: 'web.example', ip: '192.0.2.10', received: 1 },
    ]);
  });
  it('sniff: 0 for curl output, high for headers', () => {
    expect(ping.sniff(['*   Trying 192.0.2.1:443...', 'curl: (7) Failed'], 'x')).toBe(0);
    expect(ping.sniff(['Pinging 192.0.2.1 with 32 bytes of data:'], 'x')).toBeGreaterThan(0.9);
  });
});

describe('ping transcripts', () => {
  it('skips pasted prompts (Linux, PowerShell, cmd)', async () => {
    const input = [
      'user@client:~$ ping -c 1 192.0.2.10',
      'PING 192.0.2.10 (192.0.2.10) 56(84) bytes of data.',
      '64 bytes from 192.0.2.10: icmp_seq=1 ttl=64 time=0.1 ms',
      'PS C:\\Users\\me> ping -n 1 192.0.2.10',
      'C:\\Users\\me>ping -n 1 192.0.2.10',
    ].join('\n');
    const { records, issues, counts } = await parseString(ping, input);
    expect(issues).toEqual([]);
    expect(records).toMatchObject([{ type: 'ping', received: 1 }]);
    expect(counts.skipped).toBe(3);
  });
});
