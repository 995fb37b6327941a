// Test data, seeded: `n` samples around `c` random centres in [0, 10]^d (spread ±0.5 per feature).
export function clusters(n: number, d: number, c: number, seed = 3): number[][] {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const centres = Array.from({ length: c }, () => Array.from({ length: d }, () => 10 * next()));
  return Array.from({ length: n }, (_, i) => centres[i % c]!.map((v) => v + next() - 0.5));
}
