// Issue 19, A3SOM: the API doc to the letter (act on the SOM output, dense_block, Keras verbose,
// metrics, fit keyword arguments, validation_split, summary, get_params, temperature guard rails).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '@somkit/plugin-api';
import { base64ToFloat32 } from '@somkit/geometry';
import { A3SOM } from './A3SOM.js';
import { resolveConfig, type A3SOMOptions } from './config.js';
import { metricValue } from './metricValue.js';
import { blobs, captureStdout, expectSomError, tensorCount } from './testData.test-util.js';

let before = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  before = tensorCount();
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** Three separable 2-D blobs, rows sorted by class. */
const easy = blobs([[0, 0], [4, 0], [0, 4]], 30, 0.5, 11);

function small(extra: Partial<A3SOMOptions> = {}): A3SOM {
  return new A3SOM({ inputDim: 2, nClasses: 3, n: 4, seed: 3, ...extra });
}

/** Probabilities after one epoch at learning rate 0 (the initial weights, the prototypes from the PCA init). */
async function untrained(extra: Partial<A3SOMOptions>): Promise<Float32Array> {
  const m = small(extra);
  m.compile({ learningRates: { som: 0, dense: 0 } });
  await m.fit(easy.x, easy.y, { epochs: 1, verbose: 0 });
  const p = (await m.predict(easy.x)).data;
  m.dispose();
  return p;
}

describe('act applies to the output of the SOM layer (API doc)', () => {
  it('the dense block sees act(squared distances): predict = softmax(act(d)·W + b) for a head of one Dense layer', async () => {
    const m = small({ nHidden: 0, act: 'sigmoid', somOutput: 'distances' });
    expect(resolveConfig({ inputDim: 2, nClasses: 3 }).somOutput).toBe('gaussian');
    m.compile({ learningRates: { som: 0, dense: 0 } });
    await m.fit(easy.x, easy.y, { epochs: 1, verbose: 0 });
    const { probabilities, distances } = await m.predict(easy.x.slice(0, 5), { distances: true });
    const file = await m.toJSON();
    const W = base64ToFloat32(file.head.weights[0]!.data)!; // [16, 3]
    const b = base64ToFloat32(file.head.weights[1]!.data)!; // [3]
    for (let i = 0; i < 5; i++) {
      const logits = [0, 1, 2].map((c) => {
        let z = b[c]!;
        for (let k = 0; k < 16; k++) z += (1 / (1 + Math.exp(-distances.data[i * 16 + k]!))) * W[k * 3 + c]!;
        return z;
      });
      const mx = Math.max(...logits);
      const e = logits.map((z) => Math.exp(z - mx));
      const s = e.reduce((a, v) => a + v, 0);
      e.forEach((v, c) => expect(probabilities.data[i * 3 + c]).toBeCloseTo(v / s, 4));
    }
    m.dispose();
  });

  it("with a custom denseBlock, act still applies: act 'none' vs 'relu' differ (gaussian output), 'none' vs 'sigmoid' differ (distances)", async () => {
    const block = (): tfl.layers.Layer[] => [tfl.layers.dense({ units: 5, kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) })];
    const none = await untrained({ denseBlock: block(), somOutput: 'gaussian', act: 'none' });
    const relu = await untrained({ denseBlock: block(), somOutput: 'gaussian', act: 'relu' });
    expect(Array.from(relu)).not.toEqual(Array.from(none));
    // The default SOM output is the Gaussian code: act 'relu' changes the predictions there too.
    expect(Array.from(await untrained({ denseBlock: block(), act: 'relu' }))).toEqual(Array.from(relu));
    const dNone = await untrained({ denseBlock: block(), somOutput: 'distances', act: 'none' });
    const dSigmoid = await untrained({ denseBlock: block(), somOutput: 'distances', act: 'sigmoid' });
    expect(Array.from(dSigmoid)).not.toEqual(Array.from(dNone));
    // relu of squared distances (≥ 0) is the identity, as documented.
    const dRelu = await untrained({ denseBlock: block(), somOutput: 'distances', act: 'relu' });
    Array.from(dRelu).forEach((v, i) => expect(v).toBeCloseTo(dNone[i]!, 6));
  });

  it('a custom denseBlock overrides nHidden / dropoutRate / hiddenAct only; normalization with it is refused', async () => {
    await expectSomError(() => small({ denseBlock: [tfl.layers.dense({ units: 4 })], normalization: 'batch' }), 'ERR_INVALID_CONFIG', /normalization: 'batch' applies inside the default hidden blocks.*denseBlock/);
    const m = small({ denseBlock: [tfl.layers.dense({ units: 4, name: 'own' })], nHidden: 5, dropoutRate: 0.3, act: 'tanh' });
    const table = m.summary({ printFn: null });
    expect(table).toMatch(/som_tanh \(Activation\)\s+\[null, 16\]/);
    expect(table).not.toMatch(/dropout|hidden_/);
    m.dispose();
  });

  it("somOutput 'gaussian' keeps the standardised Gaussian code, and hiddenAct is the hidden layers' activation", async () => {
    const m = small({ somOutput: 'gaussian', hiddenAct: 'relu', normalization: 'layer' });
    const table = m.summary({ printFn: null });
    expect(table).toMatch(/som_gaussian \(GaussianActivation\)/);
    expect(table).toMatch(/activation_1 \(Activation\)/);
    m.dispose();
    await expectSomError(() => small({ somOutput: 'rbf' as never }), 'ERR_INVALID_CONFIG', /somOutput: expected one of 'distances', 'gaussian'/);
  });
});

