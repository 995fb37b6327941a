/**
 * The `bmu` kernel. Internal.
 */
import type { BmuJob, BmuResult } from '@somkit/plugin-api';
import { bmuGraph, maskedBmuGraph } from './bmuGraph.js';
import type { EngineState } from './EngineState.js';
import { checkCounts, checkK, checkSizes } from './jobChecks.js';

/**
 * Checks a BMU job's counts and sizes.
 * @throws SomError `ERR_SHAPE_MISMATCH`
 */
export function checkBmuJob(kernel: string, job: BmuJob): void {
  const { x, weights, samples: n, units: u, dims: d, k } = job;
  checkCounts(kernel, { samples: [n, 0], units: [u, 1], dims: [d, 1] });
  checkK(kernel, k, u);
  checkSizes(kernel, [
    ['x', `[${n}, ${d}]`, n * d, x?.length],
    ['weights', `[${u}, ${d}]`, u * d, weights?.length],
  ]);
}

/**
 * k best units of `x` [n, d] against `weights` [u, d] (exact, under the session's euclidean or
 * sqeuclidean distance): the BMU graph over chunks of `max(⌊maxBlockElements / u⌋, minRows)`
 * samples, so one [rows, u] score block stays bounded for any n. Returns [n, k] indices (nearest first, ties to
 * the lower unit) and distances.
 * @throws SomError `ERR_SHAPE_MISMATCH` for sizes that do not match, `ERR_BACKEND_UNSUPPORTED`
 *   when the runtime cannot run
 */
export async function runBmu(state: EngineState, job: BmuJob, kernel = 'bmu'): Promise<BmuResult> {
  state.checkOpen(kernel);
  checkBmuJob(kernel, job);
  const { x, weights, samples: n, units: u, dims: d, k } = job;
  if (n === 0) return { indices: new Int32Array(0), distances: new Float32Array(0) };
  const { ort } = state;
  const name = `${state.sqrt ? 'bmu-euclidean' : 'bmu-sqeuclidean'}${job.missing === true ? '-masked' : ''}`;
  const s = await state.graph(name, () => (job.missing === true ? maskedBmuGraph : bmuGraph)({ sqrt: state.sqrt }));
  const W = new ort.Tensor('float32', weights, [u, d]);
  const K = state.k(k);
  const rows = Math.max(1, Math.floor(state.maxBlock / u), state.minRows);
  if (n <= rows) {
    const out = await s.run({ X: new ort.Tensor('float32', x, [n, d]), W, K });
    return { indices: out.indices!.data as Int32Array, distances: out.distances!.data as Float32Array };
  }
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let start = 0; start < n; start += rows) {
    const size = Math.min(rows, n - start);
    const out = await s.run({ X: new ort.Tensor('float32', x.subarray(start * d, (start + size) * d), [size, d]), W, K });
    indices.set(out.indices!.data as Int32Array, start * k);
    distances.set(out.distances!.data as Float32Array, start * k);
  }
  return { indices, distances };
}
