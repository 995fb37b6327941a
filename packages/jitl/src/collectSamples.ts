import { largestRingDistance } from '@somkit/core';
import { SomError } from '@somkit/plugin-api';
import type { CollectSamplesOptions } from './CollectSamplesOptions.js';
import type { JitlBuffer, JitlMatrix } from './JitlBuffer.js';
import { RETRIEVAL_MODES, type RetrievalMode } from './RetrievalMode.js';
import { somFingerprint } from './SomFingerprint.js';
import { outputRows, sampleRows, type RowSource } from './HistoricalData.js';
import { knnIndices, needsKnn, neighborhoodIndices, type RetrievalPlan } from './retrieveIndices.js';

/** One query sample [d]. */
export type QuerySample = readonly number[] | Float32Array | Float64Array;

/**
 * Just-in-time-learning retrieval (TorchSOM `collect_samples`): the historical samples near a
 * query on the map. (1) the samples of the query's BMU cell; (2) unless `bmu_only`, those of
 * every cell in grid rings 1..neighborhoodOrder (hexagonal rings, torus wrap); (3) in
 * `bmu_neighborhood_knn` only, while the buffer holds ≤ minBufferThreshold samples, whole
 * not-yet-visited non-empty cells in ascending distance (the SOM's distance) between their
 * codebook vector and the BMU's, until it holds more.
 *
 * A batch of queries is answered with one BMU search and one codebook-distance pass.
 *
 * ```ts
 * const index = await buildIndex(som, hist);              // once
 * const buf = await collectSamples(x, { som, index, data: hist, outputs: y, returnIndices: true });
 * buf.samples.shape;  // [m, d]; buf.outputs.shape: [m, 1]
 * const bufs = await collectSamples([x1, x2], { som, index, data: hist }); // one buffer per query
 * ```
 * @param query - one sample [d], or a batch [b][d]
 * @returns one buffer for one sample, an array of buffers for a batch
 * @throws SomError ERR_SHAPE_MISMATCH (query width, data or outputs not matching index.n),
 *   ERR_INVALID_CONFIG (unknown mode, bad threshold/order), ERR_INVALID_INPUT (index built for
 *   another SOM or an older codebook), ERR_EMPTY_INPUT (empty batch)
 */
export function collectSamples(query: QuerySample, options: CollectSamplesOptions): Promise<JitlBuffer>;
export function collectSamples(query: readonly QuerySample[], options: CollectSamplesOptions): Promise<JitlBuffer[]>;
export async function collectSamples(query: QuerySample | readonly QuerySample[], options: CollectSamplesOptions): Promise<JitlBuffer | JitlBuffer[]> {
  const { batch, single } = splitQuery(query);
  const found = await retrieve(batch, options);
  return single ? found[0]! : found;
}

