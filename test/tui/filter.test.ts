import { describe, expect, test } from 'vitest';
import { type Filter, matcher, parseFilter } from '../../src/tui/filter.js';

const ev = {
  node: 'node1',
  layer: 'L7' as const,
  severity: 'high' as const,
  source: 'node1/traefik.log',
  ts: '2024-05-01T10:14:06.401000000Z',
  text: 'TLS handshake error',
};

describe('parseFilter', () => {
  test('parses every key and bare words', () => {
    const f = parseFilter(
      'node:node1 layer:L3,l7 sev:high source:traefik from:10:14:02 to:10:14:09 handshake',
    ) as Filter;
    expect(f.nodes).toEqual(['node1']);
    expect(f.layers).toEqual(['L3', 'L7']);
    expect(f.severity).toBe('high');
    expect(f.sources).toEqual(['traefik']);
    expect([f.from, f.to]).toEqual(['10:14:02', '10:14:09']);
    expect(f.words).toEqual(['handshake']);
    expect(matcher(f)(ev)).toBe(true);
  });

  test('reports bad input instead of throwing', () => {
    expect(parseFilter('layer:L5')).toMatch(/unknown layer/);
    expect(parseFilter('sev:loud')).toMatch(/unknown severity/);
    expect(parseFilter('from:yesterday')).toMatch(/bad time/);
    expect(parseFilter('colour:red')).toMatch(/unknown filter key/);
  });

  test('each condition excludes what it should', () => {
    const m = (s: string) => matcher(parseFilter(s) as Filter)(ev);
    expect(m('node:client')).toBe(false);
    expect(m('layer:L3')).toBe(false);
    expect(m('sev:critical')).toBe(false);
    expect(m('sev:medium')).toBe(true);
    expect(m('source:curl')).toBe(false);
    expect(m('from:10:14:07')).toBe(false);
    expect(m('to:10:14:06')).toBe(true);
    expect(m('to:10:14:05')).toBe(false);
    expect(m('from:2024-05-01T10:14:06.5')).toBe(false);
    expect(m('reset')).toBe(false);
  });
});
