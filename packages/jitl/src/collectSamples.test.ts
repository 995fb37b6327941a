import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError, type SomErrorCode } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import { manhattan } from '@somkit/kernels';
import { buildIndex, collectSamples, indexFromMembers, RETRIEVAL_MODES, type JitlBuffer } from './index.js';

async function expectSomError(p: Promise<unknown> | (() => unknown), code: SomErrorCode, pattern?: RegExp): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSomError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable(`expected a SomError ${code}`);
}

/** TorchSOM's hand map: 3×3, 2 features, weights 10 except (1,1) = (0,0) and (1,2) = (0.1,0). */
async function handSom(): Promise<SOM> {
  const som = new SOM({ rows: 3, cols: 3, dims: 2 });
  const w = Array.from({ length: 9 }, () => [10, 10]);
  w[4] = [0, 0];
  w[5] = [0.1, 0];
  await som.setWeights(w);
  return som;
}

/** A SOM whose unit u has codebook vector [u, 0], so the query [u, 0] has BMU u. */
async function indexedSom(options: ConstructorParameters<typeof SOM>[0]): Promise<SOM> {
  const som = new SOM(options);
  await som.setWeights(Array.from({ length: som.units }, (_, u) => [u, 0]));
  return som;
}

/** One sample per unit: sample u sits in unit u. */
function onePerUnit(som: SOM): { index: ReturnType<typeof indexFromMembers>; data: number[][] } {
  const data = Array.from({ length: som.units }, (_, u) => [u, 0]);
  return { index: indexFromMembers(som, data.map((_, u) => [u]), som.units), data };
}

const sorted = (b: JitlBuffer): number[] => Array.from(b.indices!).sort((x, y) => x - y);

