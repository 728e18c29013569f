/**
 * The committed sample bundles: complete, small, captures that open, expected.json
 * valid and consistent with the files; the analyzer's diagnosis when it is built.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../samples/lab/scenarios.js';
import { parseManifest } from '../../src/bundle/manifest.js';
import {
  analyzerCli,
  CAPTURE_STORIES,
  captureStory,
  checkAnalysis,
  checkFacts,
  have,
  loadExpected,
  REPO_ROOT,
  runAnalyzer,
  tsharkFields,
  walkCapture,
} from './bundle-check.js';

const SAMPLES = join(REPO_ROOT, 'samples');
const NODE_FILES = [
  'ip-route-all.txt',
  'ip-rule.txt',
  'ip-addr.json',
  'ip-neigh.txt',
  'arp-an.txt',
  'traefik.log',
];
const CLIENT_FILES = ['curl-v.txt', 'ping.txt', 'arp-a.txt', 'ip-route.txt'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

const tshark = have('tshark');
if (!tshark) console.warn('tshark not installed: sample capture cross-checks with tshark skipped');
const analyzer = analyzerCli();
if (!analyzer.ok) console.warn(`sample bundles: analyzer checks skipped: ${analyzer.reason}`);

describe('sample bundles', () => {
  // These tests block on tshark/analyzer subprocesses; yield to the event loop between
  // them so vitest's worker RPC is not starved.
  beforeEach(() => new Promise<void>((r) => setImmediate(r)));

  it('there is one bundle per lab scenario and nothing else', () => {
    const dirs = readdirSync(SAMPLES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'lab')
      .map((d) => d.name)
      .sort();
    expect(dirs).toEqual(SCENARIOS.map((s) => s.id).sort());
  });

  for (const s of SCENARIOS) {
    const dir = join(SAMPLES, s.id);
    describe(s.id, () => {
      it('is complete', () => {
        const e = loadExpected(dir);
        const want = ['forensic.json', 'EXPECTED.md', 'expected.json', ...s.captures.map((c) => c.file)];
        // IPv6 bundles have no `arp -an` (IPv4 only, empty there): ip-neigh.txt shows both families.
        want.push(...NODE_FILES.filter((f) => !(s.ipv6 && f === 'arp-an.txt')).map((f) => `node1/${f}`));
        if (e.facts.okRequests > 0) want.push('node1/access.log');
        for (const h of ['client-lan', 'client-remote', 'router'])
          want.push(...CLIENT_FILES.map((f) => `${h}/${s.ipv6 && f === 'arp-a.txt' ? 'ip-neigh.txt' : f}`));
        const have = filesUnder(dir).map((f) => f.slice(dir.length + 1));
        for (const f of want) expect(have, f).toContain(f);
        for (const f of have) expect(statSync(join(dir, f)).size, `${f} is empty`).toBeGreaterThan(0);
      });

      it('is small (< 1 MB)', () => {
        const total = filesUnder(dir).reduce((n, f) => n + statSync(f).size, 0);
        expect(total).toBeLessThan(1 << 20);
      });

      it('has a valid manifest naming the hosts and the service', () => {
        const m = parseManifest(readFileSync(join(dir, 'forensic.json'), 'utf8'), 'forensic.json');
        expect(m.errors).toEqual([]);
        expect(Object.keys(m.manifest?.nodes ?? {}).sort()).toEqual([
          'client-lan',
          'client-remote',
          'node1',
          'router',
        ]);
        expect(m.manifest?.service).toEqual({
          vip: s.ipv6 ? '2001:db8:0:2::240' : '192.0.2.240',
          port: 443,
          hostname: 'app.example.test',
        });
        expect(m.manifest?.timezone).toBe('UTC');
      });

      it('expected.json validates and matches the files', () => {
        const e = loadExpected(dir);
        expect(e.scenario).toBe(s.id);
        expect(Object.keys(e.facts.captures).sort()).toEqual(s.captures.map((c) => c.file).sort());
        expect(checkFacts(dir, e, true)).toEqual([]);
      });

      it.skipIf(!tshark)('captures open in tshark with the same packet counts', () => {
        const e = loadExpected(dir);
        for (const [file, c] of Object.entries(e.facts.captures)) {
          const rows = tsharkFields(join(dir, file), '', ['frame.number']);
          expect(rows.length, file).toBe(c.packets);
          expect(walkCapture(join(dir, file)).packets, file).toBe(c.packets);
        }
      });

      it.skipIf(!analyzer.ok)('the analyzer gives the expected diagnosis', () => {
        if (!analyzer.ok) return;
        expect(checkAnalysis(runAnalyzer(analyzer.cli, dir), loadExpected(dir))).toEqual([]);
      });
    });
  }

  describe.skipIf(!tshark)('what the captures show', () => {
    for (const s of SCENARIOS.filter((x) => CAPTURE_STORIES[x.id]))
      it(`${s.n}: ${CAPTURE_STORIES[s.id]}`, () => {
        expect(captureStory(join(SAMPLES, s.id), s.id)).toEqual([]);
      });
  });
});
