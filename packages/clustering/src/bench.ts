import { fitHdbscanDense } from './fitHdbscan.js';
import { seededRandom } from './seededRandom.js';

/** One benchmark measurement. */
export interface BenchResult {
  name: string;
  units: number;
  dims: number;
  /** Wall-clock seconds of the measured call. */
  seconds: number;
}

/**
 * Times HDBSCAN on `units` uniform random points in [0, 1)^dims (seed 42) with the codebook
 * default `minClusterSize = max(5, ⌊units/20⌋)` — the algorithm alone, without the metrics
 * `cluster()` adds.
 *
 * ```ts
 * const { seconds } = await benchHdbscan(2500, 10);
 * ```
 */
export async function benchHdbscan(units = 2500, dims = 10): Promise<BenchResult> {
  const r = seededRandom(42);
  const data = new Float64Array(units * dims);
  for (let i = 0; i < data.length; i++) data[i] = r.next();
  await Promise.resolve();
  const t0 = now();
  fitHdbscanDense({ data, n: units, d: dims }, { minClusterSize: Math.max(5, Math.floor(units / 20)) });
  const seconds = (now() - t0) / 1000;
  return { name: 'hdbscan', units, dims, seconds };
}

function now(): number {
  return (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
}
