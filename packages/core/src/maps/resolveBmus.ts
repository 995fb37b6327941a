import { SomError } from '@somkit/plugin-api';
import type { MapSource } from './MapSource.js';
import type { MapOptions } from './MapOptions.js';

/**
 * The BMU of each sample: `opts.bmus` when given (validated), otherwise searched once from
 * `opts.data` with the SOM's search backend.
 * @param why - what needs the samples, for the error message (e.g. `"map 'hit'"`)
 * @returns [n] int32 flat unit indices
 * @throws SomError ERR_INVALID_INPUT when neither is given or a BMU is out of range
 */
export async function resolveBmus(som: MapSource, opts: Pick<MapOptions, 'data' | 'bmus'>, why: string): Promise<Int32Array> {
  const { bmus, data } = opts;
  if (bmus !== undefined) {
    if (!(bmus instanceof Int32Array)) {
      throw new SomError('ERR_INVALID_INPUT', `${why}: expected bmus as an Int32Array of flat unit indices [n], got ${Array.isArray(bmus) ? 'an array' : typeof bmus}. Use Int32Array.from(bmus) or som.identifyBmus(data).`);
    }
    if (bmus.length === 0) throw new SomError('ERR_EMPTY_INPUT', `${why}: expected at least one BMU in bmus, got an empty Int32Array.`);
    const u = som.units;
    for (let i = 0; i < bmus.length; i++) {
      const b = bmus[i]!;
      if (b < 0 || b >= u) {
        throw new SomError('ERR_INVALID_INPUT', `${why}: bmus[${i}] = ${b} is not a unit of this ${som.grid.rows}×${som.grid.cols} map; expected 0 ≤ bmu < ${u}.`, { details: { index: i } });
      }
    }
    return bmus;
  }
  if (data === undefined) {
    throw new SomError('ERR_INVALID_INPUT', `${why} needs the samples: pass data ([n, ${som.dims}] samples) or bmus (Int32Array of each sample's BMU).`);
  }
  return som.identifyBmus(data);
}
