import { describe, expect, it } from 'vitest';
import { arping } from '../../../parsers/text/arping.js';
import type { ArpingRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { parseFixture } from './netstate/fixture.js';

describe('arping', () => {
  it('captured conflict: two MACs answer one address, counted per MAC', async () => {
    const { records, issues, counts } = await parseFixture(arping, 'arping-habets.txt');
    expect(issues).toEqual([]);
    const rs = records as ArpingRecord[];
    expect(rs.map((r) => [r.target, r.mac, r.count, r.sent])).toEqual([
      ['192.0.2.20', '02:00:00:00:03:03', 3, 3],
      ['192.0.2.20', '02:00:00:00:02:02', 3, 3],
    ]);
    expect(counts.issues).toBe(0);
  });

  it('captured silence: one record with mac null', async () => {
    const { records } = await parseFixture(arping, 'arping-habets-none.txt');
    expect(records).toMatchObject([{ target: '192.0.2.77', mac: null, count: 0, sent: 2 }]);
  });

  it('Habets pinging a MAC prints "from IP (MAC)"; iputils DAD and requests', async () => {
    const { records, issues } = await parseString(
      arping,
      [
        'ARPING 02:00:00:00:02:02',
        '60 bytes from 192.0.2.20 (02:00:00:00:02:02): icmp_seq=0 time=1.234 msec',
        'ARPING 192.0.2.20 from 0.0.0.0 eth1',
        'Unicast reply from 192.0.2.20 [02:00:00:00:02:02]  0.612ms',
        'Broadcast reply from 192.0.2.20 [02:00:00:00:03:03]  0.700ms',
        'Sent 1 probes (1 broadcast(s))',
        'Received 2 response(s) (1 broadcast(s))',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { target: '192.0.2.20', mac: '02:00:00:00:02:02', count: 1 },
      { target: '192.0.2.20', mac: '02:00:00:00:02:02', count: 1, sent: 1, source: '0.0.0.0', dev: 'eth1' },
      { target: '192.0.2.20', mac: '02:00:00:00:03:03', count: 1, sent: 1 },
    ]);
  });

  it('unreadable replies and foreign lines are issues', async () => {
    const { records, issues } = await parseString(
      arping,
      'ARPING 192.0.2.1\n42 bytes from zz:zz (192.0.2.1): index=0 time=1 usec\nPING 192.0.2.1 56 data bytes\n',
    );
    expect(records).toMatchObject([{ target: '192.0.2.1', mac: null, count: 0 }]);
    expect(issues).toHaveLength(2);
  });

  it('sniffs only arping output', () => {
    expect(arping.sniff(['PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.'], 'x')).toBe(0);
    expect(arping.sniff(['ARPING 192.0.2.1', 'Timeout'], 'x')).toBeGreaterThan(0.5);
  });
});
