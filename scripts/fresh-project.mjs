#!/usr/bin/env node
// Fresh-project test (issue 18): what a user outside this repository gets from `pnpm pack:all`.
// Packs every published package (scripts/pack-all.mjs), installs @somkit/core with exactly the
// tarballs out/packages/index.json lists for it (plus tfjs from the npm registry, npm cache first)
// into a new npm project in the OS temp dir, has the repository's CLI write a model file with
// non-default plugins (distance cosine, bubble, linear schedules), and runs a plain Node ESM
// script there that imports only @somkit/core and tfjs: it loads the CLI's file (no
// '@somkit/kernels/register' import), evaluates it, and loads a copy naming a third-party
// distance, whose error must say which package to import. Run `pnpm build` first.
//
//   node scripts/fresh-project.mjs [--keep]   → prints the result JSON; exit 1 on failure
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './packages.mjs';
import { packAll } from './pack-all.mjs';

/** tfjs from the npm registry, the version the repository tests with. */
export const TFJS = { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-cpu': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' };

export function run(cmd, args, cwd, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    child.stdout.on('data', (d) => ((out += d), (stdout += d)));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: 1, out: `${out}\n${e.message}`, stdout }));
    child.on('close', (code) => resolve({ code: code ?? 1, out, stdout }));
  });
}

/** The last stdout line as JSON (the scripts print one result object last). */
export function lastJson(stdout) {
  return JSON.parse(stdout.trim().split('\n').pop());
}

/**
 * A new npm project under `base`/app with @somkit/core installed from pack:all's tarballs (the
 * `install` list of index.json, nothing else of somkit) and tfjs from the registry.
 * @returns `{ app, index, steps, ok, installSeconds }`; a failed step has its output's tail
 */
export async function makeProject(base, { extraDependencies = {} } = {}) {
  const steps = [];
  const step = (name, r) => {
    steps.push({ name, ok: r.code === 0, output: r.code === 0 ? '' : r.out.trim().split('\n').slice(-30).join('\n') });
    return r.code === 0;
  };
  const result = { app: join(base, 'app'), steps, ok: false };
  let index;
  try {
    index = packAll({ dest: join(base, 'packages'), build: false });
  } catch (e) {
    step('pack:all', { code: 1, out: e.message });
    return result;
  }
  step('pack:all', { code: 0 });
  result.index = index;
  const core = index.packages.find((p) => p.name === '@somkit/core');
  const deps = { ...TFJS, ...extraDependencies };
  // What the docs say to run: npm i <the tarballs index.json lists for @somkit/core> + tfjs.
  const tarballs = core.install.map((t) => join(index.dest, t));
  mkdirSync(result.app, { recursive: true });
  writeFileSync(join(result.app, 'package.json'), JSON.stringify({ name: 'somkit-fresh-project', private: true, type: 'module' }, null, 2));
  const t = Date.now();
  const specs = [...tarballs, ...Object.entries(deps).map(([n, v]) => `${n}@${v}`)];
  if (!step(`npm i ${specs.join(' ')}`, await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], result.app))) return result;
  result.installSeconds = (Date.now() - t) / 1000;
  result.somkitPackages = readdirSync(join(result.app, 'node_modules', '@somkit')).sort();
  result.ok = true;
  return result;
}

/** Two blobs in 3-D as a CSV with a header row, seeded. */
function csv() {
  let s = 11;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const rows = Array.from({ length: 60 }, (_, i) => [i % 2 ? 2 : -1, i % 2 ? 1 : 0, i % 2 ? -2 : 1].map((c) => (c + next()).toFixed(4)).join(','));
  return `a,b,c\n${rows.join('\n')}\n`;
}

/** The CLI flags of the model file the fresh project loads: every plugin slot non-default. */
export const CLI_TRAIN_FLAGS = ['--rows', '4', '--cols', '5', '--epochs', '3', '--rule', 'minibatch', '--distance', 'cosine', '--neighborhood', 'bubble', '--lr-decay', 'lr_linear_decay_to_zero', '--sigma-decay', 'sig_linear_decay_to_one', '--seed', '7', '--backend', 'cpu', '--engine', 'tfjs', '--search', 'brute-force', '--json'];

/**
 * Has the repository's CLI (packages/cli/dist) train on a small CSV and write `out` with
 * {@link CLI_TRAIN_FLAGS}. @returns run()'s result
 */
export async function writeCliModel(base, out) {
  writeFileSync(join(base, 'blobs.csv'), csv());
  const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
  return run(process.execPath, [bin, 'train', '--data', join(base, 'blobs.csv'), '--out', out, ...CLI_TRAIN_FLAGS], base);
}

const LOAD_SCRIPT = `// A user's script: it imports only @somkit/core (and tfjs) and loads a model file the CLI wrote.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';

await tf.setBackend('cpu');
const text = readFileSync('model.json', 'utf8');
const som = await SOM.fromJSON(text);
const data = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 5) / 5 - 0.5]);
const { qe, te } = await som.evaluate(data);
const config = som.config;
som.dispose();

// A third-party distance: the error names the package to import.
const file = JSON.parse(text);
file.config.distance = { name: 'somkit-distance-hamming/hamming' };
let thirdParty;
try {
  (await SOM.fromJSON(file)).dispose();
  thirdParty = { loaded: true };
} catch (e) {
  thirdParty = { code: e.code, message: e.message, package: e.details?.package };
}
console.log(JSON.stringify({ qe, te, distance: config.distance, neighborhood: config.neighborhood, lrDecay: config.lrDecay, sigmaDecay: config.sigmaDecay, thirdParty, tensorsLeft: tf.memory().numTensors }));
`;

export async function freshProject({ keep = false } = {}) {
  const started = Date.now();
  const base = mkdtempSync(join(tmpdir(), 'somkit-fresh-'));
  const result = { ok: false, base, steps: [] };
  try {
    const p = await makeProject(base);
    Object.assign(result, { steps: p.steps, installSeconds: p.installSeconds, somkitPackages: p.somkitPackages, index: p.index && { dest: p.index.dest, packages: p.index.packages.map((x) => x.name) } });
    if (!p.ok) return result;
    const step = (name, r) => {
      result.steps.push({ name, ok: r.code === 0, output: r.code === 0 ? '' : r.out.trim().split('\n').slice(-30).join('\n') });
      return r.code === 0;
    };
    const model = join(p.app, 'model.json');
    const cli = await writeCliModel(base, model);
    if (!step(`somkit train ${CLI_TRAIN_FLAGS.join(' ')}`, cli)) return result;
    result.cliConfig = JSON.parse(readFileSync(model, 'utf8')).config;
    writeFileSync(join(p.app, 'load.mjs'), LOAD_SCRIPT);
    const r = await run(process.execPath, ['load.mjs'], p.app);
    if (!step('node load.mjs (imports only @somkit/core)', r)) return result;
    result.output = lastJson(r.stdout);
    result.ok = true;
    return result;
  } finally {
    result.seconds = (Date.now() - started) / 1000;
    if (!keep && existsSync(base)) rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await freshProject({ keep: process.argv.includes('--keep') });
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.ok ? 0 : 1);
}
