import { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { logger, SomError, type EngineRef } from '@somkit/plugin-api';
import { hostSamples, SOM, SumsAccumulator, toMatrix, type MatrixInput, type NeuronSums } from '@somkit/core';
import { binaryRedis, type BinaryRedis } from './binaryRedis.js';
import { contentHash, versionHash } from './codebookVersion.js';
import { chunkShape } from './chunkWidth.js';
import { toConnectionOptions, type RedisTarget } from './connection.js';
import { checkInitJobData, INIT_JOB_NAME, type InitJobData, type InitJobResult, type InitTask } from './InitJob.js';
import { jobErrorMessage, redactedReaderError } from './jobError.js';
import { encodeMoments } from './momentsCodec.js';
import { openBuiltinShard } from './openBuiltinShard.js';
import { resolveInDataRoot } from './resolveInDataRoot.js';
import { checkJobData, SHARD_JOB_NAME, type ShardJobData, type ShardJobResult } from './ShardJob.js';
import type { CsvShard, NpyShard, ShardDescriptor, ShardOpener } from './ShardDescriptor.js';
import { emptyMoments, mergeMoments, rowMoments, type ShardMoments } from './shardMoments.js';
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
   * `undefined` to use the built-in readers. An opener does its own access checks: `dataRoot`
   * guards the built-in readers only.
   */
  openShard?: ShardOpener;
  /**
   * The folder the built-in readers may read: a `'npy'`/`'csv'` shard whose path resolves
   * outside it (after following symlinks) is refused with ERR_INVALID_INPUT, not opened. Relative
   * shard paths resolve against it. Anyone who can write to Redis can submit jobs, so keep it to
   * the data. Default: the working directory (`process.cwd()`).
   */
  dataRoot?: string;
  /** Rows per chunk for the built-in readers. Default 65,536. */
  chunkRows?: number;
  /**
   * Where the arithmetic of `SOM.accumulate` runs: an engine object or registered name, `'tfjs'`
   * or `'auto'`. Default: the process default (`useEngine`, else `'auto'`).
   */
  engine?: EngineRef;
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
  /** What the job computes: per-neuron sums of an epoch (or the evaluation pass), or an init task. */
  task: 'sums' | InitTask;
  /** Epoch index; −1 for the evaluation pass, −2 for init jobs. */
  epoch: number;
  shardId: number;
  /** 1 for the first try. */
  attempt: number;
}