describe("verbose: Keras semantics on standard output", () => {
  it("'auto' (the default) prints one line per epoch when standard output is not a terminal; 0 prints nothing; 1 draws a progress bar", async () => {
    const m = small();
    m.compile();
    const out = captureStdout();
    try {
      await m.fit(easy.x, easy.y, { epochs: 2, batchSize: 45 });
      expect(out.lines).toEqual([expect.stringMatching(/^Epoch 1\/2\n$/), expect.stringMatching(/^2\/2 - .* - loss: /), expect.stringMatching(/^Epoch 2\/2\n$/), expect.stringMatching(/^2\/2 - .* - accuracy: /)]);
      out.lines.length = 0;
      await m.fit(easy.x, easy.y, { epochs: 2, verbose: 0 });
      expect(out.lines).toEqual([]);
      await m.fit(easy.x, easy.y, { epochs: 1, batchSize: 45, verbose: 1 });
      expect(out.lines[0]).toBe('Epoch 1/1\n');
      expect(out.lines[1]).toMatch(/^\r1\/2 \[=+>\.+\] - ETA: /);
      expect(out.lines.at(-1)).toMatch(/^\r2\/2 \[={30}\] - \d+m?s \d+ms\/step - loss: \d+\.\d{4} .*\n$/);
    } finally {
      out.restore();
      m.dispose();
    }
    const n = small();
    n.compile();
    await expectSomError(n.fit(easy.x, easy.y, { verbose: 3 as never }), 'ERR_INVALID_CONFIG', /verbose: expected 'auto', 0 \(silent\), 1 \(progress bar\) or 2/);
    n.dispose();
  });
});

