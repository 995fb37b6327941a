#!/usr/bin/env node
// Consumer smoke test: what a user gets from npm. Packs @somkit/plugin-api, geometry, kernels,
// search and core (and the example plugin somkit-distance-hamming) into a temp dir outside the workspace,
// installs them with plain npm into a fresh project next to @tensorflow/tfjs-core and
// @tensorflow/tfjs-backend-cpu (from the npm registry, cache first), and runs a plain Node ESM
// script that trains a SOM and prints its QE. Run `pnpm build` first.
//
//   node scripts/consumer-smoke.mjs [--keep]   → prints the result JSON; exit 1 on failure
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackage, root, tarballName } from './packages.mjs';

/** What the consumer installs from tarballs: core and its internal dependencies, plus one third-party plugin. */
export const PACKED = ['packages/plugin-api', 'packages/geometry', 'packages/kernels', 'packages/search', 'packages/core', 'examples/distance-hamming'];

function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: 1, out: `${out}\n${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const SCRIPT = `// A user's script: plain Node ESM, packages from npm (here: the packed tarballs).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';
import { registry } from '@somkit/plugin-api';
import { hamming } from 'somkit-distance-hamming';

await tf.setBackend('cpu');
// Three blobs in 4-D, seeded.
let s = 7;
const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
const centres = [[0, 0, 0, 0], [3, 3, 0, 0], [0, 3, 3, 3]];
const data = Array.from({ length: 150 }, (_, i) => centres[i % 3].map((c) => c + next()));

const som = new SOM({ rows: 6, cols: 6, dims: 4, epochs: 10, init: 'pca', rule: 'batch-map', sigma: 2 });
await som.fit(data);
const { qe, te } = await som.evaluate(data);
const reloaded = await SOM.fromJSON(JSON.stringify(som.toJSON()));
const reloadedQe = (await reloaded.evaluate(data)).qe;

// A third-party plugin, as an object and then by name after its ./register entry.
const bits = data.map((row) => row.map((v) => (v > 1 ? 1 : 0)));
const byObject = new SOM({ rows: 3, cols: 3, dims: 4, epochs: 2, distance: hamming() });
await byObject.fit(bits);
await import('somkit-distance-hamming/register');
const byName = new SOM({ rows: 3, cols: 3, dims: 4, epochs: 2, distance: 'somkit-distance-hamming/hamming' });
await byName.fit(bits);
const hammingQe = (await byName.evaluate(bits)).qe;

for (const m of [som, reloaded, byObject, byName]) m.dispose();
console.log(JSON.stringify({ backend: tf.getBackend(), qe, te, reloadedQe, hammingQe, distances: registry.list('distance'), tensorsLeft: tf.memory().numTensors }));
`;

export async function consumerSmoke({ keep = false } = {}) {
  const started = Date.now();
  const base = mkdtempSync(join(tmpdir(), 'somkit-consumer-'));
  const tarballs = join(base, 'tarballs');
  const app = join(base, 'app');
  const result = { ok: false, base, steps: [] };
  const step = (name, r) => {
    result.steps.push({ name, ok: r.code === 0, output: r.code === 0 ? '' : r.out.trim().split('\n').slice(-30).join('\n') });
    return r.code === 0;
  };
  try {
    const deps = {};
    for (const dir of PACKED) {
      const pkg = readPackage(dir);
      if (!step(`pnpm pack ${pkg.name}`, await run('pnpm', ['pack', '--pack-destination', tarballs], join(root, dir)))) return result;
      deps[pkg.name] = `file:${join(tarballs, tarballName(pkg))}`;
    }
    deps['@tensorflow/tfjs-core'] = '4.22.0';
    deps['@tensorflow/tfjs-backend-cpu'] = '4.22.0';
    await run('mkdir', ['-p', app], base);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'somkit-consumer-smoke', private: true, type: 'module', dependencies: deps }, null, 2));
    writeFileSync(join(app, 'smoke.mjs'), SCRIPT);
    const t = Date.now();
    if (!step('npm install', await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app))) return result;
    result.installSeconds = (Date.now() - t) / 1000;
    result.somkitPackages = readdirSync(join(app, 'node_modules', '@somkit')).sort();
    result.topLevelPackages = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.')).sort();
    result.absent = Object.fromEntries(['@somkit/viz', '@somkit/a3som', '@somkit/clustering', '@somkit/jitl', '@somkit/runtime', '@somkit/datasets'].map((n) => [n, !existsSync(join(app, 'node_modules', n))]));
    const r = await run(process.execPath, ['smoke.mjs'], app);
    if (!step('node smoke.mjs', r)) return result;
    result.output = JSON.parse(r.out.trim().split('\n').pop());
    result.ok = true;
    return result;
  } finally {
    result.seconds = (Date.now() - started) / 1000;
    if (!keep) rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await consumerSmoke({ keep: process.argv.includes('--keep') });
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.ok ? 0 : 1);
}
