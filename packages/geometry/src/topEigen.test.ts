import { describe, expect, it } from 'vitest';
import { Rng } from './Rng.js';
import { topEigen } from './topEigen.js';

describe('topEigen', () => {
  it('eigenpairs of a known matrix, all three (Rayleigh–Ritz with k = 3), dense or as a product', () => {
    const m = Float64Array.of(2, 1, 0, 1, 2, 0, 0, 0, 5);
    const asProduct = (v: Float64Array): Float64Array => Float64Array.of(2 * v[0]! + v[1]!, v[0]! + 2 * v[1]!, 5 * v[2]!);
    for (const op of [m, asProduct]) {
      const { values, vectors } = topEigen(op, 3, 3, new Rng(1));
      expect(values[0]).toBeCloseTo(5, 10);
      expect(values[1]).toBeCloseTo(3, 10);
      expect(values[2]).toBeCloseTo(1, 10);
      expect([...vectors[0]!].map((x) => Math.abs(x))).toEqual([expect.closeTo(0, 8), expect.closeTo(0, 8), expect.closeTo(1, 10)]);
      expect(vectors[1]![0]).toBeCloseTo(Math.SQRT1_2, 10); // sign: largest component positive
      expect(vectors[1]![1]).toBeCloseTo(Math.SQRT1_2, 10);
      expect(Math.abs(vectors[2]![0]!)).toBeCloseTo(Math.SQRT1_2, 10);
    }
  });

  it('the top 2 of a wide scatter given as v ↦ Xᵀ(X·v) match the dense matrix', () => {
    const [n, d] = [30, 400];
    const rng = new Rng(3);
    const x = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (i % d === 7 ? 10 : i % d === 300 ? 4 : 1));
    const dense = new Float64Array(d * d);
    for (let k = 0; k < n; k++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dense[i * d + j]! += x[k * d + i]! * x[k * d + j]!;
    const product = (v: Float64Array): Float64Array => {
      const out = new Float64Array(d);
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[k * d + j]! * v[j]!;
        for (let j = 0; j < d; j++) out[j]! += s * x[k * d + j]!;
      }
      return out;
    };
    const a = topEigen(dense, d, 2, new Rng(5));
    const b = topEigen(product, d, 2, new Rng(5));
    for (let c = 0; c < 2; c++) {
      expect(b.values[c]! / a.values[c]!).toBeCloseTo(1, 9);
      for (let i = 0; i < d; i++) expect(b.vectors[c]![i]).toBeCloseTo(a.vectors[c]![i]!, 7);
    }
  });
});
