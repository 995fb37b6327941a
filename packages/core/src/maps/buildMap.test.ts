import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { sqeuclidean } from '@somkit/kernels';
import { isSomError, type MapData, type SomErrorCode } from '@somkit/plugin-api';
import { SOM } from '../SOM.js';
import { buildMap } from './buildMap.js';
import { buildMaps } from './buildMaps.js';
import { mapKey } from './mapKey.js';
import { MAP_TYPES, type BmusData } from './MapOptions.js';

/** A 1-feature SOM whose unit u holds weights[u]. */
async function som1d(weights: number[], rows: number, cols: number, topology: 'rectangular' | 'hexagonal' = 'rectangular', pbc = false, neighborhoodOrder = 1): Promise<SOM> {
  const som = new SOM({ rows, cols, dims: 1, topology, pbc, neighborhoodOrder });
  await som.setWeights(weights.map((w) => [w]));
  return som;
}

/** Runs `fn` and checks it left no tensor behind. */
async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors, 'tensor leak').toBe(before);
  return out;
}

async function expectSomError(p: Promise<unknown>, code: SomErrorCode, pattern?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isSomError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable(`expected a SomError ${code}`);
}

const vals = (m: MapData): number[] => [...m.values];

/** Expected U-matrix from hand-listed neighbour lists: Σ or mean |w_u − w_v|, ÷ max. */
function expectedUMatrix(w: number[], nbrs: number[][], scaling: 'sum' | 'mean', f = (a: number, b: number) => Math.abs(a - b)): number[] {
  const raw = w.map((wu, u) => {
    const s = nbrs[u]!.reduce((acc, v) => acc + f(wu, w[v]!), 0);
    return scaling === 'mean' ? s / nbrs[u]!.length : s;
  });
  const max = Math.max(...raw);
  return raw.map((v) => v / max);
}

