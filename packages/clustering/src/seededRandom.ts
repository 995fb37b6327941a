import { mulberry32 } from '@somkit/geometry';

/** A seeded uniform/normal generator (mulberry32 + Box–Muller), for benchmarks and fixtures. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

/**
 * Makes a small reproducible random generator.
 *
 * ```ts
 * const r = seededRandom(42);
 * r.next(); r.normal();
 * ```
 */
export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}
