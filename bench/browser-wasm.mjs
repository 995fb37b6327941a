// wasm with and without threads in headless Chromium (issue 18): builds the playground, serves
// apps/playground/dist twice on 127.0.0.1 — cross-origin isolated (COOP same-origin + COEP
// require-corp, as the playground README tells a static host) and without the headers — and times
// `som.fit` of digits (1797 × 64), 14 × 14 hexagonal, 30 epochs, batch-map, with the page drawing
// only at the end (?live=0). Each run is a fresh page (a fresh wasm module). Also times the
// other backends once each for the 'auto' comparison (--all).
//
//   node bench/browser-wasm.mjs [--runs 3] [--epochs 30] [--size 14] [--cores 4,8] [--all] [--no-build]
//
// tfjs-backend-wasm sizes its thread pool to half of navigator.hardwareConcurrency (1 to 8), so on
// a 2-core machine an isolated page still gets 1 thread. --cores N makes the page report N
// logical cores (an init script overriding navigator.hardwareConcurrency), so the pool gets N/2
// threads — on this machine's 2 real cores; the runs say how many threads tfjs really used.
//
// Prints a Markdown table and appends one JSON line per run to bench/results/browser-wasm.jsonl.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './common.mjs';

const { values: a } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '30' },
    size: { type: 'string', default: '14' },
    cores: { type: 'string', default: '4' },
    all: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(a.runs);
const epochs = Number(a.epochs);
const size = Number(a.size);
const app = join(root, 'apps', 'playground');
const dist = join(app, 'dist');
const req = createRequire(join(app, 'package.json'));
const CHROMIUM = '/usr/bin/chromium';
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm' };

if (!a['no-build']) {
  const { build } = await import(req.resolve('vite'));
  await build({ configFile: join(app, 'vite.config.ts'), logLevel: 'warn' });
}

function serve(headers) {
  const server = createServer((q, res) => {
    const path = decodeURIComponent(new URL(q.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dist, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...headers });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const isolated = await serve(ISOLATION);
const plain = await serve({});
const url = (s, q) => `http://127.0.0.1:${s.address().port}/?dataset=digits&rows=${size}&cols=${size}&epochs=${epochs}&live=0&autostart=1&${q}`;
const pw = await import(req.resolve('playwright-core'));
const { chromium } = pw.chromium ? pw : pw.default;
const profile = mkdtempSync(join(tmpdir(), 'somkit-bench-browser-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: false,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu-sandbox', '--no-first-run', '--disable-background-networking', '--enable-unsafe-webgpu'],
});

async function once(server, query, cores) {
  const page = await context.newPage();
  try {
    if (cores !== undefined) await page.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), cores);
    await page.goto(url(server, query), { timeout: 60_000 });
    await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 600_000, polling: 250 });
    const status = await page.textContent('#status');
    if (!status?.startsWith('done')) throw new Error(`${query}: ${status} ${await page.textContent('#error')}`);
    return {
      backend: await page.textContent('#backend'),
      threads: Number(await page.getAttribute('#threads', 'data-threads')),
      isolated: await page.evaluate(() => globalThis.crossOriginIsolated),
      fitMs: Number(await page.getAttribute('#fit-time', 'data-ms')),
      qe: Number(/QE ([\d.]+)/.exec(status)?.[1]),
    };
  } finally {
    await page.close();
  }
}

const modes = [
  { name: 'wasm, not isolated', server: plain, query: 'backend=wasm' },
  { name: 'wasm, isolated (tfjs default threads)', server: isolated, query: 'backend=wasm' },
  ...a.cores
    .split(',')
    .filter(Boolean)
    .map((c) => ({ name: `wasm, isolated, ${c} logical cores reported`, server: isolated, query: 'backend=wasm', cores: Number(c) })),
  { name: 'auto, isolated', server: isolated, query: 'backend=auto' },
  ...(a.all ? ['cpu', 'webgl', 'webgpu'].map((b) => ({ name: `${b}, isolated`, server: isolated, query: `backend=${b}`, runs: 1 })) : []),
];

const when = new Date().toISOString();
const loadBefore = loadavg()[0];
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const rows = [];
try {
  for (const m of modes) {
    const times = [];
    let last;
    for (let r = 0; r < (m.runs ?? runs); r++) {
      last = await once(m.server, m.query, m.cores);
      times.push(last.fitMs);
      appendFileSync(join(root, 'bench', 'results', 'browser-wasm.jsonl'), `${JSON.stringify({ when, mode: m.name, size, epochs, cpus: cpus().length, ...last })}\n`);
    }
    times.sort((x, y) => x - y);
    rows.push({ ...m, last, times, median: times[Math.floor(times.length / 2)] });
    console.error(`${m.name}: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
  }
} finally {
  await context.close();
  isolated.close();
  plain.close();
  rmSync(profile, { recursive: true, force: true });
}

const chromeVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim().split(/\s+/)[1] ?? '';
console.log(`digits 1797 × 64, ${size} × ${size} hexagonal, ${epochs} epochs, batch-map, headless Chromium ${chromeVersion}, ${cpus().length} CPUs, ${when}, load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`);
console.log('');
console.log('| mode | backend | crossOriginIsolated | wasm threads | fit (median of runs) | runs (s) | QE |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.last.backend} | ${r.last.isolated} | ${r.last.backend === 'wasm' ? r.last.threads : '—'} | ${(r.median / 1000).toFixed(2)} s | ${r.times.map((t) => (t / 1000).toFixed(2)).join(', ')} | ${r.last.qe.toFixed(4)} |`);
}
