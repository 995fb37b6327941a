// Kernel-level timings of the onnxruntime engine (built dist/), one JSON line per run.
//
//   node bench/kernels.mjs minibatch --grid 100 --n 20000 --d 32 --batch 256 --steps 4
//   node bench/kernels.mjs product --grid 100 --c 33
//   node bench/kernels.mjs sums --grid 20 --n 10000 --d 784
//
// minibatch: one epoch of the minibatchSteps kernel over n random rows (a new table for the
// epoch, `steps` batches per call, the shorter last batch as its own call with its own table),
// samples/s = rows / seconds — the rule of ../../../shared/bench/bench_ref_numpy.py (σ = grid / 2,
// α = 0.5). product: the neighborhoodProduct kernel, G·m [u, c] (GFLOP/s-eq = 2·u²·c / s).
// sums: the neuronSums kernel of the batch-map pass.
import { parseArgs } from 'node:util';
import { onnxEngine } from '../dist/index.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    grid: { type: 'string', default: '100' },
    n: { type: 'string', default: '20000' },
    d: { type: 'string', default: '32' },
    c: { type: 'string', default: '33' },
    batch: { type: 'string', default: '256' },
    steps: { type: 'string', default: '4' },
    threads: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    topology: { type: 'string', default: 'rectangular' },
  },
});
const mode = positionals[0] ?? 'minibatch';
const G = Number(values.grid);
const u = G * G;
const [n, d, c, b, stepsPer, rounds] = [values.n, values.d, values.c, values.batch, values.steps, values.rounds].map(Number);
const hex = values.topology === 'hexagonal';

function rand(len, seed) {
  let s = seed;
  return Float32Array.from({ length: len }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2);
}

/** Core's table of a gaussian at σ on a G × G grid (the formula of core's gridOffsets). */
function table(sigma, scale) {
  const W = 2 * G - 1;
  const plane = (2 * G - 1) * W;
  const sy = hex ? Math.sqrt(3) / 2 : 1;
  const values = new Float32Array((hex ? 2 : 1) * plane);
  for (let p = 0; p < (hex ? 2 : 1); p++)
    for (let dr = -(G - 1); dr <= G - 1; dr++) {
      const shift = hex ? 0.5 * (((p + dr) & 1) - p) : 0;
      for (let dc = -(G - 1); dc <= G - 1; dc++) {
        const [dx, dy] = [dc + shift, dr * sy];
        values[p * plane + (dr + G - 1) * W + (dc + G - 1)] = scale * Math.exp(-Math.fround(dx * dx + dy * dy) / (2 * sigma * sigma));
      }
    }
  const base = new Int32Array(u);
  const offset = new Int32Array(u);
  for (let r = 0; r < G; r++)
    for (let q = 0; q < G; q++) {
      base[r * G + q] = (hex ? (r & 1) * plane : 0) + (G - 1 - r) * W + (G - 1 - q);
      offset[r * G + q] = r * W + q;
    }
  return { values, base, offset };
}

const options = values.threads === undefined ? undefined : { intraOpNumThreads: Number(values.threads) };
const engine = onnxEngine(options);
const ctx = { backend: 'cpu', distance: { name: 'euclidean' }, units: u, dims: d };
const session = await engine.open(ctx);
const k = session.kernels;
const emit = (o) => console.log(JSON.stringify({ engine: 'onnxruntime', mode, grid: G, units: u, ...o }));

if (mode === 'minibatch') {
  const x = rand(n * d, 1);
  const w0 = rand(u * d, 2);
  // Warm-up: creates the ORT session (once per process), with a table of its own.
  await k.minibatchSteps({ x, rows: Int32Array.from({ length: b }, (_, i) => i % n), weights: w0, kernel: table(G / 2, 0.5 / b), batch: b, steps: 1, samples: n, units: u, dims: d, k: 2 });
  for (let r = 0; r < rounds; r++) {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    let s = 17 + r;
    for (let i = n - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let w = w0;
    const t0 = performance.now();
    // A new table per epoch, as core builds one (its windows are made on first use).
    const full = table(G / 2, 0.5 / b);
    let tail;
    for (let start = 0; start < n; ) {
      const size = Math.min(b, n - start);
      const kernel = size === b ? full : (tail ??= table(G / 2, 0.5 / size));
      const steps = size < b ? 1 : Math.min(Math.floor((n - start) / b), stepsPer);
      const out = await k.minibatchSteps({ x, rows: order.subarray(start, start + steps * size), weights: w, kernel, batch: size, steps, samples: n, units: u, dims: d, k: 2 });
      w = out.weights;
      start += steps * size;
    }
    const sec = (performance.now() - t0) / 1000;
    emit({ n, d, batch: b, stepsPerCall: stepsPer, seconds: +sec.toFixed(4), samples_per_second: Math.round(n / sec) });
  }
} else if (mode === 'product') {
  const m = rand(u * c, 3);
  const kernel = table(G / 4, 1);
  // Warm-up: the session and the table's windows (kept for the table object, as core's one table per epoch).
  await k.neighborhoodProduct({ kernel, m, units: u, columns: c });
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await k.neighborhoodProduct({ kernel, m, units: u, columns: c });
    const sec = (performance.now() - t0) / 1000;
    emit({ columns: c, seconds: +sec.toFixed(4), gflops_eq: +((2 * u * u * c) / sec / 1e9).toFixed(2) });
  }
} else if (mode === 'sums') {
  const x = rand(n * d, 4);
  const w = rand(u * d, 5);
  await k.neuronSums({ x: x.subarray(0, d), weights: w, samples: 1, units: u, dims: d, k: 2 });
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await k.neuronSums({ x, weights: w, samples: n, units: u, dims: d, k: 2 });
    const sec = (performance.now() - t0) / 1000;
    emit({ n, d, seconds: +sec.toFixed(4), samples_per_second: Math.round(n / sec), gflops_eq: +((2 * n * u * d) / sec / 1e9).toFixed(2) });
  }
}
await session.close();
