import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@somkit/kernels/register';
import { isSomError, logger, type SomErrorCode } from '@somkit/plugin-api';
import { SOM } from './SOM.js';
import { Rng } from '@somkit/geometry';

function gaussianData(n: number, d: number, seed = 1): number[][] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
}

function blobs(n: number, d: number, centers: number, seed = 3, spread = 0.3): { x: number[][]; y: number[] } {
  const r = new Rng(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => (r.next() - 0.5) * 20));
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % centers;
    x.push(c[k]!.map((v) => v + r.normal() * spread));
    y.push(k);
  }
  return { x, y };
}

/** A 5×5, 1-feature SOM with given (row, col) → value weights, the rest 0 (MiniSom hand cases). */
async function handMap(values: Record<string, number>, topology: 'rectangular' | 'hexagonal' = 'rectangular', rows = 5, cols = 5): Promise<SOM> {
  const som = new SOM({ rows, cols, dims: 1, topology });
  const w = Array.from({ length: rows * cols }, () => [0]);
  for (const [k, v] of Object.entries(values)) {
    const [r, c] = k.split(',').map(Number) as [number, number];
    w[r * cols + c] = [v];
  }
  await som.setWeights(w);
  return som;
}

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

for (const backend of ['cpu', 'wasm']) {
  describe(`SOM on ${backend}`, () => {
    let before = 0;
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });
    beforeEach(() => {
      before = tf.memory().numTensors;
    });
    afterEach(() => {
      expect(tf.memory().numTensors, 'tensor leak').toBe(before);
    });

    it('BMU, QE and hit cases from MiniSom (5×5, 1 feature)', async () => {
      const som = await handMap({ '2,3': 5, '1,1': 2 });
      expect([...(await som.identifyBmus([[5], [2]]))]).toEqual([13, 6]);
      expect([...(await som.bmuPositions([[5], [2]]))]).toEqual([2, 3, 1, 1]);
      expect(await som.quantizationError([[5], [2]])).toBeCloseTo(0, 6);
      expect(await som.quantizationError([[4], [1]])).toBeCloseTo(1, 6);
      som.dispose();
    });

    it('TE rectangular: 8-neighbourhood (MiniSom and TorchSOM cases)', async () => {
      let som = await handMap({ '2,3': 5, '2,4': 6 });
      expect(await som.topographicError([[5]])).toBe(0);
      som.dispose();
      som = await handMap({ '4,4': 15, '0,0': 14 });
      expect(await som.topographicError([[15]])).toBe(1);
      som.dispose();
      // TorchSOM: 3×3 map of 10s, BMU (0,0)=(0,0), second (1,1) diagonal → 0; second (2,0) → 1.
      const mk = async (second: number): Promise<SOM> => {
        const s = new SOM({ rows: 3, cols: 3, dims: 2 });
        const w = Array.from({ length: 9 }, () => [10, 10]);
        w[0] = [0, 0];
        w[second] = [0, 0.5];
        await s.setWeights(w);
        return s;
      };
      som = await mk(4);
      expect(await som.topographicError([[0, 0.1]])).toBe(0);
      som.dispose();
      som = await mk(6);
      expect(await som.topographicError([[0, 0.1]])).toBe(1);
      som.dispose();
    });

    it('TE hexagonal: 6-neighbourhood (MiniSom cases)', async () => {
      let som = await handMap({ '2,2': 10, '2,3': 9 }, 'hexagonal');
      expect(await som.topographicError([[10]])).toBe(0);
      som.dispose();
      som = await handMap({ '4,4': 15, '0,0': 14 }, 'hexagonal');
      expect(await som.topographicError([[15]])).toBe(1);
      som.dispose();
      // On odd-r, (2,2)'s upper-right neighbour is (1,2) but (1,3) is not a neighbour.
      som = await handMap({ '2,2': 10, '1,3': 9 }, 'hexagonal');
      expect(await som.topographicError([[10]])).toBe(1);
      som.dispose();
      som = await handMap({ '2,2': 10, '1,1': 9 }, 'hexagonal');
      expect(await som.topographicError([[10]])).toBe(0);
      som.dispose();
    });

    it('TE with torus is not larger than without on the same weights', async () => {
      const w = gaussianData(64, 3, 9);
      const data = gaussianData(200, 3, 10);
      const flat = new SOM({ rows: 8, cols: 8, dims: 3 });
      const torus = new SOM({ rows: 8, cols: 8, dims: 3, pbc: true });
      await flat.setWeights(w);
      await torus.setWeights(w);
      expect(await torus.topographicError(data)).toBeLessThanOrEqual(await flat.topographicError(data));
      flat.dispose();
      torus.dispose();
    });

    it('search case from TorchSOM: 3×3 zeros, (1,1)=(1,0), (0,0)=(10,10) → unit 4', async () => {
      const som = new SOM({ rows: 3, cols: 3, dims: 2 });
      const w = Array.from({ length: 9 }, () => [0, 0]);
      w[4] = [1, 0];
      w[0] = [10, 10];
      await som.setWeights(w);
      expect([...(await som.identifyBmus([[1, 0]]))]).toEqual([4]);
      const top = await som.topUnits([[1, 0]], 3);
      expect(top.indices[0]).toBe(4);
      expect(top.distances[0]).toBeCloseTo(0, 5);
      expect(top.distances[1]).toBeCloseTo(1, 5);
      expect(top.distances[2]).toBeCloseTo(1, 5);
      const t = await som.transform([[1, 0]]);
      expect(t.length).toBe(9);
      expect(t[0]).toBeCloseTo(Math.hypot(9, 10), 4);
      som.dispose();
    });

    it('random and PCA init stay within the per-feature data range, finite', async () => {
      const data = gaussianData(2000, 4, 5);
      const lo = [0, 1, 2, 3].map((j) => Math.min(...data.map((r) => r[j]!)));
      const hi = [0, 1, 2, 3].map((j) => Math.max(...data.map((r) => r[j]!)));
      for (const init of ['random', 'pca'] as const) {
        for (const topology of ['rectangular', 'hexagonal'] as const) {
          const som = new SOM({ rows: 15, cols: 10, dims: 4, init, topology });
          await som.initialize(data);
          const w = som.getWeights();
          for (let i = 0; i < w.length; i++) {
            expect(Number.isFinite(w[i])).toBe(true);
            expect(w[i]!).toBeGreaterThanOrEqual(lo[i % 4]!);
            expect(w[i]!).toBeLessThanOrEqual(hi[i % 4]!);
          }
          som.dispose();
        }
      }
    });

    it('PCA init spans the first principal direction along the longer grid side', async () => {
      // Data stretched along (1, 1, 0)/√2.
      const r = new Rng(2);
      const data = Array.from({ length: 500 }, () => {
        const t = r.normal() * 5;
        return [t / Math.SQRT2 + r.normal() * 0.1, t / Math.SQRT2 + r.normal() * 0.1, r.normal() * 0.5];
      });
      const som = new SOM({ rows: 4, cols: 12, dims: 3, init: 'pca' });
      await som.initialize(data);
      const w = som.getWeights();
      // Along a row, consecutive units move along ±(1,1,0).
      const dx = w[3 * 11]! - w[0]!;
      const dy = w[3 * 11 + 1]! - w[1]!;
      expect(Math.abs(dx)).toBeGreaterThan(5);
      expect(dx / dy).toBeCloseTo(1, 1);
      som.dispose();
    });

    for (const rule of ['minibatch', 'batch-map'] as const) {
      for (const topology of ['rectangular', 'hexagonal'] as const) {
        it(`${rule} on ${topology}: QE of the last epochs is below the first, history lengths = epochs`, async () => {
          const data = gaussianData(400, 4, 11);
          const som = new SOM({ rows: 8, cols: 6, dims: 4, epochs: 10, batchSize: 32, sigma: 2, learningRate: 0.85, rule, topology });
          const seen: number[] = [];
          const snapshots: number[] = [];
          const h = await som.fit(data, { onEpochEnd: (e) => { seen.push(e); snapshots.push(som.getWeights()[0]!); } });
          expect(new Set(snapshots).size).toBeGreaterThan(1);
          expect(h.qe.length).toBe(10);
          expect(h.te.length).toBe(10);
          expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
          const first = h.qe.slice(0, 3).reduce((a, b) => a + b) / 3;
          const last = h.qe.slice(-3).reduce((a, b) => a + b) / 3;
          expect(last).toBeLessThan(first);
          for (const v of [...h.qe, ...h.te]) expect(Number.isFinite(v)).toBe(true);
          for (const v of h.te) expect(v).toBeGreaterThanOrEqual(0);
          // The final QE (after the last update) is at most the last pass's QE (before it), within noise.
          const qe = await som.quantizationError(data);
          expect(qe).toBeLessThanOrEqual(h.qe[9]! * 1.05);
          som.dispose();
        });
      }
    }

    it('both rules organise well-separated blobs: samples of a blob share neighbouring units', async () => {
      const { x, y } = blobs(300, 3, 3);
      for (const rule of ['minibatch', 'batch-map'] as const) {
        const som = new SOM({ rows: 6, cols: 6, dims: 3, epochs: 15, sigma: 2, learningRate: 0.5, rule, init: 'pca' });
        await som.fit(x);
        const bmus = await som.identifyBmus(x);
        // Each unit is claimed by a single blob.
        const owner = new Map<number, number>();
        let conflicts = 0;
        bmus.forEach((u, i) => {
          const o = owner.get(u);
          if (o === undefined) owner.set(u, y[i]!);
          else if (o !== y[i]) conflicts++;
        });
        expect(conflicts).toBe(0);
        expect(await som.quantizationError(x)).toBeLessThan(1);
        som.dispose();
      }
    });

    it('batch-map is deterministic and equals the closed form for σ→tiny (k-means step)', async () => {
      const data = [[0], [1], [10], [11]];
      const som = new SOM({ rows: 1, cols: 2, dims: 1, rule: 'batch-map', sigma: 0.01, sigmaDecay: 'constant', epochs: 1 });
      await som.setWeights([[0], [10]]);
      await som.fit(data);
      const w = som.getWeights();
      expect(w[0]).toBeCloseTo(0.5, 5);
      expect(w[1]).toBeCloseTo(10.5, 5);
      som.dispose();
    });

    it('minibatch with batch size 1 trains (TorchSOM bug not ported)', async () => {
      const som = new SOM({ rows: 2, cols: 2, dims: 1, rule: 'minibatch', batchSize: 1, epochs: 1, sigma: 0.01, learningRate: 0.5, lrDecay: 'constant', sigmaDecay: 'constant' });
      await som.setWeights([[0], [0], [0], [0]]);
      await som.fit([[4]], { shuffle: false });
      // BMU (unit 0, ties go to the lowest index) moves half way: 0 + 0.5·(4 − 0) = 2.
      expect(som.getWeights()[0]).toBeCloseTo(2, 5);
      som.dispose();
    });

    it('same seed → same codebook; torus and every kernel/distance train without NaN', async () => {
      const data = gaussianData(120, 3, 4);
      const a = new SOM({ rows: 4, cols: 4, dims: 3, epochs: 3, seed: 5 });
      const b = new SOM({ rows: 4, cols: 4, dims: 3, epochs: 3, seed: 5 });
      await a.fit(data);
      await b.fit(data);
      expect([...a.getWeights()]).toEqual([...b.getWeights()]);
      a.dispose();
      b.dispose();
      for (const distance of ['euclidean', 'sqeuclidean', 'cosine', 'manhattan', 'chebyshev'] as const) {
        for (const neighborhood of ['gaussian', 'mexican_hat', 'bubble', 'triangle'] as const) {
          const som = new SOM({ rows: 4, cols: 4, dims: 3, epochs: 2, distance, neighborhood, pbc: true, topology: 'hexagonal', sigma: 1.5 });
          const h = await som.fit(data);
          for (const v of h.qe) expect(Number.isFinite(v)).toBe(true);
          som.dispose();
        }
      }
    });

    it('onEpochEnd, AbortSignal and yieldEvery', async () => {
      const data = gaussianData(100, 2, 4);
      const som = new SOM({ rows: 3, cols: 3, dims: 2, epochs: 5 });
      const signal = { aborted: false, reason: 'stop' as unknown };
      await expectSomError(som.fit(data, { signal, onEpochEnd: (e) => { if (e === 1) signal.aborted = true; }, yieldEvery: 'batch' }), 'ERR_ABORTED');
      expect(som.history.qe.length).toBe(2);
      expect(som.getWeights().length).toBe(18);
      await expectSomError(som.fit(data, { yieldEvery: 'sometimes' as never }), 'ERR_INVALID_CONFIG', /yieldEvery/);
      som.dispose();
    });

    it('JSON round trip keeps config, codebook and history; predictions identical', async () => {
      const data = gaussianData(150, 3, 8);
      const som = new SOM({ rows: 4, cols: 6, dims: 3, epochs: 3, topology: 'hexagonal', pbc: true, distance: 'cosine', neighborhood: 'bubble', sigma: 2 });
      await som.fit(data);
      for (const encoding of ['base64', 'array'] as const) {
        const text = JSON.stringify(som.toJSON({ encoding }));
        const back = await SOM.fromJSON(JSON.parse(text));
        expect(back.config).toEqual(som.config);
        expect([...back.getWeights()]).toEqual([...som.getWeights()]);
        expect(back.history.qe).toEqual(som.history.qe);
        expect([...(await back.identifyBmus(data))]).toEqual([...(await som.identifyBmus(data))]);
        expect(await back.quantizationError(data)).toBe(await som.quantizationError(data));
        back.dispose();
      }
      som.dispose();
    });

    it('bad model files → ERR_MODEL_FORMAT naming the field', async () => {
      const som = new SOM({ rows: 2, cols: 3, dims: 2 });
      await som.setWeights(gaussianData(6, 2));
      const good = som.toJSON();
      som.dispose();
      const mutate = (f: (j: any) => void): unknown => {
        const j = JSON.parse(JSON.stringify(good));
        f(j);
        return j;
      };
      await expectSomError(SOM.fromJSON('{not json'), 'ERR_MODEL_FORMAT', /not valid JSON/);
      await expectSomError(SOM.fromJSON(mutate((j) => delete j.codebook)), 'ERR_MODEL_FORMAT', /codebook/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.format = 'other'))), 'ERR_MODEL_FORMAT', /format/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.version = 99))), 'ERR_MODEL_FORMAT', /version/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.codebook.shape = [6, 3]))), 'ERR_MODEL_FORMAT', /codebook\.shape: expected \[6, 2\]/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.codebook.data = 'AAAAAA=='))), 'ERR_MODEL_FORMAT', /12 values/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.codebook.data = '!!!!'))), 'ERR_MODEL_FORMAT', /base64/);
      await expectSomError(SOM.fromJSON(mutate((j) => delete j.config.rows)), 'ERR_MODEL_FORMAT', /rows/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.grid.rows = 3))), 'ERR_MODEL_FORMAT', /grid\.rows/);
      await expectSomError(SOM.fromJSON(mutate((j) => { j.codebook.encoding = 'array'; j.codebook.data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, null]; })), 'ERR_MODEL_FORMAT', /codebook\.data\[11\]/);
      await expectSomError(SOM.fromJSON(mutate((j) => (j.config.distance = { name: 'acme/nope' }))), 'ERR_UNKNOWN_PLUGIN', /acme\/nope/);
    });

    it('a model trained with a search backend that is not available here loads with search: auto and a warning', async () => {
      const som = new SOM({ rows: 2, cols: 3, dims: 2 });
      await som.setWeights(gaussianData(6, 2));
      const json = JSON.parse(JSON.stringify(som.toJSON()));
      const weights = [...som.getWeights()];
      som.dispose();
      json.config.search = { name: 'acme/ann-engine' };
      const warnings: string[] = [];
      logger.setSink((level, message) => warnings.push(`${level}: ${message}`));
      try {
        const back = await SOM.fromJSON(json);
        expect(back.config.search).toBe('auto');
        expect([...back.getWeights()]).toEqual(weights);
        expect((await back.identifyBmus([[0, 0]])).length).toBe(1);
        expect(back.searchName).toBe('brute-force');
        back.dispose();
      } finally {
        logger.setSink(undefined);
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^warn: .*trained with search backend 'acme\/ann-engine', which is not available here .*using search: 'auto' instead/);
    });

    it('bad data: NaN, ±Inf, empty, wrong width, ragged, non-numeric → SomError', async () => {
      const som = new SOM({ rows: 2, cols: 2, dims: 2 });
      await expectSomError(som.fit([[1, NaN]]), 'ERR_NON_FINITE', /row 0, column 1/);
      await expectSomError(som.fit([[1, 2], [Infinity, 0]]), 'ERR_NON_FINITE', /row 1, column 0/);
      await expectSomError(som.fit([[1, 2], [-Infinity, 0]]), 'ERR_NON_FINITE');
      await expectSomError(som.fit([]), 'ERR_EMPTY_INPUT');
      await expectSomError(som.fit([[1, 2, 3]]), 'ERR_SHAPE_MISMATCH', /Expected data of shape \[n, 2\], got \[1, 3\]/);
      await expectSomError(som.fit([[1, 2], [3]]), 'ERR_SHAPE_MISMATCH', /row 1 has 1/);
      await expectSomError(som.fit([[1, '2' as unknown as number]]), 'ERR_INVALID_INPUT', /row 0, column 1/);
      await expectSomError(som.fit({ data: new Float32Array(3), shape: [2, 2] }), 'ERR_SHAPE_MISMATCH', /needs 4/);
      await expectSomError(som.fit({ data: Float32Array.of(1, 2, NaN, 4), shape: [2, 2] }), 'ERR_NON_FINITE', /got NaN at row 1, column 0/);
      await expectSomError(som.fit({ data: Float32Array.of(1, 2, 3, -Infinity), shape: [2, 2] }), 'ERR_NON_FINITE', /got -Infinity at row 1, column 1/);
      await expectSomError(som.fit({ data: Float64Array.of(1, Infinity, 3, 4), shape: [2, 2] }), 'ERR_NON_FINITE', /got Infinity at row 0, column 1/);
      const t = tf.tensor2d([[1, NaN]]);
      await expectSomError(som.fit(t), 'ERR_NON_FINITE');
      t.dispose();
      await expectSomError(som.quantizationError([[1, 2]]), 'ERR_NOT_FITTED');
      som.dispose();
    });

    it('Tensor2D and {data, shape} inputs give the same result as arrays', async () => {
      const data = gaussianData(50, 2, 21);
      const som = new SOM({ rows: 3, cols: 3, dims: 2 });
      await som.setWeights(gaussianData(9, 2, 22));
      const t = tf.tensor2d(data);
      const a = await som.identifyBmus(data);
      const b = await som.identifyBmus(t);
      const c = await som.identifyBmus({ data: Float64Array.from(data.flat()), shape: [50, 2] });
      expect([...b]).toEqual([...a]);
      expect([...c]).toEqual([...a]);
      t.dispose();
      som.dispose();
    });
  });
}

