import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SOM, checkArraySize, type TrainingRule } from '@somkit/core';
import { Rng } from '@somkit/geometry';
import { parseNpy } from '@somkit/datasets';
import { benchHdbscan } from '@somkit/clustering';
import { SomError } from '@somkit/plugin-api';
import { choiceFlag, intFlag, numberFlag, parseFlags, type FlagSpec } from '../args.js';
import { computeOptions, INIT_MODES, round, selectBackend } from '../common.js';
import type { Io } from '../Io.js';
import { watchCpu } from '../cpuWatch.js';

export const benchHelp = `Usage: somkit bench --suite hdbscan [--units 2500] [--d 10] [--repeat K]   (HDBSCAN on random points)
       somkit bench [--data FILE.npy] [--n N --d D] [--rows R --cols C | --grid G] [--epochs E]
                    [--batch-size B] [--rule minibatch|batch-map] [--init MODE] [--seed N]
                    [--sigma S] [--lr A] [--backend NAME] [--engine NAME] [--search NAME]
                    [--repeat K] [--label TEXT] [--json]

Times SOM training and prints one JSON line per run (always JSON; --json is accepted like on the
other commands) with: library, rule, backend, engine, search, n, d, units, rows, cols, epochs,
batch (= batch_size), batch_size, init, seed, sigma, learning_rate, sigma_decay, lr_decay,
train_seconds, samples_per_second, gflops, qe, te, peak_rss_mb, own_cpu_share and
foreign_cpu_share (Linux), data, run, label.
Settings match ../shared/bench (the Python peers): sigma = max(rows, cols)/2 with asymptotic decay,
learning rate 0.5 (asymptotic), random init from data rows, gaussian, euclidean, rectangular, seed 42.

  --suite NAME      train (default: time SOM training) | hdbscan (HDBSCAN over --units random
                    points in --d dims, the neuron clustering of a large map)
  --units N         hdbscan: points, default 2500
  --n N, --d D      generated data: samples (default 10000) and features (default 16; hdbscan: 10)
  --rows R, --cols C  grid, default 20 × 20; --grid G sets both
  --epochs E        default 10
  --batch-size B    default 256 (minibatch); --batch B is the older spelling, kept as an alias
  --rule RULE       minibatch (default, the peers' rule) | batch-map
  --init MODE       random (default: random data rows, as the peers) | pca | kmeans |
                    kmeans_cosine
  --seed N          default 42
  --sigma S         initial radius, default max(rows, cols)/2
  --lr A            initial learning rate, default 0.5
  --backend NAME    auto (default) | wasm | cpu | webgpu | tensorflow
  --repeat K        timed runs, default 1 (a warm-up run before them is not timed)
  --label TEXT      copied into every JSON line as "label"
  --json            accepted for symmetry: the output is always JSON lines

  --data FILE.npy   [n, d] float32 matrix written by ../shared/bench/datasets.py --npy (byte-identical
                    to what the peers are timed on). Without it, blobs are generated in JS with the
                    same recipe (10 gaussian blobs, std 1, centres in [-10, 10], standardised) but a
                    different random generator, reported as data: "generated-js".
  --engine NAME     where the arithmetic runs: auto (default: onnxruntime when it can run, else
                    tfjs) | tfjs | onnxruntime | parallel; the JSON line's "engine" field names
                    the one used.
  --search NAME     search strategy: auto (default) | brute-force (exact) | usearch (approximate);
                    the JSON line's "search" field names the one used.
  gflops            nominal: 4·n·u·d per epoch (distance cross-term 2nud + neighbourhood-weighted
                    update 2nud), the same count perf-anchors.md uses for every library.
  qe, te            measured on the final codebook (exact pass, not timed).
  peak_rss_mb       the process's peak resident set size so far.
  own_cpu_share, foreign_cpu_share
                    CPU time of this process, and of everything else on the machine, during the
                    timed fit, over wall time × cores (Linux /proc/stat; the same measure as the
                    Python peers' lines). A foreign share above ~0.1 means the run was disturbed.
`;

const FLAGS = {
  suite: { type: 'string' },
  units: { type: 'string' },
  data: { type: 'string' },
  n: { type: 'string' },
  d: { type: 'string' },
  rows: { type: 'string' },
  cols: { type: 'string' },
  grid: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string', alias: ['batch'] },
  rule: { type: 'string' },
  init: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  backend: { type: 'string' },
  search: { type: 'string' },
  engine: { type: 'string' },
  repeat: { type: 'string' },
  sigma: { type: 'string' },
  lr: { type: 'string' },
  label: { type: 'string' },
} as const;

/** The flags of `somkit bench`. */
export const benchFlags: FlagSpec = FLAGS;

/** Gaussian blobs, standardised per feature (datasets.py's recipe, JS generator). */
export function generateBlobs(n: number, d: number, centers = 10, seed = 42): Float32Array {
  const rng = new Rng(seed);
  const c = Float64Array.from({ length: centers * d }, () => rng.next() * 20 - 10);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const k = rng.int(centers);
    for (let j = 0; j < d; j++) x[i * d + j] = c[k * d + j]! + rng.normal();
  }
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j]! - m) ** 2;
    const sd = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) out[i * d + j] = (x[i * d + j]! - m) / sd;
  }
  return out;
}

