import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/bundle/manifest.js';
import { globMatch } from '../../src/util/glob.js';

describe('manifest', () => {
  it('accepts YAML and JSON', () => {
    const y = parseManifest(
      'nodes:\n  node1:\n    timezone: Europe/Berlin\n    clockOffset: -2.5\nservice:\n  vip: 192.0.2.240\n  port: 443\n',
      'forensic.yaml',
    );
    expect(y.errors).toEqual([]);
    expect(y.manifest?.nodes?.node1.clockOffset).toBe(-2.5);
    const j = parseManifest('{"service": {"vip": "192.0.2.240"}, "exclude": ["*.md"]}', 'forensic.json');
    expect(j.manifest?.exclude).toEqual(['*.md']);
  });
  it('names the file and the field path of schema errors', () => {
    const r = parseManifest(
      'service:\n  port: 99999\nnodes:\n  n1:\n    timezone: Mars/Olympus\n    colour: red\n',
      'forensic.yaml',
    );
    expect(r.manifest).toBeNull();
    expect(r.errors.join('\n')).toMatch(/forensic\.yaml: service\.port: /);
    expect(r.errors.join('\n')).toMatch(/forensic\.yaml: nodes\.n1\.timezone: not a known IANA time zone/);
    expect(r.errors.join('\n')).toMatch(/nodes\.n1: .*colour/);
  });
  it('names the line of syntax errors', () => {
    const y = parseManifest('nodes:\n  node1: [unclosed\n', 'forensic.yaml');
    expect(y.errors[0]).toMatch(/^forensic\.yaml:\d+: /);
    const j = parseManifest('{\n "nodes": {,\n}', 'forensic.json');
    expect(j.errors[0]).toMatch(/^forensic\.json/);
  });
  it('globs', () => {
    expect(globMatch('*.md', 'EXPECTED.md')).toBe(true);
    expect(globMatch('*.md', 'node1/x.md')).toBe(false);
    expect(globMatch('**/*.md', 'node1/x.md')).toBe(true);
    expect(globMatch('node1/**', 'node1/a/b.pcap')).toBe(true);
  });
});
