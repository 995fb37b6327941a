#!/usr/bin/env node
// Interleaved head-to-head: TorchSOM, somkit and the lean numpy reference on the same .npy data,
// round after round, so the ratios are measured in the same minutes of this (shared) machine.
// Usage: node bench/peers.mjs [--data /tmp/somdata/blobs_n60000_d64_c10_s42] [--grid 32]
//          [--epochs 5] [--batch 256] [--rounds 3] [--engine onnxruntime] [--vendor /tmp/somvendor]
// Needs: `pnpm build`; ../shared/bench (the peers' scripts); Debian's python3 with numpy (and
// python3-torch plus a TorchSOM snapshot under --vendor for the TorchSOM rows — skipped, with the
// reason, when missing). The peers' source is never part of this repository.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const shared = join(root, '..', 'shared', 'bench');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/tmp/somdata/blobs_n60000_d64_c10_s42' },
    grid: { type: 'string', default: '32' },
    epochs: { type: 'string', default: '5' },
    batch: { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'onnxruntime' },
    vendor: { type: 'string', default: process.env.SOMKIT_BENCH_VENDOR ?? '/tmp/somvendor' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const common = ['--data', values.data, '--grid', values.grid, '--epochs', values.epochs, '--batch', values.batch];
// OPENBLAS_CORETYPE is left as the environment has it: forcing a core type this CPU lacks kills numpy (SIGILL).
const env = { ...process.env, SOMKIT_BENCH_VENDOR: values.vendor };

/** Runs a command and returns its last JSON line, or the reason it gave none. */
function lastJson(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || line === undefined) return { error: ((r.stderr ?? '') || `exit ${r.status ?? r.signal}`).trim().split('\n').pop() };
  return JSON.parse(line);
}

const peers = [
  { name: 'torchsom', run: () => lastJson(values.python, [join(shared, 'bench_torchsom.py'), ...common]), skip: existsSync(join(values.vendor, 'TorchSOM')) ? undefined : `no TorchSOM snapshot in ${values.vendor}` },
  { name: 'somkit', run: () => lastJson('node', [join(root, 'packages/cli/dist/bin.js'), 'bench', '--data', `${values.data}.npy`, '--grid', values.grid, '--epochs', values.epochs, '--batch', values.batch, '--engine', values.engine]) },
  { name: 'ref_numpy', run: () => lastJson(values.python, [join(shared, 'bench_ref_numpy.py'), ...common]) },
];
if (!existsSync(shared)) {
  process.stderr.write(`peers: ${shared} not found (the CI layout puts ../shared beside the repository)\n`);
  process.exit(2);
}
const rows = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const row = { round };
  for (const p of peers) {
    if (p.skip) {
      row[p.name] = { error: p.skip };
      continue;
    }
    const o = p.run();
    row[p.name] = o.error ? o : { samples_per_second: o.samples_per_second, qe: o.qe ?? o.quantization_error, engine: o.engine, foreign_cpu_share: o.foreign_cpu_share };
  }
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
const sps = (r, k) => r[k]?.samples_per_second;
const fmt = (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const ratio = (a, b) => (a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}×`);
process.stderr.write('\n| round | TorchSOM samples/s | somkit samples/s | numpy reference samples/s | somkit ÷ TorchSOM | somkit ÷ numpy |\n|---|---|---|---|---|---|\n');
for (const r of rows) {
  process.stderr.write(`| ${r.round} | ${fmt(sps(r, 'torchsom'))} | ${fmt(sps(r, 'somkit'))} | ${fmt(sps(r, 'ref_numpy'))} | ${ratio(sps(r, 'somkit'), sps(r, 'torchsom'))} | ${ratio(sps(r, 'somkit'), sps(r, 'ref_numpy'))} |\n`);
}
for (const p of peers) {
  const err = rows.find((r) => r[p.name]?.error)?.[p.name]?.error;
  if (err) process.stderr.write(`${p.name}: ${err}\n`);
}
