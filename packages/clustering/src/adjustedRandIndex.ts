import { SomError } from '@somkit/plugin-api';

/**
 * Adjusted Rand index between two labelings of the same points (Hubert & Arabie 1985): 1 for
 * identical partitions up to renaming, ≈ 0 for independent ones. Every distinct value is a
 * class, including −1: drop noise points first if they should not count as one group. Two
 * trivial partitions that agree (both one group, or both all singletons) score 1.
 *
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3]); // 1
 * ```
 * @param a - [n] labels
 * @param b - [n] labels
 * @throws SomError ERR_SHAPE_MISMATCH when the lengths differ
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new SomError('ERR_SHAPE_MISMATCH', `adjustedRandIndex: expected two labelings of the same points, got lengths ${a.length} and ${b.length}.`);
  }
  const n = a.length;
  if (n === 0) throw new SomError('ERR_EMPTY_INPUT', 'adjustedRandIndex: expected at least one label, got empty labelings.');
  const ia = new Map<number, number>();
  const ib = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!ia.has(a[i]!)) ia.set(a[i]!, ia.size);
    if (!ib.has(b[i]!)) ib.set(b[i]!, ib.size);
  }
  const ka = ia.size;
  const kb = ib.size;
  const table = new Float64Array(ka * kb);
  for (let i = 0; i < n; i++) table[ia.get(a[i]!)! * kb + ib.get(b[i]!)!]!++;
  const c2 = (x: number): number => (x * (x - 1)) / 2;
  let sumCells = 0;
  for (const v of table) sumCells += c2(v);
  let sumA = 0;
  for (let r = 0; r < ka; r++) {
    let s = 0;
    for (let c = 0; c < kb; c++) s += table[r * kb + c]!;
    sumA += c2(s);
  }
  let sumB = 0;
  for (let c = 0; c < kb; c++) {
    let s = 0;
    for (let r = 0; r < ka; r++) s += table[r * kb + c]!;
    sumB += c2(s);
  }
  const expected = (sumA * sumB) / c2(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (sumCells - expected) / (max - expected);
}
