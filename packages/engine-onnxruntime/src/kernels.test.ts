// The four kernels of the onnxruntime engine against plain-JS float64 references.
import type { EngineKernels, EngineSession, NeighborhoodTable } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxEngine } from './index.js';
import { ctxFor, distances, expectNear, expectSameBits, expectSearch, hOf, pick, productOf, rand, scrambledTable, stepOf, sumsOf, tableOf, view, viewTable, type TableSpec } from './kernels.fixture.js';

// 4 × 8: rows of 8 units, read as windows of 8 (see tableInputs); the scrambled tables take the element path.
const [R, C] = [4, 8];
const U = R * C;
const D = 5;
const N = 300;
const ALPHA = 0.5;
const GRIDS: ReadonlyArray<[string, Omit<TableSpec, 'scale'>]> = [
  ['rectangular', { rows: R, cols: C }],
  ['hexagonal', { rows: R, cols: C, topology: 'hexagonal' }],
  ['toroidal rectangular', { rows: R, cols: C, pbc: true }],
  ['toroidal hexagonal', { rows: R, cols: C, topology: 'hexagonal', pbc: true }],
];
const X = rand(N * D, 1);
const W = rand(U * D, 2);
const ORDER = Int32Array.from({ length: N }, (_, i) => (i * 37 + 11) % N);

async function openWith(options: Parameters<typeof onnxEngine>[0], distance: 'euclidean' | 'sqeuclidean' = 'euclidean', u = U, d = D): Promise<{ s: EngineSession; k: Required<EngineKernels> }> {
  const s = await onnxEngine(options).open(ctxFor(u, d, distance));
  return { s, k: s.kernels as Required<EngineKernels> };
}

let main: { s: EngineSession; k: Required<EngineKernels> };
beforeAll(async () => void (main = await openWith(undefined)));
afterAll(() => main.s.close());

describe('bmu kernel', () => {
  it('k = 1 and 2 best units and distances as float64, all samples and a shorter last batch as its own call, views with offsets, chunked or not, euclidean and sqeuclidean', async () => {
    for (const distance of ['euclidean', 'sqeuclidean'] as const) {
      // maxBlockElements 64 → chunks of 2 samples against 32 units.
      for (const options of [undefined, { maxBlockElements: 64 }]) {
        const { s, k: kernels } = await openWith(options, distance);
        for (const [first, size] of [[0, N], [N - 7, 7]] as const) {
          for (const k of [1, 2]) {
            const x = view(X.slice(first * D, (first + size) * D), Number.NaN);
            const out = await kernels.bmu({ x, weights: view(W.slice(), Number.NaN), samples: size, units: U, dims: D, k });
            expectSearch(out.indices, out.distances, distances(x, W, size, U, D, distance === 'euclidean'), k);
          }
        }
        await s.close();
      }
    }
  });

  it('no samples gives empty results', async () => {
    const out = await main.k.bmu({ x: new Float32Array(0), weights: W, samples: 0, units: U, dims: D, k: 2 });
    expect([out.indices.length, out.distances.length]).toEqual([0, 0]);
  });

  it('refuses sizes that do not match and k outside [1, u] with ERR_SHAPE_MISMATCH, saying what it expected and received', async () => {
    const job = { x: X, weights: W, samples: N, units: U, dims: D, k: 1 };
    await expect(main.k.bmu({ ...job, x: X.subarray(1) })).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/expected x \[300, 5\] = 1500 values, received 1499/) }));
    await expect(main.k.bmu({ ...job, weights: W.subarray(5) })).rejects.toThrow(/weights \[32, 5\] = 160 values, received 155/);
    await expect(main.k.bmu({ ...job, k: 33 })).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/1 ≤ k ≤ 32 .*received k = 33/) }));
    await expect(main.k.bmu({ ...job, k: 0 })).rejects.toThrow(/received k = 0/);
  });
});

