import {
  SomError,
  type BmuJob,
  type BmuResult,
  type EngineKernels,
  type GivenSearch,
  type MinibatchStepsJob,
  type MinibatchStepsResult,
  type NeighborhoodProductJob,
  type NeighborhoodTable,
  type NeuronSumsJob,
  type NeuronSumsResult,
} from '@somkit/plugin-api';
import { JS_DISTANCES, JS_MASKED_DISTANCES, type VectorDistance } from './jsDistances.js';
import { distanceRows, maskedStepUpdate, neuronSumsOf, observedNeuronSumsOf, productOf, ranked, stepUpdate, toRows } from './kernelMath.js';

/** The four named kernels, all implemented. */
export type ReferenceKernels = Required<EngineKernels>;

/** Options of {@link referenceKernels}. */
export interface ReferenceKernelsOptions {
  /**
   * The distance of the `bmu`, `neuronSums` and `minibatchSteps` searches: a built-in name
   * (`'euclidean'`, the default, `'sqeuclidean'`, `'manhattan'`, `'chebyshev'`, `'cosine'`) or a
   * plain-JS function of two vectors.
   */
  readonly distance?: string | VectorDistance;
  /**
   * The distance for jobs with `missing: true` (first vector with NaN at missing cells). Default:
   * the built-in masked form of a named `distance` (over observed dimensions, sums rescaled by
   * d / observed); required with a function `distance`.
   */
  readonly maskedDistance?: VectorDistance;
}

const who = 'referenceKernels';

function shape(kernel: string, what: string, expected: string, received: string): never {
  throw new SomError('ERR_SHAPE_MISMATCH', `${who} ${kernel}: expected ${what} ${expected}, received ${received}. Pass row-major arrays whose lengths match the job's sizes.`);
}

function count(kernel: string, name: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min)) {
    throw new SomError('ERR_INVALID_INPUT', `${who} ${kernel}: expected ${name} to be an integer ≥ ${min}, received ${v}.`);
  }
}

function checkLength(kernel: string, name: string, a: ArrayLike<number>, length: number, dims: string): void {
  if (a.length !== length) shape(kernel, name, `[${dims}] (${length} values)`, `${a.length} values`);
}

function checkK(kernel: string, k: number, units: number): void {
  if (!(Number.isInteger(k) && k >= 1 && k <= units)) {
    throw new SomError('ERR_INVALID_INPUT', `${who} ${kernel}: expected k to be an integer in [1, ${units}] (the number of units), received ${k}.`);
  }
}

function checkTable(kernel: string, t: NeighborhoodTable, units: number): void {
  checkLength(kernel, 'kernel.base', t.base, units, 'u');
  checkLength(kernel, 'kernel.offset', t.offset, units, 'u');
  let min = Infinity;
  let max = -Infinity;
  for (let b = 0; b < units; b++) [min, max] = [Math.min(min, t.offset[b]!), Math.max(max, t.offset[b]!)];
  for (let a = 0; a < units; a++) {
    const lo = t.base[a]! + min;
    const hi = t.base[a]! + max;
    if (!(lo >= 0 && hi < t.values.length)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `${who} ${kernel}: kernel row ${a} reaches values[${lo} … ${hi}], outside the ${t.values.length} table values. Build the table with the grid's offsets (base[a] + offset[b] must index values).`);
    }
  }
}

function checkGiven(kernel: string, g: GivenSearch, rows: number, k: number, units: number): void {
  checkLength(kernel, 'given.indices', g.indices, rows * k, `${rows}, ${k}`);
  checkLength(kernel, 'given.distances', g.distances, rows * k, `${rows}, ${k}`);
  for (let i = 0; i < g.indices.length; i++) {
    const c = g.indices[i]!;
    if (!(c >= 0 && c < units)) throw new SomError('ERR_INVALID_INPUT', `${who} ${kernel}: given.indices[${i}] is ${c}, expected a unit index in [0, ${units}).`);
  }
}

