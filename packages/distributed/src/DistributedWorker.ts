import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { logger, SomError } from '@somkit/plugin-api';
import { SOM, type MatrixInput, type NeuronSums } from '@somkit/core';
import { binaryRedis, type BinaryRedis } from './binaryRedis.js';
import { contentHash, versionHash } from './codebookVersion.js';
import { chunkShape } from './chunkWidth.js';
import { toConnectionOptions, type RedisTarget } from './connection.js';
import { jobErrorMessage } from './jobError.js';
import { openBuiltinShard } from './openBuiltinShard.js';
import { checkJobData, SHARD_JOB_NAME, type ShardJobData, type ShardJobResult } from './ShardJob.js';
import type { ShardDescriptor, ShardOpener } from './ShardDescriptor.js';
import { encodeSums } from './sumsCodec.js';

/** Options of {@link DistributedWorker}. */
export interface DistributedWorkerOptions {
  /** Redis URL or BullMQ connection options. */
  connection: RedisTarget;
  /** BullMQ queue the driver publishes to. Default `'somkit'`. */
  queueName?: string;
  /** Jobs processed at once by this worker. Default 1 (tfjs compute is single-threaded per process). */
  concurrency?: number;
  /**
   * Opens custom shard kinds (and may take over `'npy'`/`'csv'`, e.g. to map paths); return
   * `undefined` to use the built-in readers.
   */
  openShard?: ShardOpener;
  /** Rows per chunk for the built-in readers. Default 65,536. */
  chunkRows?: number;
  /** Plugin objects or factories for `SOM.fromJSON` (names the registry does not know). */
  plugins?: readonly unknown[];
  /** Name reported with each result. Default `host:pid`. */
  name?: string;
  /** BullMQ lock of a job being processed, ms; a crashed worker's job is retried after it lapses. Default 30,000. */
  lockDuration?: number;
  /** How often this worker looks for stalled jobs of crashed workers, ms. Default 30,000. */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) before it fails. Default 1. */
  maxStalledCount?: number;
}

/** What the worker's events carry about a job. */
export interface WorkerJobInfo {
  jobId: string;
  runId: string;
  epoch: number;
  shardId: number;
  /** 1 for the first try. */
  attempt: number;
}

/** Events of {@link DistributedWorker}. */
export interface DistributedWorkerEvents {
  jobStart: [info: WorkerJobInfo];
  jobDone: [info: WorkerJobInfo & { n: number; seconds: number }];
  jobFailed: [info: WorkerJobInfo & { error: string }];
  /** Redis connection trouble (the worker keeps reconnecting). */
  connectionError: [error: Error];
}

interface CachedModel {
  som: Promise<SOM>;
  users: number;
}

/** Models (one per codebook version) kept per worker; older idle ones are disposed. */
const CACHE_SIZE = 2;

/**
 * Most rows·units·dims per `accumulate` call. Chunks are cut to this size so the event loop turns
 * (and BullMQ renews the job's lock) every fraction of a second even on a slow, shared machine;
 * otherwise a live worker's job looks stalled after `lockDuration`. Also bounds the [rows, units]
 * distance matrix to 2^26 / dims floats.
 */
const STEP_WORK = 2 ** 26;

const setImmediateP = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * A worker of distributed batch-map training: takes shard jobs from the BullMQ queue, loads the
 * run's model and the codebook of the job's version from Redis (cached per version), reduces the
 * shard's rows to per-neuron sums with `SOM.accumulate` and returns them to the driver.
 *
 * ```ts
 * import '@somkit/kernels/register';            // if models use non-default plugins
 * const worker = new DistributedWorker({ connection: 'redis://10.0.0.5:6379' });
 * worker.on('jobDone', (j) => console.log(`epoch ${j.epoch} shard ${j.shardId}: ${j.n} rows`));
 * process.on('SIGTERM', () => void worker.close());
 * ```
 * Uses the active tfjs backend (call `useBackend` first). Shards are opened on this machine: the
 * descriptor's path must exist here, or `openShard` must know the custom kind.
 */
export class DistributedWorker extends EventEmitter<DistributedWorkerEvents> {
  /** The name reported with results. */
  readonly name: string;
  private readonly worker: Worker<ShardJobData, ShardJobResult>;
  private readonly opts: DistributedWorkerOptions;
  private readonly models = new Map<string, CachedModel>();
  private readonly modelTexts = new Map<string, unknown>();
  private closing: Promise<void> | undefined;

