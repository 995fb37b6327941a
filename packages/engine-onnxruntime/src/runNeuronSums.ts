/**
 * The `neuronSums` kernel. Internal.
 */
import type { NeuronSumsJob, NeuronSumsResult } from '@somkit/plugin-api';
import type { EngineState } from './EngineState.js';
import { checkGiven } from './jobChecks.js';
import { checkBmuJob, runBmu } from './runBmu.js';
import { sumsGraph } from './sumsGraph.js';

const KERNEL = 'neuronSums';

/**
 * The batch-map pass over a chunk of samples: best units (the `bmu` kernel's chunked search, or
 * the `given` ones of a non-exact strategy, returned as copies), then `[S | m]` [u, d + 1] — Σ x
 * per best unit and the count. Σ x comes from {@link sumsGraph} run in a one-thread session
 * (ScatterND adds in row order: deterministic), counts from a JS pass over the indices.
 * @throws SomError `ERR_SHAPE_MISMATCH` for sizes or indices that do not match,
 *   `ERR_BACKEND_UNSUPPORTED` when the runtime cannot run
 */
export async function runNeuronSums(state: EngineState, job: NeuronSumsJob): Promise<NeuronSumsResult> {
  state.checkOpen(KERNEL);
  checkBmuJob(KERNEL, job);
  const { x, samples: n, units: u, dims: d, k, given } = job;
  if (given !== undefined) checkGiven(KERNEL, given, n, k, u);
  const { indices, distances } = given !== undefined ? { indices: Int32Array.from(given.indices), distances: Float32Array.from(given.distances) } : await runBmu(state, job, KERNEL);
  // Missing values: observed sums and per-dimension counts in one float64 pass in row order
  // (the reference's arithmetic, so the same bits), not ScatterND (NaN would poison a unit's sum).
  if (job.missing === true) return { indices, distances, ...observedSums(x, indices, n, u, d, k) };
  const sums = new Float32Array(u * (d + 1));
  if (n === 0) return { sums, indices, distances };
  const { ort } = state;
  const s = await state.graph('neuron-sums', sumsGraph, 1);
  const out = await s.run({
    X: new ort.Tensor('float32', x, [n, d]),
    IDX: new ort.Tensor('int32', indices, [n, k]),
    SHAPE: new ort.Tensor('int64', BigInt64Array.of(BigInt(u), BigInt(d)), [2]),
  });
  const sx = out.S!.data as Float32Array;
  for (let c = 0; c < u; c++) sums.set(sx.subarray(c * d, c * d + d), c * (d + 1));
  for (let i = 0; i < n; i++) {
    const at = indices[i * k]! * (d + 1) + d;
    sums[at] = sums[at]! + 1;
  }
  return { sums, indices, distances };
}

/** `sums` [u, d + 1] of observed values (then sample counts) and `counts` [u, d] of observed cells per BMU. */
function observedSums(x: Float32Array, indices: Int32Array, n: number, u: number, d: number, k: number): { sums: Float32Array; counts: Float32Array } {
  const acc = new Float64Array(u * (d + 1));
  const counts = new Float32Array(u * d);
  for (let i = 0; i < n; i++) {
    const unit = indices[i * k]!;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]!;
      if (v !== v) continue;
      acc[unit * (d + 1) + j] = acc[unit * (d + 1) + j]! + v;
      counts[unit * d + j]! += 1;
    }
    acc[unit * (d + 1) + d] = acc[unit * (d + 1) + d]! + 1;
  }
  return { sums: Float32Array.from(acc), counts };
}