describe('maps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  let startTensors = 0;
  beforeAll(() => {
    startTensors = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors, 'tensors left by the suite').toBe(startTensors);
  });

  it('hit: counts per unit equal the BMUs and sum to n', async () => {
    const som = await som1d([0, 10, 20, 30], 2, 2);
    const data = [[0.1], [9], [11], [10.4], [29], [31], [-3]];
    const hit = await noLeak(() => buildMap(som, 'hit', { data }));
    expect(hit.type).toBe('hit');
    expect(vals(hit)).toEqual([2, 3, 0, 2]);
    expect(vals(hit).reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(hit.values.some(Number.isNaN)).toBe(false);
    expect([hit.rows, hit.cols, hit.topology, hit.pbc]).toEqual([2, 2, 'rectangular', false]);
    som.dispose();
  });

  it('U-matrix on a rectangular 3×3 codebook: sum and mean, max = 1', async () => {
    const w = [0, 1, 2, 10, 11, 12, 20, 21, 22];
    // 8-neighbourhood (Chebyshev ring 1), written out by hand.
    const nbrs = [[1, 3, 4], [0, 2, 3, 4, 5], [1, 4, 5], [0, 1, 4, 6, 7], [0, 1, 2, 3, 5, 6, 7, 8], [1, 2, 4, 7, 8], [3, 4, 7], [3, 4, 5, 6, 8], [4, 5, 7]];
    const som = await som1d(w, 3, 3);
    const sum = await noLeak(() => buildMap(som, 'distance'));
    const mean = await noLeak(() => buildMap(som, 'distance', { scaling: 'mean' }));
    expect(sum.type).toBe('distance');
    vals(sum).forEach((v, i) => expect(v).toBeCloseTo(expectedUMatrix(w, nbrs, 'sum')[i]!, 5));
    vals(mean).forEach((v, i) => expect(v).toBeCloseTo(expectedUMatrix(w, nbrs, 'mean')[i]!, 5));
    expect(Math.max(...vals(sum))).toBe(1);
    expect(Math.max(...vals(mean))).toBe(1);
    expect(sum.values[4]).toBe(1); // the centre has the most (and farthest) neighbours
    // Another distance than the SOM's: squared euclidean.
    const sq = await noLeak(() => buildMap(som, 'distance', { distance: sqeuclidean() }));
    vals(sq).forEach((v, i) => expect(v).toBeCloseTo(expectedUMatrix(w, nbrs, 'sum', (a, b) => (a - b) ** 2)[i]!, 4));
    som.dispose();
  });

  it('U-matrix on a hexagonal 3×3 codebook (odd-r neighbours), and order 2 reaches everything', async () => {
    const w = [0, 1, 2, 10, 11, 12, 20, 21, 22];
    // Odd-r: even row r → (r±1, c−1), (r±1, c), (r, c±1); odd row → (r±1, c), (r±1, c+1), (r, c±1).
    const nbrs = [[1, 3], [0, 2, 3, 4], [1, 4, 5], [0, 1, 4, 6, 7], [1, 2, 3, 5, 7, 8], [2, 4, 8], [3, 7], [3, 4, 6, 8], [4, 5, 7]];
    const som = await som1d(w, 3, 3, 'hexagonal');
    const sum = await noLeak(() => buildMap(som, 'distance'));
    const mean = await noLeak(() => buildMap(som, 'distance', { scaling: 'mean' }));
    vals(sum).forEach((v, i) => expect(v).toBeCloseTo(expectedUMatrix(w, nbrs, 'sum')[i]!, 5));
    vals(mean).forEach((v, i) => expect(v).toBeCloseTo(expectedUMatrix(w, nbrs, 'mean')[i]!, 5));
    expect(Math.max(...vals(sum))).toBe(1);
    // Order 2 on a 3×3 hex grid: unit 4 reaches all 8 others.
    const all = [0, 1, 2, 3, 5, 6, 7, 8];
    const o2 = await noLeak(() => buildMap(som, 'distance', { neighborhoodOrder: 2, scaling: 'mean' }));
    const raw4 = all.reduce((s, v) => s + Math.abs(11 - w[v]!), 0) / all.length;
    expect(Math.max(...vals(o2))).toBe(1);
    // The SOM's own neighborhoodOrder is the default.
    const som2 = await som1d(w, 3, 3, 'hexagonal', false, 2);
    const d2 = await buildMap(som2, 'distance', { scaling: 'mean' });
    expect(vals(d2)).toEqual(vals(o2));
    const rawMax = Math.max(...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((u) => {
      const g = som.grid.neighborhood(u, 2);
      return [...g].reduce((s, v) => s + Math.abs(w[u]! - w[v]!), 0) / g.length;
    }));
    expect(o2.values[4]).toBeCloseTo(raw4 / rawMax, 5);
    som.dispose();
    som2.dispose();
  });

  it('U-matrix on a torus: every unit of a 3×3 rectangular torus sees the 8 others', async () => {
    const w = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const som = await som1d(w, 3, 3, 'rectangular', true);
    const m = await noLeak(() => buildMap(som, 'distance'));
    const raw = w.map((a) => w.reduce((s, b) => s + Math.abs(a - b), 0));
    vals(m).forEach((v, i) => expect(v).toBeCloseTo(raw[i]! / Math.max(...raw), 5));
    expect(m.pbc).toBe(true);
    som.dispose();
  });

  it('metric (mean, unbiased std), score, rank; empty units are NaN', async () => {
    const som = await som1d([0, 1, 2, 3], 2, 2);
    const bmus = Int32Array.from([0, 0, 0, 1, 3]);
    const target = [1, 2, 3, 5, 7];
    const mean = await noLeak(() => buildMap(som, 'metric', { bmus, target }));
    const std = await noLeak(() => buildMap(som, 'metric', { bmus, target, reduction: 'std' }));
    expect(vals(mean)).toEqual([2, 5, NaN, 7]);
    expect(vals(std)).toEqual([1, 0, NaN, 0]);
    const score = await buildMap(som, 'score', { bmus, target });
    expect(score.values[0]).toBeCloseTo((1 / Math.sqrt(3)) * Math.log(5 / 3), 6);
    expect(score.values[1]).toBeCloseTo(1e-8, 12);
    expect(score.values[2]).toBeNaN();
    expect(score.values[3]).toBeCloseTo(1e-8, 12);
    const score100 = await buildMap(som, 'score', { bmus, target, totalSamples: 100 });
    expect(score100.values[0]).toBeCloseTo((1 / Math.sqrt(3)) * Math.log(100 / 3), 5);
    // Zero spread floors at 1e-8.
    const flat = await buildMap(som, 'score', { bmus, target: [4, 4, 4, 4, 4] });
    expect(flat.values[0]).toBeCloseTo(1e-8, 12);
    const rank = await buildMap(som, 'rank', { bmus, target });
    expect(vals(rank)).toEqual([1, 2, NaN, 3]); // equal stds rank by unit index
    som.dispose();
  });

  it('metric from data: the BMUs are searched with the SOM', async () => {
    const som = await som1d([0, 10, 20, 30], 2, 2);
    const m = await noLeak(() => buildMap(som, 'metric', { data: [[0], [1], [29]], target: Float32Array.from([2, 4, 8]) }));
    expect(vals(m)).toEqual([3, NaN, NaN, 8]);
    som.dispose();
  });

  it('classification: majority, tie broken by neighbours, then by the smallest label', async () => {
    // 1×5 rectangular map; unit u's neighbours (order 1) are u−1 and u+1.
    const som = await som1d([0, 1, 2, 3, 4], 1, 5);
    const bmus = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 4, 4]);
    const target = Int32Array.from([2, 2, 1, 0, 1, 1, 1, 5, 4]);
    const m = await noLeak(() => buildMap(som, 'classification', { bmus, target }));
    // unit 0: majority 2; unit 1: tie {0, 1} → neighbours (units 0, 2) hold 1 ×3, 0 ×0 → 1;
    // unit 2: majority 1; unit 3: empty; unit 4: tie {5, 4}, neighbour unit 3 is empty → smallest, 4.
    expect(vals(m)).toEqual([2, 1, 1, NaN, 4]);
    // The same call again gives the same answer (deterministic).
    expect(vals(await buildMap(som, 'classification', { bmus, target }))).toEqual([2, 1, 1, NaN, 4]);
    // A tie whose neighbours tie too → smallest label.
    const m2 = await buildMap(som, 'classification', { bmus: Int32Array.from([1, 1, 0, 2]), target: [7, 3, 7, 3] });
    expect(vals(m2)).toEqual([7, 3, 3, NaN, NaN]);
    som.dispose();
  });

  it('classification tie-break on a hexagonal grid uses the odd-r neighbours and neighborhoodOrder', async () => {
    // 3×3 hex: unit 0's ring-1 neighbours are 1 and 3; unit 8 is two steps away (ring 2... or farther).
    const som = await som1d([0, 1, 2, 3, 4, 5, 6, 7, 8], 3, 3, 'hexagonal');
    expect(som.grid.stepDistance(0, 4)).toBe(2);
    // unit 0: tie {0, 1}; unit 4 (ring 2) holds label 1 twice; unit 1 (ring 1) is empty.
    const bmus = Int32Array.from([0, 0, 4, 4]);
    const target = [0, 1, 1, 1];
    expect((await buildMap(som, 'classification', { bmus, target })).values[0]).toBe(0); // ring 1 empty → smallest
    expect((await buildMap(som, 'classification', { bmus, target, neighborhoodOrder: 2 })).values[0]).toBe(1);
    som.dispose();
  });

  it('bmusData: unit → sample indices; component: one codebook column', async () => {
    const som = new SOM({ rows: 2, cols: 2, dims: 2 });
    await som.setWeights([[0, 5], [1, 6], [2, 7], [3, 8]]);
    const b = await noLeak(() => buildMap(som, 'bmusData', { bmus: Int32Array.from([3, 0, 3, 1]) }));
    expect(b.type).toBe('bmusData');
    expect(b.indices.map((a) => [...a])).toEqual([[1], [3], [], [0, 2]]);
    expect([b.rows, b.cols, b.topology, b.pbc]).toEqual([2, 2, 'rectangular', false]);
    const c = await noLeak(() => buildMap(som, 'component', { feature: 1 }));
    expect(vals(c)).toEqual([5, 6, 7, 8]);
    expect(c.type).toBe('component');
    som.dispose();
  });

  it('buildMaps: one BMU search, keys by type and sorted options', async () => {
    const som = await som1d([0, 10, 20, 30], 2, 2);
    const spy = vi.spyOn(som, 'identifyBmus');
    const maps = await noLeak(() =>
      buildMaps(som, [
        { type: 'hit' },
        { type: 'metric', reduction: 'std' },
        { type: 'metric' },
        { type: 'distance', scaling: 'mean', neighborhoodOrder: 1 },
        { type: 'classification' },
        { type: 'bmusData' },
      ], { data: [[0], [1], [29], [31]], target: [0, 1, 1, 1] }),
    );
    expect(spy).toHaveBeenCalledTimes(1);
    expect(Object.keys(maps)).toEqual(['hit', 'metric_reduction=std', 'metric', 'distance_neighborhoodOrder=1,scaling=mean', 'classification', 'bmusData']);
    expect(vals(maps.hit as MapData)).toEqual([2, 0, 0, 2]);
    expect(vals(maps['metric_reduction=std'] as MapData)[3]).toBe(0);
    expect((maps.bmusData as BmusData).indices[3]).toEqual(Int32Array.from([2, 3]));
    // Maps without samples need no search.
    spy.mockClear();
    await buildMaps(som, [{ type: 'distance' }, { type: 'component', feature: 0 }]);
    expect(spy).not.toHaveBeenCalled();
    expect(mapKey({ type: 'distance', distance: sqeuclidean() })).toBe('distance_distance=sqeuclidean');
    som.dispose();
  });

  it('bad input → SomError with a code and a message that says what is needed', async () => {
    const som = await som1d([0, 10, 20, 30], 2, 2);
    const data = [[0], [10], [20]];
    await expectSomError(buildMap(som, 'nope' as 'hit'), 'ERR_INVALID_INPUT', new RegExp(MAP_TYPES.join('.*')));
    await expectSomError(buildMap(som, 'bmus_data' as 'hit'), 'ERR_INVALID_INPUT', /bmusData/);
    await expectSomError(buildMaps(som, [{ type: 'umatrix' as 'hit' }]), 'ERR_INVALID_INPUT', /Valid types/);
    for (const t of ['metric', 'score', 'rank', 'classification'] as const) {
      await expectSomError(buildMap(som, t, { data }), 'ERR_INVALID_INPUT', /needs a target/);
    }
    await expectSomError(buildMap(som, 'metric', { data, target: [1, 2, 3, 4] }), 'ERR_SHAPE_MISMATCH', /length 3.*got 4/);
    await expectSomError(buildMap(som, 'metric', { data, target: [1, NaN, 3] }), 'ERR_NON_FINITE', /target\[1\]/);
    await expectSomError(buildMap(som, 'classification', { data, target: [1, Infinity, 3] }), 'ERR_NON_FINITE');
    await expectSomError(buildMap(som, 'hit'), 'ERR_INVALID_INPUT', /needs the samples/);
    await expectSomError(buildMap(som, 'hit', { bmus: Int32Array.from([0, 4]) }), 'ERR_INVALID_INPUT', /bmus\[1\] = 4/);
    await expectSomError(buildMap(som, 'hit', { data: [[0, 1]] }), 'ERR_SHAPE_MISMATCH');
    await expectSomError(buildMap(som, 'component', {}), 'ERR_INVALID_INPUT', /feature/);
    await expectSomError(buildMap(som, 'component', { feature: 1 }), 'ERR_INVALID_INPUT', /\[0, 0\]/);
    await expectSomError(buildMap(som, 'distance', { scaling: 'max' as 'sum' }), 'ERR_INVALID_INPUT', /scaling/);
    await expectSomError(buildMap(som, 'distance', { neighborhoodOrder: 0 }), 'ERR_INVALID_INPUT', /neighborhoodOrder/);
    // Beyond the largest ring distance the rings are empty: refused at once, not computed for minutes.
    await expectSomError(buildMap(som, 'distance', { neighborhoodOrder: 1e9 }), 'ERR_INVALID_INPUT', /neighborhoodOrder must be an integer in 1\.\./);
    await expectSomError(buildMap(som, 'metric', { data, target: [1, 2, 3], reduction: 'max' as 'mean' }), 'ERR_INVALID_INPUT', /reduction/);
    await expectSomError(buildMap(som, 'score', { data, target: [1, 2, 3], totalSamples: -1 }), 'ERR_INVALID_INPUT', /totalSamples/);
    await expectSomError(buildMap(som, 'distance', { distance: 'no-such-distance' }), 'ERR_UNKNOWN_PLUGIN');
    const fresh = new SOM({ rows: 2, cols: 2, dims: 1 });
    await expectSomError(buildMap(fresh, 'distance'), 'ERR_NOT_FITTED');
    fresh.dispose();
    som.dispose();
  });
});

describe('SOM.buildMap / buildMaps sugar', () => {
  it('delegates to buildMap and buildMaps', async () => {
    await tf.setBackend('cpu');
    const som = new SOM({ rows: 2, cols: 2, dims: 1 });
    await som.setWeights([[0], [1], [2], [3]]);
    const hit = await som.buildMap('hit', { data: [[0], [0.1], [3]] });
    expect([...hit.values]).toEqual([2, 0, 0, 1]);
    const maps = await som.buildMaps([{ type: 'hit' }, { type: 'metric', reduction: 'mean' }], { data: [[0], [3]], target: [5, 7] });
    expect(Object.keys(maps).sort()).toEqual(['hit', 'metric_reduction=mean']);
    som.dispose();
  });
});
