/** `ip -c=always` output (captured): ANSI colours are stripped before parsing and sniffing. */
import { describe, expect, it } from 'vitest';
import { ipAddr } from '../../../../parsers/text/ip-addr.js';
import { ipNeigh } from '../../../../parsers/text/ip-neigh.js';
import { ipRoute } from '../../../../parsers/text/ip-route.js';
import { bestFormat, parseFixture } from './fixture.js';

describe('coloured iproute2 output', () => {
  it('ip -c addr', async () => {
    expect(bestFormat('addr-color.txt')).toBe('ip-addr');
    const { records, issues } = await parseFixture(ipAddr, 'addr-color.txt');
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { type: 'link', ifname: 'eth0', parent: 'p0', mac: '02:00:00:00:00:05' },
      { type: 'address', ifname: 'eth0', ip: '192.0.2.5', prefix: 24, mac: '02:00:00:00:00:05' },
    ]);
    expect(JSON.stringify(records)).not.toContain('\\u001b');
  });
  it('ip -c route', async () => {
    expect(bestFormat('route-color.txt')).toBe('ip-route');
    const { records, issues } = await parseFixture(ipRoute, 'route-color.txt');
    expect(issues).toEqual([]);
    expect(records).toMatchObject([
      { dst: 'default', gateway: '192.0.2.1', dev: 'eth0', onlink: true, linkdown: true },
      { dst: '192.0.2.0/24', dev: 'eth0', src: '192.0.2.5' },
    ]);
  });
  it('ip -c neigh', async () => {
    expect(bestFormat('neigh-color.txt')).toBe('ip-neigh');
    const { records } = await parseFixture(ipNeigh, 'neigh-color.txt');
    expect(records).toMatchObject([{ ip: '192.0.2.1', mac: '02:00:00:00:00:01', state: 'PERMANENT' }]);
  });
});
