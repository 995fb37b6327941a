/**
 * Element `i` of `n` evenly spaced values from `a` to `b`, both included (numpy's `linspace`);
 * `a` when `n` ≤ 1. Internal helper of the phase schedules.
 */
export function linspaceAt(a: number, b: number, n: number, i: number): number {
  return n <= 1 ? a : a + ((b - a) * i) / (n - 1);
}
