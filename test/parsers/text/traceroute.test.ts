import { describe, expect, it } from 'vitest';
import { traceroute } from '../../../parsers/text/traceroute.js';
import { parseString } from '../../helpers/text.js';
import { sampleCases } from './sample-cases.js';

describe('traceroute samples', () => sampleCases(traceroute));

describe('traceroute details', () => {
  it('several traces in one file each get their verdict', async () => {
    const input = [
      'traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets',
      ' 1  192.0.2.9  0.1 ms  0.1 ms  0.1 ms',
      'traceroute to 198.51.100.9 (198.51.100.9), 30 hops max, 60 byte packets',
      ' 1  192.0.2.1  0.2 ms  0.2 ms  0.2 ms',
      ' 2  * * *',
    ].join('\n');
    const { records } = await parseString(traceroute, input);
    expect(records.map((r) => r.type)).toEqual(['trace-hop', 'trace-hop', 'trace-hop', 'client-error']);
    expect(records[3]).toMatchObject({ target: '198.51.100.9', code: 'not-reached', line: 5 });
  });
  it('AS annotations are accepted', async () => {
    const { records, issues } = await parseString(
      traceroute,
      'traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets\n 1  192.0.2.9 (192.0.2.9) [AS64500]  0.1 ms  0.1 ms  0.1 ms\n',
    );
    expect(issues).toEqual([]);
    expect(records).toMatchObject([{ ip: '192.0.2.9', rttMs: [0.1, 0.1, 0.1] }]);
  });
  it('sniffs nothing but traces', () => {
    expect(traceroute.sniff(['PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.'], 'x')).toBe(0);
    expect(traceroute.sniff(['Tracing route to 192.0.2.1 over a maximum of 30 hops'], 'x')).toBeGreaterThan(
      0.9,
    );
  });
});

describe('traceroute transcripts', () => {
  it('skips pasted prompts (Linux and Windows)', async () => {
    const input = [
      'root@client:~# traceroute -n 192.0.2.9',
      'traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets',
      ' 1  192.0.2.9  0.1 ms  0.1 ms  0.1 ms',
      'C:\\Users\\me>tracert -d 192.0.2.9',
      'Tracing route to 192.0.2.9 over a maximum of 30 hops',
      '  1    <1 ms    <1 ms    <1 ms  192.0.2.9',
    ].join('\n');
    const { records, issues, counts } = await parseString(traceroute, input);
    expect(issues).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['trace-hop', 'trace-hop']);
    expect(counts.skipped).toBe(2);
  });
});
