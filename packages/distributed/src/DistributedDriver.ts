import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { isSomError, logger, SomError, type AbortSignalLike } from '@somkit/plugin-api';
import { SOM, mergeSums, pcaCodebook, randomInitRows, type EpochLogs, type FitHistory, type InitMode, type NeuronSums } from '@somkit/core';
import { Rng } from '@somkit/geometry';
import { binaryRedis, execOrThrow, type BinaryRedis } from './binaryRedis.js';
import { checkShardSums, descriptorRows } from './checkShardSums.js';
import { codebookVersion, contentHash, versionHash } from './codebookVersion.js';
import { redactUrl, toConnectionOptions, type RedisTarget } from './connection.js';
import { INIT_JOB_NAME, type InitJobData, type InitJobResult, type InitTask } from './InitJob.js';
import { oneLine, shardJobError } from './jobError.js';
import { decodeMoments } from './momentsCodec.js';
import { covariance, emptyMoments, mergeMoments, type ShardMoments } from './shardMoments.js';
import { runKeys, type RunKeys } from './runKeys.js';
import { parseRunState, RUN_STATE_FORMAT, type RunState } from './RunState.js';
import { SHARD_JOB_NAME, type ShardJobData, type ShardJobResult } from './ShardJob.js';
import type { ShardDescriptor } from './ShardDescriptor.js';
import { decodeSums } from './sumsCodec.js';

/** Options of {@link DistributedDriver}. */
export interface DistributedDriverOptions {
  /** Redis URL or BullMQ connection options. */
  connection: RedisTarget;
  /** BullMQ queue the workers listen on. Default `'somkit'`. */
  queueName?: string;
  /** Prefix of the run keys (see `runKeys`). Default `'somkit'`. */
  prefix?: string;
  /** Tries per shard job (BullMQ `attempts`) before the epoch fails. Default 3. */
  attempts?: number;
  /** Wait before a failed shard job is retried, ms. Default 1,000. */
  backoffMs?: number;
  /** Longest wait between two looks at the epoch's jobs, ms (job events wake the driver sooner). Default 200. */
  pollMs?: number;
  /** How long a finished run's keys stay in Redis, s; 0 deletes them at once. Default 86,400. */
  retainSeconds?: number;
  /** Plugin objects or factories for `SOM.fromJSON` when resuming. */
  plugins?: readonly unknown[];
  /**
   * How long `train` (and every other call) waits for Redis before it gives up with ERR_IO naming
   * the address and the connection error, ms. Default 30,000. (Once connected, a Redis restart is
   * waited out: see the failure semantics in the guide.)
   */
  connectTimeoutMs?: number;
}

/** Options of {@link DistributedDriver.train}. */
export interface DistributedTrainOptions {
  /**
   * The map to train (rule `'batch-map'`): trained in place. Its codebook must be initialised,
   * unless `initialize` is set. Needed for a new run; ignored when `resume` finds the run in Redis.
   */
  som?: SOM;
  /**
   * Initialise the codebook over all shards before epoch 0, as single-process `fit` does over all
   * the data: `true` uses `som.config.init`, or name the mode. `'random'` takes the rows `fit`
   * takes (the SOM's seed, n = all shards' rows, shards concatenated in order); `'pca'` merges
   * per-shard float64 moments into the mean and covariance and builds the codebook as core does
   * (`pcaCodebook`). The workers compute the per-shard parts (init jobs). The SOM must not be
   * initialised yet; afterwards its random generator is where `fit` would leave it. Ignored when
   * `resume` finds the run in Redis.
   */
  initialize?: boolean | InitMode;
  /** Where the data are: one job per shard per epoch. Needed for a new run. */
  shards?: readonly ShardDescriptor[];
  /** Epochs of the run. Default `som.config.epochs`. */
  epochs?: number;
  /** Id of the run (letters, digits, `.`, `_`, `-`). Default: a random UUID. */
  runId?: string;
  /**
   * Continue the run `runId` from its last finished epoch, with the config, shards and codebook
   * stored in Redis. When the run is not there, a new one starts if `som` and `shards` are given.
   */
  resume?: boolean;
  /** Stops between polls; `train` then rejects with ERR_ABORTED and the run can be resumed. */
  signal?: AbortSignalLike;
  /** Called after each epoch is applied and published; awaited. */
  onEpochEnd?: (logs: DistributedEpochLogs) => void | Promise<void>;
  /** After the last epoch, run one more pass for the QE/TE of the final codebook. Default false. */
  evaluate?: boolean;
}

/** Per-epoch values: those of `fit`, plus what the distributed pass measured. */
export interface DistributedEpochLogs extends EpochLogs {
  runId: string;
  /** Samples reduced this epoch (each shard counted once). */
  n: number;
  shards: number;
  /** Codebook version the epoch started from, and the one it published. */
  version: string;
  nextVersion: string;
  /** Names of the workers that computed this epoch's shards. */
  workers: string[];
  /** Shard jobs that needed more than one try (failures, crashed workers). */
  retried: number;
  /** From publishing the jobs to the last shard result. */
  passSeconds: number;
  /** Largest time a worker spent on one shard: `passSeconds` minus this is queueing + transfer overhead. */
  maxShardSeconds: number;
  /** Merging and applying the sums on the driver. */
  applySeconds: number;
  /** Writing the next codebook and the run state to Redis. */
  publishSeconds: number;
}

