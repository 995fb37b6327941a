// The plain-JS references themselves: the test table against the grid geometry computed pair by
// pair, and the reference kernels against the same arithmetic written with tfjs ops on a dense
// [u, u] kernel; bad jobs throw SomError.
import * as tf from '@tensorflow/tfjs-core';
import { isSomError, type NeighborhoodTable } from '@somkit/plugin-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend, expectClose, gridTable, referenceKernels, rng } from './index.js';
import { brute, euclid } from './plugins.fixture.js';

beforeAll(async () => {
  expect(await activateBackend('cpu')).toBe(true);
});

/** Squared plane distance of units a and b, straight from the coordinates (odd-r hexagonal, minimum image on a torus). */
function planeD2(R: number, C: number, hex: boolean, pbc: boolean, a: number, b: number): number {
  const sy = hex ? Math.sqrt(3) / 2 : 1;
  const at = (u: number): [number, number] => {
    const [r, c] = [Math.floor(u / C), u % C];
    return [c + (hex && r % 2 === 1 ? 0.5 : 0), r * sy];
  };
  const [[xa, ya], [xb, yb]] = [at(a), at(b)];
  let [dx, dy] = [xb - xa, yb - ya];
  if (pbc) {
    dx -= C * Math.round(dx / C);
    dy -= R * sy * Math.round(dy / (R * sy));
  }
  return dx * dx + dy * dy;
}

/** The dense [u, u] kernel of a table. */
function dense(t: NeighborhoodTable, u: number): number[][] {
  return Array.from({ length: u }, (_, a) => Array.from({ length: u }, (_, b) => t.values[t.base[a]! + t.offset[b]!]!));
}