/** Events of {@link DistributedWorker}. */
export interface DistributedWorkerEvents {
  jobStart: [info: WorkerJobInfo];
  jobDone: [info: WorkerJobInfo & { n: number; seconds: number }];
  /**
   * `error` is the full message for this worker's own log; the job fails in Redis with a redacted
   * one when the error came from reading the shard (reader messages may quote cells or headers).
   */
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
 * descriptor's path must exist here, under `dataRoot`, or `openShard` must know the custom kind.
 * It also serves the init jobs of a driver that initialises the codebook over all shards
 * (`train({ initialize: true })`): row counts, float64 moments (PCA) or picked rows (random).
 */
export class DistributedWorker extends EventEmitter<DistributedWorkerEvents> {
  /** The name reported with results. */
  readonly name: string;
  /** The data root, resolved (symlinks followed). */
  readonly dataRoot: string;
  private readonly worker: Worker<ShardJobData | InitJobData, ShardJobResult | InitJobResult>;
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
    const root = resolve(options.dataRoot ?? process.cwd());
    try {
      this.dataRoot = realpathSync(root);
    } catch (e) {
      throw new SomError('ERR_INVALID_CONFIG', `dataRoot: the folder ${JSON.stringify(root)} does not exist or cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Pass the folder holding the data (--data-root).`, { cause: e });
    }
    this.worker = new Worker<ShardJobData | InitJobData, ShardJobResult | InitJobResult>(options.queueName ?? 'somkit', (job) => this.process(job), {
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

  private async process(job: Job<ShardJobData | InitJobData, ShardJobResult | InitJobResult>): Promise<ShardJobResult | InitJobResult> {
    const t0 = performance.now();
    const raw = (job.data ?? {}) as Partial<ShardJobData & InitJobData>;
    const isInit = job.name === INIT_JOB_NAME;
    const info: WorkerJobInfo = {
      jobId: job.id ?? '',
      runId: String(raw.runId),
      task: isInit ? (raw.task ?? 'count') : 'sums',
      epoch: isInit ? -2 : Number(raw.epoch),
      shardId: Number(raw.shardId),
      attempt: job.attemptsMade + 1,
    };
    if (job.name !== SHARD_JOB_NAME && !isInit) {
      throw new UnrecoverableError(`[ERR_INVALID_INPUT] Unknown job name ${JSON.stringify(job.name)}; this worker processes '${SHARD_JOB_NAME}' and '${INIT_JOB_NAME}' jobs.`);
    }
    this.emit('jobStart', info);
    try {
      if (isInit) {
        const data = checkInitJobData(job.data);
        const r = await this.init(data);
        const seconds = (performance.now() - t0) / 1000;
        this.emit('jobDone', { ...info, n: r.n, seconds });
        return { ...r, shardId: data.shardId, task: data.task, worker: this.name, seconds };
      }
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
      const suffix = ` [worker ${this.name}]`;
      const sent = e instanceof UnrecoverableError ? e.message : jobErrorMessage(e);
      // The full text (with a reader's own message) goes to this worker's log only.
      const local = e instanceof SomError && e.details?.redacted === true ? `${sent} Reader: ${jobErrorMessage(e.cause)}` : sent;
      this.emit('jobFailed', { ...info, error: local + suffix });
      if (e instanceof UnrecoverableError) throw new UnrecoverableError(sent + suffix);
      throw new Error(sent + suffix);
    }
  }

  /**
   * The shard's chunks: the custom opener's, else the built-in reader's, for a path inside the
   * data root. Errors of opening and reading are redacted for Redis ({@link redactedReaderError}).
   */
  private async *chunks(shard: ShardDescriptor): AsyncGenerator<MatrixInput> {
    let custom: AsyncIterable<MatrixInput> | Iterable<MatrixInput> | undefined;
    try {
      custom = await this.opts.openShard?.(shard);
    } catch (e) {
      throw redactedReaderError(e);
    }
    let source: AsyncIterable<MatrixInput> | Iterable<MatrixInput>;
    if (custom !== undefined) source = custom;
    else {
      // The built-in readers: a path inside the data root only. Their descriptor checks (ours,
      // no file content) fail the job as they are.
      let desc = shard;
      if ((shard.kind === 'npy' || shard.kind === 'csv') && typeof (shard as NpyShard | CsvShard).path === 'string') {
        desc = { ...shard, path: await resolveInDataRoot((shard as NpyShard | CsvShard).path, this.dataRoot) };
      }
      source = openBuiltinShard(desc, this.opts.chunkRows ?? 65_536);
    }
    const it = (Symbol.asyncIterator in source ? (source as AsyncIterable<MatrixInput>)[Symbol.asyncIterator]() : (source as Iterable<MatrixInput>)[Symbol.iterator]()) as AsyncIterator<MatrixInput> | Iterator<MatrixInput>;
    try {
      for (;;) {
        let r: IteratorResult<MatrixInput>;
        try {
          r = await it.next();
        } catch (e) {
          throw redactedReaderError(e);
        }
        if (r.done === true) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }

  /**
   * A chunk checked for the map's width (our own message, safe for Redis) and validated as
   * samples [rows, dims] by `toMatrix` (whose messages may quote a value: redacted).
   */
  private async chunkRows(chunk: MatrixInput, dims: number, row: number): Promise<{ x: Float32Array; rows: number }> {
    const shape = chunkShape(chunk);
    if (shape !== undefined && shape[0] !== 0 && shape[1] !== dims) throw widthError(shape[1], dims, row);
    let m;
    try {
      m = await toMatrix(chunk, dims);
    } catch (e) {
      throw redactedReaderError(e);
    }
    try {
      return { x: await hostSamples(m), rows: m.n };
    } finally {
      if (m.owned) m.tensor.dispose();
    }
  }

  /** One init task over the shard: rows, moments or picked rows (see {@link InitTask}). */
  private async init(job: InitJobData): Promise<{ n: number; dims: number; mean?: string; scatter?: string; values?: string }> {
    const d = job.dims;
    let n = 0;
    if (job.task === 'count') {
      for await (const chunk of this.chunks(job.shard)) {
        const shape = chunkShape(chunk);
        if (shape !== undefined && shape[0] === 0) continue;
        n += (await this.chunkRows(chunk, d, n)).rows;
        await setImmediateP();
      }
      return { n, dims: d };
    }
    if (job.task === 'moments') {
      // Allocated once a chunk proved the width d (a job's dims alone could ask for any size).
      let acc: ShardMoments | undefined;
      // Pieces of ≤ 4,096 rows: accurate float32 products, and the event loop turns (lock renewal).
      const stepRows = Math.max(1, Math.min(4_096, Math.floor(STEP_WORK / (d * d))));
      for await (const chunk of this.chunks(job.shard)) {
        const shape = chunkShape(chunk);
        if (shape !== undefined && shape[0] === 0) continue;
        const { x, rows } = await this.chunkRows(chunk, d, n);
        acc ??= emptyMoments(d);
        for (let r = 0; r < rows; r += stepRows) {
          const k = Math.min(stepRows, rows - r);
          acc = mergeMoments(acc, await rowMoments(x.subarray(r * d, (r + k) * d), k, d));
          await setImmediateP();
        }
        n += rows;
      }
      if (acc === undefined) throw emptyShard();
      if (!acc.mean.every(Number.isFinite) || !acc.scatter.every(Number.isFinite)) {
        throw new SomError('ERR_NON_FINITE', 'The shard\'s moments overflowed to ±Infinity: its values are too large for float32 products. Rescale the data.');
      }
      return { ...encodeMoments(acc), n, dims: d };
    }
    // 'rows': the asked rows, in the order asked (ascending), read until the last one.
    const want = job.rows!;
    const last = want[want.length - 1]!;
    let out: Float32Array | undefined;
    let next = 0;
    for await (const chunk of this.chunks(job.shard)) {
      const shape = chunkShape(chunk);
      if (shape !== undefined && shape[0] === 0) continue;
      const { x, rows } = await this.chunkRows(chunk, d, n);
      out ??= new Float32Array(want.length * d);
      while (next < want.length && want[next]! < n + rows) {
        const local = want[next]! - n;
        out.set(x.subarray(local * d, (local + 1) * d), next * d);
        next++;
      }
      n += rows;
      if (n > last) break;
      await setImmediateP();
    }
    if (out === undefined) throw emptyShard();
    if (next < want.length) {
      throw new SomError('ERR_INVALID_INPUT', `The driver asked for row ${want[next]!} of a shard that has ${n} rows. Is the data the same on the driver and on every worker?`, { details: { rows: n } });
    }
    return { n, dims: d, values: Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('base64') };
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
    const total = new SumsAccumulator();
    let row = 0;
    const stepRows = Math.max(1, Math.floor(STEP_WORK / (som.units * som.dims)));
    for await (const chunk of this.chunks(shard)) {
      const shape = chunkShape(chunk);
      if (shape !== undefined && shape[0] === 0) continue;
      if (shape !== undefined && shape[1] !== som.dims) throw widthError(shape[1], som.dims, row);
      for (const step of rowSteps(chunk, stepRows)) {
        let part: NeuronSums;
        try {
          part = await som.accumulate(step, this.opts.engine !== undefined ? { engine: this.opts.engine } : {});
        } catch (e) {
          // accumulate validates the rows (toMatrix): its messages may quote a value.
          throw redactedReaderError(e);
        }
        total.add(part);
        row += part.n;
        await setImmediateP();
      }
    }
    // A shard without rows still answers, with zero sums.
    if (total.empty) return { sums: new Float32Array(som.units * (som.dims + 1)), qeSum: 0, teCount: 0, n: 0, units: som.units, dims: som.dims };
    const result = total.result();
    if (!result.sums.every(Number.isFinite) || !Number.isFinite(result.qeSum)) {
      throw new SomError('ERR_NON_FINITE', 'The shard\'s per-neuron sums overflowed to ±Infinity (values too large for float32). Rescale the data.');
    }
    return result;
  }
}

/** An init task on a shard without rows (its moments or rows do not exist). */
function emptyShard(): SomError {
  return new SomError('ERR_EMPTY_INPUT', 'The shard has no rows: it adds nothing to the codebook\'s init. Drop it from the shard list.');
}

/** A width mismatch found by the worker itself (no data in the message, so it goes to Redis as is). */
function widthError(width: number, dims: number, row: number): SomError {
  return new SomError('ERR_SHAPE_MISMATCH', `The shard has rows of width ${width} (at its row ${row}) but the model has dims ${dims}. Is the data file the same on every worker?`, { details: { width, dims } });
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