/** What {@link DistributedDriver.train} returns. */
export interface DistributedTrainResult {
  runId: string;
  /** The trained map: the `som` passed in, or a new one rebuilt from Redis when resuming (dispose it). */
  som: SOM;
  /** Epochs run by this call. */
  history: FitHistory;
  /** Epoch the call started at (> 0 when resumed). */
  startEpoch: number;
  totalEpochs: number;
  /** QE/TE of the final codebook when `evaluate` was set. */
  final?: { qe: number; te: number; n: number };
}

/** Events of {@link DistributedDriver}. */
export interface DistributedDriverEvents {
  runStart: [info: { runId: string; startEpoch: number; totalEpochs: number; shards: number; resumed: boolean }];
  epochStart: [info: { runId: string; epoch: number; version: string; shards: number }];
  shardDone: [info: { runId: string; epoch: number; shardId: number; worker: string; seconds: number; attempts: number }];
  epochEnd: [logs: DistributedEpochLogs];
  /** The run's keys were missing (Redis restarted without persistence) and were written again. */
  republished: [info: { runId: string; epoch: number }];
  /** The codebook was initialised over all shards (`initialize`), before the run was published. */
  initialized: [info: { runId: string; mode: InitMode; n: number; shards: number; seconds: number }];
  /**
   * A worker's result failed the driver's checks (non-finite sums, counts that do not add up to the
   * shard's rows, wrong sizes or version): it was dropped and the job queued again (epoch −1: the
   * evaluation pass, −2: the init pass). After `attempts` rejections of one shard the run fails.
   */
  resultRejected: [info: { runId: string; epoch: number; shardId: number; worker: string; code: string; reason: string }];
}

const RUN_ID = /^[A-Za-z0-9._-]{1,128}$/;

interface PassResult {
  sums: NeuronSums;
  workers: string[];
  retried: number;
  maxShardSeconds: number;
}

interface RunContext {
  keys: RunKeys;
  state: RunState;
  som: SOM;
  modelText: string;
  signal: AbortSignalLike | undefined;
  /** Rows per shard: from the descriptors, the init pass, or the first pass (custom kinds). */
  rows: (number | undefined)[];
}

/** One job per listed shard, run to completion with retries; see `runJobs`. */
interface JobSet<T> {
  runId: string;
  name: typeof SHARD_JOB_NAME | typeof INIT_JOB_NAME;
  /** Epoch index, −1 for the evaluation pass, −2 for the init pass (errors and events). */
  epoch: number;
  shards: readonly ShardDescriptor[];
  /** Shards that get a job. */
  shardIds: readonly number[];
  id: (s: number) => string;
  data: (s: number) => ShardJobData | InitJobData;
  /** Decodes and checks a job's return value; a SomError rejects it (the job is queued again). */
  accept: (s: number, result: unknown) => T;
  signal: AbortSignalLike | undefined;
  aborted: () => SomError;
  /** Before submitting, and when Redis lost jobs: make sure what the jobs need is in Redis. */
  ensure?: () => Promise<void>;
  onDone?: (s: number, result: unknown, attempts: number) => void;
}

interface JobSetResult<T> {
  values: Map<number, T>;
  workers: Set<string>;
  retried: Set<number>;
  maxShardSeconds: number;
}

/**
 * The driver of distributed batch-map training over BullMQ/Redis. Per epoch it publishes the
 * codebook (raw float32 in one Redis key, versioned by epoch and hash) and one job per shard; the
 * workers ({@link DistributedWorker}) return per-neuron sums; the driver merges them in shard order
 * (float64), applies the batch-map update and publishes the next version. An epoch is applied
 * only when every shard succeeded. Run state lives in Redis, so a restarted driver resumes.
 *
 * ```ts
 * const som = new SOM({ rows: 40, cols: 40, dims: 32, rule: 'batch-map', epochs: 10, sigma: 20, init: 'pca' });
 * const driver = new DistributedDriver({ connection: 'redis://10.0.0.5:6379' });
 * driver.on('epochEnd', (l) => console.log(l.epoch, l.qe));
 * const { shards } = await shardDataFile('/data/x.npy', 16);
 * const { runId } = await driver.train({ som, shards, initialize: true }); // init over all shards, as fit() does
 * await driver.close();
 * ```
 * One driver per run at a time.
 */