describe('neuronSums kernel', () => {
  it('best units and [S | m] as float64 (k = 1, 2; all samples and a shorter last batch; chunked or not; views)', async () => {
    for (const options of [undefined, { maxBlockElements: 64 }]) {
      const { s, k: kernels } = await openWith(options);
      for (const [first, size] of [[0, N], [N - 7, 7]] as const) {
        for (const k of [1, 2]) {
          const x = view(X.slice(first * D, (first + size) * D), Number.NaN);
          const out = await kernels.neuronSums({ x, weights: view(W.slice(), Number.NaN), samples: size, units: U, dims: D, k });
          expectSearch(out.indices, out.distances, distances(x, W, size, U, D), k);
          const bmus = Array.from({ length: size }, (_, i) => out.indices[i * k]!);
          expectNear(out.sums, sumsOf(x, bmus, size, U, D), 1e-5, 'sums');
        }
      }
      await s.close();
    }
  });

  it('with given search results: sums by the given BMUs and returns copies of them', async () => {
    for (const k of [1, 2]) {
      // The 2nd…(k+1)-th nearest units: no search finds these.
      const truth = distances(X, W, N, U, D);
      const indices = new Int32Array(N * k);
      const dists = new Float32Array(N * k);
      truth.forEach((row, i) => {
        const order = row.map((v, c) => [v, c] as const).sort((a, b) => a[0] - b[0]);
        for (let j = 0; j < k; j++) [dists[i * k + j], indices[i * k + j]] = order[j + 1]!;
      });
      const given = { indices: view(indices, -1), distances: view(dists, Number.NaN) };
      const out = await main.k.neuronSums({ x: X, weights: W, samples: N, units: U, dims: D, k, given });
      expect([...out.indices]).toEqual([...indices]);
      expect([...out.distances]).toEqual([...dists]);
      expect(out.indices.buffer).not.toBe(given.indices.buffer);
      expectNear(out.sums, sumsOf(X, Array.from({ length: N }, (_, i) => indices[i * k]!), N, U, D), 1e-5, 'sums');
    }
  });

  it('sums are exact for many samples per unit (the old multi-threaded ScatterND lost updates here)', async () => {
    const [n, d, u] = [4000, 64, 400];
    const x = rand(n * d, 3);
    const w = rand(u * d, 4);
    const { s, k: kernels } = await openWith({ intraOpNumThreads: 2 }, 'euclidean', u, d);
    const out = await kernels.neuronSums({ x, weights: w, samples: n, units: u, dims: d, k: 1 });
    expectNear(out.sums, sumsOf(x, out.indices, n, u, d), 1e-4, 'sums');
    await s.close();
  });

  it('refuses given results of the wrong size or with units out of range', async () => {
    const job = { x: X, weights: W, samples: N, units: U, dims: D, k: 1 };
    await expect(main.k.neuronSums({ ...job, given: { indices: new Int32Array(N - 1), distances: new Float32Array(N) } })).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/given.indices \[300, 1\] = 300 values, received 299/) }),
    );
    const bad = new Int32Array(N);
    bad[7] = U;
    await expect(main.k.neuronSums({ ...job, given: { indices: bad, distances: new Float32Array(N) } })).rejects.toThrow(/given.indices\[7\] is 32, expected a unit index in \[0, 32\)/);
  });
});

/** Runs float64 reference steps following the engine's BMUs (checked against float64 search) and compares the codebook. */
function expectSteps(out: { weights: Float32Array; indices: Int32Array; distances: Float32Array }, rows: Int32Array, b: number, steps: number, k: number, h: (a: number, b: number) => number, w0 = W, u = U, d = D, x = X): void {
  let w: ArrayLike<number> = w0;
  for (let s = 0; s < steps; s++) {
    const xs = pick(x, rows.subarray(s * b, (s + 1) * b), d);
    const at = s * b * k;
    expectSearch(out.indices.subarray(at, at + b * k), out.distances.subarray(at, at + b * k), distances(xs, w, b, u, d), k);
    w = stepOf(w, xs, Array.from({ length: b }, (_, i) => out.indices[at + i * k]!), h, u, d);
  }
  expectNear(out.weights, w, 1e-4, 'weights');
}

