/** Address helpers that several rules and the timeline share. */
import { describe, expect, it } from 'vitest';
import { clientNetwork, hostPort } from '../../src/netstate/ip.js';

describe('clientNetwork', () => {
  it('is the /24 of an IPv4 client and the /64 of an IPv6 one, whatever its spelling', () => {
    expect(clientNetwork('203.0.113.50')).toBe('203.0.113.0/24');
    expect(clientNetwork('2001:db8:0:113::50')).toBe('2001:db8:0:113::/64');
    // Compressed before the fourth group: splitting the text gave "2001:db8::50::/64".
    expect(clientNetwork('2001:db8::50')).toBe('2001:db8::/64');
    expect(clientNetwork('2001:DB8:0:0:1:2:3:4')).toBe('2001:db8::/64');
    expect(clientNetwork('not an address')).toBe('not an address');
  });
});

describe('hostPort', () => {
  it('brackets IPv6 addresses only', () => {
    expect(hostPort('192.0.2.1', 443)).toBe('192.0.2.1:443');
    expect(hostPort('2001:db8::1', '*')).toBe('[2001:db8::1]:*');
  });
});
