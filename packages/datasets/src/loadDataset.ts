import { SomError } from '@somkit/plugin-api';
import type { Dataset } from './Dataset.js';
import { datasetNames, type DatasetName } from './datasetNames.js';
import { digits } from './digits.js';
import { iris } from './iris.js';
import { wine } from './wine.js';

const LOADERS: Readonly<Record<DatasetName, () => Dataset>> = { iris, wine, digits };

/**
 * Returns an embedded dataset by name (decoded once, then cached), e.g. for a CLI `--dataset`
 * flag. Prefer importing `iris`/`wine`/`digits` directly when the name is known at build time:
 * bundlers then drop the others.
 *
 * ```ts
 * const ds = loadDataset('wine'); // ds.n === 178, ds.d === 13
 * ```
 * @throws SomError `ERR_INVALID_INPUT` for an unknown name; the message lists the valid ones.
 */
export function loadDataset(name: DatasetName): Dataset {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  if (load === undefined) {
    throw new SomError(
      'ERR_INVALID_INPUT',
      `Unknown dataset ${JSON.stringify(name)}; expected one of ${datasetNames.map((s) => `'${s}'`).join(', ')}.`,
      { details: { name, valid: [...datasetNames] } },
    );
  }
  return load();
}
