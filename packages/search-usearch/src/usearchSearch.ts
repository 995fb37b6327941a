import * as tf from '@tensorflow/tfjs-core';
import { defineSearch, SomError, type SearchContext, type SearchResult, type SearchStrategy } from '@somkit/plugin-api';
import { bruteForce } from '@somkit/search';
import { loadUsearch, type UsearchMetric } from './loadUsearch.js';
import { normalizeRows, UnitIndex, type IndexSettings } from './UnitIndex.js';

/** Options of {@link usearchSearch} (JSON, so they round-trip through model files). */
export interface UsearchSearchOptions {
  /** Graph edges per node (HNSW `M`). Default 16. Higher: better recall, slower build and search. */
  readonly connectivity?: number;
  /** Candidate list size while inserting (HNSW `efConstruction`). Default 128. */
  readonly expansionAdd?: number;
  /**
   * Candidate list size while searching (HNSW `ef`; usearch uses max(ef, k)). Default 64. The main
   * recall/speed knob: see the recall table in the README.
   */
  readonly expansionSearch?: number;
  /**
   * Threads for building and searching. Default 1, which makes the index — and so every result —
   * a function of the codebook and these options alone. With more threads the build's insertion
   * order depends on thread timing, so the rare approximate misses can differ between runs.
   */
  readonly threads?: number;
  /**
   * `supports()` refuses maps with fewer units than this: below it the exact brute force is as
   * fast or faster (measured, see the README). Default 2048. Set 0 to accept any map.
   */
  readonly minUnits?: number;
  /**
   * A codebook that changed since the last build is re-indexed only for a search over at least
   * `rebuildRatio × units` samples; a smaller search (each batch of the `minibatch` rule, where
   * the codebook changes every batch) runs the exact tfjs brute force instead, because building
   * the graph would cost more than it saves. Default 1. Set 0 to always re-index.
   */
  readonly rebuildRatio?: number;
}

/** What the strategy did so far (for benchmarks, tests and tuning). */
export interface UsearchSearchStats {
  /** Index builds (codebook changes seen by a large enough search, plus `rebuild()` calls). */
  readonly builds: number;
  /** Seconds spent building, in total. */
  readonly buildSeconds: number;
  /** Samples answered from the index. */
  readonly indexedSamples: number;
  /** Samples answered by the exact brute force (a changed codebook and a small search). */
  readonly exactSamples: number;
}

/** The strategy: a {@link SearchStrategy} (`exact: false`) plus {@link UsearchSearch.stats}. */
export interface UsearchSearch extends SearchStrategy<UsearchSearchOptions | undefined> {
  readonly exact: false;
  /** Counters since the strategy was made. */
  stats(): UsearchSearchStats;
}

/** Default of {@link UsearchSearchOptions.minUnits}, from the measurements in the README. */
export const DEFAULT_MIN_UNITS = 2048;

const DEFAULTS = Object.freeze({ connectivity: 16, expansionAdd: 128, expansionSearch: 64, threads: 1, minUnits: DEFAULT_MIN_UNITS, rebuildRatio: 1 });

/** usearch metric per somkit distance name (cosine on normalised rows, see `normalizeRows`). */
const METRICS: Readonly<Record<string, UsearchMetric>> = Object.freeze({ euclidean: 'l2sq', sqeuclidean: 'l2sq', cosine: 'ip' });
/** tfjs backends whose tensors live in CPU memory, so `data()` is a cheap copy. */
const BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm']);

const HOW_TO_FIX = 'Fix the option or leave it out to use the default';

function check(options: UsearchSearchOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SomError('ERR_INVALID_CONFIG', `usearchSearch: expected an options object or nothing, received ${JSON.stringify(options)}. Pass e.g. { expansionSearch: 64 }.`);
  }
  const known = Object.keys(DEFAULTS);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new SomError('ERR_INVALID_CONFIG', `usearchSearch: unknown option '${key}'; expected one of ${known.join(', ')}. Check the spelling (options are camelCase).`, { details: { field: key } });
    }
  }
  const int = (key: keyof UsearchSearchOptions, min: number, what: string): void => {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min)) {
      throw new SomError('ERR_INVALID_CONFIG', `usearchSearch: expected ${key} to be an integer ≥ ${min} (${what}, default ${DEFAULTS[key]}), received ${JSON.stringify(v)}. ${HOW_TO_FIX}.`, { details: { field: key } });
    }
  };
  int('connectivity', 2, 'graph edges per node');
  int('expansionAdd', 1, 'candidates kept while inserting');
  int('expansionSearch', 1, 'candidates kept while searching');
  int('threads', 1, 'threads for build and search');
  int('minUnits', 0, 'smallest map supports() accepts');
  const r = options.rebuildRatio;
  if (r !== undefined && !(typeof r === 'number' && Number.isFinite(r) && r >= 0)) {
    throw new SomError('ERR_INVALID_CONFIG', `usearchSearch: expected rebuildRatio to be a finite number ≥ 0 (samples per unit a search needs to re-index a changed codebook, default ${DEFAULTS.rebuildRatio}), received ${JSON.stringify(r)}. ${HOW_TO_FIX}.`, { details: { field: 'rebuildRatio' } });
  }
}

