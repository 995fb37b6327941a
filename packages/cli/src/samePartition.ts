/**
 * True when two labelings split the units into the same groups, up to renumbering (noise, −1,
 * must match as noise): two clustering methods that agree this way are one result, not two.
 *
 * ```ts
 * samePartition([0, 0, 1], [1, 1, 0]); // true
 * ```
 */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((x < 0) !== (y < 0)) return false;
    if (x < 0) continue;
    if ((ab.get(x) ?? y) !== y || (ba.get(y) ?? x) !== x) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}
