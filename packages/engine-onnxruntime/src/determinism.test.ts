// Every kernel gives the same bits run to run for a given thread count (intraOpNumThreads 2, sizes
// big enough for ORT to split its operators over both threads), within a session and across sessions.
import type { EngineKernels, EngineSession } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { onnxEngine } from './index.js';
import { ctxFor, expectSameBits, rand, tableOf } from './kernels.fixture.js';

const [n, d, rows, cols] = [4000, 64, 20, 20];
const u = rows * cols;
const x = rand(n * d, 11);
const w = rand(u * d, 12);
const b = 256;
const steps = 8;
const stepRows = Int32Array.from({ length: steps * b }, (_, i) => (i * 7919) % n);
const stepTable = tableOf({ rows, cols, topology: 'hexagonal', pbc: true, sigma: 3, scale: 0.5 / b });
const mapTable = tableOf({ rows, cols, sigma: 3 });
const m = rand(u * (d + 1), 13);

type Out = Record<string, Float32Array | Int32Array>;
const jobs: Record<string, (k: Required<EngineKernels>) => Promise<Out>> = {
  bmu: async (k) => ({ ...(await k.bmu({ x, weights: w, samples: n, units: u, dims: d, k: 2 })) }),
  neuronSums: async (k) => ({ ...(await k.neuronSums({ x, weights: w, samples: n, units: u, dims: d, k: 2 })) }),
  minibatchSteps: async (k) => ({ ...(await k.minibatchSteps({ x, rows: stepRows, weights: w, kernel: stepTable, batch: b, steps, samples: n, units: u, dims: d, k: 2 })) }),
  neighborhoodProduct: async (k) => ({ out: await k.neighborhoodProduct({ kernel: mapTable, m, units: u, columns: d + 1 }) }),
};

// 100 × 100 units: the step graphs carry Wᵀ there.
const big = { u: 10000, d: 16, n: 1000, b: 128 };
const bigX = rand(big.n * big.d, 14);
const bigW = rand(big.u * big.d, 15);
const bigTable = tableOf({ rows: 100, cols: 100, sigma: 20, scale: 0.5 / big.b });
const bigRows = Int32Array.from({ length: 4 * big.b }, (_, i) => (i * 389) % big.n);

describe('determinism (intraOpNumThreads 2)', () => {
  let a: EngineSession;
  let c: EngineSession;
  beforeAll(async () => {
    a = await onnxEngine({ intraOpNumThreads: 2 }).open(ctxFor(u, d));
    // A second engine object and session with the same settings.
    c = await onnxEngine({ intraOpNumThreads: 2 }).open(ctxFor(u, d));
  });
  afterAll(async () => {
    await a.close();
    await c.close();
  });

  it('minibatchSteps at 10 000 units (the Wᵀ graphs): the same job twice and in another session give identical bits', async () => {
    const run = (k: Required<EngineKernels>) => k.minibatchSteps({ x: bigX, rows: bigRows, weights: bigW, kernel: bigTable, batch: big.b, steps: 4, samples: big.n, units: big.u, dims: big.d, k: 2 });
    const [sa, sb] = [await onnxEngine({ intraOpNumThreads: 2 }).open(ctxFor(big.u, big.d)), await onnxEngine({ intraOpNumThreads: 2 }).open(ctxFor(big.u, big.d))];
    const first = await run(sa.kernels as Required<EngineKernels>);
    for (const [r, out] of [await run(sa.kernels as Required<EngineKernels>), await run(sb.kernels as Required<EngineKernels>)].entries()) {
      for (const key of ['weights', 'indices', 'distances'] as const) expectSameBits(first[key], out[key], `run ${r + 2}: ${key}`);
    }
    await sa.close();
    await sb.close();
  });

  for (const [name, run] of Object.entries(jobs)) {
    it(`${name}: the same job three times in one session and once in another session give identical bits`, async () => {
      const first = await run(a.kernels as Required<EngineKernels>);
      const again = [await run(a.kernels as Required<EngineKernels>), await run(a.kernels as Required<EngineKernels>), await run(c.kernels as Required<EngineKernels>)];
      again.forEach((out, r) => {
        for (const key of Object.keys(first)) expectSameBits(first[key]!, out[key]!, `${name} run ${r + 2}: ${key}`);
      });
    });
  }
});
