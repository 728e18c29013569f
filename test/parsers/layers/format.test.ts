import { describe, expect, it } from 'vitest';
import { ipString, ipv4String, macString } from '../../../parsers/layers/format.js';
import { hex } from './hex.js';

describe('address formatting', () => {
  // Expected strings are what `tshark -T fields -e ipv6.src` (4.0.17) printed for these addresses.
  it.each([
    ['00000000000000000000ffff01020304', '::ffff:1.2.3.4'],
    ['00000000000000000000000001020304', '::1.2.3.4'],
    ['00000000000000000000000000000001', '::1'],
    ['00000000000000000000000000000000', '::'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100000000000100000001', '2001:db8:1::1:0:1'],
    ['0064ff9b000000000000000001020304', '64:ff9b::102:304'],
    ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
    ['fe800000000000000000000000000000', 'fe80::'],
    ['00000000000000000000000000010000', '::0.1.0.0'],
    ['0000000000000000ffff000001020304', '::ffff:0:102:304'],
    ['20010db8000000000000000000000000', '2001:db8::'],
    ['20010db8aaaabbbbccccddddeeeeffff', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'],
    ['20010db8000100010001000100010000', '2001:db8:1:1:1:1:1:0'],
  ])('IPv6 %s → %s', (h, want) => {
    const buf = Buffer.concat([Buffer.from([0xee]), hex(h)]); // at offset 1
    expect(ipString(buf, 1, 6)).toBe(want);
  });

  it('IPv4 and MAC', () => {
    const buf = hex`ff c0 00 02 01  00 1a 2b ff 0c 0d`;
    expect(ipv4String(buf, 1)).toBe('192.0.2.1');
    expect(ipString(buf, 1, 4)).toBe('192.0.2.1');
    expect(macString(buf, 5)).toBe('00:1a:2b:ff:0c:0d');
    expect(ipString(buf, 1, 0)).toBe('');
  });
});