export class DistributedDriver extends EventEmitter<DistributedDriverEvents> {
  private readonly opts: Required<Omit<DistributedDriverOptions, 'plugins' | 'connection'>> & { plugins: readonly unknown[] | undefined };
  private readonly queue: Queue<ShardJobData | InitJobData, ShardJobResult | InitJobResult>;
  private readonly connection: ReturnType<typeof toConnectionOptions>;
  private readonly where: string;
  /** Created once the queue is connected: a QueueEvents that never connected cannot be closed. */
  private events: QueueEvents | undefined;
  private readying: Promise<void> | undefined;
  private lastConnectionError = '';
  private wake: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: DistributedDriverOptions) {
    super();
    const attempts = options.attempts ?? 3;
    const positiveInt = (name: string, v: number, min: number): void => {
      if (!Number.isInteger(v) || v < min) throw new SomError('ERR_INVALID_CONFIG', `${name}: expected an integer ≥ ${min}, got ${String(v)}.`);
    };
    positiveInt('attempts', attempts, 1);
    positiveInt('backoffMs', options.backoffMs ?? 1_000, 0);
    positiveInt('pollMs', options.pollMs ?? 200, 1);
    positiveInt('retainSeconds', options.retainSeconds ?? 86_400, 0);
    positiveInt('connectTimeoutMs', options.connectTimeoutMs ?? 30_000, 1);
    this.opts = {
      queueName: options.queueName ?? 'somkit',
      prefix: options.prefix ?? 'somkit',
      attempts,
      backoffMs: options.backoffMs ?? 1_000,
      pollMs: options.pollMs ?? 200,
      retainSeconds: options.retainSeconds ?? 86_400,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      plugins: options.plugins,
    };
    this.connection = toConnectionOptions(options.connection);
    this.where = redactUrl(options.connection);
    // BullMQ's "completed" events carry each job's return value (the sums): keep the stream short,
    // so Redis holds at most ~16 results there (the driver reads results from the jobs themselves).
    this.queue = new Queue(this.opts.queueName, { connection: this.connection, streams: { events: { maxLen: 16 } } });
    this.queue.on('error', (e) => {
      this.lastConnectionError = e.message;
      logger.debug(`distributed driver queue: ${e.message}`);
    });
  }

  /**
   * Resolves once connected to Redis.
   * @throws SomError ERR_IO after `connectTimeoutMs` without a connection, with the address and the last connection error
   */
  waitUntilReady(): Promise<void> {
    this.readying ??= this.connect().catch((e: unknown) => {
      this.readying = undefined;
      throw e;
    });
    return this.readying;
  }

  private async connect(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ms = this.opts.connectTimeoutMs;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const why = this.lastConnectionError === '' ? 'no answer' : oneLine(this.lastConnectionError);
        reject(new SomError('ERR_IO', `Cannot reach Redis at ${this.where} within ${ms / 1000} s (${why}). Check the URL, that Redis is running and that this machine may connect to it; raise connectTimeoutMs (--connect-timeout) to wait longer.`, { details: { where: this.where, timeoutMs: ms } }));
      }, ms);
    });
    try {
      await Promise.race([this.queue.waitUntilReady(), timeout]);
      if (this.events === undefined) {
        const events = new QueueEvents(this.opts.queueName, { connection: this.connection });
        events.on('error', (e) => logger.debug(`distributed driver events: ${e.message}`));
        const poke = (): void => this.wake?.();
        events.on('completed', poke);
        events.on('failed', poke);
        this.events = events;
      }
      await Promise.race([this.events.waitUntilReady(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Disconnects (does not touch runs in Redis). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.events?.close(), this.queue.close()]).then(() => undefined);
    return this.closing;
  }

  /** The stored state of a run, or undefined when Redis does not hold it. */
  async getRunState(runId: string): Promise<RunState | undefined> {
    checkRunId(runId);
    const text = await (await this.redis()).get(runKeys(runId, this.opts.prefix).state);
    return text === null ? undefined : parseRunState(text, runId);
  }

  /** Removes a run's keys and its leftover jobs. */
  async deleteRun(runId: string): Promise<void> {
    checkRunId(runId);
    const state = await this.getRunState(runId).catch(() => undefined);
    if (state !== undefined) {
      const ids: string[] = [];
      for (let e = 0; e <= state.totalEpochs; e++) for (let s = 0; s < state.shards.length; s++) ids.push(jobId(runId, e === state.totalEpochs ? -1 : e, s));
      await this.removeJobs(ids);
    }
    const k = runKeys(runId, this.opts.prefix);
    await (await this.redis()).del(k.state, k.model, k.codebook);
  }

  /**
   * Trains (or resumes) a run on the workers; see {@link DistributedTrainOptions}.
   * @throws SomError ERR_INVALID_CONFIG (bad options, existing run without `resume`, `initialize`
   *   on a SOM with a codebook), ERR_NOT_FITTED (no codebook and no `initialize`), ERR_ABORTED,
   *   ERR_IO (Redis not reachable within `connectTimeoutMs`), ERR_MODEL_FORMAT (stored state or
   *   codebook inconsistent, version mismatch on a worker, results whose counts do not add up),
   *   ERR_NON_FINITE (NaN/±Infinity results), and the error of a shard that failed all its
   *   attempts with the worker's code (ERR_IO unreadable shard, ERR_SHAPE_MISMATCH wrong width,
   *   ERR_INVALID_INPUT path outside a worker's data root, …)
   */
  async train(options: DistributedTrainOptions): Promise<DistributedTrainResult> {
    const redis = await this.redis();
    let ctx: RunContext | undefined;
    let resumed = false;
    if (options.resume === true) {
      if (options.runId === undefined) throw new SomError('ERR_INVALID_CONFIG', 'resume: true needs the runId of the run to continue.');
      ctx = await this.loadRun(redis, options.runId, options.signal);
      resumed = ctx !== undefined;
      if (ctx === undefined && (options.som === undefined || options.shards === undefined)) {
        throw new SomError('ERR_INVALID_INPUT', `No run ${JSON.stringify(options.runId)} in Redis to resume (finished runs are kept retainSeconds; a Redis restart without persistence loses them). Pass som and shards to start it anew.`);
      }
    }
    ctx ??= await this.newRun(redis, options);
    const { state, som } = ctx;
    const startEpoch = state.epochsDone;
    const out: FitHistory = { qe: [], te: [], learningRate: [], sigma: [], seconds: [] };
    try {
      this.emit('runStart', { runId: state.runId, startEpoch, totalEpochs: state.totalEpochs, shards: state.shards.length, resumed });
      for (let e = startEpoch; e < state.totalEpochs; e++) {
        if (options.signal?.aborted === true) throw abortError(state, e, options.signal);
        const t0 = performance.now();
        const version = state.version;
        this.emit('epochStart', { runId: state.runId, epoch: e, version, shards: state.shards.length });
        const pass = await this.runPass(ctx, e);
        const tApply = performance.now();
        // applySums records the epoch in som.history (its seconds: the update's).
        const logs = await som.applySums(pass.sums, e, state.totalEpochs);
        const applySeconds = (performance.now() - tApply) / 1000;
        const seconds = (performance.now() - t0) / 1000;
        const weights = som.getWeights();
        const nextVersion = codebookVersion(e + 1, weights);
        state.epochsDone = e + 1;
        state.version = nextVersion;
        state.history = copyHistory(som.history);
        const tPub = performance.now();
        await this.publish(redis, ctx, weights);
        const publishSeconds = (performance.now() - tPub) / 1000;
        await this.removeJobs(state.shards.map((_, s) => jobId(state.runId, e, s)));
        const full: DistributedEpochLogs = {
          ...logs,
          seconds,
          runId: state.runId,
          n: pass.sums.n,
          shards: state.shards.length,
          version,
          nextVersion,
          workers: pass.workers,
          retried: pass.retried,
          passSeconds: (tApply - t0) / 1000,
          maxShardSeconds: pass.maxShardSeconds,
          applySeconds,
          publishSeconds,
        };
        for (const k of ['qe', 'te', 'learningRate', 'sigma', 'seconds'] as const) out[k].push(full[k]);
        this.emit('epochEnd', full);
        await options.onEpochEnd?.(full);
      }
      let final: DistributedTrainResult['final'];
      if (options.evaluate === true) {
        const pass = await this.runPass(ctx, -1);
        const n = pass.sums.n;
        final = { qe: n > 0 ? pass.sums.qeSum / n : Number.NaN, te: n > 0 && som.units >= 2 ? pass.sums.teCount / n : Number.NaN, n };
        await this.removeJobs(state.shards.map((_, s) => jobId(state.runId, -1, s)));
      }
      if (!state.finished) {
        state.finished = true;
        await this.publish(redis, ctx, som.getWeights());
      }
      await this.retire(redis, ctx.keys);
      return { runId: state.runId, som, history: out, startEpoch, totalEpochs: state.totalEpochs, ...(final ? { final } : {}) };
    } catch (e) {
      if (resumed) som.dispose();
      throw e;
    }
  }

  private async redis(): Promise<BinaryRedis> {
    await this.waitUntilReady();
    return binaryRedis(await this.queue.client);
  }

  private async newRun(redis: BinaryRedis, o: DistributedTrainOptions): Promise<RunContext> {
    const som = o.som;
    if (som === undefined) throw new SomError('ERR_INVALID_CONFIG', 'train: pass som (an initialised batch-map SOM) for a new run, or resume: true with a runId.');
    if (som.config.rule !== 'batch-map') {
      throw new SomError('ERR_INVALID_CONFIG', `Distributed training runs the batch-map rule (its per-neuron sums add up across shards); this SOM uses '${som.config.rule}'. Create it with rule: 'batch-map'.`);
    }
    if (som.config.missing === 'mask') {
      // Workers would need to send per-dimension counts too; the sums codec carries [u, d + 1].
      throw new SomError('ERR_INVALID_CONFIG', "Distributed training does not take missing values yet (missing: 'mask'): the workers' sums carry no per-dimension counts. Train in one process (fit or fitStream handle missing values), or impute the shards first.");
    }
    const init = o.initialize;
    const mode: InitMode | undefined = init === undefined || init === false ? undefined : init === true ? som.config.init : init;
    if (mode !== undefined && mode !== 'random' && mode !== 'pca') {
      throw new SomError('ERR_INVALID_CONFIG', `initialize: expected true, false, 'random' or 'pca', got ${JSON.stringify(init)}${init === true ? ` (the SOM's init is '${mode}')` : ''}. A k-means init needs every row in one place: initialise in one process (som.initialize(sample)) and pass initialize: false, or use 'random' or 'pca'.`);
    }
    if (mode === undefined && !som.isInitialized) {
      throw new SomError('ERR_NOT_FITTED', 'train: the SOM has no codebook yet. Pass initialize: true to initialise it over all shards as fit() does, or call som.setWeights(w) first.');
    }
    if (mode !== undefined && som.isInitialized) {
      throw new SomError('ERR_INVALID_CONFIG', 'train: initialize is set but the SOM already has a codebook. Pass a new SOM (the init then matches fit() from the same seed), or drop initialize to train from the codebook it has.');
    }
    const shards = o.shards;
    if (!Array.isArray(shards) || shards.length === 0) throw new SomError('ERR_INVALID_CONFIG', 'train: shards must be a non-empty array of shard descriptors.');
    for (const s of shards as unknown[]) {
      if (typeof s !== 'object' || s === null || typeof (s as { kind?: unknown }).kind !== 'string') {
        throw new SomError('ERR_INVALID_CONFIG', `train: every shard needs a string kind, got ${JSON.stringify(s)}.`);
      }
    }
    const totalEpochs = o.epochs ?? som.config.epochs;
    if (!Number.isInteger(totalEpochs) || totalEpochs < 1) throw new SomError('ERR_INVALID_CONFIG', `epochs: expected an integer ≥ 1, got ${String(o.epochs)}.`);
    const runId = o.runId ?? randomUUID();
    checkRunId(runId);
    const keys = runKeys(runId, this.opts.prefix);
    if ((await redis.exists(keys.state)) > 0) {
      throw new SomError('ERR_INVALID_CONFIG', `Run ${JSON.stringify(runId)} already exists in Redis. Pass resume: true to continue it, another runId, or deleteRun(runId) first.`);
    }
    const rows = shards.map((s) => descriptorRows(s));
    if (mode !== undefined) await this.initialize(som, shards, mode, runId, rows, o.signal);
    const weights = som.getWeights();
    const modelText = JSON.stringify(som.toJSON());
    const state: RunState = {
      format: RUN_STATE_FORMAT,
      formatVersion: 1,
      runId,
      totalEpochs,
      epochsDone: 0,
      version: codebookVersion(0, weights),
      modelHash: contentHash(modelText),
      shards: JSON.parse(JSON.stringify(shards)) as ShardDescriptor[],
      history: copyHistory(som.history),
      finished: false,
      updatedAt: new Date().toISOString(),
    };
    const ctx: RunContext = { keys, state, som, modelText, signal: o.signal, rows };
    await this.publish(redis, ctx, weights, true);
    return ctx;
  }

  /**
   * Initialises the SOM's codebook over all shards (see `DistributedTrainOptions.initialize`):
   * the same rows or the same PCA plane as `initialize` on all the data, with a generator seeded
   * like the SOM's. Fills `rows` with every shard's row count.
   */
  private async initialize(som: SOM, shards: readonly ShardDescriptor[], mode: InitMode, runId: string, rows: (number | undefined)[], signal: AbortSignalLike | undefined): Promise<void> {
    const t0 = performance.now();
    const d = som.dims;
    const u = som.units;
    if (mode === 'pca' && d < 2) {
      throw new SomError('ERR_INVALID_CONFIG', `init: 'pca' needs at least 2 features to find two principal directions, got dims=${d}. Use init: 'random'.`);
    }
    // A new SOM's generator: fit() would draw the init from this same state.
    const rng = new Rng(som.config.seed);
    const all = shards.map((_, s) => s);
    const set = async <T>(task: InitTask, shardIds: readonly number[], accept: (s: number, r: InitJobResult) => T, extra: (s: number) => Partial<InitJobData> = () => ({})): Promise<JobSetResult<T>> => {
      const id = (s: number): string => `${runId}.${task}.s${s}`;
      const r = await this.runJobs<T>({
        runId,
        name: INIT_JOB_NAME,
        epoch: -2,
        shards,
        shardIds,
        id,
        data: (s) => ({ runId, task, shardId: s, shard: shards[s]!, dims: d, ...extra(s) }),
        accept: (s, result) => accept(s, checkInitResult(result, s, task, d, rows[s])),
        signal,
        aborted: () => new SomError('ERR_ABORTED', `Distributed training of run ${runId} was aborted while initialising the codebook; nothing was stored. Start the run again.`, { cause: signal?.reason }),
      });
      await this.removeJobs(shardIds.map(id));
      return r;
    };
    let w: Float32Array;
    let n: number;
    if (mode === 'pca') {
      const { values } = await set('moments', all, (_s, r) => {
        const m = decodeMoments(r);
        if (m.n !== r.n || m.dims !== d) throw new SomError('ERR_MODEL_FORMAT', `The moments cover ${m.n} rows × ${m.dims} columns, but the result says ${r.n} × ${d}.`);
        return m;
      });
      let total: ShardMoments = emptyMoments(d);
      for (const s of all) {
        const m = values.get(s)!;
        rows[s] = m.n;
        total = mergeMoments(total, m);
      }
      n = total.n;
      w = pcaCodebook(total.mean, covariance(total), n, som.grid, rng);
      // Advance the SOM's own generator exactly as initialize(all rows, 'pca') would (2·d normals):
      // a stand-in [2, d] matrix draws the same numbers; its codebook is replaced below.
      await som.initialize({ data: new Float32Array(2 * d), shape: [2, d] }, 'pca');
    } else {
      const unknown = all.filter((s) => rows[s] === undefined);
      if (unknown.length > 0) {
        const { values } = await set('count', unknown, (_s, r) => r.n);
        for (const s of unknown) rows[s] = values.get(s)!;
      }
      const offsets: number[] = [];
      n = 0;
      for (const s of all) {
        offsets.push(n);
        n += rows[s]!;
      }
      const idx = randomInitRows(n, u, rng);
      // Global row → (shard, local row): shards are the data's rows in order.
      const shardOf = (g: number): number => {
        let lo = 0;
        let hi = offsets.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (offsets[mid]! <= g) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      };
      const wanted = new Map<number, Set<number>>();
      for (const g of idx) {
        const s = shardOf(g);
        let picks = wanted.get(s);
        if (picks === undefined) wanted.set(s, (picks = new Set()));
        picks.add(g - offsets[s]!);
      }
      const asked = new Map([...wanted].map(([s, picks]) => [s, [...picks].sort((a, b) => a - b)]));
      const { values } = await set(
        'rows',
        [...asked.keys()].sort((a, b) => a - b),
        (s, r) => {
          const k = asked.get(s)!.length;
          const bytes = typeof r.values === 'string' ? Buffer.from(r.values, 'base64') : undefined;
          if (bytes === undefined || bytes.byteLength !== k * d * 4) {
            throw new SomError('ERR_MODEL_FORMAT', `A worker returned ${bytes?.byteLength ?? 'no'} bytes of rows; ${k} rows × ${d} columns need ${k * d * 4}.`);
          }
          const x = new Float32Array(k * d);
          new Uint8Array(x.buffer).set(bytes);
          if (!x.every(Number.isFinite)) throw new SomError('ERR_NON_FINITE', 'A worker returned rows with NaN or ±Infinity.');
          return x;
        },
        (s) => ({ rows: asked.get(s)! }),
      );
      w = new Float32Array(u * d);
      for (const [i, g] of idx.entries()) {
        const s = shardOf(g);
        const pos = binarySearch(asked.get(s)!, g - offsets[s]!);
        w.set(values.get(s)!.subarray(pos * d, (pos + 1) * d), i * d);
      }
      // Advance the SOM's own generator as initialize(all rows, 'random') would (one draw per unit).
      await som.initialize({ data: w, shape: [u, d] }, 'random');
    }
    await som.setWeights({ data: w, shape: [u, d] });
    this.emit('initialized', { runId, mode, n, shards: shards.length, seconds: (performance.now() - t0) / 1000 });
  }

  private async loadRun(redis: BinaryRedis, runId: string, signal: AbortSignalLike | undefined): Promise<RunContext | undefined> {
    checkRunId(runId);
    const keys = runKeys(runId, this.opts.prefix);
    const text = await redis.get(keys.state);
    if (text === null) return undefined;
    const state = parseRunState(text, runId);
    const modelText = await redis.get(keys.model);
    if (modelText === null || contentHash(modelText) !== state.modelHash) {
      throw new SomError('ERR_MODEL_FORMAT', `Run ${runId}: the model key ${keys.model} is ${modelText === null ? 'missing' : 'not the one the state names'}; the run cannot be resumed.`);
    }
    const [version, bytes] = await redis.hmgetBuffer(keys.codebook, 'version', 'weights');
    const held = version?.toString('utf8');
    if (held !== state.version || bytes === null || bytes === undefined || bytes.byteLength % 4 !== 0) {
      throw new SomError('ERR_MODEL_FORMAT', `Run ${runId}: the state names codebook version ${state.version} but ${keys.codebook} holds ${held ?? 'nothing'}; the run cannot be resumed.`);
    }
    const weights = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(weights.buffer).set(bytes);
    if (contentHash(weights) !== versionHash(state.version)) throw new SomError('ERR_MODEL_FORMAT', `Run ${runId}: the codebook bytes do not match version ${state.version}.`);
    // The model file with the stored history: fromJSON restores both (the history is not patched by hand).
    const model = JSON.parse(modelText) as Record<string, unknown>;
    model.history = historyJson(state.history);
    const som = await SOM.fromJSON(model, this.opts.plugins ? { plugins: this.opts.plugins } : undefined);
    try {
      await som.setWeights({ data: weights, shape: [som.units, som.dims] });
    } catch (e) {
      som.dispose();
      throw e;
    }
    return { keys, state, som, modelText, signal, rows: state.shards.map((s) => descriptorRows(s)) };
  }

  /** Writes the codebook of `state.version` and the state (and the model when asked) in one transaction. */
  private async publish(redis: BinaryRedis, ctx: RunContext, weights: Float32Array, withModel = false): Promise<void> {
    ctx.state.updatedAt = new Date().toISOString();
    const m = redis.multi();
    if (withModel) m.set(ctx.keys.model, ctx.modelText);
    m.hset(ctx.keys.codebook, { version: ctx.state.version, weights: Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength) });
    m.set(ctx.keys.state, JSON.stringify(ctx.state));
    await execOrThrow(m, `publish the codebook of run ${ctx.state.runId}`);
  }

  /** Republishes everything when Redis lost the run (restart without persistence). */
  private async ensurePublished(redis: BinaryRedis, ctx: RunContext, epoch: number): Promise<void> {
    const [version] = await redis.hmgetBuffer(ctx.keys.codebook, 'version');
    const modelThere = (await redis.exists(ctx.keys.model)) > 0;
    if (version?.toString('utf8') === ctx.state.version && modelThere) return;
    logger.info(`distributed run ${ctx.state.runId}: the run's keys were missing in Redis; republishing epoch ${epoch}.`);
    await this.publish(redis, ctx, ctx.som.getWeights(), true);
    this.emit('republished', { runId: ctx.state.runId, epoch });
  }

  private async retire(redis: BinaryRedis, keys: RunKeys): Promise<void> {
    const all = [keys.state, keys.model, keys.codebook];
    if (this.opts.retainSeconds === 0) await redis.del(...all);
    else for (const k of all) await redis.expire(k, this.opts.retainSeconds);
  }

  /** One pass over every shard with the published codebook: the merged sums, or the first failure. */
  private async runPass(ctx: RunContext, epoch: number): Promise<PassResult> {
    const redis = await this.redis();
    const { state } = ctx;
    const all = state.shards.map((_, s) => s);
    const r = await this.runJobs<NeuronSums>({
      runId: state.runId,
      name: SHARD_JOB_NAME,
      epoch,
      shards: state.shards,
      shardIds: all,
      id: (s) => jobId(state.runId, epoch, s),
      data: (s) => ({
        runId: state.runId,
        modelKey: ctx.keys.model,
        modelHash: state.modelHash,
        codebookKey: ctx.keys.codebook,
        version: state.version,
        epoch,
        shardId: s,
        shard: state.shards[s]!,
      }),
      accept: (s, result) => {
        const sums = decodeSums(result);
        const o = result as ShardJobResult;
        if (o.version !== state.version || o.shardId !== s) {
          throw new SomError('ERR_MODEL_FORMAT', `a worker returned sums for shard ${String(o.shardId)} at version ${String(o.version)}; expected shard ${s} at version ${state.version}.`);
        }
        if (sums.units !== ctx.som.units || sums.dims !== ctx.som.dims) {
          throw new SomError('ERR_SHAPE_MISMATCH', `a worker returned sums for ${sums.units} units × ${sums.dims} dims; the map has ${ctx.som.units} × ${ctx.som.dims}.`);
        }
        checkShardSums(sums, ctx.rows[s]);
        return sums;
      },
      signal: ctx.signal,
      aborted: () => abortError(state, epoch, ctx.signal!),
      ensure: () => this.ensurePublished(redis, ctx, epoch),
      onDone: (s, result, attempts) => {
        const o = result as ShardJobResult;
        this.emit('shardDone', { runId: state.runId, epoch, shardId: s, worker: String(o.worker), seconds: Number(o.seconds), attempts });
      },
    });
    // Shards of custom kinds: the first pass tells their rows; later passes must agree.
    for (const s of all) ctx.rows[s] ??= r.values.get(s)!.n;
    const parts = all.map((s) => r.values.get(s)!);
    return { sums: mergeSums(parts), workers: [...r.workers].sort(), retried: r.retried.size, maxShardSeconds: r.maxShardSeconds };
  }

  /**
   * Runs one job per listed shard to completion: reuses finished jobs with the same payload (a
   * previous driver's), replaces stale or failed ones, re-adds jobs Redis lost, queues a job again
   * when its result is rejected by `accept` (at most `attempts` times per shard), and fails with
   * the first shard that failed all its attempts. Removes the jobs when it fails.
   */
  private async runJobs<T>(set: JobSet<T>): Promise<JobSetResult<T>> {
    const ids = new Map(set.shardIds.map((s) => [s, set.id(s)]));
    const values = new Map<number, T>();
    const workers = new Set<string>();
    const retried = new Set<number>();
    const rejected = new Map<number, number>();
    let maxShardSeconds = 0;
    const pending = new Set(set.shardIds);
    const where = set.epoch >= 0 ? `epoch ${set.epoch}` : set.epoch === -1 ? 'the evaluation pass' : 'the init pass';
    const outcome = set.epoch === -2 ? 'The codebook was not initialised.' : 'No update was applied for this epoch.';
    const fail = async (err: SomError): Promise<never> => {
      await this.removeJobs([...ids.values()]);
      throw err;
    };
    const jobOpts = (s: number): { jobId: string; attempts: number; backoff: { type: 'fixed'; delay: number }; removeOnComplete: { age: number }; removeOnFail: { age: number } } => ({
      jobId: ids.get(s)!,
      attempts: this.opts.attempts,
      backoff: { type: 'fixed', delay: this.opts.backoffMs },
      removeOnComplete: { age: Math.max(this.opts.retainSeconds, 3_600) },
      removeOnFail: { age: Math.max(this.opts.retainSeconds, 3_600) },
    });
    const add = (list: readonly number[]): Promise<unknown> =>
      list.length === 0 ? Promise.resolve() : this.queue.addBulk(list.map((s) => ({ name: set.name, data: set.data(s), opts: jobOpts(s) })));

    await set.ensure?.();
    // Submit: reuse a previous driver's jobs with the same payload, replace stale or failed ones.
    const existing = await Promise.all(set.shardIds.map((s) => Job.fromId<ShardJobData | InitJobData, unknown>(this.queue, ids.get(s)!)));
    const toAdd: number[] = [];
    for (const [i, job] of existing.entries()) {
      const s = set.shardIds[i]!;
      if (job === undefined) toAdd.push(s);
      else if (JSON.stringify(job.data) !== JSON.stringify(set.data(s)) || (await job.getState()) === 'failed') {
        await job.remove().catch((e: unknown) => {
          throw new SomError('ERR_MODEL_FORMAT', `Shard ${s}: a stale job ${job.id} is still being processed; wait for it or delete the run.`, { cause: e });
        });
        toAdd.push(s);
      }
    }
    await add(toAdd);

    let delay = 2;
    while (pending.size > 0) {
      if (set.signal?.aborted === true) {
        await this.removeJobs([...ids.values()]);
        throw set.aborted();
      }
      const woke = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      let progress = false;
      const order = [...pending];
      const jobs = await Promise.all(order.map((s) => Job.fromId<ShardJobData | InitJobData, unknown>(this.queue, ids.get(s)!)));
      const lost: number[] = [];
      for (const [i, job] of jobs.entries()) {
        const s = order[i]!;
        if (job === undefined) {
          lost.push(s);
          continue;
        }
        if ((job.attemptsMade ?? 0) > 0 || (job.attemptsStarted ?? 0) > 1) retried.add(s);
        if (!job.finishedOn) continue;
        const st = await job.getState();
        if (st === 'failed') {
          await fail(shardJobError(job.failedReason, { shardId: s, epoch: set.epoch, attempts: job.attemptsMade, shard: set.shards[s] }));
        }
        if (st !== 'completed') continue;
        progress = true;
        const result = job.returnvalue;
        let value: T;
        try {
          value = set.accept(s, result);
        } catch (e) {
          if (!isSomError(e)) throw e;
          // An untrusted result: drop it and queue the job again (another worker may take it).
          const worker = workerName(result);
          const k = (rejected.get(s) ?? 0) + 1;
          rejected.set(s, k);
          this.emit('resultRejected', { runId: set.runId, epoch: set.epoch, shardId: s, worker, code: e.code, reason: e.message });
          if (k >= this.opts.attempts) {
            await fail(new SomError(e.code, `Shard ${s} in ${where}: ${k} result(s) failed the driver's checks, the last from worker ${worker}: ${oneLine(e.message)} (shard ${JSON.stringify(set.shards[s])}). ${outcome}`, {
              cause: e,
              details: { shardId: s, epoch: set.epoch, rejected: k, worker },
            }));
          }
          logger.info(`distributed run ${set.runId}: shard ${s} in ${where}: rejected the result of worker ${worker} (${e.code}: ${oneLine(e.message)}); queued again.`);
          await job.remove().catch(() => undefined);
          await add([s]);
          retried.add(s);
          continue;
        }
        // Keyed by shard: a retried or duplicated job can never be counted twice.
        if (!values.has(s)) values.set(s, value);
        pending.delete(s);
        const o = result as { worker?: unknown; seconds?: unknown };
        if (typeof o.worker === 'string') workers.add(o.worker);
        if (typeof o.seconds === 'number' && Number.isFinite(o.seconds)) maxShardSeconds = Math.max(maxShardSeconds, o.seconds);
        const attempts = Math.max(job.attemptsMade, 1);
        if (attempts > 1 || (job.attemptsStarted ?? 0) > 1) retried.add(s);
        set.onDone?.(s, result, attempts);
      }
      if (lost.length > 0) {
        // Redis lost jobs (restart without persistence): publish what they need again and re-add them.
        await set.ensure?.();
        await add(lost);
        progress = true;
      }
      if (pending.size > 0) {
        delay = progress ? 2 : Math.min(delay * 2, this.opts.pollMs);
        await woke;
      } else this.wake?.();
      this.wake = undefined;
    }
    return { values, workers, retried, maxShardSeconds };
  }

  /** Best-effort removal (jobs a worker holds stay until they finish and expire). */
  private async removeJobs(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.queue.remove(id).catch(() => 0)));
  }
}

