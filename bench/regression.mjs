#!/usr/bin/env node
// Regression quality of `somkit predict` on held-out data, against scikit-learn.
//
//   node bench/regression.mjs [--seeds 0,1,2,3,4] [--rows 6] [--cols 6] [--epochs 30] [--methods unit,jitl,…]
//                             [--min-buffer N] [--ridge R]   (passed to predict; default: predict's)
//
// Data: scikit-learn's diabetes set (442 × 10), exported per seed by bench/regression_sklearn.py
// (Debian python3-sklearn, /usr/bin/python3) to a temporary folder outside the repository as
// train.csv / test.csv (80/20, train_test_split(random_state=seed)), which also prints the RMSE
// of k-NN(5) on z-scored features and of linear regression. somkit side, per seed: `somkit train
// --target progression` (zscore pipeline, hexagonal batch-map, PCA init) on train.csv, then
// `somkit predict --method M --json` on test.csv for every method, which reports the RMSE
// against test.csv's progression column. One JSON line per seed × method; a table at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { main, memoryIo } = await import(join(root, 'packages', 'cli', 'dist', 'index.js'));
const { values: a } = parseArgs({ options: { seeds: { type: 'string', default: '0,1,2,3,4' }, rows: { type: 'string', default: '6' }, cols: { type: 'string', default: '6' }, epochs: { type: 'string', default: '30' }, methods: { type: 'string', default: 'unit,jitl-mean,jitl,blend' }, 'min-buffer': { type: 'string' }, ridge: { type: 'string' } } });
const jitlFlags = [...(a['min-buffer'] ? ['--min-buffer', a['min-buffer']] : []), ...(a.ridge ? ['--ridge', a.ridge] : [])];

async function somkit(args, cwd) {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  if (code !== 0) throw new Error(`somkit ${args.join(' ')}: exit ${code}: ${io.stderr.join('')}`);
  const lines = io.stdout.join('').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const rows = [];
for (const seed of a.seeds.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'somkit-regression-'));
  try {
    const py = spawnSync('/usr/bin/python3', [join(root, 'bench', 'regression_sklearn.py'), dir, String(seed)], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`regression_sklearn.py: ${py.stderr}`);
    for (const line of py.stdout.trim().split('\n')) rows.push(JSON.parse(line));
    await somkit(['train', '--data', 'train.csv', '--target', 'progression', '--rows', a.rows, '--cols', a.cols, '--topology', 'hexagonal', '--rule', 'batch-map', '--init', 'pca', '--epochs', a.epochs, '--sigma', '2', '--sigma-decay', 'asymptotic_decay', '--seed', String(seed), '--backend', 'cpu', '--out', 'model.json', '--json'], dir);
    for (const method of a.methods.split(',')) {
      const r = await somkit(['predict', '--model', 'model.json', '--data', 'test.csv', '--method', method, ...jitlFlags, '--out', `pred-${method}.csv`, '--backend', 'cpu', '--json'], dir);
      rows.push({ seed, method: `somkit predict --method ${method}`, rmse: r.rmse, ...(r.jitl_fallbacks !== undefined ? { jitl_fallbacks: r.jitl_fallbacks } : {}) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
for (const r of rows) console.log(JSON.stringify(r));
const methods = [...new Set(rows.map((r) => r.method))];
const seeds = [...new Set(rows.map((r) => r.seed))];
console.log(`\n| method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean |\n|---|${seeds.map(() => '---:').join('|')}|---:|`);
for (const m of methods) {
  const v = seeds.map((s) => rows.find((r) => r.method === m && r.seed === s)?.rmse ?? NaN);
  console.log(`| ${m} | ${v.map((x) => x.toFixed(2)).join(' | ')} | ${(v.reduce((p, q) => p + q, 0) / v.length).toFixed(2)} |`);
}