function checkBmuJob(kernel: string, job: BmuJob): void {
  count(kernel, 'samples', job.samples, 0);
  count(kernel, 'units', job.units, 1);
  count(kernel, 'dims', job.dims, 1);
  checkK(kernel, job.k, job.units);
  checkLength(kernel, 'x', job.x, job.samples * job.dims, `${job.samples}, ${job.dims}`);
  checkLength(kernel, 'weights', job.weights, job.units * job.dims, `${job.units}, ${job.dims}`);
}

function resolveDistance(d: string | VectorDistance | undefined): VectorDistance {
  if (typeof d === 'function') return d;
  const name = d ?? 'euclidean';
  const f = JS_DISTANCES[name];
  if (f === undefined) {
    throw new SomError('ERR_INVALID_CONFIG', `${who}: no built-in distance '${name}'; expected one of ${Object.keys(JS_DISTANCES).join(', ')}, or pass a function (a, b) => number.`);
  }
  return f;
}

/** The k best units of each row of `xs` under codebook rows `ws` (float64, ties to the lower unit). */
function search(xs: readonly number[][], ws: readonly number[][], k: number, dist: VectorDistance): { indices: number[][]; distances: number[][] } {
  const d = distanceRows(xs, ws, dist);
  const indices = d.map((row) => ranked(row).slice(0, k));
  return { indices, distances: indices.map((idx, i) => idx.map((j) => d[i]![j]!)) };
}

function flat(rows: readonly number[][]): number[] {
  return rows.flat();
}

/**
 * Plain-JS float64 implementations of the four engine kernels — `bmu`, `neuronSums`,
 * `minibatchSteps`, `neighborhoodProduct` — exactly as `@somkit/plugin-api` specifies them (the
 * arithmetic core's tfjs reference implements, without its float32 rounding): best units ranked
 * by (distance, unit index); `given` search results used instead of searching; the minibatch rule
 * `W ← W + Hᵀ X − (Σ_b H) ∘ W` step after step; `out[a, :] = Σ_b h(a, b)·m[b, :]`. Results are
 * rounded to float32 once, at the end. O(n·u·d) per search, O(u²·c) per product: for tests, as a
 * baseline for an engine's results or as a stand-in engine:
 *
 * ```ts
 * const kernels = referenceKernels({ distance: 'euclidean' });
 * const stand = defineEngine('test/reference', () => ({ priority: 0, supports: () => true, open: () => ({ kernels, close() {} }) }))();
 * const { indices, distances } = await kernels.bmu({ x, weights, samples: n, units: u, dims: d, k: 2 }); // [n, 2] each
 * ```
 * Inputs are never modified; the results are new arrays. A job whose arrays do not match its
 * sizes throws `SomError` (`ERR_SHAPE_MISMATCH` or `ERR_INVALID_INPUT`).
 */