/** Samples as the index wants them: float32, unit rows for `ip`. */
function asQueries(data: ArrayLike<number>, d: number, metric: UsearchMetric): Float32Array {
  const f = data instanceof Float32Array ? data : Float32Array.from(data);
  return metric === 'ip' ? normalizeRows(f, d) : f;
}

/**
 * Approximate best-matching-unit search strategy on a [usearch](https://github.com/unum-cloud/usearch)
 * HNSW index over the codebook, for large maps in Node. Registry name `'usearch'`, priority 50
 * (above the exact tfjs brute force's 0). Declares `exact: false`: core calls it for every search
 * and hands its results to the engine's kernels (`given`), which then sum or step by them instead
 * of searching themselves.
 *
 * - `supports(ctx)`: the `euclidean`, `sqeuclidean` and `cosine` distances, the tfjs `cpu` and
 *   `wasm` backends, usearch loadable, and at least `minUnits` units; otherwise the reason.
 * - The index is keyed on the codebook tensor's data (tfjs tensors are immutable, and core makes a
 *   new tensor on every update): a search with a new codebook re-indexes it first — or, when the
 *   search is too small to pay for a build (`rebuildRatio`), answers exactly with tfjs instead.
 *   `rebuild(w)` indexes a codebook ahead of time.
 * - Results: [n, k] int32 units, nearest first (equal distances: lower unit first), float32
 *   distances under `ctx.distance` (usearch's float32 squared L2, its square root for euclidean,
 *   or 1 − cosine on normalised rows). Approximate: the returned unit is the exact BMU for a
 *   fraction of samples, recall@1, that the README reports per map size.
 *
 * ```ts
 * import { usearchSearch } from '@somkit/search-usearch';
 * const som = new SOM({ rows: 100, cols: 100, dims: 64, rule: 'batch-map', search: usearchSearch() });
 * await som.fit(data);
 * ```
 */
