import { neighborhoodTable, scaleTable } from './neighborhoodTable.js';
import { PassStats } from './PassStats.js';
import { now, type Yielder } from './Yielder.js';
import type { StepPacer } from './StepPacer.js';
import type { TrainingSetup } from './TrainingSetup.js';

/** Rows `order[start..start+size)` of `data` [n, d], gathered into a new array [size, d]. */
function gatherRows(data: Float32Array, order: Int32Array, start: number, size: number, d: number): Float32Array {
  const out = new Float32Array(size * d);
  for (let i = 0; i < size; i++) out.set(data.subarray(order[start + i]! * d, (order[start + i]! + 1) * d), i * d);
  return out;
}

/**
 * One epoch of the `minibatch` rule (TorchSOM / fastsom): per batch B of the shuffled samples,
 * `w_k ← w_k + (α/|B|)·Σ_b h_bk (x_b − w_k)`, through the `minibatchSteps` kernel. Each call
 * takes as many full batches as fit the yield budget (`pace`), a shorter last batch is its own
 * call with its own table scale; the codebook is replaced after every call, so an abort keeps
 * the steps already applied. With a non-exact search strategy and an engine kernel, every batch
 * is searched by the strategy first and handed over as `given` (one step per call).
 * @param data - the samples [n, d] in CPU memory
 */
export async function minibatchEpoch(t: TrainingSetup, data: Float32Array, n: number, lr: number, sigma: number, shuffle: boolean, y: Yielder, pace: StepPacer): Promise<PassStats> {
  const { grid, codebook, kernels } = t;
  const u = grid.units;
  const d = t.config.dims;
  const k = Math.min(2, u);
  const bs = Math.min(t.config.batchSize, n);
  const order = shuffle ? t.rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const full = await neighborhoodTable(grid, t.plugins.neighborhood, sigma, lr / bs);
  let tail: typeof full | undefined;
  const withGiven = kernels.needsGiven('minibatchSteps');
  const stats = new PassStats(grid);
  for (let start = 0; start < n; ) {
    y.checkAbort();
    const size = Math.min(bs, n - start);
    const kernel = size === bs ? full : (tail ??= scaleTable(full, bs / size));
    const steps = withGiven || size < bs ? 1 : Math.min(Math.floor((n - start) / bs), pace.next());
    const weights = codebook.get();
    const given = withGiven
      ? await kernels.strategyBmu({ x: gatherRows(data, order, start, size, d), weights, samples: size, units: u, dims: d, k, ...(t.missing ? { missing: true } : {}) })
      : undefined;
    const t0 = now();
    const out = await kernels.run.minibatchSteps({
      x: data, rows: order.subarray(start, start + steps * size), weights, kernel, batch: size, steps, samples: n, units: u, dims: d, k,
      ...(given !== undefined ? { given } : {}),
      ...(t.missing ? { missing: true } : {}),
    });
    pace.record(steps, now() - t0);
    codebook.set(out.weights);
    stats.add(out.indices, out.distances, steps * size, k);
    start += steps * size;
    await y.maybeYield('batch');
  }
  return stats;
}
