import type { Codebook } from '@somkit/plugin-api';

/** The `max` features with the largest variance across the units of `cb`, ascending; all when d ≤ max. */
export function widestFeatures(cb: Pick<Codebook, 'weights' | 'units' | 'dims'>, max: number): number[] {
  const { weights, units: u, dims: d } = cb;
  if (d <= max) return Array.from({ length: d }, (_, j) => j);
  const variance = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let [s, ss] = [0, 0];
    for (let k = 0; k < u; k++) {
      const v = weights[k * d + j]!;
      s += v;
      ss += v * v;
    }
    variance[j] = ss / u - (s / u) ** 2;
  }
  return Array.from({ length: d }, (_, j) => j)
    .sort((a, b) => variance[b]! - variance[a]! || a - b)
    .slice(0, max)
    .sort((a, b) => a - b);
}
