import { resolve } from 'node:path';
import { DistributedWorker, redactUrl } from '@somkit/distributed';
import { intFlag, parseFlags, required, type FlagSpec } from '../args.js';
import { ENGINE_NAMES, engineOption, selectBackend } from '../common.js';
import type { Io } from '../Io.js';

export const workerHelp = `Usage: somkit worker --redis URL [options]

Runs a worker of distributed training ('somkit train --distributed'): takes shard jobs from Redis,
reads the shard's rows from this machine's filesystem, returns per-neuron sums (and, before the
first epoch, the shard's row count, moments or picked rows for the codebook's init). Runs until
SIGINT/SIGTERM (finishing the job in progress). Start one per machine (or per core).

Anyone who can write to this Redis can send this worker jobs: it reads only files under
--data-root, but protect Redis (password/ACL, TLS, a private network; see the distributed guide).

  --redis URL            redis://host:port[/db] the driver uses (required)
  --data-root DIR        read shards only under DIR (symlinks followed), default the working directory
  --concurrency N        jobs at once, default 1
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --engine NAME          where the arithmetic runs: ${ENGINE_NAMES.join(' | ')} (default auto, as for train)
  --queue NAME           BullMQ queue, default somkit
  --chunk-rows N         rows read at once from a shard, default 65536
  --quiet                no line per job (failures are still printed on stderr)
`;

const FLAGS = {
  redis: { type: 'string' },
  concurrency: { type: 'string' },
  backend: { type: 'string' },
  engine: { type: 'string' },
  queue: { type: 'string' },
  'chunk-rows': { type: 'string' },
  'data-root': { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** The flags of `somkit worker`. */
export const workerFlags: FlagSpec = FLAGS;

/** `somkit worker`: runs until the process gets SIGINT or SIGTERM. */
export async function worker(argv: string[], io: Io): Promise<number> {
  const ctl = new AbortController();
  const stop = (): void => ctl.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runWorker(argv, io, ctl.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The worker command with an explicit stop signal (tests, embedding). */
export async function runWorker(argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  const v = parseFlags('worker', argv, FLAGS);
  const url = required('worker', v, 'redis');
  const quiet = v.quiet === true;
  const concurrency = intFlag('worker', v, 'concurrency', 1)!;
  const chunkRows = intFlag('worker', v, 'chunk-rows', 65_536)!;
  const queueName = v.queue ?? 'somkit';
  const dataRoot = resolve(io.cwd, v['data-root'] ?? '.');
  await selectBackend('worker', v.backend, io, quiet);
  const engine = await engineOption('worker', v.engine);
  const w = new DistributedWorker({ connection: url, concurrency, chunkRows, queueName, dataRoot, ...(engine !== undefined ? { engine } : {}) });
  w.on('jobDone', (j) => {
    if (quiet) return;
    if (j.task === 'sums') io.out(`done run=${j.runId} epoch=${j.epoch < 0 ? 'eval' : j.epoch} shard=${j.shardId} rows=${j.n} ${j.seconds.toFixed(3)}s\n`);
    else io.out(`init run=${j.runId} task=${j.task} shard=${j.shardId} rows=${j.n} ${j.seconds.toFixed(3)}s\n`);
  });
  w.on('jobFailed', (j) => io.err(`failed run=${j.runId} ${j.task === 'sums' ? `epoch=${j.epoch}` : `init=${j.task}`} shard=${j.shardId} attempt=${j.attempt}: ${j.error}\n`));
  let lastError = '';
  w.on('connectionError', (e) => {
    if (!quiet && e.message !== lastError) io.err(`somkit worker: redis: ${e.message}\n`);
    lastError = e.message;
  });
  try {
    const stopped = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await Promise.race([w.waitUntilReady(), stopped]);
    if (!signal.aborted && !quiet) io.err(`worker ${w.name} waiting for jobs on ${redactUrl(url)} (queue ${queueName}, data root ${w.dataRoot}); Ctrl-C to stop\n`);
    await stopped;
    return 0;
  } finally {
    await w.close();
  }
}