function abortError(state: RunState, epoch: number, signal: AbortSignalLike): SomError {
  return new SomError('ERR_ABORTED', `Distributed training of run ${state.runId} was aborted in epoch ${epoch}; ${state.epochsDone} epoch(s) are applied and stored. Resume with train({ runId: '${state.runId}', resume: true }).`, { cause: signal.reason });
}

function checkRunId(runId: string): void {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new SomError('ERR_INVALID_CONFIG', `runId: expected 1–128 letters, digits, '.', '_' or '-', got ${JSON.stringify(runId)}.`);
  }
}

/** BullMQ job id of a shard job (no ':' allowed): `<runId>.e<epoch>.s<shard>`, `eval` for the final pass. */
function jobId(runId: string, epoch: number, shard: number): string {
  return `${runId}.${epoch >= 0 ? `e${epoch}` : 'eval'}.s${shard}`;
}

function copyHistory(h: { readonly [K in keyof FitHistory]: readonly number[] }): FitHistory {
  return { qe: [...h.qe], te: [...h.te], learningRate: [...h.learningRate], sigma: [...h.sigma], seconds: [...h.seconds] };
}

/** A stored history as a model file holds it (JSON has no NaN: a TE of a 1-unit map is null). */
function historyJson(h: Partial<Record<keyof FitHistory, readonly (number | null)[]>>): Record<keyof FitHistory, (number | null)[]> {
  const out = { qe: [], te: [], learningRate: [], sigma: [], seconds: [] } as Record<keyof FitHistory, (number | null)[]>;
  for (const k of Object.keys(out) as (keyof FitHistory)[]) out[k] = (h[k] ?? []).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  return out;
}

