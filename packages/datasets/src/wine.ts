import type { Dataset } from './Dataset.js';
import { decodeDataset } from './decodeDataset.js';
import { wineData } from './data/wine.js';

let cached: Dataset | undefined;

/**
 * The wine dataset: [178, 13] features, 178 class ids ('class_0', 'class_1', 'class_2'). Decoded on first call, then
 * cached: every call returns the same object, so copy the arrays before mutating them.
 *
 * ```ts
 * import { wine } from '@somkit/datasets';
 * const { data, n, d, target } = wine(); // n = 178, d = 13
 * ```
 */
export function wine(): Dataset {
  cached ??= decodeDataset(wineData);
  return cached;
}
