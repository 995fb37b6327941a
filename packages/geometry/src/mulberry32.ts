/**
 * mulberry32: a tiny seeded uniform generator (32-bit state), the one copy somkit's fixtures,
 * benchmarks and the usearch insertion order use. Not for training (the model uses {@link Rng});
 * cheap and reproducible everywhere.
 *
 * ```ts
 * const next = mulberry32(42);
 * next(); // uniform in [0, 1)
 * ```
 * @returns a function giving the next uniform number in [0, 1)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
