// UnitIndex against a fake usearch module: insertion order, sorting, and the exact fill-in for
// rows the graph search answered short (hard to provoke with the real library).
import { describe, expect, it } from 'vitest';
import type { UsearchIndex, UsearchModule } from './loadUsearch.js';
import { normalizeRows, permutation, UnitIndex } from './UnitIndex.js';

const settings = { connectivity: 16, expansionAdd: 128, expansionSearch: 64, threads: 1 };

/** A fake module recording what was added and answering searches with canned results. */
function fake(answer: (x: Float32Array, k: number) => ReturnType<UsearchIndex['search']>) {
  const added: { keys: BigUint64Array; vectors: Float32Array; threads: number }[] = [];
  const mod: UsearchModule = {
    Index: class {
      add(keys: BigUint64Array, vectors: Float32Array, threads: number): void {
        added.push({ keys, vectors, threads });
      }
      search(x: Float32Array, k: number): ReturnType<UsearchIndex['search']> {
        return answer(x, k);
      }
      size(): number {
        return added.reduce((s, a) => s + a.keys.length, 0);
      }
    } as unknown as UsearchModule['Index'],
  };
  return { mod, added };
}

describe('UnitIndex', () => {
  it('inserts every unit once, under its own key, in a fixed shuffled order', () => {
    const w = Float32Array.from({ length: 10 * 2 }, (_, i) => i);
    const { mod, added } = fake(() => ({ keys: new BigUint64Array(0), distances: new Float32Array(0) }));
    UnitIndex.build(mod, w, 10, 2, 'l2sq', settings);
    const { keys, vectors, threads } = added[0]!;
    expect(threads).toBe(1);
    expect([...keys].map(Number).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect([...keys].map(Number)).not.toEqual([...Array(10).keys()]);
    keys.forEach((k, i) => expect([...vectors.subarray(i * 2, i * 2 + 2)]).toEqual([Number(k) * 2, Number(k) * 2 + 1]));
    expect([...permutation(10)]).toEqual([...keys].map(Number));
  });

  it('sorts each row by (score, unit) and completes short rows exactly', () => {
    // 4 units on a line at 0, 1, 2, 3 (d = 1); two queries at 0.4 and 2.9, k = 3.
    const w = Float32Array.of(0, 1, 2, 3);
    const { mod } = fake(() => ({
      // Row 0: three results out of order, two with equal scores (taken as the index gives them).
      // Row 1: only one result found.
      keys: BigUint64Array.of(1n, 2n, 0n, 3n, 0n, 0n),
      distances: Float32Array.of(0.36, 0.16, 0.16, 0.01, Number.NaN, Number.NaN),
      counts: BigUint64Array.of(3n, 1n),
    }));
    const index = UnitIndex.build(mod, w, 4, 1, 'l2sq', settings);
    const r = index.query(Float32Array.of(0.4, 2.9), 2, 3);
    expect([...r.indices]).toEqual([0, 2, 1, 3, 2, 1]);
    expect(r.scores[0]).toBeCloseTo(0.16);
    expect(r.scores[2]).toBeCloseTo(0.36);
    // Row 1 recomputed exactly: (2.9 − 3)², (2.9 − 2)², (2.9 − 1)².
    expect([...r.scores.subarray(3)].map((v) => +v.toFixed(4))).toEqual([0.01, 0.81, 3.61]);
  });

  it('one query row: usearch returns a single match list without counts', () => {
    const w = Float32Array.of(0, 1, 2, 3);
    const { mod } = fake(() => ({ keys: BigUint64Array.of(2n, 1n), distances: Float32Array.of(0.04, 0.64) }));
    const r = UnitIndex.build(mod, w, 4, 1, 'l2sq', settings).query(Float32Array.of(1.8), 1, 2);
    expect([...r.indices]).toEqual([2, 1]);
  });

  it('normalizeRows gives unit rows and keeps a zero row zero (cosine distance 1 to everything)', () => {
    const out = normalizeRows(Float32Array.of(3, 4, 0, 0), 2);
    expect([...out]).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
  });
});