describe('collectSamples', () => {
  const soms: SOM[] = [];
  let before = 0;
  const track = <T extends SOM>(s: T): T => {
    soms.push(s);
    return s;
  };
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    for (const s of soms.splice(0)) s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('TorchSOM hand cases (anchors §9 item 8)', () => {
    it('index {(1,1): [0], (1,2): [1, 2]}, query = w(1,1), threshold 3 → {0, 1, 2}, outputs [3, 1]', async () => {
      const som = track(await handSom());
      const data = [[0, 0], [0.1, 0], [0.1, 0]];
      const index = indexFromMembers(som, new Map([[4, [0]], [5, [1, 2]]]), 3);
      const buf = await collectSamples([0, 0], { som, index, data, outputs: [1, 2, 3], minBufferThreshold: 3, returnIndices: true });
      expect(sorted(buf)).toEqual([0, 1, 2]);
      expect(buf.outputs!.shape).toEqual([3, 1]);
      expect(buf.samples.shape).toEqual([3, 2]);
      expect(Array.from(buf.outputs!.data).sort()).toEqual([1, 2, 3]);
    });

    it('the same index from buildIndex on crafted data', async () => {
      const som = track(await handSom());
      const data = [[0, 0], [0.1, 0], [0.1, 0]];
      const index = await buildIndex(som, data);
      expect(Array.from(index.members[4]!)).toEqual([0]);
      expect(Array.from(index.members[5]!)).toEqual([1, 2]);
      expect(index.members.filter((m) => m.length > 0)).toHaveLength(2);
      const buf = await collectSamples([0, 0], { som, index, data, outputs: [1, 2, 3], minBufferThreshold: 3, returnIndices: true });
      expect(sorted(buf)).toEqual([0, 1, 2]);
    });

    it('(1,1) empty and (1,2): [4, 5], threshold 2 → {4, 5}', async () => {
      const som = track(await handSom());
      const data = Array.from({ length: 6 }, (_, i) => [i, i]);
      const index = indexFromMembers(som, { 5: [4, 5] }, 6);
      const buf = await collectSamples([0, 0], { som, index, data, outputs: [0, 1, 2, 3, 4, 5], minBufferThreshold: 2, returnIndices: true });
      expect(sorted(buf)).toEqual([4, 5]);
      expect(Array.from(buf.outputs!.data)).toEqual([4, 5]);
      expect(Array.from(buf.samples.data)).toEqual([4, 4, 5, 5]);
    });

    it('empty index → empty buffers', async () => {
      const som = track(await handSom());
      const index = indexFromMembers(som, [], 0);
      for (const mode of RETRIEVAL_MODES) {
        const buf = await collectSamples([0, 0], { som, index, data: [], outputs: [], mode, returnIndices: true });
        expect(buf.samples.shape).toEqual([0, 2]);
        expect(buf.outputs!.shape).toEqual([0, 1]);
        expect(buf.indices).toHaveLength(0);
      }
    });
  });

  describe('grid rings', () => {
    it('hexagonal ring 1 of an even-row and an odd-row cell', async () => {
      const som = track(await indexedSom({ rows: 6, cols: 6, dims: 2, topology: 'hexagonal' }));
      const { index, data } = onePerUnit(som);
      const u = (r: number, c: number): number => r * 6 + c;
      const even = await collectSamples([u(2, 2), 0], { som, index, data, mode: 'bmu_neighborhood', returnIndices: true });
      expect(sorted(even)).toEqual([u(1, 1), u(1, 2), u(2, 1), u(2, 2), u(2, 3), u(3, 1), u(3, 2)]);
      const odd = await collectSamples([u(3, 2), 0], { som, index, data, mode: 'bmu_neighborhood', returnIndices: true });
      expect(sorted(odd)).toEqual([u(2, 2), u(2, 3), u(3, 1), u(3, 2), u(3, 3), u(4, 2), u(4, 3)]);
    });

    it('a corner cell on a torus collects from the opposite edges', async () => {
      const torus = track(await indexedSom({ rows: 4, cols: 4, dims: 2, pbc: true }));
      const t = onePerUnit(torus);
      const wrapped = await collectSamples([0, 0], { som: torus, index: t.index, data: t.data, mode: 'bmu_neighborhood', returnIndices: true });
      // (0,0) with its 8 neighbours on the torus: (0,1), (0,3), (1,0), (1,1), (1,3), (3,0), (3,1), (3,3).
      expect(sorted(wrapped)).toEqual([0, 1, 3, 4, 5, 7, 12, 13, 15]);
      const flat = track(await indexedSom({ rows: 4, cols: 4, dims: 2 }));
      const f = onePerUnit(flat);
      const clipped = await collectSamples([0, 0], { som: flat, index: f.index, data: f.data, mode: 'bmu_neighborhood', returnIndices: true });
      expect(sorted(clipped)).toEqual([0, 1, 4, 5]);
    });

    it('a hexagonal torus wraps across both seams', async () => {
      const som = track(await indexedSom({ rows: 4, cols: 4, dims: 2, topology: 'hexagonal', pbc: true }));
      const { index, data } = onePerUnit(som);
      const buf = await collectSamples([0, 0], { som, index, data, mode: 'bmu_neighborhood', returnIndices: true });
      // (0,0) on an even row: (0,1), (0,3), (1,0), (3,0), and the shifted odd rows' (1,3), (3,3).
      expect(sorted(buf)).toEqual([0, 1, 3, 4, 7, 12, 15]);
    });

    it('neighborhoodOrder 2 adds ring 2 (defaults to som.config.neighborhoodOrder)', async () => {
      const som = track(await indexedSom({ rows: 5, cols: 5, dims: 2, neighborhoodOrder: 2 }));
      const { index, data } = onePerUnit(som);
      const all = await collectSamples([12, 0], { som, index, data, mode: 'bmu_neighborhood', returnIndices: true });
      expect(sorted(all)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      const one = await collectSamples([12, 0], { som, index, data, mode: 'bmu_neighborhood', neighborhoodOrder: 1, returnIndices: true });
      expect(sorted(one)).toEqual([6, 7, 8, 11, 12, 13, 16, 17, 18]);
    });
  });

  describe('modes', () => {
    /** 1×8 map with non-monotone 1-D codebook so codebook order ≠ grid order. */
    async function lineSom(): Promise<{ som: SOM; index: ReturnType<typeof indexFromMembers>; data: number[][] }> {
      const som = track(new SOM({ rows: 1, cols: 8, dims: 1 }));
      await som.setWeights([[0], [1], [5], [2], [9], [3], [20], [30]]);
      const data = [[0], [1], [5], [2], [9], [3], [20], [30], [3.1]];
      // One sample per unit, and unit 5 also holds sample 8.
      const index = indexFromMembers(som, [[0], [1], [2], [3], [4], [5, 8], [6], [7]], 9);
      return { som, index, data };
    }

    it('bmu_only takes the BMU cell only', async () => {
      const { som, index, data } = await lineSom();
      const buf = await collectSamples([0], { som, index, data, mode: 'bmu_only', minBufferThreshold: 100, returnIndices: true });
      expect(Array.from(buf.indices!)).toEqual([0]);
    });

    it('bmu_neighborhood stops at the rings however small the buffer', async () => {
      const { som, index, data } = await lineSom();
      const buf = await collectSamples([0], { som, index, data, mode: 'bmu_neighborhood', minBufferThreshold: 100, returnIndices: true });
      expect(Array.from(buf.indices!)).toEqual([0, 1]);
    });

    it('bmu_neighborhood_knn adds whole cells by codebook distance until the buffer exceeds the threshold', async () => {
      const { som, index, data } = await lineSom();
      // Rings give {0, 1} (2 ≤ 3); nearest codebooks to w0 = 0: unit 3 (2) → 3 samples ≤ 3, then
      // unit 5 (3) brings its whole cell {5, 8} → 5 > 3, stop. Unit 2 (5) is not reached.
      const buf = await collectSamples([0], { som, index, data, minBufferThreshold: 3, returnIndices: true });
      expect(Array.from(buf.indices!)).toEqual([0, 1, 3, 5, 8]);
      expect(Array.from(buf.samples.data)).toEqual([0, 1, 2, 3, Math.fround(3.1)]);
      // Already above the threshold after the rings: nothing is added.
      const small = await collectSamples([0], { som, index, data, minBufferThreshold: 1, returnIndices: true });
      expect(Array.from(small.indices!)).toEqual([0, 1]);
    });

    it('orders cells by the SOM’s own distance (manhattan vs euclidean)', async () => {
      const weights = [[0, 0], [3, 0], [2, 2], [50, 50]];
      const data = [[3, 0], [2, 2], [50, 50]];
      const members = [[], [0], [1], [2]];
      const picks: number[] = [];
      for (const distance of [undefined, manhattan()]) {
        const som = track(new SOM({ rows: 1, cols: 4, dims: 2, ...(distance ? { distance } : {}) }));
        await som.setWeights(weights);
        const index = indexFromMembers(som, members, 3);
        const buf = await collectSamples([0, 0], { som, index, data, neighborhoodOrder: 0, minBufferThreshold: 0, returnIndices: true });
        picks.push(...buf.indices!);
      }
      // Euclidean: (2,2) at 2.83 beats (3,0) at 3. Manhattan: (3,0) at 3 beats (2,2) at 4.
      expect(picks).toEqual([1, 0]);
    });

    it('answers a batch with one BMU search and one distance pass', async () => {
      const { som, index, data } = await lineSom();
      const bmuSpy = vi.spyOn(som, 'identifyBmus');
      const distSpy = vi.spyOn(som, 'transform');
      const queries = [[0], [9], [30], [0.2]];
      const batch = await collectSamples(queries, { som, index, data, outputs: data.map((r) => r[0]! * 2), minBufferThreshold: 2, returnIndices: true });
      expect(bmuSpy).toHaveBeenCalledTimes(1);
      expect(distSpy).toHaveBeenCalledTimes(1);
      expect(batch).toHaveLength(4);
      for (let i = 0; i < queries.length; i++) {
        const one = await collectSamples(queries[i]!, { som, index, data, outputs: data.map((r) => r[0]! * 2), minBufferThreshold: 2, returnIndices: true });
        expect(Array.from(batch[i]!.indices!)).toEqual(Array.from(one.indices!));
        expect(Array.from(batch[i]!.outputs!.data)).toEqual(Array.from(one.outputs!.data));
      }
      expect(batch[0]!.indices).toEqual(batch[3]!.indices);
    });

    it('takes {data, shape} historical data and [n, q] outputs', async () => {
      const { som, index, data } = await lineSom();
      const flat = { data: Float32Array.from(data.flat()), shape: [9, 1] as [number, number] };
      const outputs = data.map((r) => [r[0]!, -r[0]!]);
      const buf = await collectSamples(Float32Array.of(0), { som, index, data: flat, outputs, mode: 'bmu_neighborhood' });
      expect(buf.indices).toBeUndefined();
      expect(buf.outputs!.shape).toEqual([2, 2]);
      expect(Array.from(buf.outputs!.data)).toEqual([0, -0, 1, -1]);
    });
  });

  describe('bad input', () => {
    it('rejects a query of the wrong width', async () => {
      const som = track(await handSom());
      const index = await buildIndex(som, [[0, 0]]);
      await expectSomError(collectSamples([0, 0, 0], { som, index, data: [[0, 0]] }), 'ERR_SHAPE_MISMATCH', /2 features/);
      await expectSomError(collectSamples([[0, 0], [1]], { som, index, data: [[0, 0]] }), 'ERR_SHAPE_MISMATCH', /query 1/);
      await expectSomError(collectSamples([], { som, index, data: [[0, 0]] }), 'ERR_EMPTY_INPUT');
    });

    it('rejects an unknown mode, listing the modes', async () => {
      const som = track(await handSom());
      const index = await buildIndex(som, [[0, 0]]);
      await expectSomError(collectSamples([0, 0], { som, index, data: [[0, 0]], mode: 'knn' as 'bmu_only' }), 'ERR_INVALID_CONFIG', /'bmu_only', 'bmu_neighborhood', 'bmu_neighborhood_knn'/);
      await expectSomError(collectSamples([0, 0], { som, index, data: [[0, 0]], minBufferThreshold: -1 }), 'ERR_INVALID_CONFIG', /minBufferThreshold/);
      await expectSomError(collectSamples([0, 0], { som, index, data: [[0, 0]], neighborhoodOrder: 1.5 }), 'ERR_INVALID_CONFIG', /neighborhoodOrder/);
    await expectSomError(collectSamples([0, 0], { som, index, data: [[0, 0]], neighborhoodOrder: 1e9 }), 'ERR_INVALID_CONFIG', /neighborhoodOrder: expected an integer in 0\.\./);
    });

    it('rejects an index built for another SOM or an older codebook, asking to rebuild it', async () => {
      const som = track(await handSom());
      const other = track(new SOM({ rows: 4, cols: 3, dims: 2 }));
      await other.setWeights(Array.from({ length: 12 }, () => [1, 1]));
      const foreign = await buildIndex(other, [[0, 0]]);
      await expectSomError(collectSamples([0, 0], { som, index: foreign, data: [[0, 0]] }), 'ERR_INVALID_INPUT', /4×3 .*3×3.*buildIndex/);
      const index = await buildIndex(som, [[0, 0]]);
      await som.setWeights(Array.from({ length: 9 }, () => [2, 2]));
      await expectSomError(collectSamples([0, 0], { som, index, data: [[0, 0]] }), 'ERR_INVALID_INPUT', /retrained.*Rebuild/);
    });

    it('rejects outputs or data whose length is not index.n', async () => {
      const som = track(await handSom());
      const data = [[0, 0], [0.1, 0], [0.1, 0]];
      const index = await buildIndex(som, data);
      await expectSomError(collectSamples([0, 0], { som, index, data, outputs: [1, 2] }), 'ERR_SHAPE_MISMATCH', /index\.n/);
      await expectSomError(collectSamples([0, 0], { som, index, data, outputs: [[1], [2]] }), 'ERR_SHAPE_MISMATCH', /index\.n/);
      await expectSomError(collectSamples([0, 0], { som, index, data: data.slice(0, 2) }), 'ERR_SHAPE_MISMATCH', /3 historical samples/);
      await expectSomError(collectSamples([0, 0], { som, index, data: { data: new Float32Array(6), shape: [3, 3] } }), 'ERR_SHAPE_MISMATCH');
    });

    it('rejects hand-made indices that point outside the map or the data', async () => {
      const som = track(await handSom());
      expect(() => indexFromMembers(som, { 9: [0] }, 1)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
      expect(() => indexFromMembers(som, { 4: [3] }, 3)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
      expect(() => indexFromMembers(som, { 4: [0], 5: [0] }, 3)).toThrowError(/more than one cell/);
    });
  });
});
