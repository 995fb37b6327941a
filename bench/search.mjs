#!/usr/bin/env node
// BMU search alone against the machine's sgemm limit, measured in the same minutes (this machine is
// shared, and its speed drifts by ~2× over a day). Round after round:
//   - the exact BMU search, end to end as SOM.evaluate calls it: an engine's `bmu` kernel over the
//     samples in CPU memory, or the brute-force strategy's `search(x, w, k)` from tfjs tensors,
//     k = 2 (QE + TE), median of --repeat calls → GFLOP/s = 2·n·u·d / seconds;
//   - the sgemm limit: numpy's float32 2048³ matmul on all cores (Debian's python3-numpy with
//     OpenBLAS; OPENBLAS_CORETYPE as the environment sets it — forcing SkylakeX on a CPU without AVX-512 kills numpy), best of 3.
// Prints one JSON line per round and a markdown summary on stderr, with the search's share of the
// same round's sgemm and of the 320 GFLOP/s anchor-day figure.
//
//   node bench/search.mjs [--data FILE.npy | --n 10000 --d 784] [--units 400] [--rounds 3]
//     [--repeat 5] [--engines onnxruntime,brute-force] [--backend wasm] [--python /usr/bin/python3]
// Needs `pnpm build`. Engines that cannot load are skipped with the reason.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { readDataFile } from '../packages/datasets/dist/node.js';
import { useBackend } from '../packages/runtime/dist/node.js';
import { bruteForce } from '../packages/search/dist/index.js';
import { euclidean } from '../packages/kernels/dist/index.js';

const ANCHOR_SGEMM = 320;
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    n: { type: 'string', default: '10000' },
    d: { type: 'string', default: '784' },
    units: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '3' },
    repeat: { type: 'string', default: '5' },
    engines: { type: 'string', default: 'onnxruntime,brute-force' },
    backend: { type: 'string', default: 'wasm' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});

const choice = await useBackend(values.backend);
let data;
let n;
let d;
if (values.data !== undefined) {
  ({ data, n, d } = await readDataFile(values.data));
} else {
  n = Number(values.n);
  d = Number(values.d);
  let s = 42;
  data = Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}
const u = Number(values.units);
// The codebook: u sample rows (what a random init from data gives), so distances are realistic.
const w = new Float32Array(u * d);
for (let j = 0; j < u; j++) w.set(data.subarray(((j * 7919) % n) * d, (((j * 7919) % n) + 1) * d), j * d);

const engines = [];
for (const name of values.engines.split(',')) {
  if (name === 'brute-force') engines.push({ name, backend: bruteForce() });
  else if (name === 'onnxruntime') {
    try {
      const { onnxEngine } = await import('../packages/engine-onnxruntime/dist/index.js');
      const e = onnxEngine();
      const ready = await e.ready();
      if (ready !== true) throw new Error(ready);
      engines.push({ name, session: await e.open({ backend: tf.getBackend(), distance: euclidean(), units: u, dims: d }) });
    } catch (e) {
      process.stderr.write(`onnxruntime engine skipped: ${String(e?.message ?? e).split('\n')[0]}\n`);
    }
  } else process.stderr.write(`unknown engine '${name}' skipped\n`);
}

const ctx = { backend: tf.getBackend(), distance: euclidean(), units: u, dims: d };
const flops = 2 * n * u * d;

/** Median seconds of `repeat` end-to-end searches (one untimed warm-up). */
async function timeSearch(backend) {
  const x = tf.tensor2d(data, [n, d]);
  const wt = tf.tensor2d(w, [u, d]);
  const once = async () => {
    if (backend.session !== undefined) {
      await backend.session.kernels.bmu({ x: data, weights: w, samples: n, units: u, dims: d, k: 2 });
      return;
    }
    const r = backend.backend.search(x, wt, 2, ctx);
    await r.indices.data();
    tf.dispose([r.indices, r.distances]);
  };
  try {
    await once();
    const times = [];
    for (let i = 0; i < Number(values.repeat); i++) {
      const t0 = performance.now();
      await once();
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  } finally {
    tf.dispose([x, wt]);
  }
}

/** numpy's float32 2048³ matmul, best of 3, in GFLOP/s — or the reason it could not run. */
function sgemm() {
  const code = 'import numpy as np,time\na=np.random.rand(2048,2048).astype(np.float32)\na@a\nb=0\nfor _ in range(3):\n t=time.perf_counter();a@a;b=max(b,2*2048**3/(time.perf_counter()-t)/1e9)\nprint(b)';
  const r = spawnSync(values.python, ['-c', code], { encoding: 'utf8', env: process.env });
  const v = Number((r.stdout ?? '').trim());
  return r.status === 0 && Number.isFinite(v) ? { gflops: v } : { error: ((r.stderr ?? '') || `exit ${r.status}`).trim().split('\n').pop() };
}

const rows = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const limit = sgemm();
  const row = { round, backend: choice, n, d, units: u, k: 2, sgemm_gflops: limit.gflops ?? null, sgemm_error: limit.error };
  for (const e of engines) {
    const s = await timeSearch(e);
    const g = flops / s / 1e9;
    row[e.name] = { seconds: Number(s.toFixed(4)), gflops: Number(g.toFixed(1)), of_sgemm: limit.gflops ? Number((g / limit.gflops).toFixed(3)) : null, of_anchor_sgemm: Number((g / ANCHOR_SGEMM).toFixed(3)) };
  }
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(0)} %`);
process.stderr.write(`\n| round | numpy sgemm 2048³ GFLOP/s | ${engines.map((e) => `${e.name} search GFLOP/s | % of that sgemm | % of ${ANCHOR_SGEMM}`).join(' | ')} |\n|---|---|${engines.map(() => '---|---|---|').join('')}\n`);
for (const r of rows) {
  process.stderr.write(`| ${r.round} | ${r.sgemm_gflops?.toFixed(0) ?? '–'} | ${engines.map((e) => `${r[e.name].gflops} | ${pct(r[e.name].of_sgemm)} | ${pct(r[e.name].of_anchor_sgemm)}`).join(' | ')} |\n`);
}
if (rows.some((r) => r.sgemm_error)) process.stderr.write(`sgemm: ${rows.find((r) => r.sgemm_error).sgemm_error}\n`);
