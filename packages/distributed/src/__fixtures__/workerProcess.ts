// Test-only worker process (bundled by the tests with esbuild). Configured by environment:
// SOMKIT_REDIS_URL, SOMKIT_QUEUE (comma-separated: one worker per queue), SOMKIT_LOCK_MS, SOMKIT_STALLED_MS, SOMKIT_WORKER_NAME,
// SOMKIT_DATA_ROOT (the workers' dataRoot; default the working directory), and
// SOMKIT_CRASH_AT_JOB=k: the process SIGKILLs itself when it takes its k-th job (fault injection).
// Custom shard kind 'slow': {kind: 'slow', delayMs, inner: <npy|csv descriptor>}.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DistributedWorker } from '../DistributedWorker.js';
import { openBuiltinShard } from '../openBuiltinShard.js';
import type { ShardDescriptor } from '../ShardDescriptor.js';

const env = process.env;
await tf.setBackend('cpu');
const crashAt = Number(env.SOMKIT_CRASH_AT_JOB ?? 0);
let taken = 0;
const queues = (env.SOMKIT_QUEUE ?? 'somkit').split(',');
const workers = queues.map(
  (queueName) =>
    new DistributedWorker({
      connection: env.SOMKIT_REDIS_URL ?? 'redis://127.0.0.1:6379',
      queueName,
      ...(env.SOMKIT_WORKER_NAME ? { name: env.SOMKIT_WORKER_NAME } : {}),
      ...(env.SOMKIT_LOCK_MS ? { lockDuration: Number(env.SOMKIT_LOCK_MS) } : {}),
      ...(env.SOMKIT_STALLED_MS ? { stalledInterval: Number(env.SOMKIT_STALLED_MS) } : {}),
      ...(env.SOMKIT_DATA_ROOT ? { dataRoot: env.SOMKIT_DATA_ROOT } : {}),
      chunkRows: 100,
      openShard: async (d) => {
        if (d.kind !== 'slow') return undefined;
        await new Promise((r) => setTimeout(r, Number(d.delayMs ?? 0)));
        return openBuiltinShard(d.inner as ShardDescriptor, 100);
      },
    }),
);
for (const worker of workers) {
  worker.on('jobStart', (j) => {
    taken++;
    process.stdout.write(`start ${j.jobId}\n`);
    if (crashAt > 0 && taken === crashAt) process.kill(process.pid, 'SIGKILL');
  });
  worker.on('jobDone', (j) => void process.stdout.write(`done ${j.jobId}\n`));
}
await Promise.all(workers.map((w) => w.waitUntilReady()));
process.stdout.write('ready\n');
const stop = (): void => {
  void Promise.all(workers.map((w) => w.close())).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
