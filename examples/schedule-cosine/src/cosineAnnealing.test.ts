// Conformance, use as an object, and a saved model without registration. Never imports './register.js'.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { describeBackends, runScheduleConformance } from '@somkit/testing';
import { isSomError, registry } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import { cosineAnnealing } from './index.js';
import { blobs } from './blobs.fixture.js';

runScheduleConformance(cosineAnnealing());
runScheduleConformance(cosineAnnealing({ final: 0.05 }), { title: 'schedule conformance: cosine_annealing, final 0.05' });

describe('cosineAnnealing values', () => {
  it('starts at θ0, ends at final, passes the midpoint at the half-way epoch, never increases', () => {
    const s = cosineAnnealing({ final: 0.1 });
    expect(s.value(1, 0, 5)).toBe(1);
    expect(s.value(1, 2, 5)).toBeCloseTo(0.55, 12);
    expect(s.value(1, 4, 5)).toBeCloseTo(0.1, 12);
    const v = Array.from({ length: 20 }, (_, t) => s.value(2, t, 20));
    v.slice(1).forEach((x, i) => expect(x).toBeLessThanOrEqual(v[i]!));
    expect(cosineAnnealing().value(3, 9, 10)).toBeCloseTo(0.03, 12);
    expect(cosineAnnealing().value(3, 0, 1)).toBe(3);
  });
  it('refuses a final value that is not > 0', () => {
    for (const final of [0, -1, Number.POSITIVE_INFINITY]) {
      try {
        cosineAnnealing({ final });
        expect.unreachable();
      } catch (e) {
        expect(isSomError(e)).toBe(true);
      }
    }
  });
});

describeBackends(['cpu', 'wasm'], () => {
  it('drives the learning rate and σ of a SOM when passed as objects', async () => {
    const before = tf.memory().numTensors;
    const data = blobs();
    const som = new SOM({
      rows: 4,
      cols: 4,
      dims: 3,
      epochs: 6,
      sigma: 2,
      learningRate: 0.5,
      lrDecay: cosineAnnealing({ final: 0.01 }),
      sigmaDecay: cosineAnnealing({ final: 0.5 }),
    });
    const h = await som.fit(data);
    expect(h.learningRate[0]).toBeCloseTo(0.5, 6);
    expect(h.learningRate[5]).toBeCloseTo(0.01, 6);
    expect(h.sigma[0]).toBeCloseTo(2, 6);
    expect(h.sigma[5]).toBeCloseTo(0.5, 6);
    expect(h.qe.every(Number.isFinite)).toBe(true);
    const cfg = som.toJSON().config;
    expect(cfg.lrDecay).toEqual({ name: 'somkit-schedule-cosine/cosine_annealing', options: { final: 0.01 } });
    som.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without registration, SOM.fromJSON fails with ERR_UNKNOWN_PLUGIN naming the package to import', async () => {
    expect(registry.has('schedule', 'somkit-schedule-cosine/cosine_annealing')).toBe(false);
    const som = new SOM({ rows: 2, cols: 2, dims: 3, epochs: 1, sigmaDecay: cosineAnnealing() });
    await som.fit(blobs());
    const json = JSON.stringify(som.toJSON());
    som.dispose();
    const err = await SOM.fromJSON(json).then(() => undefined, (e: unknown) => e);
    expect(isSomError(err, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
    expect((err as Error).message).toContain("sigmaDecay: Unknown schedule 'somkit-schedule-cosine/cosine_annealing'");
    expect((err as Error).message).toContain("import 'somkit-schedule-cosine/register'");
  });
});
