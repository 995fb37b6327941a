import type { MatrixInput, SOM } from '@somkit/core';
import type { JitlIndex } from './JitlIndex.js';
import { somFingerprint } from './SomFingerprint.js';

/**
 * Maps every historical sample to its BMU once, so later retrievals read whole cells
 * (TorchSOM: `bmus_idx_map = som.build_map("bmus_data", data=hist)`). Rebuild it after the SOM
 * is trained further: {@link collectSamples} refuses an index whose fingerprint no longer matches.
 *
 * ```ts
 * const index = await buildIndex(som, historical); // historical: [n, d]
 * index.members[som.grid.unit(1, 2)];              // Int32Array of sample indices
 * ```
 * @param historicalData - samples [n, d]: number[][], {data, shape} or a Tensor2D
 * @throws SomError from the SOM's input validation (ERR_SHAPE_MISMATCH, ERR_NON_FINITE, ERR_EMPTY_INPUT, ERR_NOT_FITTED)
 */
export async function buildIndex(som: SOM, historicalData: MatrixInput): Promise<JitlIndex> {
  const bmus = await som.identifyBmus(historicalData);
  const u = som.units;
  const counts = new Int32Array(u);
  for (const b of bmus) counts[b]!++;
  const members = Array.from({ length: u }, (_, k) => new Int32Array(counts[k]!));
  const fill = new Int32Array(u);
  for (let i = 0; i < bmus.length; i++) {
    const b = bmus[i]!;
    members[b]![fill[b]!++] = i;
  }
  return { members, n: bmus.length, units: u, dims: som.dims, fingerprint: somFingerprint(som) };
}