  constructor(options: DistributedWorkerOptions) {
    super();
    this.opts = options;
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new SomError('ERR_INVALID_CONFIG', `concurrency: expected an integer ≥ 1, got ${String(options.concurrency)}.`);
    }
    const chunkRows = options.chunkRows ?? 65_536;
    if (!Number.isInteger(chunkRows) || chunkRows < 1) {
      throw new SomError('ERR_INVALID_CONFIG', `chunkRows: expected an integer ≥ 1, got ${String(options.chunkRows)}.`);
    }
    this.worker = new Worker<ShardJobData, ShardJobResult>(options.queueName ?? 'somkit', (job) => this.process(job), {
      connection: toConnectionOptions(options.connection),
      concurrency,
      ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
      ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
      ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
    });
    this.worker.on('error', (e) => {
      if (this.listenerCount('connectionError') > 0) this.emit('connectionError', e);
      else logger.debug(`distributed worker ${this.name}: ${e.message}`);
    });
  }

  /** Resolves once connected to Redis and waiting for jobs. */
  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /** Finishes the jobs in progress, disconnects and frees the cached models. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.worker.close();
      for (const m of this.models.values()) (await m.som.catch(() => undefined))?.dispose();
      this.models.clear();
      this.modelTexts.clear();
    })();
    return this.closing;
  }

  private async process(job: Job<ShardJobData, ShardJobResult>): Promise<ShardJobResult> {
    const t0 = performance.now();
    const raw = (job.data ?? {}) as Partial<ShardJobData>;
    const info: WorkerJobInfo = {
      jobId: job.id ?? '',
      runId: String(raw.runId),
      epoch: Number(raw.epoch),
      shardId: Number(raw.shardId),
      attempt: job.attemptsMade + 1,
    };
    if (job.name !== SHARD_JOB_NAME) throw new UnrecoverableError(`[ERR_INVALID_INPUT] Unknown job name ${JSON.stringify(job.name)}; this worker processes '${SHARD_JOB_NAME}' jobs.`);
    this.emit('jobStart', info);
    try {
      const data = checkJobData(job.data);
      const redis = binaryRedis(await this.worker.client);
      await this.checkVersion(redis, data);
      const key = `${data.modelKey}|${data.modelHash}|${data.version}`;
      const som = await this.acquire(redis, data, key);
      let sums: NeuronSums;
      try {
        sums = await this.reduce(som, data.shard);
      } finally {
        this.release(key);
      }
      const seconds = (performance.now() - t0) / 1000;
      this.emit('jobDone', { ...info, n: sums.n, seconds });
      return { ...encodeSums(sums), shardId: data.shardId, version: data.version, worker: this.name, seconds };
    } catch (e) {
      const message = `${e instanceof UnrecoverableError ? e.message : jobErrorMessage(e)} [worker ${this.name}]`;
      this.emit('jobFailed', { ...info, error: message });
      if (e instanceof UnrecoverableError) throw new UnrecoverableError(message);
      throw new Error(message, { cause: e });
    }
  }

  /** The job's version must be the one the codebook key holds now (checked for every job). */
  private async checkVersion(redis: BinaryRedis, data: ShardJobData): Promise<void> {
    const [stored] = await redis.hmgetBuffer(data.codebookKey, 'version');
    if (stored === null || stored === undefined) {
      throw new SomError('ERR_IO', `The codebook key ${data.codebookKey} is missing from Redis (Redis restarted without persistence, or the run was deleted); the driver republishes it.`);
    }
    const held = stored.toString('utf8');
    if (held !== data.version) {
      throw new UnrecoverableError(`[ERR_MODEL_FORMAT] Codebook version mismatch: the job is for version ${data.version} but ${data.codebookKey} holds version ${held}. Two drivers on one run, or a stale job; the epoch is not applied.`);
    }
  }

  private acquire(redis: BinaryRedis, data: ShardJobData, key: string): Promise<SOM> {
    let entry = this.models.get(key);
    if (entry === undefined) {
      entry = { som: this.load(redis, data), users: 0 };
      this.models.set(key, entry);
      entry.som.catch(() => this.models.delete(key));
    }
    entry.users++;
    this.evict();
    return entry.som;
  }

  private release(key: string): void {
    const entry = this.models.get(key);
    if (entry !== undefined) entry.users--;
    this.evict();
  }

  private evict(): void {
    if (this.models.size <= CACHE_SIZE) return;
    for (const [k, m] of this.models) {
      if (this.models.size <= CACHE_SIZE) break;
      if (m.users > 0) continue;
      this.models.delete(k);
      void m.som.then((s) => s.dispose(), () => undefined);
    }
  }

  private async load(redis: BinaryRedis, data: ShardJobData): Promise<SOM> {
    const textKey = `${data.modelKey}|${data.modelHash}`;
    let json = this.modelTexts.get(textKey);
    if (json === undefined) {
      const text = await redis.get(data.modelKey);
      if (text === null) throw new SomError('ERR_IO', `The model key ${data.modelKey} is missing from Redis; the driver republishes it.`);
      if (contentHash(text) !== data.modelHash) {
        throw new SomError('ERR_MODEL_FORMAT', `The model at ${data.modelKey} does not match the job (hash ${contentHash(text)}, job expects ${data.modelHash}).`);
      }
      try {
        json = JSON.parse(text) as unknown;
      } catch (e) {
        throw new SomError('ERR_MODEL_FORMAT', `The model at ${data.modelKey} is not JSON.`, { cause: e });
      }
      this.modelTexts.clear();
      this.modelTexts.set(textKey, json);
    }
    const [version, bytes] = await redis.hmgetBuffer(data.codebookKey, 'version', 'weights');
    if (version?.toString('utf8') !== data.version || bytes === null || bytes === undefined) {
      throw new SomError('ERR_MODEL_FORMAT', `Codebook version mismatch while loading ${data.codebookKey}: expected ${data.version}, found ${version?.toString('utf8') ?? 'nothing'}.`);
    }
    const weights = new Float32Array(bytes.byteLength >> 2);
    new Uint8Array(weights.buffer).set(bytes.subarray(0, weights.byteLength));
    if (bytes.byteLength % 4 !== 0 || contentHash(weights) !== versionHash(data.version)) {
      throw new SomError('ERR_MODEL_FORMAT', `The codebook bytes at ${data.codebookKey} do not match version ${data.version} (torn or foreign write).`);
    }
    const som = await SOM.fromJSON(json, this.opts.plugins ? { plugins: this.opts.plugins } : undefined);
    try {
      if (weights.length !== som.units * som.dims) {
        throw new SomError('ERR_MODEL_FORMAT', `The codebook at ${data.codebookKey} has ${weights.length} values; the model needs ${som.units} units × ${som.dims} dims.`);
      }
      await som.setWeights({ data: weights, shape: [som.units, som.dims] });
      return som;
    } catch (e) {
      som.dispose();
      throw e;
    }
  }

  /** Σ over the shard's chunks of `som.accumulate(chunk)`, in float64. */
  private async reduce(som: SOM, shard: ShardDescriptor): Promise<NeuronSums> {
    const source = (await this.opts.openShard?.(shard)) ?? openBuiltinShard(shard, this.opts.chunkRows ?? 65_536);
    const acc = new Float64Array(som.units * (som.dims + 1));
    let qeSum = 0;
    let teCount = 0;
    let n = 0;
    let row = 0;
    const stepRows = Math.max(1, Math.floor(STEP_WORK / (som.units * som.dims)));
    for await (const chunk of source as AsyncIterable<MatrixInput>) {
      const shape = chunkShape(chunk);
      if (shape !== undefined && shape[0] === 0) continue;
      if (shape !== undefined && shape[1] !== som.dims) {
        throw new SomError('ERR_SHAPE_MISMATCH', `The shard has rows of width ${shape[1]} (at its row ${row}) but the model has dims ${som.dims}. Is the data file the same on every worker?`, { details: { width: shape[1], dims: som.dims } });
      }
      for (const step of rowSteps(chunk, stepRows)) {
        const part = await som.accumulate(step);
        for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + part.sums[i]!;
        qeSum += part.qeSum;
        teCount += part.teCount;
        n += part.n;
        row += part.n;
        await setImmediateP();
      }
    }
    return { sums: Float32Array.from(acc), qeSum, teCount, n, units: som.units, dims: som.dims };
  }
}

/** A chunk cut into pieces of at most `rows` rows (tensors and unknown containers stay whole). */
function* rowSteps(chunk: MatrixInput, rows: number): Generator<MatrixInput> {
  if (Array.isArray(chunk)) {
    for (let r = 0; r < chunk.length; r += rows) yield chunk.slice(r, r + rows);
    return;
  }
  const m = chunk as { data?: unknown; shape?: readonly [number, number] };
  if (m.shape !== undefined && (m.data instanceof Float32Array || m.data instanceof Float64Array) && m.shape[0] > rows) {
    const [n, d] = m.shape;
    for (let r = 0; r < n; r += rows) {
      const k = Math.min(rows, n - r);
      yield { data: m.data.subarray(r * d, (r + k) * d), shape: [k, d] };
    }
    return;
  }
  yield chunk;
}
