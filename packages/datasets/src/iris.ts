import type { Dataset } from './Dataset.js';
import { decodeDataset } from './decodeDataset.js';
import { irisData } from './data/iris.js';

let cached: Dataset | undefined;

/**
 * The iris dataset: [150, 4] features, 150 class ids ('setosa', 'versicolor', 'virginica'). Decoded on first call, then
 * cached: every call returns the same object, so copy the arrays before mutating them.
 *
 * ```ts
 * import { iris } from '@somkit/datasets';
 * const { data, n, d, target } = iris(); // n = 150, d = 4
 * ```
 */
export function iris(): Dataset {
  cached ??= decodeDataset(irisData);
  return cached;
}