describe('gridTable', () => {
  for (const [R, C] of [[4, 6], [3, 5], [1, 4], [2, 2]] as const) {
    for (const hex of [false, true]) {
      for (const pbc of [false, true]) {
        if (hex && pbc && R % 2 === 1) continue;
        it(`${R} × ${C} ${hex ? 'hexagonal' : 'rectangular'}${pbc ? ' torus' : ''}: h(a, b) = scale·exp(−d²/2σ²) of the plane distance, for every pair; symmetric; O(u) values`, () => {
          const t = gridTable({ rows: R, cols: C, topology: hex ? 'hexagonal' : 'rectangular', pbc, sigma: 1.2, scale: 0.25 });
          const u = R * C;
          expect(t.values.length).toBe((hex ? 2 : 1) * (2 * R - 1) * (2 * C - 1));
          expect([t.base.length, t.offset.length]).toEqual([u, u]);
          const h = dense(t, u);
          for (let a = 0; a < u; a++) {
            for (let b = 0; b < u; b++) {
              const e = 0.25 * Math.exp(-planeD2(R, C, hex, pbc, a, b) / (2 * 1.2 * 1.2));
              expect(Math.abs(h[a]![b]! - e)).toBeLessThan(1e-6);
              expect(h[a]![b]).toBe(h[b]![a]);
            }
          }
        });
      }
    }
  }

  it('takes any kernel h(d², σ) and defaults to a gaussian at σ = 1.5, scale 1', () => {
    const t = gridTable({ rows: 2, cols: 3, kernel: (d2) => d2 });
    expect(dense(t, 6)[0]).toEqual([0, 1, 4, 1, 2, 5]);
    expect(gridTable({ rows: 1, cols: 2 }).values[0]).toBeCloseTo(Math.exp(-1 / 4.5), 6);
  });

  it('rejects bad grids with SomError ERR_INVALID_CONFIG', () => {
    for (const [spec, message] of [
      [{ rows: 0, cols: 3 }, /expected rows and cols to be integers ≥ 1, received rows=0, cols=3/],
      [{ rows: 3, cols: 3, topology: 'hexagonal', pbc: true }, /a hexagonal torus needs an even row count, received rows=3/],
      [{ rows: 2, cols: 2, sigma: 0 }, /expected sigma > 0/],
      [{ rows: 2, cols: 2, topology: 'square' }, /expected topology 'rectangular' or 'hexagonal', received "square"/],
    ] as const) {
      let caught: unknown;
      try {
        gridTable(spec as never);
      } catch (e) {
        caught = e;
      }
      expect(isSomError(caught, 'ERR_INVALID_CONFIG')).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });
});

describe('referenceKernels', () => {
  const [n, u, d] = [30, 12, 3];
  const next = rng(5);
  const x = Float32Array.from({ length: n * d }, () => 4 * next());
  const w = Float32Array.from({ length: u * d }, () => 4 * next());
  const table = gridTable({ rows: 3, cols: 4, topology: 'hexagonal', sigma: 1.3, scale: 0.05 });
  const ref = referenceKernels();
  const ctx = { backend: 'cpu', distance: euclid(), units: u, dims: d };

  it('bmu: the units and distances of a tfjs brute force', async () => {
    const r = await ref.bmu({ x, weights: w, samples: n, units: u, dims: d, k: 3 });
    const [xt, wt] = [tf.tensor2d(x, [n, d]), tf.tensor2d(w, [u, d])];
    const b = brute().search(xt, wt, 3, ctx);
    expect([...r.indices]).toEqual([...b.indices.dataSync()]);
    expectClose(r.distances, b.distances.dataSync(), 1e-4);
    tf.dispose([xt, wt, b.indices, b.distances]);
  });

  it('neuronSums: Σ x and counts per BMU, as a tfjs scatter', async () => {
    const r = await ref.neuronSums({ x, weights: w, samples: n, units: u, dims: d, k: 1 });
    const want = tf.tidy(() => tf.scatterND(tf.tensor2d(r.indices, [n, 1], 'int32'), tf.concat([tf.tensor2d(x, [n, d]), tf.ones([n, 1])], 1), [u, d + 1]).dataSync());
    expectClose(r.sums, want, 1e-5);
  });

  it('minibatchSteps: each step is W∘(1 − Hᵀ1) + HᵀX with H the dense kernel rows at the BMUs (tfjs), and 3 steps = 3 calls', async () => {
    const rows = Int32Array.from([4, 9, 1, 22, 17, 3, 8, 29, 0, 11, 5, 6]);
    const three = await ref.minibatchSteps({ x, rows, weights: w, kernel: table, batch: 4, steps: 3, samples: n, units: u, dims: d, k: 2 });
    let cur: Float32Array = w;
    const G = tf.tensor2d(dense(table, u));
    for (let s = 0; s < 3; s++) {
      const one = await ref.minibatchSteps({ x, rows: rows.subarray(4 * s, 4 * s + 4), weights: cur, kernel: table, batch: 4, steps: 1, samples: n, units: u, dims: d, k: 2 });
      expect([...one.indices]).toEqual([...three.indices.subarray(8 * s, 8 * s + 8)]);
      const want = tf.tidy(() => {
        const xb = tf.gather(tf.tensor2d(x, [n, d]), tf.tensor1d(rows.subarray(4 * s, 4 * s + 4), 'int32'));
        const h = tf.gather(G, tf.tensor1d(Int32Array.from([0, 1, 2, 3], (i) => one.indices[2 * i]!), 'int32'));
        const wt = tf.tensor2d(cur, [u, d]);
        return tf.add(tf.mul(wt, tf.sub(1, tf.reshape(tf.sum(h, 0), [u, 1]))), tf.matMul(h, xb, true, false)).dataSync();
      });
      expectClose(one.weights, want, 1e-5);
      cur = one.weights;
    }
    expectClose(three.weights, cur, 1e-6);
    G.dispose();
  });

  it('minibatchSteps and neuronSums use given search results instead of searching', async () => {
    const given = { indices: Int32Array.from({ length: 4 }, (_, i) => (i * 5) % u), distances: Float32Array.from([1, 2, 3, 4]) };
    const rows = Int32Array.from([0, 1, 2, 3]);
    const r = await ref.minibatchSteps({ x, rows, weights: w, kernel: table, batch: 4, steps: 1, samples: n, units: u, dims: d, k: 1, given });
    expect([...r.indices]).toEqual([...given.indices]);
    expect([...r.distances]).toEqual([1, 2, 3, 4]);
    const s = await ref.neuronSums({ x: x.subarray(0, 4 * d), weights: w, samples: 4, units: u, dims: d, k: 1, given });
    expect([...s.indices]).toEqual([...given.indices]);
    expect(s.sums[5 * (d + 1) + d]).toBe(1);
  });

  it('neighborhoodProduct: G·m as tf.matMul with the dense kernel', async () => {
    const m = Float32Array.from({ length: u * 4 }, () => next() - 0.5);
    const r = await ref.neighborhoodProduct({ kernel: table, m, units: u, columns: 4 });
    const want = tf.tidy(() => tf.matMul(tf.tensor2d(dense(table, u)), tf.tensor2d(m, [u, 4])).dataSync());
    expectClose(r, want, 1e-5);
  });

  it('takes a built-in distance by name or a function', async () => {
    const job = { x, weights: w, samples: n, units: u, dims: d, k: 1 };
    const sq = await referenceKernels({ distance: 'sqeuclidean' }).bmu(job);
    const eu = await ref.bmu(job);
    expect([...sq.indices]).toEqual([...eu.indices]);
    expectClose(sq.distances, Array.from(eu.distances, (v) => v * v), 1e-4);
    const fn = await referenceKernels({ distance: (a, b) => Math.abs(a[0]! - b[0]!) }).bmu(job);
    expect(fn.distances[0]).toBeCloseTo(Math.min(...Array.from({ length: u }, (_, j) => Math.abs(x[0]! - w[j * d]!))), 5);
  });

  it('rejects bad jobs with SomError saying what was expected', async () => {
    const base = { x, weights: w, samples: n, units: u, dims: d, k: 1 };
    const cases: Array<[() => Promise<unknown>, string, RegExp]> = [
      [() => ref.bmu({ ...base, x: x.subarray(1) }), 'ERR_SHAPE_MISMATCH', /referenceKernels bmu: expected x \[30, 3\] \(90 values\), received 89 values/],
      [() => ref.bmu({ ...base, k: 0 }), 'ERR_INVALID_INPUT', /expected k to be an integer in \[1, 12\]/],
      [() => ref.neuronSums({ ...base, given: { indices: new Int32Array(2), distances: new Float32Array(2) } }), 'ERR_SHAPE_MISMATCH', /expected given\.indices \[30, 1\]/],
      [() => ref.minibatchSteps({ x, rows: Int32Array.from([0, 99]), weights: w, kernel: table, batch: 2, steps: 1, samples: n, units: u, dims: d, k: 1 }), 'ERR_INVALID_INPUT', /rows\[1\] is 99, expected a row index in \[0, 30\)/],
      [() => ref.minibatchSteps({ x, rows: Int32Array.from([0, 1]), weights: w, kernel: table, batch: 1, steps: 2, samples: n, units: u, dims: d, k: 1, given: { indices: new Int32Array(1), distances: new Float32Array(1) } }), 'ERR_INVALID_INPUT', /given search results come with one step per call, received steps = 2/],
      [() => ref.neighborhoodProduct({ kernel: { ...table, values: table.values.subarray(0, 10) }, m: new Float32Array(u), units: u, columns: 1 }), 'ERR_SHAPE_MISMATCH', /kernel row \d+ reaches values\[\d+ … \d+\], outside the 10 table values/],
    ];
    for (const [run, code, message] of cases) {
      const e = await run().then(() => undefined, (err: unknown) => err);
      expect(isSomError(e, code as 'ERR_SHAPE_MISMATCH')).toBe(true);
      expect((e as Error).message).toMatch(message);
    }
    expect(() => referenceKernels({ distance: 'hamming' })).toThrow(/no built-in distance 'hamming'; expected one of euclidean, sqeuclidean, manhattan, chebyshev, cosine/);
  });
});