/** Validates the options and retrieves a buffer for each query: the body of {@link collectSamples}. */
async function retrieve(queries: readonly QuerySample[], options: CollectSamplesOptions): Promise<JitlBuffer[]> {
  const { som, index } = options;
  const mode = options.mode ?? 'bmu_neighborhood_knn';
  if (!RETRIEVAL_MODES.includes(mode)) {
    throw new SomError('ERR_INVALID_CONFIG', `mode: expected one of ${RETRIEVAL_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}.`);
  }
  const minBufferThreshold = options.minBufferThreshold ?? 50;
  if (!Number.isInteger(minBufferThreshold) || minBufferThreshold < 0) {
    throw new SomError('ERR_INVALID_CONFIG', `minBufferThreshold: expected an integer ≥ 0, got ${String(minBufferThreshold)}.`);
  }
  const neighborhoodOrder = options.neighborhoodOrder ?? som.config.neighborhoodOrder;
  if (!Number.isInteger(neighborhoodOrder) || neighborhoodOrder < 0) {
    throw new SomError('ERR_INVALID_CONFIG', `neighborhoodOrder: expected an integer ≥ 0, got ${String(neighborhoodOrder)}.`);
  }
  const maxOrder = Math.max(1, largestRingDistance(som.grid));
  if (neighborhoodOrder > maxOrder) {
    // Rings beyond the grid are empty; walking 1e9 of them never ends.
    throw new SomError('ERR_INVALID_CONFIG', `neighborhoodOrder: expected an integer in 0..${maxOrder} (the largest ring distance of this ${som.grid.rows} × ${som.grid.cols} grid: rings beyond it are empty), got ${String(neighborhoodOrder)}.`);
  }
  checkIndex(options);
  const dims = som.dims;
  const samples = sampleRows(options.data, index.n, dims);
  const outputs = options.outputs === undefined ? undefined : outputRows(options.outputs, index.n);
  const rows = queries.map((q, i) => {
    if (q === null || typeof q !== 'object' || q.length !== dims) {
      const got = q === null || typeof q !== 'object' ? String(q) : `length ${q.length}`;
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${queries.length === 1 ? 'the query' : `query ${i}`} to have ${dims} features (the SOM's dims), got ${got}.`);
    }
    return Array.from(q);
  });

  // One BMU search for the whole batch.
  const bmus = await som.identifyBmus(rows);
  const plans: RetrievalPlan[] = Array.from(bmus, (bmu) => ({ bmu, mode, neighborhoodOrder, minBufferThreshold }));
  const phase1 = plans.map((p) => neighborhoodIndices(p, som.grid, index.members));

  // One codebook-distance pass for the distinct BMUs whose buffers are still too small.
  const knnBmus = [...new Set(plans.filter((p, i) => needsKnn(p, phase1[i]!.indices.length)).map((p) => p.bmu))];
  const distanceRow = new Map<number, Float32Array>();
  if (knnBmus.length > 0) {
    const w = som.getWeights();
    const u = som.units;
    const vectors = knnBmus.map((b) => Array.from(w.subarray(b * dims, (b + 1) * dims)));
    const dist = await som.transform(vectors);
    knnBmus.forEach((b, r) => distanceRow.set(b, dist.subarray(r * u, (r + 1) * u)));
  }
  return plans.map((p, i) => {
    const { indices, visited } = phase1[i]!;
    if (needsKnn(p, indices.length)) knnIndices(p, index.members, visited, indices, distanceRow.get(p.bmu)!);
    return gather(indices, samples, outputs, options.returnIndices === true);
  });
}

function gather(indices: number[], samples: RowSource, outputs: RowSource | undefined, withIndices: boolean): JitlBuffer {
  const m = indices.length;
  const matrix = (src: RowSource): JitlMatrix => {
    const data = new Float32Array(m * src.width);
    indices.forEach((s, r) => src.copyRow(s, data, r * src.width));
    return { data, shape: [m, src.width] };
  };
  return {
    samples: matrix(samples),
    ...(outputs === undefined ? {} : { outputs: matrix(outputs) }),
    ...(withIndices ? { indices: Int32Array.from(indices) } : {}),
  };
}

/** Throws when the index does not belong to this SOM (other grid, width, or a changed codebook). */
function checkIndex(options: CollectSamplesOptions): void {
  const { som, index } = options;
  if (typeof index !== 'object' || index === null || !Array.isArray(index.members) || typeof index.fingerprint !== 'object') {
    throw new SomError('ERR_INVALID_INPUT', 'index: expected a JitlIndex from buildIndex(som, data).');
  }
  const now = somFingerprint(som);
  const was = index.fingerprint;
  const rebuild = 'Rebuild it with buildIndex(som, data) for this SOM.';
  if (was.rows !== now.rows || was.cols !== now.cols || was.topology !== now.topology || was.pbc !== now.pbc || was.dims !== now.dims) {
    throw new SomError('ERR_INVALID_INPUT', `index: built for a ${was.rows}×${was.cols} ${was.topology}${was.pbc ? ' toroidal' : ''} map with ${was.dims} features, but this SOM is ${now.rows}×${now.cols} ${now.topology}${now.pbc ? ' toroidal' : ''} with ${now.dims}. ${rebuild}`);
  }
  if (was.codebookHash !== now.codebookHash) {
    throw new SomError('ERR_INVALID_INPUT', `index: built for another codebook (hash ${was.codebookHash}, this SOM's is ${now.codebookHash}); the SOM was retrained or is a different one, so the cells no longer hold the right samples. ${rebuild}`);
  }
  if (index.members.length !== som.units) {
    throw new SomError('ERR_INVALID_INPUT', `index: has ${index.members.length} cells but this SOM has ${som.units} units. ${rebuild}`);
  }
}

function splitQuery(query: QuerySample | readonly QuerySample[]): { batch: readonly QuerySample[]; single: boolean } {
  if (query === null || typeof query !== 'object' || typeof (query as ArrayLike<unknown>).length !== 'number') {
    throw new SomError('ERR_INVALID_INPUT', `Expected the query as one sample (number[]) or a batch (number[][]), got ${query === null ? 'null' : typeof query}.`);
  }
  const q = query as ArrayLike<unknown>;
  if (q.length === 0) throw new SomError('ERR_EMPTY_INPUT', 'Expected a query sample or a non-empty batch, got an empty array.');
  if (typeof q[0] === 'number') return { batch: [query as QuerySample], single: true };
  return { batch: query as readonly QuerySample[], single: false };
}
