#!/usr/bin/env node
// Distributed batch-map benchmark (BullMQ/Redis): epochs/s with 1, 2, 4, … local worker processes
// on a .npy stream, plus the fixed per-epoch overhead (job round trip + codebook broadcast)
// measured on 1-row shards. Uses the built packages (pnpm build first) and a throw-away local
// redis-server (/usr/bin/redis-server) unless --redis URL is given. One JSON line per run on stdout.
//
// Usage: node bench/distributed.mjs FILE.npy [--grid 40] [--epochs 1] [--workers 1,2,4]
//          [--shards 8] [--chunk 65536] [--backend wasm] [--redis URL] [--overhead-epochs 5]
// Worker mode (spawned by the benchmark itself): node bench/distributed.mjs --worker --redis URL …
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SOM } from '../packages/core/dist/index.js';
import { DistributedDriver, DistributedWorker, readShard, shardDataFile } from '../packages/distributed/dist/index.js';
import { startLocalRedis } from '../packages/distributed/dist/testing/index.js';
import { useBackend } from '../packages/runtime/dist/node.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    grid: { type: 'string', default: '40' },
    epochs: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1,2,4' },
    shards: { type: 'string', default: '8' },
    chunk: { type: 'string', default: '65536' },
    backend: { type: 'string', default: 'wasm' },
    redis: { type: 'string' },
    queue: { type: 'string', default: 'somkit-bench' },
    'overhead-epochs': { type: 'string', default: '5' },
    worker: { type: 'boolean', default: false },
    name: { type: 'string' },
    'data-root': { type: 'string' },
  },
});

if (values.worker) {
  // Worker process: serve jobs until SIGTERM.
  await useBackend(values.backend);
  // Workers read shards only under their data root: the data file's folder.
  const w = new DistributedWorker({ connection: values.redis, queueName: values.queue, chunkRows: Number(values.chunk), dataRoot: values['data-root'] ?? process.cwd(), ...(values.name ? { name: values.name } : {}) });
  await w.waitUntilReady();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => void w.close().then(() => process.exit(0)));
} else {
  await runBenchmark();
}

async function runBenchmark() {
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: node bench/distributed.mjs FILE.npy [--grid G] [--epochs E] [--workers 1,2,4] [--shards S] [--chunk ROWS] [--backend NAME] [--redis URL]\n');
    process.exit(2);
  }
  const grid = Number(values.grid);
  const epochs = Number(values.epochs);
  const counts = values.workers.split(',').map(Number);
  const local = values.redis ? undefined : await startLocalRedis();
  const url = values.redis ?? local.url;
  const choice = await useBackend(values.backend);
  const { shards, n, d } = await shardDataFile(file, Number(values.shards));
  // The same initial codebook for every run: random rows of the first shard (seed 42).
  const first = await readShard(shards[0]);
  const options = { rows: grid, cols: grid, dims: d, rule: 'batch-map', epochs, sigma: grid / 2, init: 'random', seed: 42 };
  const init = new SOM(options);
  await init.initialize(first);
  const initial = init.getWeights();
  init.dispose();
  const env = { machine_cpus: cpus().length, cpu_model: cpus()[0]?.model ?? '?', node: process.version, backend: choice.backend };
  process.stderr.write(`distributed bench: ${n}×${d}, ${grid}×${grid} map, ${shards.length} shards, ${epochs} epoch(s), workers ${counts.join('/')}, backend ${choice.backend}, ${env.machine_cpus} CPUs\n`);
  try {
    for (const k of counts) {
      const procs = await Promise.all(Array.from({ length: k }, (_, i) => startWorker(url, `w${i}`)));
      try {
        // Full pass: time per epoch with k workers.
        const full = await trainRun(url, options, initial, shards, epochs);
        const epochSeconds = full.logs.map((l) => l.seconds);
        const mean = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
        emit({
          library: 'somkit', mode: 'distributed', rule: 'batch-map', workers: k, shards: shards.length, n, d, units: grid * grid, epochs, chunk_rows: Number(values.chunk), ...env,
          train_seconds: round(full.seconds), epoch_seconds: epochSeconds.map((x) => round(x)), epochs_per_second: round(1 / mean, 5), samples_per_second: round(n / mean, 1),
          gflops: round((4 * n * grid * grid * d) / mean / 1e9, 3), gflops_formula: '4*n*units*d/epoch_seconds',
          pass_seconds: full.logs.map((l) => round(l.passSeconds)), max_shard_seconds: full.logs.map((l) => round(l.maxShardSeconds)),
          apply_seconds: full.logs.map((l) => round(l.applySeconds)), publish_seconds: full.logs.map((l) => round(l.publishSeconds)),
          workers_used: [...new Set(full.logs.flatMap((l) => l.workers))].length, qe_last_pass: round(full.logs.at(-1).qe, 6), data: file,
        });
        // Overhead: the same map on 1-row shards (one per worker slot ×2), several epochs.
        const tiny = shards.slice(0, Math.max(2 * k, 2)).map((s) => ({ ...s, rowEnd: s.rowStart + 1 }));
        const over = await trainRun(url, { ...options, epochs: Number(values['overhead-epochs']) }, initial, tiny, Number(values['overhead-epochs']));
        const rest = over.logs.slice(1); // the first epoch includes model parsing on each worker
        const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        emit({
          library: 'somkit', mode: 'distributed-overhead', workers: k, shards: tiny.length, rows_per_shard: 1, units: grid * grid, d, ...env,
          epoch_seconds_median: round(med(rest.map((l) => l.seconds))), first_epoch_seconds: round(over.logs[0].seconds),
          pass_seconds_median: round(med(rest.map((l) => l.passSeconds))), worker_seconds_median: round(med(rest.map((l) => l.maxShardSeconds))),
          apply_seconds_median: round(med(rest.map((l) => l.applySeconds))), publish_seconds_median: round(med(rest.map((l) => l.publishSeconds))),
          codebook_bytes: grid * grid * d * 4, sums_base64_bytes: Math.ceil((grid * grid * (d + 1) * 4) / 3) * 4,
        });
      } finally {
        await Promise.all(procs.map((p) => p.stop()));
      }
    }
  } finally {
    await local?.stop();
  }
}

async function trainRun(url, options, initial, shards, epochs) {
  const driver = new DistributedDriver({ connection: url, queueName: values.queue, pollMs: 20, retainSeconds: 0 });
  const som = new SOM(options);
  await som.setWeights({ data: initial, shape: [som.units, som.dims] });
  const logs = [];
  const t0 = performance.now();
  try {
    await driver.train({ som, shards, epochs, onEpochEnd: (l) => void logs.push(l) });
    return { seconds: (performance.now() - t0) / 1000, logs };
  } finally {
    som.dispose();
    await driver.close();
  }
}

function startWorker(url, name) {
  const self = fileURLToPath(import.meta.url);
  const dataRoot = dirname(resolve(positionals[0]));
  const child = spawn(process.execPath, [self, '--worker', '--redis', url, '--queue', values.queue, '--backend', values.backend, '--chunk', values.chunk, '--name', name, '--data-root', dataRoot], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (b) => {
      if (String(b).includes('ready')) resolve({ stop: async () => (child.kill('SIGTERM'), await exited) });
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}) before ready`)));
  });
}

function emit(o) {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

function round(v, digits = 4) {
  return Number.isFinite(v) ? Number(v.toFixed(digits)) : v;
}
