/**
 * The HTML report as a person sees it: rendered by headless Chromium at 1280 and
 * 800 px (screenshots in test-artifacts/), with no console errors and no network
 * request, filters that work without a server, and every bundle string escaped.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze.js';
import type { Analysis } from '../../src/model/analysis.js';
import { renderHtml, tickLabel } from '../../src/report/html.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`HTML browser test skipped: no Chromium at ${CHROMIUM}`);

describe('HTML report', () => {
  it('escapes every string from the bundle', async () => {
    const a: Analysis = await analyzeBundle(resolve(ROOT, 'samples/lan-corruption'), { workers: 0 });
    const evil = '<script>alert(1)</script>\u001b[31m"\'&';
    a.findings[0].summary = evil;
    a.findings[0].evidence[0].text = evil;
    a.timeline[0].text = evil;
    const html = renderHtml(a);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;\\x1b[31m&#34;&#39;&#38;');
    // Self-contained: no URL that a browser would fetch.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });

  it.skipIf(!haveChromium)(
    'renders in Chromium at 1280 and 800 px without errors or network requests',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'forensic-html-'));
      const file = join(dir, 'report.html');
      writeFileSync(
        file,
        renderHtml(await analyzeBundle(resolve(ROOT, 'samples/asymmetric-mangle'), { workers: 0 })),
      );
      const url = pathToFileURL(file).href;
      const artifacts = resolve(ROOT, 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        for (const width of [1280, 800]) {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          const requests: string[] = [];
          const errors: string[] = [];
          page.on('request', (r) => {
            if (r.url() !== url) requests.push(r.url());
          });
          page.on('console', (m) => {
            if (m.type() === 'error') errors.push(m.text());
          });
          page.on('pageerror', (e) => errors.push(String(e)));
          await page.goto(url);
          await page.screenshot({ path: join(artifacts, `report-${width}.png`), fullPage: true });
          expect(requests).toEqual([]);
          expect(errors).toEqual([]);
          expect(await page.textContent('h1')).toMatch(
            /Root cause: node1 routes replies from 192\.0\.2\.240/,
          );
          // Nothing overflows the viewport horizontally.
          const overflow = Number(
            await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
          );
          expect(overflow).toBeLessThanOrEqual(0);
          // Filters work offline: unticking L7 hides the L7 findings.
          const before = await page.locator('details.finding[data-layer="L7"]:not(.hidden)').count();
          expect(before).toBeGreaterThan(0);
          await page.locator('input[data-f="layer"][value="L7"]').uncheck();
          expect(await page.locator('details.finding[data-layer="L7"]:not(.hidden)').count()).toBe(0);
          expect(await page.locator('details.finding[data-layer="L3"]:not(.hidden)').count()).toBeGreaterThan(
            0,
          );
          await page.close();
        }
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});

describe('timeline axis', () => {
  it('labels times of day within a day, dates beyond, and survives times no Date can hold', () => {
    const t = Date.UTC(2024, 4, 1, 10, 0, 0) / 1000;
    expect(tickLabel(t + 0.25, 3600)).toBe('10:00:00.250');
    expect(tickLabel(t, 86_400 * 400)).toBe('2024-05-01 10:00');
    expect(tickLabel(1.8e13, 1e13)).toBe('@18000000000000');
  });
});
