/**
 * Groups samples by BMU: `out[u]` holds, ascending, the indices of the samples whose BMU is `u`.
 * @param bmus - [n] flat unit indices, each in [0, units)
 * @param units - number of units u
 * @returns [u] Int32Arrays (empty for units without hits)
 */
export function unitMembers(bmus: Int32Array, units: number): Int32Array[] {
  const counts = new Int32Array(units);
  for (const b of bmus) counts[b]!++;
  const out = Array.from({ length: units }, (_, k) => new Int32Array(counts[k]!));
  const fill = new Int32Array(units);
  for (let i = 0; i < bmus.length; i++) {
    const b = bmus[i]!;
    out[b]![fill[b]!++] = i;
  }
  return out;
}
