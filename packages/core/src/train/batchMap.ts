import type { NeuronSumsResult } from '@somkit/plugin-api';
import { neighborhoodTable } from './neighborhoodTable.js';
import { PassStats } from './PassStats.js';
import { separableProduct } from './separableProduct.js';
import type { TrainingSetup } from './TrainingSetup.js';

/**
 * Per-neuron sums `[S | m]` [u, d + 1] of samples [n, d] under the current codebook, through the
 * `neuronSums` kernel (with the strategy's search as `given` when it is not exact), plus their
 * QE/TE statistic. Sums of disjoint chunks add up: streaming and distributed shards reduce this.
 */
export async function neuronSumsOf(t: TrainingSetup, x: Float32Array, n: number): Promise<{ sums: Float32Array; stats: PassStats }> {
  const { grid, codebook, kernels } = t;
  const u = grid.units;
  const d = t.config.dims;
  const k = Math.min(2, u);
  const weights = codebook.get();
  const job = { x, weights, samples: n, units: u, dims: d, k };
  const given = kernels.needsGiven('neuronSums') ? await kernels.strategyBmu(job) : undefined;
  const r: NeuronSumsResult = await kernels.run.neuronSums(given !== undefined ? { ...job, given } : job);
  const stats = new PassStats(grid);
  stats.add(r.indices, r.distances, n, k);
  return { sums: r.sums, stats };
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
 * grid of at least {@link SEPARABLE_MIN_UNITS} units (O(u·(rows + cols)·(d + 1))), else the `neighborhoodProduct` kernel over the offset table
 * (O(u²·(d + 1))); units with zero mass keep their weights.
 */
export async function applyBatchMap(t: TrainingSetup, sums: Float32Array, sigma: number): Promise<void> {
  const { grid, codebook, kernels } = t;
  const u = grid.units;
  const d = t.config.dims;
  const gs =
    (u >= SEPARABLE_MIN_UNITS ? await separableProduct(grid, t.plugins.neighborhood, sigma, sums, d + 1) : undefined) ??
    (await kernels.run.neighborhoodProduct({ kernel: await neighborhoodTable(grid, t.plugins.neighborhood, sigma, 1), m: sums, units: u, columns: d + 1 }));
  const old = codebook.get();
  const w = new Float32Array(u * d);
  for (let i = 0; i < u; i++) {
    const den = gs[i * (d + 1) + d]!;
    if (den > 1e-12) for (let j = 0; j < d; j++) w[i * d + j] = gs[i * (d + 1) + j]! / den;
    else for (let j = 0; j < d; j++) w[i * d + j] = old[i * d + j]!;
  }
  codebook.set(w);
}
