// Test data: four Gaussian-ish blobs in 3-D, seeded, 80 samples.
export function blobs(): number[][] {
  let s = 2024;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const centres = [[0, 0, 0], [4, 0, 0], [0, 4, 0], [0, 0, 4]];
  return Array.from({ length: 80 }, (_, i) => centres[i % 4]!.map((c) => c + next()));
}
