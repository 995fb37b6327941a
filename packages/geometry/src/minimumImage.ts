/**
 * Minimum image of an offset on a periodic axis (the torus, `pbc`): the offset congruent to
 * `delta` modulo `period` with the smallest magnitude, in [−period/2, period/2]. The one torus
 * rule: `Grid.planeDistance2`, the training kernels' offset table and the separable product use it.
 *
 * ```ts
 * minimumImage(9, 10); // −1: on a 10-unit ring, 9 steps right is 1 step left
 * ```
 */
export function minimumImage(delta: number, period: number): number {
  return delta - period * Math.round(delta / period);
}