describe('config validation', () => {
  const base = { rows: 3, cols: 3, dims: 2 };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ rows: 0 }, /rows/],
    [{ cols: 0 }, /cols/],
    [{ dims: 1.5 }, /dims/],
    [{ epochs: 0 }, /epochs/],
    [{ batchSize: 0 }, /batchSize/],
    [{ learningRate: 0 }, /learningRate/],
    [{ sigma: 0 }, /sigma/],
    [{ sigma: NaN }, /sigma/],
    [{ neighborhoodOrder: 0 }, /neighborhoodOrder/],
    [{ topology: 'triangular' }, /topology/],
    [{ init: 'kmeans++' }, /init/],
    [{ rule: 'online' }, /rule/],
    [{ pbc: 'yes' }, /pbc/],
    [{ seed: 1.5 }, /seed/],
    [{ sigmaa: 1 }, /Unknown option 'sigmaa'/],
    [{ topology: 'hexagonal', pbc: true, rows: 5 }, /even number of rows/],
    [{ rule: 'batch-map', neighborhood: 'mexican_hat' }, /non-negative/],
  ];
  for (const [over, pattern] of cases) {
    it(`rejects ${JSON.stringify(over)}`, async () => {
      await expectSomError(() => new SOM({ ...base, ...over } as never), 'ERR_INVALID_CONFIG', pattern);
    });
  }
  it('unknown plugin names → ERR_UNKNOWN_PLUGIN with choices', async () => {
    await expectSomError(() => new SOM({ ...base, distance: 'hamming' }), 'ERR_UNKNOWN_PLUGIN', /distance: Unknown distance 'hamming'. Registered: .*euclidean/);
    await expectSomError(() => new SOM({ ...base, neighborhood: 'nope' }), 'ERR_UNKNOWN_PLUGIN', /gaussian/);
    await expectSomError(() => new SOM({ ...base, lrDecay: 'nope' }), 'ERR_UNKNOWN_PLUGIN', /asymptotic_decay/);
  });
  it("preset 'torchsom' gives TorchSOM's defaults", () => {
    const som = new SOM({ ...base, preset: 'torchsom' });
    expect(som.config).toMatchObject({ epochs: 10, batchSize: 5, sigma: 1, learningRate: 0.5, neighborhoodOrder: 1, topology: 'rectangular', pbc: false, init: 'random', seed: 42, rule: 'minibatch', search: 'auto' });
    expect(som.config.distance).toEqual({ name: 'euclidean' });
    expect(som.config.neighborhood).toEqual({ name: 'gaussian' });
    expect(som.config.lrDecay).toEqual({ name: 'asymptotic_decay' });
    expect(som.config.sigmaDecay).toEqual({ name: 'asymptotic_decay' });
    som.dispose();
  });
});
