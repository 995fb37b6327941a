import { logger, SomError, type DistancePlugin } from '@somkit/plugin-api';
import { bruteForce } from '@somkit/search';
import type { ReferenceSearch } from './referenceKernels.js';

/**
 * The search of a call on data with missing values (NaN cells): the model's strategy with the
 * distance's `masked` form in its context, so every block it scores is over each sample's
 * observed dimensions. An approximate index cannot search with a per-sample mask: such a
 * strategy is replaced by the exact brute-force search, and core says so once.
 * @throws SomError ERR_INVALID_CONFIG when the distance has no masked form
 */
export function missingAwareSearch(search: ReferenceSearch): ReferenceSearch {
  const base = search.ctx.distance;
  const masked = base.masked;
  if (masked === undefined) {
    throw new SomError('ERR_INVALID_CONFIG', `The data has missing values but distance '${base.name}' has no masked form (over each sample's observed dimensions). Use 'euclidean', 'sqeuclidean', 'manhattan', 'chebyshev', 'minkowski' or 'cosine', or impute the data first.`);
  }
  // The plain `prepare` must not survive: it would score NaN cells as values.
  const { prepare: _plain, ...rest } = base;
  const distance: DistancePlugin = Object.freeze(masked.prepare ? { ...rest, pairwise: masked.pairwise, prepare: masked.prepare } : { ...rest, pairwise: masked.pairwise });
  let strategy = search.strategy;
  if (strategy.exact !== true) {
    logger.warnOnce(`missing-exact-${strategy.name}`, `Search strategy '${strategy.name}' cannot search with missing values (an index has no per-sample mask); samples with missing values are searched exactly (brute-force).`);
    strategy = bruteForce();
  }
  return { strategy, ctx: { ...search.ctx, distance } };
}