export const usearchSearch: (options?: UsearchSearchOptions) => UsearchSearch = defineSearch<UsearchSearchOptions | undefined>('usearch', (options) => {
  check(options);
  const settings: IndexSettings = {
    connectivity: options?.connectivity ?? DEFAULTS.connectivity,
    expansionAdd: options?.expansionAdd ?? DEFAULTS.expansionAdd,
    expansionSearch: options?.expansionSearch ?? DEFAULTS.expansionSearch,
    threads: options?.threads ?? DEFAULTS.threads,
  };
  const minUnits = options?.minUnits ?? DEFAULTS.minUnits;
  const rebuildRatio = options?.rebuildRatio ?? DEFAULTS.rebuildRatio;

  /** The current index and the codebook data it was built from (compared by identity). */
  let current: { index: UnitIndex; dataId: object } | undefined;
  /** Metric of the last search; `rebuild(w)` has no context and builds for it. */
  let lastMetric: UsearchMetric = 'l2sq';
  const counts = { builds: 0, buildSeconds: 0, indexedSamples: 0, exactSamples: 0 };

  const need = () => {
    const mod = loadUsearch();
    if (typeof mod === 'string') {
      throw new SomError('ERR_BACKEND_UNSUPPORTED', `Search backend 'usearch' cannot run here: ${mod}. Use search: 'auto' or 'brute-force'.`);
    }
    return mod;
  };

  const build = (w: tf.Tensor2D, data: ArrayLike<number>, metric: UsearchMetric): UnitIndex => {
    const mod = need();
    const [u, d] = w.shape;
    const t0 = performance.now();
    const index = UnitIndex.build(mod, asQueries(data, d, metric), u, d, metric, settings);
    counts.buildSeconds += (performance.now() - t0) / 1000;
    counts.builds++;
    current = { index, dataId: w.dataId };
    return index;
  };

  const fresh = (w: tf.Tensor2D, metric: UsearchMetric): UnitIndex | undefined =>
    current !== undefined && current.dataId === w.dataId && current.index.metric === metric ? current.index : undefined;

  const validate = (x: tf.Tensor2D, w: tf.Tensor2D, k: number): void => {
    const u = w.shape[0];
    if (!Number.isInteger(k) || k < 1 || k > u) {
      throw new SomError('ERR_INVALID_INPUT', `usearch search: expected k to be an integer in [1, ${u}] (the number of units), received ${k}. Ask for at most as many neighbours as the map has units.`);
    }
    if (x.shape[1] !== w.shape[1]) {
      throw new SomError('ERR_SHAPE_MISMATCH', `usearch search: expected samples of shape [n, ${w.shape[1]}] to match the codebook [${u}, ${w.shape[1]}], received [${x.shape.join(', ')}].`);
    }
  };

  /** Reads the index results into tensors, converting scores to the context's distance. */
  const result = (index: UnitIndex, xs: ArrayLike<number>, n: number, k: number, ctx: SearchContext): SearchResult => {
    const { indices, scores } = index.query(asQueries(xs, index.dims, index.metric), n, k);
    const name = ctx.distance.name;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      scores[i] = name === 'euclidean' ? Math.sqrt(Math.max(0, s)) : name === 'cosine' ? Math.min(2, Math.max(0, s)) : Math.max(0, s);
    }
    counts.indexedSamples += n;
    return { indices: tf.tensor2d(indices, [n, k], 'int32'), distances: tf.tensor2d(scores, [n, k], 'float32') };
  };

  const empty = (k: number): SearchResult => ({ indices: tf.zeros([0, k], 'int32') as tf.Tensor2D, distances: tf.zeros([0, k], 'float32') as tf.Tensor2D });

  /** Whether a search of n samples on a changed codebook should use the exact brute force. */
  const tooSmallToBuild = (n: number, u: number): boolean => n < rebuildRatio * u;

  /** somkit's exact tfjs brute force, for searches too small to pay for an index build. */
  const brute = bruteForce();
  const exact = (x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult => {
    counts.exactSamples += x.shape[0];
    return brute.search(x, w, k, ctx);
  };

  /**
   * What `search` and `searchAsync` share: the exact answer where the index does not apply (empty
   * input, a distance it does not compute, a changed codebook with too few samples to pay for a
   * build), otherwise the metric and the index if the codebook's one is current.
   */
  const plan = (x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult | { metric: UsearchMetric; index: UnitIndex | undefined } => {
    validate(x, w, k);
    const n = x.shape[0];
    if (n === 0) return empty(k);
    const metric = METRICS[ctx.distance.name];
    // Called directly with a distance the index does not compute: stay exact.
    if (metric === undefined) return exact(x, w, k, ctx);
    lastMetric = metric;
    const index = fresh(w, metric);
    if (index === undefined && tooSmallToBuild(n, w.shape[0])) return exact(x, w, k, ctx);
    return { metric, index };
  };

  return {
    priority: 50,
    exact: false,

    supports(ctx: SearchContext): true | string {
      if (METRICS[ctx.distance.name] === undefined) {
        return `the usearch index computes the euclidean, sqeuclidean and cosine distances only, not '${ctx.distance.name}'`;
      }
      if (!BACKENDS.has(ctx.backend)) {
        return `the usearch index works with the tfjs cpu or wasm backends (tensors in CPU memory); on '${ctx.backend}' every search would copy samples and codebook off the device`;
      }
      const mod = loadUsearch();
      if (typeof mod === 'string') return mod;
      if (ctx.units < minUnits) {
        return `the map has ${ctx.units} units, fewer than minUnits = ${minUnits}: below that the exact brute force is as fast or faster than the approximate index (pass minUnits to change this)`;
      }
      return true;
    },

    search(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult {
      const p = plan(x, w, k, ctx);
      if ('indices' in p) return p;
      // Synchronous reads: supports() admits only backends whose tensors are in CPU memory.
      const index = p.index ?? build(w, w.dataSync(), p.metric);
      return result(index, x.dataSync(), x.shape[0], k, ctx);
    },

    async searchAsync(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): Promise<SearchResult> {
      const p = plan(x, w, k, ctx);
      if ('indices' in p) return p;
      let index = p.index;
      if (index === undefined) {
        const data = await w.data();
        // Another call may have indexed the same codebook while this one waited.
        index = fresh(w, p.metric) ?? build(w, data, p.metric);
      }
      return result(index, await x.data(), x.shape[0], k, ctx);
    },

    async rebuild(w: tf.Tensor2D): Promise<void> {
      if (fresh(w, lastMetric) !== undefined) return;
      build(w, await w.data(), lastMetric);
    },

    dispose(): void {
      // usearch frees the native index when its JS object is collected.
      current = undefined;
    },

    stats(): UsearchSearchStats {
      return { ...counts };
    },
  };
}) as (options?: UsearchSearchOptions) => UsearchSearch;
