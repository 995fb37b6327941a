#!/usr/bin/env node
// Large maps, head to head: somkit (both rules, an engine), the lean numpy reference of the
// minibatch rule and TorchSOM, on the same .npy data and map sizes, round by round so every ratio
// is measured in the same minutes of this (shared) machine. Prints one JSON line per run, then a
// markdown table with the log–log slope of samples/s against the number of units.
// Usage: node bench/largemaps.mjs [--data /tmp/somdata/blobs_n20000_d32_c10_s42] [--grids 50,100,200]
//          [--epochs 1] [--batch 256] [--rounds 2] [--engine onnxruntime] [--vendor /tmp/somvendor]
//          [--peers ref_numpy,torchsom] [--numpy-max-grid 160] [--out bench/results/largemaps.jsonl]
// Needs: `pnpm build`; ../shared/bench (the peers' scripts) and its datasets.py --npy data; Debian's
// python3 with numpy (and python3-torch plus a TorchSOM snapshot under --vendor for the TorchSOM
// rows — skipped, with the reason, when missing). The peers' source is never part of this repository.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { slope } from './slope.mjs';

const root = new URL('..', import.meta.url).pathname;
const shared = join(root, '..', 'shared', 'bench');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/tmp/somdata/blobs_n20000_d32_c10_s42' },
    grids: { type: 'string', default: '50,100,200' },
    epochs: { type: 'string', default: '1' },
    batch: { type: 'string', default: '256' },
    rounds: { type: 'string', default: '2' },
    engine: { type: 'string', default: 'onnxruntime' },
    vendor: { type: 'string', default: process.env.SOMKIT_BENCH_VENDOR ?? '/tmp/somvendor' },
    python: { type: 'string', default: '/usr/bin/python3' },
    peers: { type: 'string', default: 'ref_numpy,torchsom' },
    'numpy-max-grid': { type: 'string', default: '160' },
    out: { type: 'string', default: join(root, 'bench', 'results', 'largemaps.jsonl') },
  },
});
if (!existsSync(shared)) {
  process.stderr.write(`largemaps: ${shared} not found (the CI layout puts ../shared beside the repository)\n`);
  process.exit(2);
}
if (!existsSync(`${values.data}.npy`)) {
  process.stderr.write(`largemaps: ${values.data}.npy not found: run ${join(shared, 'datasets.py')} --n 20000 --d 32 --npy --out ${dirname(values.data)}\n`);
  process.exit(2);
}
// OPENBLAS_CORETYPE is left as the environment has it: forcing a core type this CPU lacks kills numpy (SIGILL).
const env = { ...process.env, SOMKIT_BENCH_VENDOR: values.vendor };
const grids = values.grids.split(',').map(Number);
const wanted = new Set(values.peers.split(',').filter(Boolean));

/** Runs a command and returns its last JSON line, or the reason it gave none. */
function lastJson(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || line === undefined) return { error: ((r.stderr ?? '') || `exit ${r.status ?? r.signal}`).trim().split('\n').pop() };
  return JSON.parse(line);
}

const common = (g) => ['--data', values.data, '--grid', String(g), '--epochs', values.epochs, '--batch', values.batch];
const somkit = (g, rule) => lastJson('node', [join(root, 'packages/cli/dist/bin.js'), 'bench', '--data', `${values.data}.npy`, '--grid', String(g), '--epochs', values.epochs, '--batch', values.batch, '--rule', rule, '--engine', values.engine]);
const runners = [
  { name: 'somkit minibatch', run: (g) => somkit(g, 'minibatch') },
  { name: 'somkit batch-map', run: (g) => somkit(g, 'batch-map') },
  {
    name: 'ref_numpy',
    peer: true,
    // Its grid-distance table is built as a [u, u, 2] float32 temporary: 12.8 GB at 200 × 200.
    run: (g) => (g > Number(values['numpy-max-grid']) ? { error: `skipped: its [u, u, 2] float32 grid-distance temporary would need ${((g ** 4 * 2 * 4) / 1e9).toFixed(1)} GB (--numpy-max-grid ${values['numpy-max-grid']})` } : lastJson(values.python, [join(shared, 'bench_ref_numpy.py'), ...common(g)])),
  },
  { name: 'torchsom', peer: true, skip: existsSync(join(values.vendor, 'TorchSOM')) ? undefined : `no TorchSOM snapshot in ${values.vendor}`, run: (g) => lastJson(values.python, [join(shared, 'bench_torchsom.py'), ...common(g)]) },
].filter((r) => !r.peer || wanted.has(r.name));

mkdirSync(dirname(values.out), { recursive: true });
const results = new Map(); // `${name}|${grid}` → best samples/s over rounds (the least disturbed run)
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const g of grids) {
    for (const r of runners) {
      const o = r.skip ? { error: r.skip } : r.run(g);
      const line = { round, grid: g, units: g * g, runner: r.name, ...(o.error ? { error: o.error } : { samples_per_second: o.samples_per_second, qe: o.qe ?? o.quantization_error, te: o.te ?? o.topographic_error, engine: o.engine, foreign_cpu_share: o.foreign_cpu_share }) };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      appendFileSync(values.out, `${JSON.stringify({ ...line, at: new Date().toISOString() })}\n`);
      if (!o.error) {
        const key = `${r.name}|${g}`;
        results.set(key, Math.max(results.get(key) ?? 0, o.samples_per_second));
      }
    }
  }
}

const fmt = (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
let md = `| map (units) | ${runners.map((r) => r.name).join(' | ')} | somkit minibatch ÷ ref_numpy | somkit batch-map ÷ ref_numpy |\n|---|${runners.map(() => '---|').join('')}---|---|\n`;
for (const g of grids) {
  const v = runners.map((r) => results.get(`${r.name}|${g}`));
  const ref = results.get(`ref_numpy|${g}`);
  const ratio = (x) => (x !== undefined && ref !== undefined ? `${(x / ref).toFixed(2)}×` : '–');
  md += `| ${g} × ${g} (${g * g}) | ${v.map(fmt).join(' | ')} | ${ratio(results.get(`somkit minibatch|${g}`))} | ${ratio(results.get(`somkit batch-map|${g}`))} |\n`;
}
md += `| log–log slope of samples/s in units | ${runners.map((r) => {
  const pts = grids.map((g) => [g * g, results.get(`${r.name}|${g}`)]).filter(([, y]) => y !== undefined);
  return pts.length > 1 ? slope(pts).toFixed(2) : '–';
}).join(' | ')} | | |\n`;
process.stdout.write(`\n${md}`);
