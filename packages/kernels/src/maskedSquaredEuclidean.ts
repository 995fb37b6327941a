import type { MaskedDistance } from '@somkit/plugin-api';
import { maskedSquaredEuclideanPrepared } from './maskedSquaredEuclideanPrepared.js';
import { pairwiseFromPrepared } from './pairwiseFromPrepared.js';

/** The masked form of euclidean (`sqrt`) or sqeuclidean, loaded on first use by those plugins. */
export function maskedSquaredEuclidean(sqrt: boolean): MaskedDistance {
  const prepare = (w: Parameters<typeof maskedSquaredEuclideanPrepared>[0]) => maskedSquaredEuclideanPrepared(w, sqrt);
  return { prepare, pairwise: (x, w) => pairwiseFromPrepared(x, w, prepare) };
}
