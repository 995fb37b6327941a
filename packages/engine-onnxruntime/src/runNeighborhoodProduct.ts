/**
 * The `neighborhoodProduct` kernel. Internal.
 */
import type { NeighborhoodProductJob } from '@somkit/plugin-api';
import type { EngineState } from './EngineState.js';
import { checkCounts, checkSizes } from './jobChecks.js';
import { neighborhoodProductGraph } from './neighborhoodProductGraph.js';

const KERNEL = 'neighborhoodProduct';

/**
 * Bound on the kernel values of one row block of G: 4 M (16 MiB of float32), so memory stays
 * bounded for any u (e.g. 419 rows of G at u = 10 000).
 */
export const PRODUCT_BLOCK_ELEMENTS = 4_194_304;

/**
 * `out` [u, c] = G·m with `G[a, b] = values[base[a] + offset[b]]`: {@link neighborhoodProductGraph}
 * block after block of `⌊PRODUCT_BLOCK_ELEMENTS / u⌋` rows of G, each gathered from the table and
 * multiplied in one MatMul.
 * @throws SomError `ERR_SHAPE_MISMATCH` for sizes or a table that do not match,
 *   `ERR_BACKEND_UNSUPPORTED` when the runtime cannot run
 */
export async function runNeighborhoodProduct(state: EngineState, job: NeighborhoodProductJob): Promise<Float32Array> {
  state.checkOpen(KERNEL);
  const { kernel, m, units: u, columns: c } = job;
  checkCounts(KERNEL, { units: [u, 1], columns: [c, 1] });
  checkSizes(KERNEL, [['m', `[${u}, ${c}]`, u * c, m?.length]]);
  const table = state.table(kernel, u, KERNEL);
  const { ort } = state;
  const s = await state.graph(`neighborhood-product-${table.layout}`, () => neighborhoodProductGraph(table.layout));
  const M = new ort.Tensor('float32', m, [u, c]);
  const rows = Math.max(1, Math.floor(PRODUCT_BLOCK_ELEMENTS / u));
  const out = rows >= u ? undefined : new Float32Array(u * c);
  for (let start = 0; start < u; start += rows) {
    const size = Math.min(rows, u - start);
    const units = new Int32Array(size);
    for (let i = 0; i < size; i++) units[i] = start + i;
    const y = (await s.run({ ...table.feeds, A: new ort.Tensor('int32', units, [size, 1]), M })).Y!.data as Float32Array;
    if (out === undefined) return y;
    out.set(y, start * c);
  }
  return out!;
}