describe('metrics', () => {
  it('metricValue: accuracy, precision, recall, f1, auc (binary: class 1; multiclass: macro)', () => {
    // Binary: labels and p(class 1).
    const yb = Int32Array.from([0, 0, 1, 1, 1]);
    const p1 = [0.1, 0.6, 0.4, 0.8, 0.9];
    const pb = { data: Float32Array.from(p1.flatMap((p) => [1 - p, p])), shape: [5, 2] as [number, number] };
    // argmax predictions: 0, 1, 0, 1, 1 → TP 2, FP 1, FN 1.
    expect(metricValue('accuracy', yb, pb)).toBeCloseTo(3 / 5, 6);
    expect(metricValue('precision', yb, pb)).toBeCloseTo(2 / 3, 6);
    expect(metricValue('recall', yb, pb)).toBeCloseTo(2 / 3, 6);
    expect(metricValue('f1', yb, pb)).toBeCloseTo(2 / 3, 6);
    // Positives 0.4, 0.8, 0.9 vs negatives 0.1, 0.6: 5 of the 6 pairs ordered → 5/6.
    expect(metricValue('auc', yb, pb)).toBeCloseTo(5 / 6, 6);
    // Three classes: rows predict 0, 1, 1, 2 for truth 0, 1, 2, 2.
    const y3 = Int32Array.from([0, 1, 2, 2]);
    const p3 = { data: Float32Array.from([0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8]), shape: [4, 3] as [number, number] };
    expect(metricValue('precision', y3, p3)).toBeCloseTo((1 + 0.5 + 1) / 3, 6);
    expect(metricValue('recall', y3, p3)).toBeCloseTo((1 + 1 + 0.5) / 3, 6);
    expect(metricValue('f1', y3, p3)).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 6);
    expect(metricValue('auc', y3, p3)).toBeCloseTo(1, 6); // every class's positives score above its negatives
    expect(metricValue('auc', Int32Array.from([1, 1]), { data: Float32Array.from([0, 1, 0, 1]), shape: [2, 2] })).toBeNaN();
    expect(metricValue('f1', new Int32Array(0), { data: new Float32Array(0), shape: [0, 2] })).toBeNaN();
  });

  it("compile accepts 'accuracy', 'precision', 'recall', 'auc', 'f1' and metric functions; fit's history and evaluate carry them", async () => {
    const m = small();
    const calls: number[] = [];
    function share0(yTrue: Int32Array): number {
      calls.push(yTrue.length);
      return yTrue.filter((v) => v === 0).length / yTrue.length;
    }
    m.compile({ learningRates: { som: 0.05, dense: 0.02 }, metrics: ['accuracy', 'precision', 'recall', 'auc', 'f1', share0, { name: 'rows', fn: (y) => y.length }] });
    const h = await m.fit(easy.x, easy.y, { epochs: 3, batchSize: 16, verbose: 0, validationData: [easy.x.slice(0, 30), easy.y.slice(0, 30)] });
    expect(Object.keys(h.history)).toEqual(['loss', 'ce', 'som', 'reg', 'temperature', 'accuracy', 'precision', 'recall', 'auc', 'f1', 'share0', 'rows', 'val_loss', 'val_accuracy', 'val_precision', 'val_recall', 'val_auc', 'val_f1', 'val_share0', 'val_rows']);
    for (const k of ['precision', 'recall', 'auc', 'f1']) for (const v of h.history[k]!) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    expect(h.history['rows']).toEqual([90, 90, 90]);
    expect(h.history['val_rows']).toEqual([30, 30, 30]);
    expect(h.history['share0']![0]).toBeCloseTo(1 / 3, 6);
    expect(h.history['val_share0']![0]).toBe(1);
    const ev = await m.evaluate(easy.x, easy.y);
    expect(ev.n).toBe(90);
    expect(ev['rows']).toBe(90);
    expect(ev['auc']).toBeGreaterThan(0.9);
    expect(ev['f1']).toBeGreaterThan(0.9);
    // Functions are not saved: the file keeps the names.
    expect((await m.toJSON()).compile!.metrics).toEqual(['accuracy', 'precision', 'recall', 'auc', 'f1']);
    await expectSomError(() => m.compile({ metrics: [() => 1] }), 'ERR_INVALID_CONFIG', /unknown metric a function/);
    await expectSomError(() => m.compile({ metrics: [{ name: 'loss', fn: () => 1 }] }), 'ERR_INVALID_CONFIG', /'loss' is taken/);
    m.dispose();
  });
});

