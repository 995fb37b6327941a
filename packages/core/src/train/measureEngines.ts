import { assertPlugin, registry, type Engine, type EngineContext, type EngineSession, type NeighborhoodTable } from '@somkit/plugin-api';
import type { KernelSet } from './KernelSet.js';
import type { EngineChoice } from './resolveEngine.js';

/**
 * What `engine: 'auto'` needs to time one step of a training call on each candidate engine. The
 * model builds it (closures over its own code, so this module, loaded on first use, imports none
 * of core's eager modules and the entry chunk stays as it is).
 */
export interface EngineProbe {
  /** The rule being trained: `minibatchSteps`, or `neuronSums` plus the neighbourhood product. */
  readonly rule: 'minibatch' | 'batch-map';
  /** The call's samples [n, d] in CPU memory. */
  readonly x: Float32Array;
  /** The kernels of one call on a session (the engine's over core's reference); the caller closes them. */
  readonly kernels: (session: EngineSession, engine: string) => Promise<KernelSet>;
  /** The grid's neighbourhood table at some radius, scaled. */
  readonly table: (scale: number) => Promise<NeighborhoodTable>;
  /** The model's codebook [u, d]; read, never written. */
  readonly weights: () => Float32Array;
  readonly batch: number;
  /** The batch-map update runs the `neighborhoodProduct` kernel (below the separable size). */
  readonly product: boolean;
  readonly missing: boolean;
}

/** Milliseconds (`performance.now`, else `Date.now`). */
const clock = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** Rows of the real data one probe step runs on (at most). */
export const PROBE_ROWS = 2048;

/** A warm-up this many times slower than the fastest timed step so far ends that engine's probe. */
const SLOWER = 4;

/** Decisions per (engine names, tfjs backend, rule, distance, u, d) for this process. */
const decided = new Map<string, { name: string; reason: string }>();

/** The engines that can run `ctx`: the tfjs reference, the registered ones and those in `extra`, by priority. */
function candidates(ctx: EngineContext, extra: readonly unknown[], reference: Engine): Engine[] {
  const all = new Map<string, Engine>([[reference.name, reference]]);
  for (const name of registry.list('engine')) {
    if (all.has(name)) continue;
    try {
      all.set(name, registry.resolve('engine', name));
    } catch {
      // Refused by resolveEngine's priority pass with its reason.
    }
  }
  for (const e of extra) {
    if ((e as { kind?: unknown } | null)?.kind !== 'engine') continue;
    assertPlugin('engine', e);
    all.set(e.name, e);
  }
  return [...all.values()].filter((e) => e.supports(ctx) === true).sort((a, b) => b.priority - a.priority);
}

/** One probe step of the rule on `rows` rows of the samples through `ks`. The codebook is a copy; no RNG is used. */
async function step(ks: KernelSet, p: EngineProbe, ctx: EngineContext, weights: Float32Array, table: NeighborhoodTable, rows: number): Promise<void> {
  const { units: u, dims: d } = ctx;
  const k = Math.min(2, u);
  const host = p.x;
  const n = host.length / d;
  const missing = p.missing ? { missing: true } : {};
  if (p.rule === 'minibatch') {
    const b = Math.min(p.batch, rows);
    const steps = Math.max(1, Math.floor(rows / b));
    const order = Int32Array.from({ length: steps * b }, (_, i) => i);
    const job = { x: host, weights, kernel: table, batch: b, samples: n, units: u, dims: d, k, ...missing };
    if (!ks.needsGiven('minibatchSteps')) {
      await ks.run.minibatchSteps({ ...job, rows: order, steps });
      return;
    }
    for (let s = 0; s < steps; s++) {
      const given = await ks.strategyBmu({ x: host.subarray(s * b * d, (s + 1) * b * d), weights, samples: b, units: u, dims: d, k, ...missing });
      await ks.run.minibatchSteps({ ...job, rows: order.subarray(s * b, (s + 1) * b), steps: 1, given });
    }
    return;
  }
  const job = { x: host.subarray(0, rows * d), weights, samples: rows, units: u, dims: d, k, ...missing };
  const given = ks.needsGiven('neuronSums') ? await ks.strategyBmu(job) : undefined;
  const r = await ks.run.neuronSums(given !== undefined ? { ...job, given } : job);
  if (p.product) await ks.run.neighborhoodProduct({ kernel: table, m: r.sums, units: u, columns: d + 1 });
}

/** Rows of the first, short warm-up of each engine after the first: one batch (minibatch) or this many. */
export const FIRST_ROWS = 256;

