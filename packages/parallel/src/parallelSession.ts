import {
  SomError,
  type BmuJob,
  type BmuResult,
  type EngineKernels,
  type EngineSession,
  type NeighborhoodProductJob,
  type NeighborhoodTable,
  type NeuronSumsJob,
  type NeuronSumsResult,
} from '@somkit/plugin-api';
import { WorkerPool } from './WorkerPool.js';

/** What a parallel session runs with. */
export interface ParallelSettings {
  /** Worker threads (≥ 1). */
  readonly threads: number;
  /** tfjs backend inside each worker. */
  readonly workerBackend: 'wasm' | 'cpu';
  /** `'euclidean'` or `'sqeuclidean'`: the distance the searches report. */
  readonly metric: string;
}

/** A session of the parallel engine: its three kernels and `close()`. */
export interface ParallelSession extends EngineSession {
  readonly kernels: Required<Pick<EngineKernels, 'bmu' | 'neuronSums' | 'neighborhoodProduct'>>;
  /** Stops the worker threads, if any were started. Idempotent. */
  close(): Promise<void>;
}

/** Splits n rows into at most `parts` contiguous ranges of near-equal size, in order. */
function ranges(n: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const step = Math.ceil(n / Math.max(1, parts));
  for (let s = 0; s < n; s += step) out.push([s, Math.min(n, s + step)]);
  return out;
}

function mismatch(kernel: string, what: string, expected: number, received: number): never {
  throw new SomError('ERR_SHAPE_MISMATCH', `@somkit/parallel ${kernel}: expected ${what} of ${expected} values, received ${received}. The job's arrays must match its sizes (row-major).`);
}

function checkSearchJob(kernel: string, job: BmuJob): void {
  const { samples: n, units: u, dims: d, k } = job;
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(u) && u >= 1 && Number.isInteger(d) && d >= 1)) {
    throw new SomError('ERR_INVALID_INPUT', `@somkit/parallel ${kernel}: expected integer sizes samples ≥ 0, units ≥ 1, dims ≥ 1, received samples=${n}, units=${u}, dims=${d}.`);
  }
  if (!(Number.isInteger(k) && k >= 1 && k <= u)) {
    throw new SomError('ERR_INVALID_INPUT', `@somkit/parallel ${kernel}: expected k to be an integer in [1, ${u}] (the number of units), received ${k}.`);
  }
  if (job.x.length !== n * d) mismatch(kernel, `x [${n}, ${d}]`, n * d, job.x.length);
  if (job.weights.length !== u * d) mismatch(kernel, `weights [${u}, ${d}]`, u * d, job.weights.length);
}

function checkTable(kernel: string, t: NeighborhoodTable, u: number): void {
  if (t.base.length !== u) mismatch(kernel, 'kernel.base [u]', u, t.base.length);
  if (t.offset.length !== u) mismatch(kernel, 'kernel.offset [u]', u, t.offset.length);
  let [lo, hi] = [Infinity, -Infinity];
  for (let b = 0; b < u; b++) [lo, hi] = [Math.min(lo, t.offset[b]!), Math.max(hi, t.offset[b]!)];
  for (let a = 0; a < u; a++) {
    if (!(t.base[a]! + lo >= 0 && t.base[a]! + hi < t.values.length)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `@somkit/parallel ${kernel}: kernel row ${a} reaches values[${t.base[a]! + lo} … ${t.base[a]! + hi}], outside the ${t.values.length} table values. base[a] + offset[b] must index kernel.values.`);
    }
  }
}

/**
 * A session of the parallel engine: the `bmu`, `neuronSums` and `neighborhoodProduct` kernels on
 * its own pool of worker threads, started by the first kernel call (so a session that is never
 * used starts no threads) and stopped by `close()`.
 *
 * - `bmu`: the samples split into one contiguous block of rows per worker; each worker searches
 *   its rows (tfjs wasm, euclidean surrogate, k masked argmins), so the result of a row does not
 *   depend on the split.
 * - `neuronSums`: the same row blocks; each worker searches (or takes `given`) and returns its
 *   block's sums [u, d + 1] in float64, summed in row order; the blocks are then added in block
 *   order and rounded to float32 once — the same bits for the same input and thread count.
 * - `neighborhoodProduct`: G's rows split into one block per worker; each gathers its rows of G
 *   from the table (`values[base[a] + offset[b]]`, a few thousand rows at a time) and multiplies
 *   them by m [u, c].
 *
 * Each call copies its inputs to the workers (the job's views are valid only during the call) and
 * returns new arrays.
 */
