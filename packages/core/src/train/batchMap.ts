import type { NeuronSumsResult } from '@somkit/plugin-api';
import { neighborhoodTable } from './neighborhoodTable.js';
import { PassStats } from './PassStats.js';
import type { TrainingSetup } from './TrainingSetup.js';

/**
 * Per-neuron sums `[S | m]` [u, d + 1] of samples [n, d] under the current codebook, through the
 * `neuronSums` kernel (with the strategy's search as `given` when it is not exact), plus their
 * QE/TE statistic. Sums of disjoint chunks add up: streaming and distributed shards reduce this.
 */
export async function neuronSumsOf(t: TrainingSetup, x: Float32Array, n: number): Promise<{ sums: Float32Array; counts?: Float32Array; stats: PassStats }> {
  const { grid, codebook, kernels } = t;
  const u = grid.units;
  const d = t.config.dims;
  const k = Math.min(2, u);
  const weights = codebook.get();
  const job = { x, weights, samples: n, units: u, dims: d, k, ...(t.missing ? { missing: true } : {}) };
  const given = kernels.needsGiven('neuronSums') ? await kernels.strategyBmu(job) : undefined;
  const r: NeuronSumsResult = await kernels.run.neuronSums(given !== undefined ? { ...job, given } : job);
  const stats = new PassStats(grid);
  stats.add(r.indices, r.distances, n, k);
  return { sums: r.sums, ...(r.counts !== undefined ? { counts: r.counts } : {}), stats };
}

/**
 * From this many units on, a separable kernel's product runs along rows and columns. Below it the
 * full product costs at most ~0.4 GFLOP per epoch (u² · (d + 1) · 2 at d = 32) and keeps the
 * arithmetic of the `neighborhoodProduct` kernel, so small maps train to the same bits as before.
 */
export const SEPARABLE_MIN_UNITS = 2500;

/**
 * Kohonen's batch-map update from per-neuron sums [u, d + 1]: `W = (G S) / (G m)` with `G` the
 * grid kernel at σ — along rows and columns separately for a separable kernel on a rectangular
 * grid of at least {@link SEPARABLE_MIN_UNITS} units (O(u·(rows + cols)·(d + 1)); that code loads on first use), else the `neighborhoodProduct` kernel over the offset table
 * (O(u²·(d + 1))); units with zero mass keep their weights.
 */
export async function applyBatchMap(t: TrainingSetup, sums: Float32Array, sigma: number, counts?: Float32Array): Promise<void> {
  const { grid, codebook, kernels } = t;
  const u = grid.units;
  const d = t.config.dims;
  // With missing values each dimension has its own denominator: G·[S | C] over [u, 2d] columns.
  const m = counts !== undefined ? observedColumns(sums, counts, u, d) : sums;
  const c = counts !== undefined ? 2 * d : d + 1;
  const gs =
    // The separable product (large maps only) is loaded on first use.
    (u >= SEPARABLE_MIN_UNITS ? await (await import('./separableProduct.js')).separableProduct(grid, t.plugins.neighborhood, sigma, m, c) : undefined) ??
    (await kernels.run.neighborhoodProduct({ kernel: await neighborhoodTable(grid, t.plugins.neighborhood, sigma, 1), m, units: u, columns: c }));
  const old = codebook.get();
  const w = new Float32Array(u * d);
  for (let i = 0; i < u; i++) {
    for (let j = 0; j < d; j++) {
      const den = counts !== undefined ? gs[i * c + d + j]! : gs[i * c + d]!;
      w[i * d + j] = den > 1e-12 ? gs[i * c + j]! / den : old[i * d + j]!;
    }
  }
  codebook.set(w);
}

/** `[S | C]` [u, 2d]: the observed sums without their count column, then the per-dimension counts. */
function observedColumns(sums: Float32Array, counts: Float32Array, u: number, d: number): Float32Array {
  const out = new Float32Array(u * 2 * d);
  for (let i = 0; i < u; i++) {
    out.set(sums.subarray(i * (d + 1), i * (d + 1) + d), i * 2 * d);
    out.set(counts.subarray(i * d, (i + 1) * d), i * 2 * d + d);
  }
  return out;
}
