#!/usr/bin/env node
// Cross-runtime test (issue 18): the same user script — train, evaluate, save, load, build a map —
// under Node, Deno and Bun, on tfjs's wasm and cpu backends, in a fresh npm project that installs
// @somkit/core from `pnpm pack:all`'s tarballs (scripts/fresh-project.mjs). Deno and Bun come from
// the npm registry (@deno/linux-x64-glibc, @oven/bun-linux-x64: the binaries are inside the
// packages) and are installed once into a cache dir (SOMKIT_RUNTIMES_DIR, default
// <os tmp>/somkit-runtimes/deno-V-bun-V) that later runs reuse. Run `pnpm build` first.
//
//   node scripts/runtimes.mjs [--keep]   → prints the result JSON; exit 1 on failure
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJson, makeProject, run, writeCliModel } from './fresh-project.mjs';

export const DENO_VERSION = '2.9.6';
export const BUN_VERSION = '1.4.5';
export const BACKENDS = ['wasm', 'cpu'];

/** Where the runtimes are cached, and their binaries there. */
export function runtimeCache() {
  const dir = process.env.SOMKIT_RUNTIMES_DIR ?? join(tmpdir(), 'somkit-runtimes', `deno-${DENO_VERSION}-bun-${BUN_VERSION}`);
  return { dir, deno: join(dir, 'node_modules', '@deno', 'linux-x64-glibc', 'deno'), bun: join(dir, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun') };
}

/**
 * Deno and Bun binaries from the npm registry, installed once into the cache dir.
 * @returns `{ deno, bun, cached }`, or `{ skip: reason }` when this platform has no such packages
 *   or the registry cannot be reached; `{ error }` when the install failed otherwise
 */
export async function ensureRuntimes() {
  const c = runtimeCache();
  if (existsSync(c.deno) && existsSync(c.bun)) return { deno: c.deno, bun: c.bun, cached: true };
  if (platform() !== 'linux' || arch() !== 'x64') return { skip: `the cross-runtime test installs the linux-x64 Deno and Bun packages; this is ${platform()}-${arch()}` };
  const tmp = `${c.dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'somkit-runtimes', private: true }));
  // --ignore-scripts: the binaries are in the packages; bun's postinstall would only re-link them.
  const r = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `@deno/linux-x64-glibc@${DENO_VERSION}`, `@oven/bun-linux-x64@${BUN_VERSION}`], tmp);
  if (r.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|network/i.test(r.out)) return { skip: `the npm registry is unreachable, so Deno and Bun cannot be installed: ${r.out.trim().split('\n').slice(-3).join(' ')}` };
    return { error: `npm install of Deno ${DENO_VERSION} and Bun ${BUN_VERSION} failed:\n${r.out.trim().split('\n').slice(-20).join('\n')}` };
  }
  rmSync(c.dir, { recursive: true, force: true });
  mkdirSync(join(c.dir, '..'), { recursive: true });
  renameSync(tmp, c.dir);
  return { deno: c.deno, bun: c.bun, cached: false };
}

/** The user's script, one per backend: plain ESM that every runtime runs unchanged. */
export function sameScript(backend) {
  return `// Train, evaluate, save, load, build a map: the same on Node, Deno and Bun (backend ${backend}).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-${backend}';
import { SOM, buildMap } from '@somkit/core';

await tf.setBackend('${backend}');
await tf.ready();
let s = 5;
const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
const centres = [[0, 0, 0, 0], [2, 2, 0, 0], [0, 2, 2, 2]];
const data = Array.from({ length: 120 }, (_, i) => centres[i % 3].map((c) => c + next()));

const som = new SOM({ rows: 5, cols: 6, dims: 4, epochs: 6, seed: 3 });
await som.fit(data);
const { qe, te } = await som.evaluate(data);
const file = JSON.stringify(som.toJSON());
const reloaded = await SOM.fromJSON(file);
const reloadedQe = (await reloaded.evaluate(data)).qe;
const umatrix = await buildMap(reloaded, 'distance');
const hits = await buildMap(reloaded, 'hit', { data });
// FNV-1a over the codebook's float32 bits: equal hashes mean bit-equal weights.
const bits = new Uint32Array(Float32Array.from(reloaded.getWeights()).buffer);
let h = 0x811c9dc5;
for (const w of bits) h = Math.imul(h ^ w, 0x01000193) >>> 0;
const umatrixSum = Array.from(umatrix.values).reduce((a, b) => a + b, 0);
const hitCounts = Array.from(hits.values);
som.dispose();
reloaded.dispose();
// A file the CLI wrote (cosine, bubble, linear schedules): core registers those plugins itself.
const cli = await SOM.fromJSON(readFileSync('cli-model.json', 'utf8'));
const cliQe = (await cli.evaluate(data.map((r) => r.slice(0, 3)))).qe;
cli.dispose();
console.log(JSON.stringify({ backend: tf.getBackend(), qe, te, reloadedQe, weightsHash: h.toString(16), umatrixSum, hitCounts, cliQe, fileBytes: file.length, tensorsLeft: tf.memory().numTensors }));
`;
}

/** How each runtime runs a script in the project directory. */
export function commands(rt) {
  return {
    node: [process.execPath, []],
    // Deno reads the project's package.json and node_modules (npm install ran there); the wasm
    // backend reads its .wasm file, tfjs reads environment flags.
    deno: [rt.deno, ['run', '--allow-read', '--allow-env', '--no-prompt']],
    bun: [rt.bun, ['run']],
  };
}

export async function runtimes({ keep = false } = {}) {
  const started = Date.now();
  const result = { ok: false, steps: [], results: {} };
  const step = (name, r) => {
    result.steps.push({ name, ok: r.code === 0, output: r.code === 0 ? '' : r.out.trim().split('\n').slice(-30).join('\n') });
    return r.code === 0;
  };
  const rt = await ensureRuntimes();
  if (rt.skip) return { ...result, skip: rt.skip };
  if (rt.error) {
    step('install Deno and Bun', { code: 1, out: rt.error });
    return result;
  }
  result.runtimesCached = rt.cached;
  const base = mkdtempSync(join(tmpdir(), 'somkit-runtimes-'));
  result.base = base;
  try {
    const p = await makeProject(base);
    result.steps.push(...p.steps);
    result.installSeconds = p.installSeconds;
    if (!p.ok) return result;
    if (!step('somkit train (the CLI writes cli-model.json)', await writeCliModel(base, join(p.app, 'cli-model.json')))) return result;
    const versions = {};
    for (const [name, [cmd]] of Object.entries(commands(rt))) {
      const v = await run(cmd, ['--version'], p.app);
      versions[name] = v.stdout.trim().split('\n')[0];
    }
    result.versions = versions;
    for (const backend of BACKENDS) {
      writeFileSync(join(p.app, `same-${backend}.mjs`), sameScript(backend));
      for (const [name, [cmd, args]] of Object.entries(commands(rt))) {
        const t = Date.now();
        const r = await run(cmd, [...args, `same-${backend}.mjs`], p.app);
        if (!step(`${name} same-${backend}.mjs`, r)) return result;
        result.results[`${name}/${backend}`] = { ...lastJson(r.stdout), seconds: (Date.now() - t) / 1000 };
      }
    }
    result.ok = true;
    return result;
  } finally {
    result.seconds = (Date.now() - started) / 1000;
    if (!keep) rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runtimes({ keep: process.argv.includes('--keep') });
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.ok || r.skip ? 0 : 1);
}
