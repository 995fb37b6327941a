// Test helpers of the distributed suites: data, a bundled worker process, a reference SOM.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SOM, type SomOptions } from '@somkit/core';
import { Rng } from '@somkit/geometry';
import { writeNpyFile } from '@somkit/datasets/node';
import { makeDirs } from '@somkit/plugin-api/node';

const here = dirname(fileURLToPath(import.meta.url));
/** packages/distributed/out: externals (bullmq, tfjs) resolve from the package's node_modules. */
const OUT = join(here, '..', '..', 'out');

/** Blobs [n, d] around `centers` centres, deterministic. */
export function blobs(n: number, d: number, seed: number, centers = 5): Float32Array {
  const r = new Rng(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => r.normal() * 4));
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = c[i % centers]![j]! + r.normal();
  return x;
}

/** Writes data to `<dir>/<name>.npy` and returns the path. */
export async function npyFile(dir: string, name: string, data: Float32Array, n: number, d: number): Promise<string> {
  const path = join(dir, `${name}.npy`);
  await writeNpyFile(path, data, [n, d]);
  return path;
}

/** The SOM config of the suites: small map, batch-map, 3 epochs. */
export const OPTIONS: SomOptions = { rows: 6, cols: 6, dims: 8, rule: 'batch-map', epochs: 3, sigma: 3, topology: 'hexagonal', seed: 7 };

/** A batch-map SOM with the shared initial codebook (rows of the data picked by `seed`). */
export async function initialSom(data: Float32Array, n: number, d: number, options: SomOptions = OPTIONS): Promise<SOM> {
  const som = new SOM({ ...options, dims: d });
  await som.initialize({ data, shape: [n, d] }, 'random');
  return som;
}

/** Single-process reference: `fit` with the batch-map rule from the same initial codebook. */
export async function reference(data: Float32Array, n: number, d: number, init: Float32Array, options: SomOptions = OPTIONS): Promise<{ weights: Float32Array; qe: number[] }> {
  const som = new SOM({ ...options, dims: d });
  await som.setWeights({ data: init, shape: [som.units, d] });
  const h = await som.fit({ data, shape: [n, d] });
  const weights = som.getWeights();
  som.dispose();
  return { weights, qe: h.qe };
}

/**
 * The SOM config of the init-over-all-shards suites: like {@link OPTIONS}, with a σ wide enough
 * that float rounding (summation order, float32 vs float64 moments) cannot move a sample's BMU far.
 */
export const INIT_OPTIONS: SomOptions = { ...OPTIONS, sigma: 4 };

/** What single-process training from a new SOM gives. */
export interface FromScratch {
  /** The codebook `fit` starts from (its own init over all the data). */
  init: Float32Array;
  weights: Float32Array;
  qe: number[];
  /** `initialize(data, 'random')` after training: shows where the SOM's random generator stands. */
  probe: Float32Array;
}

/** Single-process reference from scratch: a new SOM, `fit` (which initialises with `config.init` over all the data). */
export async function fitFromScratch(data: Float32Array, n: number, d: number, options: SomOptions): Promise<FromScratch> {
  const x = { data, shape: [n, d] as const };
  // The init fit() starts from: a new SOM's initialize() on all the data (the same generator state).
  const first = new SOM({ ...options, dims: d });
  await first.initialize(x);
  const init = first.getWeights();
  first.dispose();
  const som = new SOM({ ...options, dims: d });
  try {
    const h = await som.fit(x);
    const weights = som.getWeights();
    await som.initialize(x, 'random');
    return { init, weights, qe: h.qe, probe: som.getWeights() };
  } finally {
    som.dispose();
  }
}

/** Largest absolute difference of two arrays. */
export function maxDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Bundles the worker process entry (sources via the @somkit/source condition, deps external). */
export async function bundleWorker(): Promise<string> {
  await makeDirs(OUT);
  const outfile = join(OUT, `worker-process-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, 'workerProcess.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@somkit/source'],
    logLevel: 'error',
    plugins: [
      {
        name: 'deps-external',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@somkit/') ? undefined : { path: a.path, external: true }));
        },
      },
    ],
  });
  return outfile;
}

/** A worker process started from the bundle. */
export interface WorkerProcess {
  child: ChildProcess;
  /** stdout lines so far ('ready', 'start <job>', 'done <job>'). */
  lines: string[];
  /** Resolves with the exit signal/code. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Spawns a worker process and waits for its 'ready' line (20 s at most). */
export async function spawnWorker(bundle: string, env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bundle], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const reap = (): void => void child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  const lines: string[] = [];
  let stderr = '';
  let buf = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stderr!.on('data', (b: Buffer) => void (stderr += b.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line === 'ready') resolve();
      }
    });
    void exited.then((e) => reject(new Error(`worker process exited before ready (${String(e.code ?? e.signal)}): ${stderr}`)));
    setTimeout(() => reject(new Error(`worker process not ready in 20 s: ${stderr}`)), 20_000).unref();
  });
  await ready;
  return {
    child,
    lines,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
