import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { logger, SomError, type AbortSignalLike } from '@somkit/plugin-api';
import { SOM, mergeSums, type EpochLogs, type FitHistory, type NeuronSums } from '@somkit/core';
import { binaryRedis, execOrThrow, type BinaryRedis } from './binaryRedis.js';
import { codebookVersion, contentHash, versionHash } from './codebookVersion.js';
import { toConnectionOptions, type RedisTarget } from './connection.js';
import { shardJobError } from './jobError.js';
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
}

/** Options of {@link DistributedDriver.train}. */
export interface DistributedTrainOptions {
  /**
   * The map to train (rule `'batch-map'`, codebook initialised): trained in place. Needed for a
   * new run; ignored when `resume` finds the run in Redis.
   */
  som?: SOM;
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
}

/**
 * The driver of distributed batch-map training over BullMQ/Redis. Per epoch it publishes the
 * codebook (raw float32 in one Redis key, versioned by epoch and hash) and one job per shard; the
 * workers ({@link DistributedWorker}) return per-neuron sums; the driver merges them in shard order
 * (float64), applies the batch-map update and publishes the next version. An epoch is applied
 * only when every shard succeeded. Run state lives in Redis, so a restarted driver resumes.
 *
 * ```ts
 * const som = new SOM({ rows: 40, cols: 40, dims: 32, rule: 'batch-map', epochs: 10, sigma: 20 });
 * await som.initialize(firstShardRows);
 * const driver = new DistributedDriver({ connection: 'redis://10.0.0.5:6379' });
 * driver.on('epochEnd', (l) => console.log(l.epoch, l.qe));
 * const { runId } = await driver.train({ som, shards: (await shardDataFile('/data/x.npy', 16)).shards });
 * await driver.close();
 * ```
 * One driver per run at a time.
 */
