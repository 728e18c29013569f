/** Redaction: no original address, MAC or name survives in any report, and the diagnosis reads the same. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { Redactor, redactAnalysis } from '../../src/report/redact.js';
import { renderText } from '../../src/report/text.js';

const ROOT = resolve(import.meta.dirname, '../..');
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const MAC = /\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/gi;

describe('redaction', () => {
  it('keeps subnet shape and consistency', () => {
    const r = new Redactor();
    const a = r.text(
      'from 192.0.2.10 via 192.0.2.1 to 203.0.113.50; again 192.0.2.10 lladdr 02:00:00:00:0a:01',
    );
    const [x, gw, other, again] = (a.match(IPV4) ?? []) as string[];
    expect(x).toBe(again);
    expect(x.split('.').slice(0, 3)).toEqual(gw.split('.').slice(0, 3));
    expect(gw.endsWith('.1')).toBe(true);
    expect(other.split('.').slice(0, 3)).not.toEqual(gw.split('.').slice(0, 3));
    expect(a).not.toContain('02:00:00:00:0a:01');
    expect(r.text('2001:db8:1::10 and 2001:db8:1::1')).toMatch(/^fd00:0:0:1::10 and fd00:0:0:1::1$/);
    expect(r.text('see traefik.log and server.go:2753 and metallb.universe.tf/loadBalancerIPs')).toBe(
      'see traefik.log and server.go:2753 and metallb.universe.tf/loadBalancerIPs',
    );
  });

  it.each(['asymmetric-mangle', 'vip-unresolved'])(
    '%s: no original address survives; same root cause',
    async (s) => {
      const a = await analyzeBundle(resolve(ROOT, 'samples', s), { workers: 0 });
      const original = JSON.stringify(a);
      const ips = new Set(
        [...(original.match(IPV4) ?? [])].filter((ip) => !/^(0\.0\.0\.0|127\.|255\.)/.test(ip)),
      );
      const macs = new Set(
        [...(original.match(MAC) ?? [])]
          .map((m) => m.toLowerCase())
          .filter((m) => m !== '00:00:00:00:00:00' && m !== 'ff:ff:ff:ff:ff:ff'),
      );
      expect(ips.size).toBeGreaterThan(3);
      const { analysis, map } = redactAnalysis(a);
      for (const doc of [
        renderJson(analysis),
        renderMarkdown(analysis),
        renderHtml(analysis),
        renderText(analysis),
      ]) {
        for (const ip of ips) expect(doc.includes(ip), `${ip} leaked`).toBe(false);
        for (const m of macs) expect(doc.toLowerCase().includes(m), `${m} leaked`).toBe(false);
        expect(doc).not.toContain('app.example.test');
        for (const n of a.bundle.nodes)
          expect(new RegExp(`\\b${n.name}\\b`).test(doc), `${n.name} leaked`).toBe(false);
      }
      expect(analysis.rootCause?.finding.split('#')[0]).toBe(a.rootCause?.finding.split('#')[0]);
      expect(analysis.findings.map((f) => f.rule)).toEqual(a.findings.map((f) => f.rule));
      expect(Object.keys(map.ips).length).toBeGreaterThanOrEqual(ips.size);
    },
  );
});
