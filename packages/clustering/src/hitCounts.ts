import { SomError } from '@somkit/plugin-api';

/**
 * Hit count of each unit: how many samples have it as their best-matching unit. The natural
 * `weights` of {@link cluster}.
 *
 * ```ts
 * const hits = hitCounts(await som.identifyBmus(x), som.units);
 * const res = await cluster(som, { method: 'kmeans', k: 10, weights: hits });
 * ```
 * @param bmus - [n] flat BMU index of each sample (`som.identifyBmus(x)`), integers in [0, u)
 * @param units - u, the number of units of the map
 * @returns [u] counts (Float64Array)
 * @throws SomError ERR_INVALID_CONFIG (units not an integer ≥ 1), ERR_INVALID_INPUT (an index outside [0, u))
 */
export function hitCounts(bmus: ArrayLike<number>, units: number): Float64Array {
  if (!Number.isInteger(units) || units < 1) throw new SomError('ERR_INVALID_CONFIG', `units: expected an integer ≥ 1, got ${String(units)}.`);
  if (bmus === null || typeof bmus !== 'object' || typeof bmus.length !== 'number') {
    throw new SomError('ERR_INVALID_INPUT', `bmus: expected an array of unit indices (som.identifyBmus(x)), got ${bmus === null ? 'null' : typeof bmus}.`);
  }
  const out = new Float64Array(units);
  for (let i = 0; i < bmus.length; i++) {
    const b = bmus[i]!;
    if (!Number.isInteger(b) || b < 0 || b >= units) {
      throw new SomError('ERR_INVALID_INPUT', `bmus: expected unit indices in [0, ${units}), got ${String(b)} at index ${i}. Pass the BMUs of this map (som.identifyBmus(x)).`);
    }
    out[b]!++;
  }
  return out;
}
