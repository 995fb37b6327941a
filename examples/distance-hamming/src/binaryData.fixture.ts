// Test data: three 16-bit prototypes, 20 noisy copies each (1–2 bits flipped), seeded.
export function binaryData(): { data: number[][]; labels: number[] } {
  const protos = [
    [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0],
  ];
  let s = 12345;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const data: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 60; i++) {
    const p = i % 3;
    const row = [...protos[p]!];
    const flips = 1 + Math.floor(next() * 2);
    for (let f = 0; f < flips; f++) {
      const j = Math.floor(next() * 16);
      row[j] = 1 - row[j]!;
    }
    data.push(row);
    labels.push(p);
  }
  return { data, labels };
}