export class DistributedDriver extends EventEmitter<DistributedDriverEvents> {
  private readonly opts: Required<Omit<DistributedDriverOptions, 'plugins' | 'connection'>> & { plugins: readonly unknown[] | undefined };
  private readonly queue: Queue<ShardJobData, ShardJobResult>;
  private readonly events: QueueEvents;
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
    this.opts = {
      queueName: options.queueName ?? 'somkit',
      prefix: options.prefix ?? 'somkit',
      attempts,
      backoffMs: options.backoffMs ?? 1_000,
      pollMs: options.pollMs ?? 200,
      retainSeconds: options.retainSeconds ?? 86_400,
      plugins: options.plugins,
    };
    const connection = toConnectionOptions(options.connection);
    // BullMQ's "completed" events carry each job's return value (the sums): keep the stream short,
    // so Redis holds at most ~16 results there (the driver reads results from the jobs themselves).
    this.queue = new Queue(this.opts.queueName, { connection, streams: { events: { maxLen: 16 } } });
    this.queue.on('error', (e) => logger.debug(`distributed driver queue: ${e.message}`));
    this.events = new QueueEvents(this.opts.queueName, { connection });
    this.events.on('error', (e) => logger.debug(`distributed driver events: ${e.message}`));
    const poke = (): void => this.wake?.();
    this.events.on('completed', poke);
    this.events.on('failed', poke);
  }

  /** Resolves once connected to Redis. */
  async waitUntilReady(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }

  /** Disconnects (does not touch runs in Redis). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.events.close(), this.queue.close()]).then(() => undefined);
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
   * @throws SomError ERR_INVALID_CONFIG (bad options, existing run without `resume`), ERR_NOT_FITTED
   *   (codebook not initialised), ERR_ABORTED, ERR_MODEL_FORMAT (stored state or codebook
   *   inconsistent, version mismatch on a worker), and the error of a shard that failed all its
   *   attempts with the worker's code (ERR_IO unreadable shard, ERR_SHAPE_MISMATCH wrong width, …)
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
        const logs = await som.applySums(pass.sums, e, state.totalEpochs);
        const applySeconds = (performance.now() - tApply) / 1000;
        const seconds = (performance.now() - t0) / 1000;
        som.history.seconds[som.history.seconds.length - 1] = seconds;
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
    return binaryRedis(await this.queue.client);
  }

  private async newRun(redis: BinaryRedis, o: DistributedTrainOptions): Promise<RunContext> {
    const som = o.som;
    if (som === undefined) throw new SomError('ERR_INVALID_CONFIG', 'train: pass som (an initialised batch-map SOM) for a new run, or resume: true with a runId.');
    if (som.config.rule !== 'batch-map') {
      throw new SomError('ERR_INVALID_CONFIG', `Distributed training runs the batch-map rule (its per-neuron sums add up across shards); this SOM uses '${som.config.rule}'. Create it with rule: 'batch-map'.`);
    }
    if (!som.isInitialized) throw new SomError('ERR_NOT_FITTED', 'train: the SOM has no codebook yet. Call som.initialize(rows) (e.g. the first shard) or som.setWeights(w) first.');
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
    const ctx: RunContext = { keys, state, som, modelText, signal: o.signal };
    await this.publish(redis, ctx, weights, true);
    return ctx;
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
    const som = await SOM.fromJSON(JSON.parse(modelText), this.opts.plugins ? { plugins: this.opts.plugins } : undefined);
    try {
      await som.setWeights({ data: weights, shape: [som.units, som.dims] });
    } catch (e) {
      som.dispose();
      throw e;
    }
    for (const k of Object.keys(som.history) as (keyof FitHistory)[]) som.history[k].splice(0, som.history[k].length, ...(state.history[k] ?? []));
    return { keys, state, som, modelText, signal };
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
    await this.ensurePublished(redis, ctx, epoch);
    const ids = state.shards.map((_, s) => jobId(state.runId, epoch, s));
    const data = (s: number): ShardJobData => ({
      runId: state.runId,
      modelKey: ctx.keys.model,
      modelHash: state.modelHash,
      codebookKey: ctx.keys.codebook,
      version: state.version,
      epoch,
      shardId: s,
      shard: state.shards[s]!,
    });
    const results = new Map<number, NeuronSums>();
    const workers = new Set<string>();
    const retried = new Set<number>();
    let maxShardSeconds = 0;
    const pending = new Set(state.shards.map((_, s) => s));
    const fail = async (err: SomError): Promise<never> => {
      await this.removeJobs(ids);
      throw err;
    };
    const collect = async (s: number, job: Job<ShardJobData, ShardJobResult>): Promise<void> => {
      const r = job.returnvalue as ShardJobResult | null;
      let sums: NeuronSums;
      try {
        sums = decodeSums(r);
      } catch (e) {
        return fail(e as SomError);
      }
      if (r!.version !== state.version || r!.shardId !== s) {
        return fail(new SomError('ERR_MODEL_FORMAT', `Shard ${s}: a worker returned sums for shard ${r!.shardId} at version ${r!.version}; expected version ${state.version}.`));
      }
      if (sums.units !== ctx.som.units || sums.dims !== ctx.som.dims) {
        return fail(new SomError('ERR_SHAPE_MISMATCH', `Shard ${s}: a worker returned sums for ${sums.units} units × ${sums.dims} dims; the map has ${ctx.som.units} × ${ctx.som.dims}.`));
      }
      // Keyed by shard: a retried or duplicated job can never be counted twice.
      if (!results.has(s)) results.set(s, sums);
      pending.delete(s);
      if (typeof r!.worker === 'string') workers.add(r!.worker);
      if (typeof r!.seconds === 'number') maxShardSeconds = Math.max(maxShardSeconds, r!.seconds);
      const attempts = Math.max(job.attemptsMade, 1);
      if (attempts > 1 || (job.attemptsStarted ?? 0) > 1) retried.add(s);
      this.emit('shardDone', { runId: state.runId, epoch, shardId: s, worker: String(r!.worker), seconds: Number(r!.seconds), attempts });
    };
    const jobOpts = (s: number): { jobId: string; attempts: number; backoff: { type: 'fixed'; delay: number }; removeOnComplete: { age: number }; removeOnFail: { age: number } } => ({
      jobId: ids[s]!,
      attempts: this.opts.attempts,
      backoff: { type: 'fixed', delay: this.opts.backoffMs },
      removeOnComplete: { age: Math.max(this.opts.retainSeconds, 3_600) },
      removeOnFail: { age: Math.max(this.opts.retainSeconds, 3_600) },
    });

    // Submit: reuse results of a previous driver at the same version, replace stale or failed jobs.
    const existing = await Promise.all(ids.map((id) => Job.fromId<ShardJobData, ShardJobResult>(this.queue, id)));
    const toAdd: number[] = [];
    for (const [s, job] of existing.entries()) {
      if (job === undefined) toAdd.push(s);
      else if (job.data?.version !== state.version || (await job.getState()) === 'failed') {
        await job.remove().catch((e: unknown) => {
          throw new SomError('ERR_MODEL_FORMAT', `Shard ${s}: a stale job ${job.id} (version ${String(job.data?.version)}) is still being processed; wait for it or delete the run.`, { cause: e });
        });
        toAdd.push(s);
      }
    }
    if (toAdd.length > 0) await this.queue.addBulk(toAdd.map((s) => ({ name: SHARD_JOB_NAME, data: data(s), opts: jobOpts(s) })));

    let delay = 2;
    while (pending.size > 0) {
      if (ctx.signal?.aborted === true) {
        await this.removeJobs(ids);
        throw abortError(state, epoch, ctx.signal);
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
      const jobs = await Promise.all(order.map((s) => Job.fromId<ShardJobData, ShardJobResult>(this.queue, ids[s]!)));
      let lost = false;
      for (const [i, job] of jobs.entries()) {
        const s = order[i]!;
        if (job === undefined) {
          lost = true;
          continue;
        }
        if ((job.attemptsMade ?? 0) > 0 || (job.attemptsStarted ?? 0) > 1) retried.add(s);
        if (!job.finishedOn) continue;
        const st = await job.getState();
        if (st === 'completed') {
          await collect(s, job);
          progress = true;
        } else if (st === 'failed') {
          await fail(shardJobError(job.failedReason, { shardId: s, epoch, attempts: job.attemptsMade, shard: state.shards[s] }));
        }
      }
      if (lost) {
        // Redis lost jobs (restart without persistence): publish the run again and re-add them.
        await this.ensurePublished(redis, ctx, epoch);
        const missing = order.filter((_, i) => jobs[i] === undefined);
        await this.queue.addBulk(missing.map((s) => ({ name: SHARD_JOB_NAME, data: data(s), opts: jobOpts(s) })));
        progress = true;
      }
      if (pending.size > 0) {
        delay = progress ? 2 : Math.min(delay * 2, this.opts.pollMs);
        await woke;
      } else this.wake?.();
      this.wake = undefined;
    }
    const parts = state.shards.map((_, s) => results.get(s)!);
    return { sums: mergeSums(parts), workers: [...workers].sort(), retried: retried.size, maxShardSeconds };
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

function copyHistory(h: FitHistory): FitHistory {
  return { qe: [...h.qe], te: [...h.te], learningRate: [...h.learningRate], sigma: [...h.sigma], seconds: [...h.seconds] };
}