describe('fit keyword arguments', () => {
  it('workers is accepted and has no effect; initial_epoch is honoured like initialEpoch; a conflict and unknown keys are refused', async () => {
    const run = async (options: Record<string, unknown>): Promise<readonly number[]> => {
      const m = small();
      m.compile();
      const h = await m.fit(easy.x, easy.y, { epochs: 3, batchSize: 30, verbose: 0, ...options });
      m.dispose();
      return [...h.epoch, ...h.history.loss];
    };
    expect(await run({ workers: 4 })).toEqual(await run({}));
    const camel = await run({ initialEpoch: 1 });
    expect(camel.slice(0, 2)).toEqual([1, 2]);
    expect(await run({ initial_epoch: 1 })).toEqual(camel);
    const m = small();
    m.compile();
    await expectSomError(m.fit(easy.x, easy.y, { epochs: 3, initialEpoch: 1, initial_epoch: 2 }), 'ERR_INVALID_CONFIG', /initialEpoch \/ initial_epoch/);
    await expectSomError(m.fit(easy.x, easy.y, { workers: -1 }), 'ERR_INVALID_CONFIG', /workers: expected an integer ≥ 0/);
    await expectSomError(m.fit(easy.x, easy.y, { use_multiprocessing: true } as never), 'ERR_INVALID_CONFIG', /Unknown fit option 'use_multiprocessing'/);
    m.dispose();
  });

  it('validationSplit holds out the last rows (Keras) and warns when they hold a single class', async () => {
    const warnings: string[] = [];
    logger.setSink((lvl, msg) => void (lvl === 'warn' && warnings.push(msg)));
    try {
      const m = small();
      m.compile({ learningRates: { som: 0.05, dense: 0.02 } });
      const h = await m.fit(easy.x, easy.y, { epochs: 2, verbose: 0, validationSplit: 0.2, shuffle: false });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/validationSplit=0\.2 holds out the last 18 rows .* one class/);
      // The validation rows are the last 18: evaluating them after fit gives the last val_loss (both at Tmin).
      const ev = await m.evaluate(easy.x.slice(72), easy.y.slice(72));
      expect(h.history.val_loss!.at(-1)).toBeCloseTo(ev.loss, 4);
      expect(h.history.val_accuracy!.at(-1)).toBeCloseTo(ev.accuracy, 6);
      // Interleaved classes: no warning.
      const order = easy.x.map((_, i) => (i % 3) * 30 + Math.floor(i / 3));
      await m.fit(order.map((i) => easy.x[i]!), order.map((i) => easy.y[i]!), { epochs: 1, verbose: 0, validationSplit: 0.2 });
      expect(warnings).toHaveLength(1);
      m.dispose();
    } finally {
      logger.setSink(undefined);
    }
  });

  it('the returned history and model.history are read-only', async () => {
    const m = small();
    m.compile();
    expect(m.history.loss).toEqual([]);
    const h = await m.fit(easy.x, easy.y, { epochs: 2, verbose: 0 });
    expect(m.history).toBe(h.history);
    expect(Object.isFrozen(h)).toBe(true);
    expect(Object.isFrozen(h.history)).toBe(true);
    expect(Object.isFrozen(h.history.loss)).toBe(true);
    expect(() => (h.history.loss as number[]).push(1)).toThrow();
    m.dispose();
  });
});

describe('summary and getParams', () => {
  it('summary() prints the layer table to standard output (or through printFn) and returns it', () => {
    const m = small();
    const out = captureStdout();
    let table: string;
    try {
      table = m.summary();
    } finally {
      out.restore();
    }
    expect(out.lines.join('')).toBe(table + '\n');
    expect(table).toMatch(/som \(SOMLayer\)\s+\[null, 16\]\s+32/);
    const lines: string[] = [];
    expect(m.summary({ printFn: (l) => lines.push(l) })).toBe(table);
    expect(lines).toEqual(table.split('\n'));
    m.dispose();
  });

  it('getParams() returns the constructor parameters: new A3SOM(model.getParams()) builds the same model', () => {
    const m = small({ act: 'tanh', hiddenAct: 'relu', normalization: 'layer', Tmax: 2, Tmin: 0.1 });
    m.compile({ learningRates: { som: 0.1 } });
    const twin = new A3SOM(m.getParams());
    expect(twin.getParams()).toEqual(m.getParams());
    expect(twin.summary({ printFn: null })).toBe(m.summary({ printFn: null }).replace(/Adam\(0\.1\)/, '—').replace(/Adam\(0\.0001\)/, '—'));
    expect(m.getCompileParams()).toMatchObject({ learningRates: { som: 0.1, dense: 0.0001 }, compiled: true });
    m.dispose();
    twin.dispose();
  });
});