export function parallelSession(settings: ParallelSettings): ParallelSession {
  const { metric } = settings;
  let closed = false;
  let pool: WorkerPool | undefined;
  const live = (kernel: string): WorkerPool => {
    if (closed) throw new SomError('ERR_INVALID_INPUT', `@somkit/parallel ${kernel}: this session is closed; open a new one with engine.open(ctx).`);
    return (pool ??= new WorkerPool(settings.threads, settings.workerBackend));
  };

  /** Runs one message per row block of `n` rows; `part(s, e)` builds the message of rows [s, e). */
  const scatter = async (p: WorkerPool, n: number, part: (s: number, e: number) => [Record<string, unknown>, ArrayBuffer[]]) => {
    const parts = ranges(n, Math.min(p.size, n));
    const results = await Promise.all(parts.map(([s, e], i) => p.call(i, ...part(s, e))));
    return { parts, results };
  };

  const bmu = async (job: BmuJob): Promise<BmuResult> => {
    checkSearchJob('bmu', job);
    const p = live('bmu');
    const { samples: n, units: u, dims: d, k } = job;
    const indices = new Int32Array(n * k);
    const distances = new Float32Array(n * k);
    if (n === 0) return { indices, distances };
    const w = job.weights.slice();
    const { parts, results } = await scatter(p, n, (s, e) => {
      const x = job.x.slice(s * d, e * d);
      return [{ op: 'bmu', x, n: e - s, d, w, u, k, metric }, [x.buffer]];
    });
    parts.forEach(([s], i) => {
      indices.set(results[i]!['indices'] as Int32Array, s * k);
      distances.set(results[i]!['distances'] as Float32Array, s * k);
    });
    return { indices, distances };
  };

  const neuronSums = async (job: NeuronSumsJob): Promise<NeuronSumsResult> => {
    checkSearchJob('neuronSums', job);
    const { samples: n, units: u, dims: d, k, given } = job;
    if (given !== undefined) {
      if (given.indices.length !== n * k) mismatch('neuronSums', `given.indices [${n}, ${k}]`, n * k, given.indices.length);
      if (given.distances.length !== n * k) mismatch('neuronSums', `given.distances [${n}, ${k}]`, n * k, given.distances.length);
      for (let i = 0; i < n * k; i++) {
        const c = given.indices[i]!;
        if (!(c >= 0 && c < u)) throw new SomError('ERR_INVALID_INPUT', `@somkit/parallel neuronSums: given.indices[${i}] is ${c}, expected a unit index in [0, ${u}).`);
      }
    }
    const p = live('neuronSums');
    const total = new Float64Array(u * (d + 1));
    const indices = given === undefined ? new Int32Array(n * k) : Int32Array.from(given.indices);
    const distances = given === undefined ? new Float32Array(n * k) : Float32Array.from(given.distances);
    if (n > 0) {
      const w = job.weights.slice();
      const { parts, results } = await scatter(p, n, (s, e) => {
        const x = job.x.slice(s * d, e * d);
        const msg: Record<string, unknown> = { op: 'sums', x, n: e - s, d, w, u, k, metric };
        const transfer: ArrayBuffer[] = [x.buffer];
        if (given !== undefined) {
          const g = given.indices.slice(s * k, e * k);
          msg['given'] = g;
          transfer.push(g.buffer);
        }
        return [msg, transfer];
      });
      // Fixed order: block 0, 1, … — the same bits for the same input and thread count.
      parts.forEach(([s], i) => {
        const r = results[i]!;
        const part = r['sums'] as Float64Array;
        for (let j = 0; j < total.length; j++) total[j]! += part[j]!;
        if (given === undefined) {
          indices.set(r['indices'] as Int32Array, s * k);
          distances.set(r['distances'] as Float32Array, s * k);
        }
      });
    }
    return { indices, distances, sums: Float32Array.from(total) };
  };

  const neighborhoodProduct = async (job: NeighborhoodProductJob): Promise<Float32Array> => {
    const { units: u, columns: c } = job;
    if (!(Number.isInteger(u) && u >= 1 && Number.isInteger(c) && c >= 1)) {
      throw new SomError('ERR_INVALID_INPUT', `@somkit/parallel neighborhoodProduct: expected integer sizes units ≥ 1 and columns ≥ 1, received units=${u}, columns=${c}.`);
    }
    if (job.m.length !== u * c) mismatch('neighborhoodProduct', `m [${u}, ${c}]`, u * c, job.m.length);
    checkTable('neighborhoodProduct', job.kernel, u);
    const p = live('neighborhoodProduct');
    const values = job.kernel.values.slice();
    const base = job.kernel.base.slice();
    const offset = job.kernel.offset.slice();
    const m = job.m.slice();
    const out = new Float32Array(u * c);
    const { parts, results } = await scatter(p, u, (a0, a1) => [{ op: 'product', values, base, offset, a0, a1, m, u, c }, []]);
    parts.forEach(([a0], i) => out.set(results[i]!['out'] as Float32Array, a0 * c));
    return out;
  };

  return {
    kernels: Object.freeze({ bmu, neuronSums, neighborhoodProduct }),
    close: async () => {
      closed = true;
      const p = pool;
      pool = undefined;
      await p?.close();
    },
  };
}
