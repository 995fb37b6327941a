import type { Dataset } from './Dataset.js';
import { decodeDataset } from './decodeDataset.js';
import { digitsData } from './data/digits.js';

let cached: Dataset | undefined;

/**
 * The digits dataset: [1797, 64] features, 1797 class ids ('0' … '9'). Decoded on first call, then
 * cached: every call returns the same object, so copy the arrays before mutating them.
 *
 * ```ts
 * import { digits } from '@somkit/datasets';
 * const { data, n, d, target } = digits(); // n = 1797, d = 64
 * ```
 */
export function digits(): Dataset {
  cached ??= decodeDataset(digitsData);
  return cached;
}