describe('temperature guard rails', () => {
  it('a Tmin that underflows the kernel is refused with the usable range; Tmax: Infinity reports "got Infinity"', async () => {
    await expectSomError(() => small({ Tmin: 1e-20 }), 'ERR_INVALID_CONFIG', /Tmin: expected a temperature in \[1e-18, ∞\) \(grid units\), got 1e-20/);
    await expectSomError(() => small({ Tmax: Number.POSITIVE_INFINITY }), 'ERR_INVALID_CONFIG', /Tmax: expected a finite number ≥ 1e-18 \(grid units\), got Infinity\./);
    await expectSomError(() => small({ Tmin: Number.NaN }), 'ERR_INVALID_CONFIG', /got NaN/);
    // The smallest accepted temperature trains to a finite loss and a model that reloads.
    const m = small({ Tmin: 1e-18 });
    m.compile();
    const h = await m.fit(easy.x, easy.y, { epochs: 2, batchSize: 45, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    const back = await A3SOM.fromJSON(JSON.stringify(await m.toJSON()));
    expect(Array.from((await back.predict(easy.x)).data)).toEqual(Array.from((await m.predict(easy.x)).data));
    m.dispose();
    back.dispose();
  });
});

describe('model files', () => {
  it('toJSON / fromJSON round-trip; save / load are deprecated aliases; version 1 files load with their meaning then', async () => {
    const m = small({ somOutput: 'gaussian', hiddenAct: 'tanh', nHidden: 1, hiddenUnits: 4 });
    m.compile();
    await m.fit(easy.x, easy.y, { epochs: 1, verbose: 0 });
    const file = await m.toJSON();
    expect(file.version).toBe(2);
    expect(await m.save()).toEqual(file);
    const p = Array.from((await m.predict(easy.x)).data);
    // A version 1 file of the same model: `act` named the hidden activation, the SOM output was the Gaussian.
    const { somOutput: _s, hiddenAct: _h, ...oldConfig } = file.config;
    const v1 = { ...file, version: 1, config: { ...oldConfig, act: 'tanh' } };
    for (const back of [await A3SOM.fromJSON(v1), await A3SOM.load(JSON.stringify(file))]) {
      expect(back.getParams()).toMatchObject({ act: 'none', somOutput: 'gaussian', hiddenAct: 'tanh' });
      expect(Array.from((await back.predict(easy.x)).data)).toEqual(p);
      back.dispose();
    }
    await expectSomError(A3SOM.fromJSON({ ...file, config: { ...file.config, Tmin: 1e-20 } }), 'ERR_MODEL_FORMAT', /config\.Tmin: expected a number in \[1e-18/);
    m.dispose();
  });
});

describe('initialize (the name SOM uses)', () => {
  it('initialises the prototypes from data as the first fit does', async () => {
    const a = small({ init: 'pca' });
    await a.initialize(easy.x);
    const b = small({ init: 'pca' });
    b.compile({ learningRates: { som: 0, dense: 0 } });
    await b.fit(easy.x, easy.y, { epochs: 1, verbose: 0 });
    expect(Array.from((await a.getPrototypes()).data)).toEqual(Array.from((await b.getPrototypes()).data));
    await expectSomError(a.initialize([[1, 2, 3]]), 'ERR_SHAPE_MISMATCH');
    a.dispose();
    b.dispose();
  });
});