describe('minibatchSteps kernel', () => {
  const b = 32;
  it('5 steps on rectangular, hexagonal and toroidal tables, k = 1 and 2, views with offsets: the float64 reference steps', async () => {
    for (const [label, grid] of GRIDS) {
      const table = tableOf({ ...grid, scale: ALPHA / b });
      for (const k of [1, 2]) {
        const rows = ORDER.slice(0, 5 * b);
        const out = await main.k.minibatchSteps({ x: view(X.slice(), Number.NaN), rows: view(rows, -1), weights: view(W.slice(), Number.NaN), kernel: viewTable(table), batch: b, steps: 5, samples: N, units: U, dims: D, k });
        expect([out.weights.length, out.indices.length, out.distances.length], label).toEqual([U * D, 5 * b * k, 5 * b * k]);
        expectSteps(out, rows, b, 5, k, hOf(table));
      }
    }
  });

  it('a shorter last batch (7 rows, α / 7) as its own one-step call', async () => {
    const table = tableOf({ rows: R, cols: C, topology: 'hexagonal', pbc: true, scale: ALPHA / 7 });
    const rows = Int32Array.of(299, 3, 150, 42, 0, 77, 298);
    for (const k of [1, 2]) {
      const out = await main.k.minibatchSteps({ x: X, rows, weights: W, kernel: table, batch: 7, steps: 1, samples: N, units: U, dims: D, k });
      expectSteps(out, rows, 7, 1, k, hOf(table));
    }
  });

  it('a table without runs of consecutive offsets (read element by element) gives the reference steps too', async () => {
    const { table, h } = scrambledTable(tableOf({ rows: R, cols: C, topology: 'hexagonal', scale: ALPHA / b }), 9);
    const rows = ORDER.slice(0, 3 * b);
    const out = await main.k.minibatchSteps({ x: X, rows, weights: W, kernel: table, batch: b, steps: 3, samples: N, units: U, dims: D, k: 2 });
    expectSteps(out, rows, b, 3, 2, h);
  });

  it('a 50 × 50 map (2 500 units; no [u, u] table anywhere): the reference steps', async () => {
    const [u, d, n, bb] = [2500, 4, 400, 64];
    const x = rand(n * d, 5);
    const w = rand(u * d, 6);
    const table = tableOf({ rows: 50, cols: 50, sigma: 6, scale: ALPHA / bb });
    const { s, k: kernels } = await openWith(undefined, 'euclidean', u, d);
    const rows = Int32Array.from({ length: 2 * bb }, (_, i) => (i * 13) % n);
    const out = await kernels.minibatchSteps({ x, rows, weights: w, kernel: table, batch: bb, steps: 2, samples: n, units: u, dims: d, k: 2 });
    expectSteps(out, rows, bb, 2, 2, hOf(table), w, u, d, x);
    await s.close();
  });

  it('a 100 × 100 map (10 000 units: the graphs carry Wᵀ), with and without given BMUs: the reference steps', async () => {
    const [u, d, n, bb] = [10000, 3, 200, 16];
    const x = rand(n * d, 15);
    const w = rand(u * d, 16);
    const table = tableOf({ rows: 100, cols: 100, topology: 'hexagonal', pbc: true, sigma: 10, scale: ALPHA / bb });
    const { s, k: kernels } = await openWith(undefined, 'euclidean', u, d);
    const rows = Int32Array.from({ length: 2 * bb }, (_, i) => (i * 17) % n);
    const out = await kernels.minibatchSteps({ x, rows, weights: w, kernel: table, batch: bb, steps: 2, samples: n, units: u, dims: d, k: 2 });
    expectSteps(out, rows, bb, 2, 2, hOf(table), w, u, d, x);
    const given = { indices: Int32Array.from({ length: bb }, (_, i) => (i * 613) % u), distances: new Float32Array(bb) };
    const one = await kernels.minibatchSteps({ x, rows: rows.subarray(0, bb), weights: w, kernel: table, batch: bb, steps: 1, samples: n, units: u, dims: d, k: 1, given });
    expect([...one.indices]).toEqual([...given.indices]);
    expectNear(one.weights, stepOf(w, pick(x, rows.subarray(0, bb), d), given.indices, hOf(table), u, d), 1e-4, 'weights');
    await s.close();
  });

  it('12 steps in one call give bit for bit the codebook, units and distances of 12 one-step calls (both table layouts)', async () => {
    const steps = 12;
    const rect = tableOf({ rows: R, cols: C, scale: 0.5 / b });
    for (const table of [rect, scrambledTable(rect, 3).table]) {
      const rows = Int32Array.from({ length: steps * b }, (_, i) => (i * 37) % N);
      const all = await main.k.minibatchSteps({ x: X, rows, weights: W, kernel: table, batch: b, steps, samples: N, units: U, dims: D, k: 2 });
      let w = W;
      for (let s = 0; s < steps; s++) {
        const one = await main.k.minibatchSteps({ x: X, rows: rows.subarray(s * b, (s + 1) * b), weights: w, kernel: table, batch: b, steps: 1, samples: N, units: U, dims: D, k: 2 });
        expectSameBits(one.indices, all.indices.subarray(s * b * 2, (s + 1) * b * 2), `step ${s} indices`);
        expectSameBits(one.distances, all.distances.subarray(s * b * 2, (s + 1) * b * 2), `step ${s} distances`);
        w = one.weights;
      }
      expectSameBits(all.weights, w, 'weights');
    }
  });

  it('with given search results (steps = 1): one step by the given BMUs, which it returns as copies', async () => {
    for (const [, grid] of [GRIDS[0]!, GRIDS[3]!]) {
      const table = tableOf({ ...grid, scale: ALPHA / b });
      for (const k of [1, 2]) {
        const rows = ORDER.slice(0, b);
        const xs = pick(X, rows, D);
        const truth = distances(xs, W, b, U, D);
        const indices = new Int32Array(b * k);
        const dists = new Float32Array(b * k);
        truth.forEach((row, i) => {
          const order = row.map((v, c) => [v, c] as const).sort((p, q) => p[0] - q[0]);
          for (let j = 0; j < k; j++) [dists[i * k + j], indices[i * k + j]] = order[j + 1]!;
        });
        const given = { indices: view(indices, -1), distances: view(dists, Number.NaN) };
        const out = await main.k.minibatchSteps({ x: X, rows: view(rows, -1), weights: W, kernel: viewTable(table), batch: b, steps: 1, samples: N, units: U, dims: D, k, given });
        expect([...out.indices]).toEqual([...indices]);
        expect([...out.distances]).toEqual([...dists]);
        expectNear(out.weights, stepOf(W, xs, Array.from({ length: b }, (_, i) => indices[i * k]!), hOf(table), U, D), 1e-4, 'weights');
      }
    }
  });

  it('refuses rows out of range, a rows array of the wrong length, given with several steps, and tables that do not fit', async () => {
    const table = tableOf({ rows: 2, cols: 2, scale: 0.1 });
    const job = { x: rand(20, 1), rows: Int32Array.of(0, 3, 10, 1), weights: rand(8, 2), kernel: table, batch: 2, steps: 2, samples: 10, units: 4, dims: 2, k: 1 };
    const { s, k: kernels } = await openWith(undefined, 'euclidean', 4, 2);
    await expect(kernels.minibatchSteps(job)).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/rows\[2\] is 10, expected a row index in \[0, 10\)/) }));
    await expect(kernels.minibatchSteps({ ...job, rows: Int32Array.of(0, 1, 2, -1) })).rejects.toThrow(/rows\[3\] is -1/);
    await expect(kernels.minibatchSteps({ ...job, rows: Int32Array.of(0, 1, 2), steps: 2 })).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/rows \[2 · 2\] = 4 values, received 3/) }));
    await expect(kernels.minibatchSteps({ ...job, rows: Int32Array.of(0, 1, 2, 3), given: { indices: new Int32Array(2), distances: new Float32Array(2) } })).rejects.toThrow(/steps = 1 with given search results/);
    const other = tableOf({ rows: 3, cols: 2 });
    await expect(kernels.minibatchSteps({ ...job, rows: Int32Array.of(0, 1, 2, 3), kernel: other })).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/kernel table of 4 units .*received base 6, offset 6/) }));
    const outside: NeighborhoodTable = { values: table.values, base: Int32Array.from(table.base, (v) => v + 5), offset: table.offset };
    await expect(kernels.minibatchSteps({ ...job, rows: Int32Array.of(0, 1, 2, 3), kernel: outside })).rejects.toThrow(/base\[a\] \+ offset\[b\] .* in \[0, 9\)/);
    await s.close();
  });
});

