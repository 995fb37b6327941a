// End-to-end: build the playground, serve dist/ on 127.0.0.1, open it in headless Chromium and
// train on WebGPU (SwiftShader, --enable-unsafe-webgpu) and on wasm without a click
// (?backend=…&dataset=iris&autostart=1). Screenshots go to <repo>/out/playground-<backend>.png.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

const app = dirname(fileURLToPath(import.meta.url));
const repo = resolve(app, '../..');
const dist = join(app, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`;

/** Races `p` against a timer so no wait in this file can hang the run. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let id: ReturnType<typeof setTimeout> | undefined;
  const timer = new Promise<never>((_, reject) => {
    id = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, timer]);
  } finally {
    clearTimeout(id);
  }
}

function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

describe.skipIf(missing !== undefined)(`playground in headless Chromium${missing ? ` — skipped: ${missing}` : ''}`, () => {
  let server: Server | undefined;
  let base = '';
  let context: BrowserContext | undefined;
  let profile = '';

  beforeAll(async () => {
    const { build } = await import('vite');
    await within(build({ configFile: join(app, 'vite.config.ts'), logLevel: 'warn' }), 90_000, 'vite build');
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    expect(existsSync(join(dist, 'tfjs-wasm', 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    server = await serve(dist);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'somkit-playground-'));
    // headless: false because ARGS carries '--headless=new' itself.
    context = await within(chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: false, args: ARGS, timeout: 30_000 }), 45_000, 'launching Chromium');
  }, 150_000);

  afterAll(async () => {
    await within(context?.close() ?? Promise.resolve(), 15_000, 'closing Chromium').catch(() => undefined);
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const backend of ['webgpu', 'wasm'] as const) {
    it(`?backend=${backend}&dataset=iris&autostart=1 trains on ${backend}: epochs advance, the U-matrix has one cell per unit, no console errors`, async () => {
      if (context === undefined) throw new Error('Chromium did not start');
      const page: Page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      try {
        await page.goto(`${base}?backend=${backend}&dataset=iris&autostart=1`, { timeout: 30_000 });
        const text = (id: string) => page.locator(`[data-testid="${id}"]`).textContent({ timeout: 5_000 });
        // Guarded wait: requestAdapter() can hang with some flag sets; the status says where it stopped.
        await page
          .waitForFunction(() => Number(document.querySelector('[data-testid="epoch"]')?.textContent ?? 0) >= 2, undefined, { timeout: 90_000, polling: 250 })
          .catch(async (e: Error) => {
            throw new Error(`epochs did not reach 2 on ${backend}: status "${await text('status')}", backend "${await text('backend')}", error "${await text('error')}" (${e.message.split('\n')[0]})`);
          });
        expect(await text('backend')).toBe(backend);
        const rows = Number(await page.inputValue('#rows'));
        const cols = Number(await page.inputValue('#cols'));
        expect(await page.locator('[data-testid="umatrix"] svg [data-unit]').count()).toBe(rows * cols);
        expect(await page.locator('[data-testid="hitmap"] svg').count()).toBe(1);
        // Hovering a cell shows its details.
        await page.locator('[data-testid="umatrix"] [data-unit="0"]').hover({ timeout: 5_000 });
        expect(await text('details')).toMatch(/Unit 0/);
        mkdirSync(join(repo, 'out'), { recursive: true });
        await page.screenshot({ path: join(repo, 'out', `playground-${backend}.png`), fullPage: true, timeout: 20_000 });
        // Stop the run (AbortController) and check the page says so.
        if (!(await page.locator('#stop').isDisabled())) {
          await page.click('#stop');
          await page.waitForFunction(() => /stopped|done/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
        }
        expect(await text('status')).toMatch(/stopped after \d+ epochs|done/);
        expect(errors).toEqual([]);
      } finally {
        await within(page.close(), 10_000, 'closing the page').catch(() => undefined);
      }
    }, 150_000);
  }
});
