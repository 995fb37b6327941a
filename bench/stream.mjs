#!/usr/bin/env node
// Streaming batch-map benchmark: trains on a .npy read in chunks (data larger than memory) and
// prints one JSON line with the same fields as `somkit bench`, plus peak RSS.
// Usage: node bench/stream.mjs FILE.npy [--grid 40] [--epochs 2] [--chunk 65536] [--backend wasm] [--search auto|brute-force|onnxruntime]
// (the ONNX Runtime engine is registered when built, so `auto` picks it on cpu/wasm)
import { parseArgs } from 'node:util';
import { SOM } from '../packages/core/dist/index.js';
import { npyChunks } from '../packages/datasets/dist/node.js';
import { useBackend } from '../packages/runtime/dist/node.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { grid: { type: 'string', default: '40' }, epochs: { type: 'string', default: '2' }, chunk: { type: 'string', default: '65536' }, backend: { type: 'string', default: 'auto' }, search: { type: 'string', default: 'auto' }, engine: { type: 'string', default: 'auto' } },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: node bench/stream.mjs FILE.npy [--grid G] [--epochs E] [--chunk ROWS] [--backend NAME]\n');
  process.exit(2);
}
const grid = Number(values.grid);
const epochs = Number(values.epochs);
const rows = Number(values.chunk);
const choice = await useBackend(values.backend);
try {
  await import('../packages/engine-onnxruntime/dist/register.js');
} catch {
  // Not built or onnxruntime-node missing: auto uses the tfjs search.
}
let n = 0;
let d = 0;
for await (const c of npyChunks(file, { rows })) {
  n += c.shape[0];
  d = c.shape[1];
}
const som = new SOM({ rows: grid, cols: grid, dims: d, rule: 'batch-map', epochs, sigma: grid / 2, init: 'random', seed: 42, search: values.search, engine: values.engine });
const t0 = performance.now();
const history = await som.fitStream(() => npyChunks(file, { rows }));
const seconds = (performance.now() - t0) / 1000;
const units = grid * grid;
process.stdout.write(`${JSON.stringify({
  library: 'somkit', rule: 'batch-map', mode: 'stream', backend: choice.backend, search: som.searchName, engine: som.engineChoice?.name, n, d, units, epochs, chunk_rows: rows,
  train_seconds: +seconds.toFixed(3), samples_per_second: +((n * epochs) / seconds).toFixed(1),
  gflops: +((4 * n * units * d * epochs) / seconds / 1e9).toFixed(3), gflops_formula: '4*n*units*d*epochs/train_seconds',
  qe_last_pass: +history.qe[history.qe.length - 1].toFixed(6), te_last_pass: +history.te[history.te.length - 1].toFixed(6),
  peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1), data: file,
})}\n`);
som.dispose();