describe('neighborhoodProduct kernel', () => {
  it('G·m as float64 on rectangular, hexagonal and toroidal tables, c = d + 1 and 3, views with offsets', async () => {
    for (const [label, grid] of GRIDS) {
      const table = tableOf(grid);
      for (const c of [D + 1, 3]) {
        const m = rand(U * c, 7 + c);
        const out = await main.k.neighborhoodProduct({ kernel: viewTable(table), m: view(m, Number.NaN), units: U, columns: c });
        expect(out.length, label).toBe(U * c);
        expectNear(out, productOf(hOf(table), m, U, c), 1e-5, `${label} out`);
      }
    }
  });

  it('a table without runs (element by element) and a 50 × 50 map in several row blocks', async () => {
    const { table, h } = scrambledTable(tableOf({ rows: R, cols: C, topology: 'hexagonal', pbc: true }), 4);
    const m = rand(U * 3, 8);
    expectNear(await main.k.neighborhoodProduct({ kernel: table, m, units: U, columns: 3 }), productOf(h, m, U, 3), 1e-5, 'out');
    // 4 M / 2 500 = 1 677 rows per block: two blocks, the second shorter.
    const big = tableOf({ rows: 50, cols: 50, topology: 'hexagonal', sigma: 4 });
    const mb = rand(2500 * 2, 9);
    expectNear(await main.k.neighborhoodProduct({ kernel: big, m: mb, units: 2500, columns: 2 }), productOf(hOf(big), mb, 2500, 2), 1e-5, 'out');
  });

  it('refuses m of the wrong size and a table of other units', async () => {
    const table = tableOf({ rows: R, cols: C });
    await expect(main.k.neighborhoodProduct({ kernel: table, m: new Float32Array(U * 3 - 1), units: U, columns: 3 })).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH', message: expect.stringMatching(/m \[32, 3\] = 96 values, received 95/) }),
    );
    await expect(main.k.neighborhoodProduct({ kernel: table, m: new Float32Array(10 * 3), units: 10, columns: 3 })).rejects.toThrow(/kernel table of 10 units/);
  });
});
