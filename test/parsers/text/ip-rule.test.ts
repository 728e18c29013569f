import { describe, expect, it } from 'vitest';
import { ipRule } from '../../../parsers/text/ip-rule.js';
import type { RuleRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixture, parseFixture } from './netstate/fixture.js';

describe('ip-rule', () => {
  it('reads the captured `ip rule` output line for line', async () => {
    const { records, issues } = await parseFixture(ipRule, 'rule.txt');
    const lines = fixture('rule.txt').trim().split('\n');
    expect(issues).toEqual([]);
    const rs = records as RuleRecord[];
    expect(rs.map((r) => r.priority)).toEqual(lines.map((l) => Number(l.split(':')[0])));
    expect(rs.find((r) => r.priority === 200)).toMatchObject({ fwmark: '0x1/0xff', table: '100' });
    expect(rs.filter((r) => r.from !== undefined).map((r) => r.from)).toEqual(['192.0.2.10', '10.66.0.0/16']);
  });

  it('accepts spaces or tabs, `table` or `lookup`, and keeps unknown selectors in extra', async () => {
    const { records, issues } = await parseString(
      ipRule,
      [
        '9:     from all fwmark 0x200/0xf00 lookup 2004',
        '1000:\tfrom 192.0.2.0/24 to 198.51.100.7 ipproto tcp dport 443 table web',
        '1500:\tfrom all uidrange 1000-1000 lookup 42 proto static',
        '2000:\tfrom all goto 32766',
        '2100:\tfrom all l3mdev unreachable',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    const rs = records as RuleRecord[];
    expect(rs[0]).toMatchObject({ priority: 9, fwmark: '0x200/0xf00', table: '2004' });
    expect(rs[1]).toMatchObject({
      from: '192.0.2.0/24',
      to: '198.51.100.7',
      table: 'web',
      extra: ['ipproto', 'tcp', 'dport', '443'],
    });
    expect(rs[2]).toMatchObject({ table: '42', extra: ['uidrange', '1000-1000', 'proto', 'static'] });
    expect(rs[3]).toMatchObject({ action: 'goto', table: 'goto' });
    expect(rs[4]).toMatchObject({ action: 'unreachable', extra: ['l3mdev'] });
  });

  it('a selector without argument and non-rule lines are issues', async () => {
    const { records, issues } = await parseString(
      ipRule,
      '100:\tfrom\nRTNETLINK answers: Permission denied\n',
    );
    expect(records).toEqual([]);
    expect(issues.length).toBe(2);
  });

  it('is not claimed for ip route or ip neigh output', () => {
    expect(ipRule.sniff(fixture('route.txt').split('\n'), 'x')).toBe(0);
    expect(ipRule.sniff(fixture('neigh.txt').split('\n'), 'x')).toBe(0);
  });
});
