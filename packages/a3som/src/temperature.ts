/**
 * Neighbourhood temperature at training iteration `i` of `iterations` (DESOM's exponential
 * schedule): `T_i = Tmax · (Tmin/Tmax)^(i/(I−1))`, so T_0 = Tmax and T_{I−1} = Tmin. With a single
 * iteration the temperature is Tmax.
 *
 * ```ts
 * temperature(0, 10, 1, 0.5); // 1
 * temperature(9, 10, 1, 0.5); // 0.5
 * ```
 */
export function temperature(i: number, iterations: number, Tmax: number, Tmin: number): number {
  if (iterations <= 1) return Tmax;
  const t = Math.min(Math.max(i, 0), iterations - 1) / (iterations - 1);
  return Tmax * Math.pow(Tmin / Tmax, t);
}
