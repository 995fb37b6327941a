/**
 * The `minibatchSteps` kernel. Internal.
 */
import { SomError, type MinibatchStepsJob, type MinibatchStepsResult } from '@somkit/plugin-api';
import type { EngineState } from './EngineState.js';
import { checkCounts, checkGiven, checkIndices, checkK, checkSizes } from './jobChecks.js';
import { minibatchGivenStepGraph, minibatchStepsGraph, stepTiles, TRANSPOSED_UNITS } from './minibatchStepsGraph.js';
import { SEPARABLE_UNITS } from './separableInputs.js';
import { tileFeeds } from './tableInputs.js';

const KERNEL = 'minibatchSteps';

/**
 * Checks a minibatch job: counts, sizes, row indices in [0, n), `given` (only with one step).
 * @throws SomError `ERR_SHAPE_MISMATCH`
 */
function checkJob(job: MinibatchStepsJob): void {
  const { x, rows, weights, batch: b, steps, samples: n, units: u, dims: d, k, given } = job;
  checkCounts(KERNEL, { samples: [n, 1], units: [u, 1], dims: [d, 1], batch: [b, 1], steps: [steps, 1] });
  checkK(KERNEL, k, u);
  checkSizes(KERNEL, [
    ['x', `[${n}, ${d}]`, n * d, x?.length],
    ['rows', `[${steps} · ${b}]`, steps * b, rows?.length],
    ['weights', `[${u}, ${d}]`, u * d, weights?.length],
  ]);
  checkIndices(KERNEL, 'rows', rows, n, 'a row index');
  if (given !== undefined) {
    if (steps !== 1) {
      throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime ${KERNEL}: expected steps = 1 with given search results (one batch per call), received steps = ${steps}.`);
    }
    checkGiven(KERNEL, given, b, k, u);
  }
}

/**
 * Several minibatch steps in one session run ({@link minibatchStepsGraph}), or one step by the
 * `given` BMUs of a non-exact strategy ({@link minibatchGivenStepGraph}; they are returned as
 * copies). The table's graph inputs are built once per table object and kept for the session;
 * from {@link TRANSPOSED_UNITS} units on the graphs carry Wᵀ, and from 2 · `TILE_UNITS` units they
 * update the codebook tile by tile ({@link stepTiles}; same results, faster there). From
 * {@link SEPARABLE_UNITS} units a separable table (rectangular grid, gaussian) is read as two small
 * factor tables (`separableInputs.ts`) and the update is computed from the factors without the
 * kernel rows (`separableUpdateNodes.ts`; W [u, d], one tile; same results within float
 * tolerance). Measured here per step (b = 256, d = 32, 2 threads, best of 14 interleaved calls of
 * 10 steps): 40 000 units 36.1 ms (kernel rows in tiles, Wᵀ) → 29.8 ms (factors, W) and 33.5 ms
 * (factors, Wᵀ); 10 000 units 12.7 → 11.6 ms; of the 29.8 ms at 40 000 units the search takes ~20.
 * @throws SomError `ERR_SHAPE_MISMATCH` for sizes, rows, tables or given results that do not
 *   match, `ERR_BACKEND_UNSUPPORTED` when the runtime cannot run
 */
export async function runMinibatchSteps(state: EngineState, job: MinibatchStepsJob): Promise<MinibatchStepsResult> {
  state.checkOpen(KERNEL);
  checkJob(job);
  const { x, rows, weights, kernel, batch: b, steps, samples: n, units: u, dims: d, k, given } = job;
  const table = u >= SEPARABLE_UNITS ? state.stepTable(kernel, u, KERNEL) : state.table(kernel, u, KERNEL);
  const { ort } = state;
  // A separable table's update is two Gemms on its factors: W [u, d] and no tiles were fastest there.
  const separable = table.layout === 'separable';
  const transposed = !separable && u >= TRANSPOSED_UNITS;
  const { tiles, feeds: tileBounds } = tileFeeds(ort, table, u, separable ? 1 : stepTiles(u));
  const form = `${table.layout}${transposed ? '-transposed' : ''}${tiles > 1 ? `-tiles${tiles}` : ''}`;
  const common = { X: new ort.Tensor('float32', x, [n, d]), W: new ort.Tensor('float32', weights, [u, d]), ...table.feeds, NEGONES: state.negOnes(b, transposed), ...tileBounds };
  if (given !== undefined && job.missing === true) {
    throw new SomError('ERR_INVALID_INPUT', `onnxruntime ${KERNEL}: given search results with missing values are not supported (core searches data with missing values exactly and sends no given results).`);
  }
  if (given !== undefined) {
    const s = await state.graph(`minibatch-given-${form}`, () => minibatchGivenStepGraph(table.layout, transposed, tiles));
    const bmu = new Int32Array(b);
    for (let i = 0; i < b; i++) bmu[i] = given.indices[i * k]!;
    const out = await s.run({ ...common, ROWS: new ort.Tensor('int32', rows, [b]), BMU: new ort.Tensor('int32', bmu, [b, 1]) });
    return { weights: out.W2!.data as Float32Array, indices: Int32Array.from(given.indices), distances: Float32Array.from(given.distances) };
  }
  const masked = job.missing === true;
  const s = await state.graph(`minibatch-steps-${state.sqrt ? 'euclidean' : 'sqeuclidean'}-${form}${masked ? '-masked' : ''}`, () => minibatchStepsGraph({ sqrt: state.sqrt, layout: table.layout, transposed, tiles, masked }));
  const out = await s.run({ ...common, ROWS: new ort.Tensor('int32', rows, [steps, b]), K: state.k(k) });
  return { weights: out.W2!.data as Float32Array, indices: out.indices!.data as Int32Array, distances: out.distances!.data as Float32Array };
}
