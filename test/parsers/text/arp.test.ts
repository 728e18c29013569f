import { describe, expect, it } from 'vitest';
import { arp } from '../../../parsers/text/arp.js';
import type { NeighborRecord } from '../../../src/model/records/index.js';
import { parseString } from '../../helpers/text.js';
import { fixtureLines, parseFixture } from './netstate/fixture.js';

const key = (r: unknown) => {
  const n = r as NeighborRecord;
  return `${n.ip} ${n.mac} ${n.dev} ${n.state ?? ''}`;
};

describe('arp', () => {
  it('captured arp -an and arp -n agree on the same cache', async () => {
    const an = await parseFixture(arp, 'arp-an.txt');
    const n = await parseFixture(arp, 'arp-n.txt');
    expect(an.issues).toEqual([]);
    expect(n.issues).toEqual([]);
    expect(an.records.length).toBe(fixtureLines('arp-an.txt').length);
    expect(n.records.length).toBe(fixtureLines('arp-n.txt').length - 1);
    expect(n.records.map(key).sort()).toEqual(an.records.map(key).sort());
    expect((an.records as NeighborRecord[]).filter((r) => r.mac === null).length).toBe(
      fixtureLines('arp-an.txt').filter((l) => l.includes('<incomplete>')).length,
    );
  });

  it('Windows: CRLF, blocks per interface, localized headers and types (German, French, Spanish)', async () => {
    const input = [
      '',
      'Schnittstelle: 192.168.178.23 --- 0xb',
      '  Internetadresse       Physische Adresse     Typ',
      '  192.168.178.1         3c-a6-2f-11-22-33     dynamisch ',
      '  192.168.178.255       ff-ff-ff-ff-ff-ff     statisch  ',
      '',
      'Interface : 10.1.1.5 --- 0x7',
      '  Adresse Internet      Adresse physique      Type',
      '  10.1.1.1              00-50-56-c0-00-08     dynamique ',
      '',
      'Interfaz: 172.16.0.9 --- 0x12',
      '  Dirección de Internet          Dirección física      Tipo',
      '  172.16.0.1            00-15-5d-01-02-03     estático  ',
      '  172.16.0.77           00-00-00-00-00-00     invalid   ',
    ].join('\r\n');
    const { records, issues, counts } = await parseString(arp, input);
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { ip: '192.168.178.1', mac: '3c:a6:2f:11:22:33', ifaddr: '192.168.178.23', ifindex: 11 },
      { ip: '192.168.178.255', state: 'PERMANENT' },
      { ip: '10.1.1.1', mac: '00:50:56:c0:00:08', ifaddr: '10.1.1.5', ifindex: 7 },
      { ip: '172.16.0.1', state: 'PERMANENT', ifindex: 18 },
      { ip: '172.16.0.77', mac: null, state: 'FAILED' },
    ]);
    expect(counts).toMatchObject({ parsed: 5, skipped: 9, issues: 0 });
    expect(
      arp.sniff(
        input.split('\n').map((l) => l.replace(/\r$/, '')),
        'arp.txt',
      ),
    ).toBeGreaterThan(0.5);
  });

  it('arp without -n printing names in the table is an issue per row; garbage is an issue', async () => {
    const { records, issues } = await parseString(
      arp,
      [
        'Address                  HWtype  HWaddress           Flags Mask            Iface',
        '_gateway                 ether   52:55:0a:00:02:02   C                     eth0',
        '10.0.2.3                 ether   52:55:0a:00:02:03   C                     eth0',
        '10.0.2.4                 ether   52:55:0a:00:02:zz   C                     eth0',
      ].join('\n'),
    );
    expect(records).toMatchObject([{ ip: '10.0.2.3', mac: '52:55:0a:00:02:03', dev: 'eth0' }]);
    expect(issues.map((i) => (i as { code: string }).code)).toEqual(['unresolved-name', 'bad-mac']);
    const g = await parseString(
      arp,
      '? (10.0.0.1) at 0:c:29:ab:cd:ef on en0 ifscope [ethernet]\nhello world\n',
    );
    expect(g.records).toHaveLength(1);
    expect(g.issues).toHaveLength(1);
  });

  it('does not claim ip neigh output; ip neigh does not claim arp output', () => {
    expect(arp.sniff(fixtureLines('neigh.txt'), 'x')).toBe(0);
    expect(arp.sniff(fixtureLines('arp-a.txt'), 'x')).toBeGreaterThan(0.9);
  });
});
