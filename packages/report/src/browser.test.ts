import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';
import { iris } from '@somkit/datasets';
import { buildReport } from './buildReport.js';
import { writeReport } from '@somkit/viz/node';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The browser globals used inside page callbacks (this tsconfig has no DOM lib). */
interface BrowserXml {
  DOMParser: new () => { parseFromString(s: string, type: string): { getElementsByTagName(name: string): { length: number } } };
  XMLSerializer: new () => { serializeToString(node: unknown): string };
}

describe('the report in a real browser', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-report-'));
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const title = 'opens report.html in headless Chromium: no console errors, every figure has a size, screenshot in out/report.png';
  it.skipIf(!hasChromium)(hasChromium ? title : `${title} — SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium)`, async () => {
    await tf.setBackend('cpu');
    const ds = iris();
    const data = { data: ds.data, shape: [ds.n, ds.d] as const };
    const som = new SOM({ rows: 10, cols: 10, dims: ds.d, topology: 'hexagonal', epochs: 12, sigma: 3, init: 'pca', seed: 42 });
    try {
      await som.fit(data);
      const report = await buildReport({
        som, data, labels: ds.target, featureNames: ds.featureNames, classNames: ds.classNames,
        title: 'Iris on a 10 × 10 hexagonal SOM', summary: { dataset: 'iris (150 × 4)', seed: 42, epochs: 12 },
      });
      const { html } = await writeReport(dir, report);

      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
        const figures = await page.$$eval('figure svg', (svgs) =>
          svgs.map((s) => {
            const r = s.getBoundingClientRect();
            const g = globalThis as unknown as BrowserXml;
            const parsed = new g.DOMParser().parseFromString(new g.XMLSerializer().serializeToString(s), 'image/svg+xml');
            return { name: s.closest('figure')?.getAttribute('data-figure') ?? '', width: r.width, height: r.height, parseError: parsed.getElementsByTagName('parsererror').length };
          }),
        );
        expect(figures.map((f) => f.name)).toEqual(report.figures.map((f) => f.name));
        for (const f of figures) {
          expect(f.width, f.name).toBeGreaterThan(50);
          expect(f.height, f.name).toBeGreaterThan(50);
          expect(f.parseError, f.name).toBe(0);
        }
        // Each figure's own SVG string parses as XML in the browser too.
        const parseErrors = await page.evaluate((svgs) => {
          const g = globalThis as unknown as BrowserXml;
          return svgs.filter((s) => new g.DOMParser().parseFromString(s, 'image/svg+xml').getElementsByTagName('parsererror').length > 0).length;
        }, report.figures.map((f) => f.svg));
        expect(parseErrors).toBe(0);
        // Hover read-out works and nothing was fetched but the page itself.
        await page.hover('figure[data-figure="hit-map"] path.cell[data-unit="0"]');
        expect(await page.textContent('#somkit-info')).toMatch(/Unit 0 \(row 0, col 0\)/);
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
        expect(errors).toEqual([]);
        await mkdir(join(REPO, 'out'), { recursive: true });
        await page.screenshot({ path: join(REPO, 'out', 'report.png'), fullPage: true });
        expect(existsSync(join(REPO, 'out', 'report.png'))).toBe(true);
      } finally {
        await browser.close();
      }
    } finally {
      som.dispose();
    }
  });
});
