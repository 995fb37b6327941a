import { SomError } from '@somkit/plugin-api';
import type { SOM } from '@somkit/core';
import type { JitlIndex } from './JitlIndex.js';
import { somFingerprint } from './SomFingerprint.js';

/**
 * Builds an index from explicit cell contents (TorchSOM's hand-made `bmus_idx_map`): useful for
 * tests and for BMUs computed elsewhere. Prefer {@link buildIndex} for real data.
 *
 * ```ts
 * // 3×3 map: unit (1,1) = 4 holds sample 0, unit (1,2) = 5 holds samples 1 and 2.
 * const index = indexFromMembers(som, new Map([[4, [0]], [5, [1, 2]]]), 3);
 * ```
 * @param members - unit → sample indices, as a Map / record keyed by flat unit index, or an array of length u
 * @param n - number of historical samples the indices refer to
 * @throws SomError ERR_INVALID_INPUT for a unit outside the map, a sample index outside [0, n) or listed twice
 */
export function indexFromMembers(
  som: SOM,
  members: ReadonlyMap<number, ArrayLike<number>> | Readonly<Record<number, ArrayLike<number>>> | readonly (ArrayLike<number> | undefined)[],
  n: number,
): JitlIndex {
  if (!Number.isInteger(n) || n < 0) throw new SomError('ERR_INVALID_INPUT', `n: expected the number of historical samples (an integer ≥ 0), got ${String(n)}.`);
  const u = som.units;
  const entries: [number, ArrayLike<number>][] =
    members instanceof Map
      ? [...members.entries()]
      : Array.isArray(members)
        ? (members as readonly (ArrayLike<number> | undefined)[]).flatMap((m, unit) => (m === undefined ? [] : [[unit, m] as [number, ArrayLike<number>]]))
        : Object.entries(members as Record<string, ArrayLike<number>>).map(([k, v]) => [Number(k), v] as [number, ArrayLike<number>]);
  if (Array.isArray(members) && members.length > u) {
    throw new SomError('ERR_INVALID_INPUT', `members: expected at most ${u} cells (the units of this ${som.grid.rows}×${som.grid.cols} map), got ${members.length}.`);
  }
  const out: Int32Array[] = Array.from({ length: u }, () => new Int32Array(0));
  const seen = new Uint8Array(n);
  for (const [unit, list] of entries) {
    if (!Number.isInteger(unit) || unit < 0 || unit >= u) {
      throw new SomError('ERR_INVALID_INPUT', `members: unit ${String(unit)} is not a unit of this ${som.grid.rows}×${som.grid.cols} map; expected 0 ≤ unit < ${u} (u = row·cols + col).`);
    }
    const cell = Int32Array.from(list);
    for (const i of cell) {
      if (i < 0 || i >= n) throw new SomError('ERR_INVALID_INPUT', `members: sample index ${i} in unit ${unit} is outside [0, ${n}).`);
      if (seen[i] === 1) throw new SomError('ERR_INVALID_INPUT', `members: sample ${i} is listed in more than one cell (or twice); each sample has one BMU.`);
      seen[i] = 1;
    }
    out[unit] = cell.sort();
  }
  return { members: out, n, units: u, dims: som.dims, fingerprint: somFingerprint(som) };
}