export function referenceKernels(options: ReferenceKernelsOptions = {}): ReferenceKernels {
  const plain = resolveDistance(options.distance);
  const masked = options.maskedDistance ?? (typeof options.distance === 'function' ? undefined : JS_MASKED_DISTANCES[options.distance ?? 'euclidean']);
  const distOf = (kernel: string, missing: boolean | undefined): VectorDistance => {
    if (missing !== true) return plain;
    if (masked === undefined) throw new SomError('ERR_INVALID_CONFIG', `${who} ${kernel}: a job with missing values needs options.maskedDistance (the distance over observed dimensions).`);
    return masked;
  };

  const bmuOf = (kernel: string, job: BmuJob, given: GivenSearch | undefined): BmuResult & { rows: number[][]; first: number[] } => {
    checkBmuJob(kernel, job);
    const { samples: n, units: u, dims: d, k } = job;
    const rows = toRows(job.x, n, d);
    if (given !== undefined) {
      checkGiven(kernel, given, n, k, u);
      const first = Array.from({ length: n }, (_, i) => given.indices[i * k]!);
      return { indices: Int32Array.from(given.indices), distances: Float32Array.from(given.distances), rows, first };
    }
    const r = search(rows, toRows(job.weights, u, d), k, distOf(kernel, job.missing));
    return { indices: Int32Array.from(flat(r.indices)), distances: Float32Array.from(flat(r.distances)), rows, first: r.indices.map((idx) => idx[0]!) };
  };

  return Object.freeze({
    async bmu(job: BmuJob): Promise<BmuResult> {
      const { indices, distances } = bmuOf('bmu', job, undefined);
      return { indices, distances };
    },

    async neuronSums(job: NeuronSumsJob): Promise<NeuronSumsResult> {
      const r = bmuOf('neuronSums', job, job.given);
      if (job.missing === true) {
        const o = observedNeuronSumsOf(r.rows, r.first, job.units, job.dims);
        return { indices: r.indices, distances: r.distances, sums: Float32Array.from(o.sums), counts: Float32Array.from(o.counts) };
      }
      return { indices: r.indices, distances: r.distances, sums: Float32Array.from(neuronSumsOf(r.rows, r.first, job.units, job.dims)) };
    },

    async minibatchSteps(job: MinibatchStepsJob): Promise<MinibatchStepsResult> {
      const kernel = 'minibatchSteps';
      const { samples: n, units: u, dims: d, k, batch: b, steps } = job;
      count(kernel, 'samples', n, 1);
      count(kernel, 'units', u, 1);
      count(kernel, 'dims', d, 1);
      count(kernel, 'batch', b, 1);
      count(kernel, 'steps', steps, 1);
      checkK(kernel, k, u);
      checkLength(kernel, 'x', job.x, n * d, `${n}, ${d}`);
      checkLength(kernel, 'weights', job.weights, u * d, `${u}, ${d}`);
      checkLength(kernel, 'rows', job.rows, steps * b, `${steps} · ${b}`);
      checkTable(kernel, job.kernel, u);
      for (let i = 0; i < job.rows.length; i++) {
        const r = job.rows[i]!;
        if (!(r >= 0 && r < n)) throw new SomError('ERR_INVALID_INPUT', `${who} ${kernel}: rows[${i}] is ${r}, expected a row index in [0, ${n}).`);
      }
      if (job.given !== undefined) {
        if (steps !== 1) throw new SomError('ERR_INVALID_INPUT', `${who} ${kernel}: given search results come with one step per call, received steps = ${steps}. Send steps: 1 with given.`);
        checkGiven(kernel, job.given, b, k, u);
      }
      let w: ArrayLike<number> = job.weights;
      const indices = new Int32Array(steps * b * k);
      const distances = new Float32Array(steps * b * k);
      for (let s = 0; s < steps; s++) {
        const batch = Array.from(job.rows.subarray(s * b, (s + 1) * b), (r) => Array.from(job.x.subarray(r * d, (r + 1) * d)));
        let first: number[];
        if (job.given !== undefined) {
          indices.set(job.given.indices);
          distances.set(job.given.distances);
          first = Array.from({ length: b }, (_, i) => job.given!.indices[i * k]!);
        } else {
          const r = search(batch, toRows(w, u, d), k, distOf(kernel, job.missing));
          indices.set(flat(r.indices), s * b * k);
          distances.set(flat(r.distances), s * b * k);
          first = r.indices.map((idx) => idx[0]!);
        }
        w = job.missing === true ? maskedStepUpdate(w, batch, first, job.kernel, u, d) : stepUpdate(w, batch, first, job.kernel, u, d);
      }
      return { weights: Float32Array.from(w), indices, distances };
    },

    async neighborhoodProduct(job: NeighborhoodProductJob): Promise<Float32Array> {
      const kernel = 'neighborhoodProduct';
      count(kernel, 'units', job.units, 1);
      count(kernel, 'columns', job.columns, 1);
      checkLength(kernel, 'm', job.m, job.units * job.columns, `${job.units}, ${job.columns}`);
      checkTable(kernel, job.kernel, job.units);
      return Float32Array.from(productOf(job.kernel, job.m, job.units, job.columns));
    },
  });
}
