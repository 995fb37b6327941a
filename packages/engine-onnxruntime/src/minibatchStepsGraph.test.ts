import { describe, expect, it } from 'vitest';
import { minibatchGivenStepGraph, minibatchStepsGraph } from './minibatchStepsGraph.js';
import { expectSameBits, rand, tableOf } from './kernels.fixture.js';
import { loadOrt, type OrtModule } from './ortRuntime.js';
import { tableInputs, tileFeeds } from './tableInputs.js';
import { referenceKernels } from '@somkit/testing';

const ort = loadOrt() as OrtModule;

describe('minibatch step graphs', () => {
  it('carrying W or Wᵀ through the steps gives the same bits (the engine switches by map size)', async () => {
    const [n, u, d, b, steps] = [500, 48, 7, 40, 6];
    const x = rand(n * d, 1);
    const w = rand(u * d, 2);
    const rows = Int32Array.from({ length: steps * b }, (_, i) => (i * 31) % n);
    for (const table of [tableOf({ rows: 6, cols: 8, topology: 'hexagonal', scale: 0.5 / b }), tableOf({ rows: 8, cols: 6, pbc: true, scale: 0.5 / b })]) {
      const t = tableInputs(ort, table);
      const outs: Array<Array<Float32Array | Int32Array>> = [];
      for (const transposed of [false, true]) {
        const neg = new ort.Tensor('float32', new Float32Array(b).fill(-1), transposed ? [1, b] : [b, 1]);
        const common = { X: new ort.Tensor('float32', x, [n, d]), W: new ort.Tensor('float32', w, [u, d]), ...t.feeds, NEGONES: neg };
        const s = await ort.InferenceSession.create(minibatchStepsGraph({ sqrt: true, layout: t.layout, transposed }), { intraOpNumThreads: 2 });
        const g = await ort.InferenceSession.create(minibatchGivenStepGraph(t.layout, transposed), { intraOpNumThreads: 2 });
        const all = await s.run({ ...common, ROWS: new ort.Tensor('int32', rows, [steps, b]), K: new ort.Tensor('int64', BigInt64Array.of(2n), [1]) });
        const bmu = Int32Array.from({ length: b }, (_, i) => (i * 5) % u);
        const one = await g.run({ ...common, ROWS: new ort.Tensor('int32', rows.subarray(0, b), [b]), BMU: new ort.Tensor('int32', bmu, [b, 1]) });
        outs.push([all.W2!.data, all.indices!.data, all.distances!.data, one.W2!.data] as Array<Float32Array | Int32Array>);
        await s.release();
        await g.release();
      }
      expect(outs[0]![0]!.length).toBe(u * d);
      ['weights', 'indices', 'distances', 'given-step weights'].forEach((what, i) => expectSameBits(outs[0]![i]!, outs[1]![i]!, `${t.layout}: ${what}`));
    }
  });

  it('updating the units tile by tile gives the same bits as one update of all units (the engine tiles from 4 096 units)', async () => {
    const [n, b, steps] = [400, 32, 5];
    const layouts = new Set<string>();
    for (const spec of [{ rows: 12, cols: 10, scale: 0.5 / b }, { rows: 14, cols: 7, topology: 'hexagonal' as const, pbc: true, scale: 0.5 / b }]) {
      const table = tableOf(spec);
      const u = spec.rows * spec.cols;
      const d = 5;
      const x = rand(n * d, 3);
      const w = rand(u * d, 4);
      const rows = Int32Array.from({ length: steps * b }, (_, i) => (i * 17) % n);
      const t = tableInputs(ort, table);
      layouts.add(t.layout);
      for (const transposed of [false, true]) {
        const outs: Array<Array<Float32Array | Int32Array>> = [];
        for (const asked of [1, 3, 7]) {
          const { tiles, feeds } = tileFeeds(ort, t, u, asked);
          if (asked > 1) expect(tiles, `${t.layout}: tiles`).toBeGreaterThan(1);
          const neg = new ort.Tensor('float32', new Float32Array(b).fill(-1), transposed ? [1, b] : [b, 1]);
          const common = { X: new ort.Tensor('float32', x, [n, d]), W: new ort.Tensor('float32', w, [u, d]), ...t.feeds, NEGONES: neg, ...feeds };
          const s = await ort.InferenceSession.create(minibatchStepsGraph({ sqrt: true, layout: t.layout, transposed, tiles }), { intraOpNumThreads: 2 });
          const g = await ort.InferenceSession.create(minibatchGivenStepGraph(t.layout, transposed, tiles), { intraOpNumThreads: 2 });
          const all = await s.run({ ...common, ROWS: new ort.Tensor('int32', rows, [steps, b]), K: new ort.Tensor('int64', BigInt64Array.of(2n), [1]) });
          const bmu = Int32Array.from({ length: b }, (_, i) => (i * 7) % u);
          const one = await g.run({ ...common, ROWS: new ort.Tensor('int32', rows.subarray(0, b), [b]), BMU: new ort.Tensor('int32', bmu, [b, 1]) });
          outs.push([all.W2!.data, all.indices!.data, one.W2!.data] as Array<Float32Array | Int32Array>);
          await s.release();
          await g.release();
        }
        // The steps moved the codebook (a graph that ignored the update would pass the comparison).
        expect(Array.from(outs[0]![0]!).some((v, i) => v !== w[i])).toBe(true);
        for (const k of [1, 2]) ['weights', 'indices', 'given-step weights'].forEach((what, i) => expectSameBits(outs[0]![i]!, outs[k]![i]!, `${t.layout}${transposed ? ' transposed' : ''}, tiling ${k}: ${what}`));
      }
    }
    expect([...layouts].sort()).toEqual(['elements', 'windows']);
  });

  it('masked steps (NaN = missing) match the float64 masked reference, untiled, tiled and with Wᵀ carried', async () => {
    const [n, b, steps, d] = [60, 12, 3, 4];
    const ref = referenceKernels({ distance: 'euclidean' });
    for (const spec of [{ rows: 6, cols: 8, topology: 'hexagonal' as const, scale: 0.5 / b }, { rows: 12, cols: 10, pbc: true, scale: 0.5 / b }]) {
      const table = tableOf(spec);
      const u = spec.rows * spec.cols;
      const x = rand(n * d, 5).map((v, i) => (i % 7 === 3 ? Number.NaN : v));
      const w = rand(u * d, 6);
      const rows = Int32Array.from({ length: steps * b }, (_, i) => (i * 13) % n);
      const want = await ref.minibatchSteps({ x, rows, weights: w, kernel: table, batch: b, steps, samples: n, units: u, dims: d, k: 2, missing: true });
      const t = tableInputs(ort, table);
      for (const transposed of [false, true]) {
        for (const asked of [1, 3]) {
          const { tiles, feeds } = tileFeeds(ort, t, u, asked);
          const neg = new ort.Tensor('float32', new Float32Array(b).fill(-1), transposed ? [1, b] : [b, 1]);
          const s = await ort.InferenceSession.create(minibatchStepsGraph({ sqrt: true, layout: t.layout, transposed, tiles, masked: true }), { intraOpNumThreads: 2 });
          const out = await s.run({ X: new ort.Tensor('float32', x, [n, d]), W: new ort.Tensor('float32', w, [u, d]), ...t.feeds, NEGONES: neg, ...feeds, ROWS: new ort.Tensor('int32', rows, [steps, b]), K: new ort.Tensor('int64', BigInt64Array.of(2n), [1]) });
          await s.release();
          const got = out.W2!.data as Float32Array;
          const where = `${t.layout}, ${transposed ? 'Wᵀ' : 'W'}, ${tiles} tile(s)`;
          expect(Array.from(out.indices!.data as Int32Array), where).toEqual(Array.from(want.indices));
          for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want.weights[i]!), `${where}: weight ${i}`).toBeLessThan(1e-4);
          const dist = out.distances!.data as Float32Array;
          for (let i = 0; i < dist.length; i++) expect(Math.abs(dist[i]! - want.distances[i]!), `${where}: distance ${i}`).toBeLessThan(1e-4);
        }
      }
    }
  });
});