/** The worker name a result claims (untrusted: shortened, one line). */
function workerName(result: unknown): string {
  const w = (result as { worker?: unknown } | null)?.worker;
  return typeof w === 'string' ? oneLine(w).slice(0, 120) : 'unknown';
}

/**
 * Checks an init job's return value against its job (untrusted: it came through Redis).
 * @throws SomError ERR_MODEL_FORMAT naming the mismatch
 */
function checkInitResult(v: unknown, s: number, task: InitTask, dims: number, rows: number | undefined): InitJobResult {
  const o = v as Partial<InitJobResult> | null;
  if (typeof o !== 'object' || o === null || o.shardId !== s || o.task !== task || o.dims !== dims || !Number.isSafeInteger(o.n) || (o.n as number) < 0) {
    throw new SomError('ERR_MODEL_FORMAT', `a worker returned a malformed init result; expected {shardId: ${s}, task: '${task}', dims: ${dims}, n ≥ 0, …}.`);
  }
  if (task !== 'rows' && rows !== undefined && o.n !== rows) {
    throw new SomError('ERR_MODEL_FORMAT', `a worker counted ${String(o.n)} rows in the shard; its descriptor says rowEnd − rowStart = ${rows}. Is the data the same on every worker?`);
  }
  return o as InitJobResult;
}

/** Index of `v` in an ascending array that holds it. */
function binarySearch(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