/** A probe time: milliseconds of one step on the probe's rows, or an estimate from fewer rows. */
interface Timing {
  readonly ms: number;
  /** The rows it was measured on, when fewer than the probe's (the engine lost on them). */
  readonly from?: number;
}

/**
 * One probe step on `engine` after a warm-up; the session opened for it is closed. A warm-up
 * already slower than `cutMs` (several times the fastest engine so far) is the measurement: that
 * engine has lost, and timing it again would only make the probe longer. Engines after the first
 * (finite `cutMs`) warm up on one batch first, where a step's cost scales with its rows: a slow
 * engine on a large map (the tfjs reference on wasm at 10,000 units, d = 32: about 6 s a 2,048-row step here) is
 * then cut after an eighth of a step, its time estimated per row (shown as `… ms (estimated from 256 rows)`).
 */
async function timeEngine(engine: Engine, p: EngineProbe, ctx: EngineContext, weights: Float32Array, table: NeighborhoodTable, rows: number, cutMs: number): Promise<Timing> {
  const session = await engine.open(ctx);
  try {
    const ks = await p.kernels(session, engine.name);
    try {
      const time = async (r: number): Promise<number> => {
        const t0 = clock();
        await step(ks, p, ctx, weights, table, r);
        return clock() - t0;
      };
      // (Not with the batch-map product in the step: its cost does not scale with the rows.)
      const first = Math.min(rows, p.rule === 'minibatch' ? p.batch : FIRST_ROWS);
      if (cutMs < Infinity && first < rows && !(p.rule === 'batch-map' && p.product)) {
        const ms = ((await time(first)) * rows) / first;
        if (ms > cutMs) return { ms, from: first };
      }
      const warm = await time(rows);
      return { ms: warm > cutMs ? warm : await time(rows) };
    } finally {
      ks.close();
    }
  } finally {
    await session.close();
  }
}

/**
 * `engine: 'auto'` by measurement: when more than one engine can run the job, times one probe
 * step of the rule (BMU search and one update, on up to {@link PROBE_ROWS} rows of the real data,
 * after one warm-up; a clearly slower engine is cut short, see `timeEngine`) on each and picks the fastest; the decision is kept for the process per
 * (engine names, tfjs backend, rule, distance, u, d). The probe works on a copy of the codebook
 * and draws no random numbers, so training results do not depend on it. An engine whose probe
 * throws is refused with the error; if none can be timed, the priority rule decides.
 * @param byPriority - the priority rule's choice (its `refused` list is kept)
 * @param reference - the tfjs reference engine
 */
export async function measureEngines(ctx: EngineContext, extra: readonly unknown[], p: EngineProbe, byPriority: EngineChoice, reference: Engine): Promise<EngineChoice> {
  const list = candidates(ctx, extra, reference);
  if (list.length < 2) return byPriority;
  const key = [list.map((e) => e.name).sort().join(','), ctx.backend, p.rule, ctx.distance.name, ctx.units, ctx.dims, p.missing ? 'missing' : ''].join('|');
  const known = decided.get(key);
  const cachedEngine = known && list.find((e) => e.name === known.name);
  if (known && cachedEngine) return { engine: cachedEngine, reason: `${known.reason}; measured earlier in this process`, refused: byPriority.refused };
  const rows = Math.min(PROBE_ROWS, p.x.length / ctx.dims);
  const weights = p.weights().slice();
  const table = await p.table(p.rule === 'minibatch' ? 1 / Math.min(p.batch, rows) : 1);
  const timed: Array<Timing & { engine: Engine }> = [];
  const refused = [...byPriority.refused];
  for (const engine of list) {
    try {
      timed.push({ engine, ...(await timeEngine(engine, p, ctx, weights, table, rows, SLOWER * Math.min(Infinity, ...timed.map((t) => t.ms)))) });
    } catch (e) {
      refused.push({ name: engine.name, reason: `probe failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  if (timed.length === 0) return { ...byPriority, refused };
  timed.sort((a, b) => a.ms - b.ms);
  const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const reason = `auto: ${timed.map((t) => `${t.engine.name} ${ms(t.ms)} ms${t.from === undefined ? '' : ` (estimated from ${t.from} rows)`}`).join(' vs ')} per ${rows.toLocaleString('en-US')}-row probe step (${p.rule})`;
  decided.set(key, { name: timed[0]!.engine.name, reason });
  return { engine: timed[0]!.engine, reason, refused };
}
