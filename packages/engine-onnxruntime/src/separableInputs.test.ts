import { describe, expect, it } from 'vitest';
import { expectNear, expectSameBits, hOf, rand, scrambledTable, tableOf } from './kernels.fixture.js';
import { minibatchGivenStepGraph, minibatchStepsGraph } from './minibatchStepsGraph.js';
import { loadOrt, type OrtModule } from './ortRuntime.js';
import { separableInputs } from './separableInputs.js';
import { tableInputs, tileFeeds } from './tableInputs.js';

const ort = loadOrt() as OrtModule;

describe('separable kernel tables', () => {
  it('are found for the gaussian on rectangular grids (toroidal or not), not for hexagonal grids, other kernels or other layouts', () => {
    for (const spec of [{ rows: 6, cols: 8 }, { rows: 9, cols: 4, pbc: true, sigma: 2.5 }, { rows: 1, cols: 7 }, { rows: 5, cols: 1, scale: 0.01 }]) {
      const table = tableOf(spec);
      const s = separableInputs(ort, table);
      expect(s?.layout, JSON.stringify(spec)).toBe('separable');
      // A single column reads as a single row (the same kernel rows).
      expect(s!.width).toBe(spec.rows === 1 || spec.cols === 1 ? spec.rows * spec.cols : spec.cols);
      // Row factor × column factor at every pair of units is the table's value.
      const [A, B, row, col] = (['SEP_A', 'SEP_B', 'SEP_ROW', 'SEP_COL'] as const).map((k) => s!.feeds[k]!.data as Float32Array | Int32Array) as [Float32Array, Float32Array, Int32Array, Int32Array];
      const h = hOf(table);
      const C = s!.width;
      const R = (spec.rows * spec.cols) / C;
      for (let a = 0; a < R * C; a++) {
        for (let b = 0; b < R * C; b++) {
          const v = A[row[a]! * R + Math.floor(b / C)]! * B[col[a]! * C + (b % C)]!;
          expect(Math.abs(v - h(a, b))).toBeLessThanOrEqual(1e-6 * h(a, b));
        }
      }
    }
    expect(separableInputs(ort, tableOf({ rows: 6, cols: 8, topology: 'hexagonal' }))).toBeUndefined();
    // The bubble of radius 2 holds (2, 0) but not (2, 1): not an outer product (radius 1.5 is, a 3 × 3 square).
    expect(separableInputs(ort, tableOf({ rows: 6, cols: 8, sigma: 2, kernel: (d2, s) => (d2 <= s * s ? 1 : 0) }))).toBeUndefined();
    expect(separableInputs(ort, tableOf({ rows: 6, cols: 8, sigma: 1.5, kernel: (d2, s) => (d2 <= s * s ? 1 : 0) }))?.layout).toBe('separable');
    expect(separableInputs(ort, tableOf({ rows: 6, cols: 8, kernel: (d2, s) => Math.max(0, 1 - d2 / (s * s)) }))).toBeUndefined();
    expect(separableInputs(ort, scrambledTable(tableOf({ rows: 6, cols: 8 }), 3).table)).toBeUndefined();
  });

  it('give the steps of the gathered table within float tolerance (the update from the factors, no kernel rows), with W or Wᵀ carried, with and without missing cells', async () => {
    const [n, b, steps, d] = [300, 24, 4, 5];
    for (const spec of [{ rows: 12, cols: 10, scale: 0.5 / b }, { rows: 8, cols: 9, pbc: true, sigma: 2, scale: 0.5 / b }]) {
      const table = tableOf(spec);
      const u = spec.rows * spec.cols;
      const w = rand(u * d, 8);
      const rows = Int32Array.from({ length: steps * b }, (_, i) => (i * 29) % n);
      const bmu = Int32Array.from({ length: b }, (_, i) => (i * 11) % u);
      const gathered = tableInputs(ort, table);
      const separable = separableInputs(ort, table)!;
      for (const masked of [false, true]) {
        const x = rand(n * d, 7);
        if (masked) for (let k = 2; k < x.length; k += 7) x[k] = Number.NaN;
        for (const transposed of [false, true]) {
          const outs: Array<Array<Float32Array | Int32Array>> = [];
          for (const [t, asked] of [[gathered, 1], [gathered, 4], [separable, 1]] as const) {
            const { tiles, feeds } = tileFeeds(ort, t, u, asked);
            if (asked > 1) expect(tiles).toBeGreaterThan(1);
            const neg = new ort.Tensor('float32', new Float32Array(b).fill(-1), transposed ? [1, b] : [b, 1]);
            const common = { X: new ort.Tensor('float32', x, [n, d]), W: new ort.Tensor('float32', w, [u, d]), ...t.feeds, NEGONES: neg, ...feeds };
            const s = await ort.InferenceSession.create(minibatchStepsGraph({ sqrt: true, layout: t.layout, transposed, tiles, masked }), { intraOpNumThreads: 2 });
            const all = await s.run({ ...common, ROWS: new ort.Tensor('int32', rows, [steps, b]), K: new ort.Tensor('int64', BigInt64Array.of(2n), [1]) });
            const out: Array<Float32Array | Int32Array> = [all.W2!.data as Float32Array, all.indices!.data as Int32Array];
            await s.release();
            if (!masked) {
              const g = await ort.InferenceSession.create(minibatchGivenStepGraph(t.layout, transposed, tiles), { intraOpNumThreads: 2 });
              const one = await g.run({ ...common, ROWS: new ort.Tensor('int32', rows.subarray(0, b), [b]), BMU: new ort.Tensor('int32', bmu, [b, 1]) });
              out.push(one.W2!.data as Float32Array);
              await g.release();
            }
            outs.push(out);
          }
          const where = `${spec.pbc === true ? 'toroidal' : 'flat'}${transposed ? ', Wᵀ' : ''}${masked ? ', missing cells' : ''}`;
          expect(Array.from(outs[0]![0]!).some((v, i) => v !== w[i])).toBe(true);
          expect(Array.from(outs[2]![0]!).every(Number.isFinite), `${where}: finite`).toBe(true);
          outs[0]!.forEach((_, i) => expectSameBits(outs[1]![i]!, outs[0]![i]!, `${where}, gathered in tiles: output ${i}`));
          expectNear(outs[2]![0]!, outs[0]![0]!, 1e-5, `${where}: weights`);
          expect(Array.from(outs[2]![1]!), `${where}: indices`).toEqual(Array.from(outs[0]![1]!));
          if (!masked) expectNear(outs[2]![2]!, outs[0]![2]!, 1e-5, `${where}: given-step weights`);
        }
      }
    }
  });
});
