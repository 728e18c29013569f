import { describe, expect, it } from 'vitest';
import {
  bannerText,
  isIPv4,
  isIPv6,
  maskToPrefix,
  normDst,
  normMac,
  stripZone,
} from '../../../../parsers/text/netstate/common.js';

describe('netstate common helpers', () => {
  it('normalises MACs from every tool to lowercase two-digit colon form', () => {
    expect(normMac('0:c:29:a:B:c')).toBe('00:0c:29:0a:0b:0c'); // macOS unpadded
    expect(normMac('00-0C-29-0A-0B-0C')).toBe('00:0c:29:0a:0b:0c'); // Windows
    expect(normMac('08:00:27:AA:BB:01')).toBe('08:00:27:aa:bb:01'); // iputils arping
    expect(normMac('02:00:00:00:00:31')).toBe('02:00:00:00:00:31');
    expect(normMac('<incomplete>')).toBeNull();
    expect(normMac('0:c:29:a:b:cde')).toBeNull();
    expect(normMac('00:0g:29:0a:0b:0c')).toBeNull();
  });
  it('normalises destinations: host routes get /32 or /128, zero prefixes are default', () => {
    expect(normDst('10.0.0.5')).toBe('10.0.0.5/32');
    expect(normDst('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(normDst('2001:DB8::1')).toBe('2001:db8::1/128');
    expect(normDst('fe80::%en0/64')).toBe('fe80::/64');
    expect(normDst('0.0.0.0/0')).toBe('default');
    expect(normDst('::/0')).toBe('default');
    expect(normDst('default')).toBe('default');
    expect(normDst('10.0.0.0/33')).toBeNull();
    expect(normDst('10.0.0/8')).toBeNull();
    expect(normDst('dev')).toBeNull();
  });
  it('tells addresses from MACs', () => {
    expect(isIPv4('192.0.2.1')).toBe(true);
    expect(isIPv4('192.0.2.256')).toBe(false);
    expect(isIPv4('192.0.2')).toBe(false);
    expect(isIPv6('::')).toBe(true);
    expect(isIPv6('fe80::1%en0')).toBe(true);
    expect(isIPv6('::ffff:192.0.2.1')).toBe(true);
    expect(isIPv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIPv6('00:00:00:00:00:00')).toBe(false); // a MAC, not an address
    expect(isIPv6('a4:2b:b0:1:2:3')).toBe(false);
    expect(isIPv6('1::2::3')).toBe(false);
    expect(stripZone('FE80::1%eth0')).toBe('fe80::1');
  });
  it('turns contiguous netmasks into prefix lengths and rejects the rest', () => {
    expect(maskToPrefix('0.0.0.0')).toBe(0);
    expect(maskToPrefix('255.192.0.0')).toBe(10);
    expect(maskToPrefix('255.255.255.255')).toBe(32);
    expect(maskToPrefix('255.0.255.0')).toBeNull();
    expect(maskToPrefix('-')).toBeNull();
  });
  it('recognises prompts, echoes and banners but not tool output', () => {
    expect(bannerText('$ ip route show table 100')).toBe('ip route show table 100');
    expect(bannerText('root@node1:~# arp -an')).toBe('arp -an');
    expect(bannerText('=== ip rule ===')).toBe('ip rule');
    expect(bannerText('')).toBe('');
    expect(bannerText('0:\tfrom all lookup local')).toBeNull();
    expect(bannerText('? (192.0.2.1) at <incomplete> on eth0')).toBeNull();
    expect(bannerText('default via 192.0.2.1 dev eth1')).toBeNull();
  });
});