/** `somkit bench`: one JSON line per run. */
export async function bench(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('bench', argv, FLAGS);
  const suite = choiceFlag('bench', v, 'suite', ['train', 'hdbscan'] as const) ?? 'train';
  if (suite === 'hdbscan') {
    // HDBSCAN over `--units` random points in `--d` dims (the neuron clustering of a large map).
    const units = intFlag('bench', v, 'units', 2500, 2)!;
    const dims = intFlag('bench', v, 'd', 10)!;
    const repeat = intFlag('bench', v, 'repeat', 1)!;
    for (let r = 0; r < repeat; r++) {
      const res = await benchHdbscan(units, dims);
      io.out(`${JSON.stringify({ library: 'somkit', suite: 'hdbscan', units, dims, seconds: round(res.seconds, 6), peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 5), run: r })}\n`);
    }
    return 0;
  }
  const grid = intFlag('bench', v, 'grid', undefined);
  const rows = intFlag('bench', v, 'rows', grid ?? 20)!;
  const cols = intFlag('bench', v, 'cols', grid ?? rows)!;
  const epochs = intFlag('bench', v, 'epochs', 10)!;
  const batch = intFlag('bench', v, 'batch-size', 256)!;
  const init = choiceFlag('bench', v, 'init', INIT_MODES) ?? 'random';
  const seed = intFlag('bench', v, 'seed', 42, 0)!;
  const repeat = intFlag('bench', v, 'repeat', 1)!;
  const rule: TrainingRule = choiceFlag('bench', v, 'rule', ['minibatch', 'batch-map'] as const) ?? 'minibatch';
  const compute = await computeOptions('bench', v, io);
  const backend = await selectBackend('bench', v.backend, io, true);
  let data: Float32Array;
  let n: number;
  let d: number;
  let source: string;
  if (v.data !== undefined) {
    const path = resolve(io.cwd, v.data);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (e) {
      throw new SomError('ERR_IO', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { cause: e });
    }
    const arr = parseNpy(bytes);
    if (arr.shape.length !== 2) throw new SomError('ERR_SHAPE_MISMATCH', `Expected a 2-D [n, d] .npy, got shape [${arr.shape.join(', ')}].`);
    [n, d] = arr.shape as [number, number];
    data = arr.data;
    source = path;
  } else {
    n = intFlag('bench', v, 'n', 10000)!;
    d = intFlag('bench', v, 'd', 16)!;
    // Refused before allocating: --n 1e9 --d 1e6 would need 4 PB.
    checkArraySize('bench --n, --d: the generated samples [n, d]', [n, d], 'Use a smaller --n or --d, or pass --data.', 'ERR_INVALID_INPUT');
    data = generateBlobs(n, d);
    source = 'generated-js';
  }
  const sigma = numberFlag('bench', v, 'sigma') ?? Math.max(rows, cols) / 2;
  const learningRate = numberFlag('bench', v, 'lr') ?? 0.5;
  const input = { data, shape: [n, d] as const };
  // The peers' schedules (../shared/bench: lr and σ divided by 1 + e / (E / 2)), named here: the
  // default 'somkit' preset decays σ exponentially to 1, which trains another map than the peers'.
  const options = { rows, cols, dims: d, epochs, batchSize: batch, rule, sigma, learningRate, sigmaDecay: 'asymptotic_decay', lrDecay: 'asymptotic_decay', init, seed, ...compute } as const;
  // Warm-up, not timed: one epoch on two batches creates the engine's sessions and compiles the
  // backend's kernels, which a long-running process pays once.
  const warm = new SOM({ ...options, epochs: 1 });
  try {
    await warm.fit({ data: data.subarray(0, Math.min(n, 2 * batch) * d), shape: [Math.min(n, 2 * batch), d] }, { yieldEvery: 'never' });
  } finally {
    warm.dispose();
  }
  for (let r = 0; r < repeat; r++) {
    const som = new SOM(options);
    try {
      await som.initialize(input);
      const cpu = watchCpu();
      const t0 = performance.now();
      await som.fit(input, { yieldEvery: 'never' });
      const seconds = (performance.now() - t0) / 1000;
      const shares = cpu();
      const { qe, te } = await som.evaluate(input);
      const units = rows * cols;
      io.out(`${JSON.stringify({
        library: 'somkit',
        rule,
        backend: backend.backend,
        engine: som.engineChoice?.name ?? 'tfjs',
        search: som.searchName ?? 'brute-force',
        n, d, units, rows, cols, epochs, batch, batch_size: batch, init, seed, sigma, learning_rate: learningRate, sigma_decay: options.sigmaDecay, lr_decay: options.lrDecay,
        train_seconds: round(seconds, 6),
        samples_per_second: round((n * epochs) / seconds, 6),
        gflops: round((4 * n * units * d * epochs) / seconds / 1e9, 6),
        gflops_formula: '4*n*units*d*epochs/train_seconds',
        qe: round(qe, 8),
        te: round(te, 8),
        peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 5),
        ...(shares !== undefined ? { own_cpu_share: round(shares.own_cpu_share, 3), foreign_cpu_share: round(shares.foreign_cpu_share, 3) } : {}),
        data: source,
        run: r,
        ...(v.label !== undefined ? { label: v.label } : {}),
      })}\n`);
    } finally {
      som.dispose();
    }
  }
  return 0;
}
