import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '@somkit/plugin-api';
import { History } from '@somkit/core';
import type { Callbacks } from './FitOptions.js';
import { A3SOM } from './A3SOM.js';
import { temperature } from './temperature.js';
import { blobs, captureStdout, expectSomError, gaussian, tensorCount } from './testData.test-util.js';

let before = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  before = tensorCount();
});
afterEach(() => {
  // Every test disposes its models: no tensor may survive it.
  expect(tf.memory().numTensors).toBe(before);
});

/** Three separable 2-D blobs. */
const easy = blobs([[0, 0], [4, 0], [0, 4]], 30, 0.5, 11);

function small(extra: Partial<ConstructorParameters<typeof A3SOM>[0]> = {}): A3SOM {
  return new A3SOM({ inputDim: 2, nClasses: 3, n: 4, seed: 3, ...extra });
}

describe('A3SOM shapes and outputs', () => {
  it('predict gives [n, C] probabilities and, on request, [n, u] distances; classify / explain / summary / getParams', async () => {
    const m = small();
    m.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    const h = await m.fit(easy.x, easy.y, { epochs: 15, batchSize: 16 });
    expect(h.history.loss).toHaveLength(15);
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'ce', 'loss', 'reg', 'som', 'temperature']);
    expect(h.params).toEqual({ epochs: 15, steps: 6, samples: 90, batchSize: 16 });
    const p = await m.predict(easy.x);
    expect(p.shape).toEqual([90, 3]);
    expect(p.data).toBeInstanceOf(Float32Array);
    for (let i = 0; i < 90; i++) expect(p.data[3 * i]! + p.data[3 * i + 1]! + p.data[3 * i + 2]!).toBeCloseTo(1, 5);
    const pd = await m.predict(easy.x.slice(0, 5), { distances: true });
    expect(pd.probabilities.shape).toEqual([5, 3]);
    expect(pd.distances.shape).toEqual([5, 16]);
    expect(Array.from(pd.probabilities.data)).toEqual(Array.from(p.data.subarray(0, 15)));
    // distances are squared Euclidean to the prototypes
    const P = await m.getPrototypes();
    const [x0, x1] = easy.x[0] as [number, number];
    expect(pd.distances.data[7]).toBeCloseTo((x0 - P.data[14]!) ** 2 + (x1 - P.data[15]!) ** 2, 4);
    const acc = easy.y.filter((y, i) => {
      const row = Array.from(p.data.subarray(3 * i, 3 * i + 3));
      return row.indexOf(Math.max(...row)) === y;
    }).length / 90;
    expect(acc).toBeGreaterThan(0.95);
    const c = await m.classify(easy.x);
    expect(c.labels).toBeInstanceOf(Int32Array);
    expect(c.labels).toHaveLength(90);
    expect(c.reasons.every((r) => r === null)).toBe(true); // abstained: false → argmax
    const e = await m.explain(easy.x.slice(0, 2));
    expect(e).toHaveLength(2);
    expect(e[0]!.prototype).toHaveLength(2);
    expect(e[0]!.bmu).toBe(e[0]!.row * 4 + e[0]!.col);
    expect(e[0]!.classCounts).toHaveLength(3);
    expect(e[0]!.classDistribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(e[0]!.predicted).toBe(c.labels[0]);
    const s = m.summary();
    expect(s).toMatch(/som \(SOMLayer\)\s+\[null, 16\]\s+32/);
    expect(s).toMatch(/hidden_3 \(Dense\)/);
    expect(s).toMatch(/logits \(Dense\)\s+\[null, 3\]/);
    expect(s).toMatch(/Total params:/);
    const g = m.getParams();
    for (const k of ['inputDim', 'nClasses', 'n', 'nHidden', 'hiddenUnits', 'Tmax', 'Tmin', 'dropoutRate', 'act', 'abstained', 'denseBlock', 'normalization', 'topology', 'init', 'seed']) {
      expect(g).toHaveProperty(k);
    }
    // Compile parameters moved from getParams (constructor parameters only) to getCompileParams.
    const cp = m.getCompileParams();
    expect(cp.learningRates).toEqual({ som: 0.05, dense: 0.02 });
    expect(cp.lossWeights).toEqual({ gamma: 0.6, eta: 0.0001 });
    expect(g.hiddenUnits).toBe(32);
    m.dispose();
  });

  it('accepts one-hot labels with all-zero rows exactly like class ids with -1 / null', async () => {
    const y = easy.y.map((v, i) => (i % 3 === 0 ? v : i % 2 === 0 ? -1 : null));
    const oneHot = y.map((v) => [0, 1, 2].map((c) => (v === c ? 1 : 0)));
    const a = small();
    const b = small();
    a.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    b.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    const ha = await a.fit(easy.x, y, { epochs: 3, batchSize: 16 });
    const hb = await b.fit(easy.x, oneHot, { epochs: 3, batchSize: 16 });
    expect(hb.history.loss).toEqual(ha.history.loss);
    expect(Array.from((await b.predict(easy.x)).data)).toEqual(Array.from((await a.predict(easy.x)).data));
    a.dispose();
    b.dispose();
  });

  it('runs every activation and normalisation, dropout and hexagonal maps', async () => {
    // The hidden layers' activation is `hiddenAct` since issue 19 (`act` applies to the SOM output).
    for (const [act, normalization] of [['relu', 'batch'], ['tanh', 'layer'], ['exponential', 'both'], ['selu', 'none'], ['softmax', 'none']] as const) {
      const m = small({ hiddenAct: act, act, somOutput: 'gaussian', normalization, dropoutRate: 0.2, topology: 'hexagonal', nHidden: 2, hiddenUnits: 8 });
      m.compile();
      await m.fit(easy.x, easy.y, { epochs: 1, batchSize: 32 });
      const p = await m.predict(easy.x);
      expect(p.data.every(Number.isFinite)).toBe(true);
      m.dispose();
    }
  });

  it('a custom denseBlock replaces the hidden stack', async () => {
    const m = small({ denseBlock: [tfl.layers.dense({ units: 5, activation: 'relu', name: 'mine' })], nHidden: 7 });
    m.compile();
    expect(m.summary()).toMatch(/mine \(Dense\)\s+\[null, 5\]\s+85/);
    expect(m.summary()).not.toMatch(/hidden_/);
    await m.fit(easy.x, easy.y, { epochs: 1 });
    expect((await m.predict(easy.x)).shape).toEqual([90, 3]);
    m.dispose();
  });
});

describe('A3SOM loss and training step', () => {
  it('masking: unlabelled rows contribute zero CE gradient to the dense weights', async () => {
    const m = small();
    m.compile();
    const x = easy.x.slice(0, 20);
    const none = await m.gradients(x, new Array(20).fill(-1), { term: 'ce' });
    expect(none.dense.length).toBe(8); // 4 Dense layers × (kernel, bias)
    for (const g of none.dense) expect(g.values.every((v) => v === 0)).toBe(true);
    expect(none.prototypes.every((v) => v === 0)).toBe(true);
    // Labelled rows do produce a gradient…
    const some = await m.gradients(x, easy.y.slice(0, 20), { term: 'ce' });
    expect(some.dense.some((g) => g.values.some((v) => v !== 0))).toBe(true);
    // …and adding unlabelled rows to a labelled batch does not change the CE gradient.
    const mixed = await m.gradients([...x, ...easy.x.slice(40, 60)], [...easy.y.slice(0, 20), ...new Array(20).fill(null)], { term: 'ce' });
    some.dense.forEach((g, i) => g.values.forEach((v, j) => expect(mixed.dense[i]!.values[j]).toBeCloseTo(v, 5)));
    m.dispose();
  });

  it('SOM term: gradient w.r.t. the prototypes is the Kohonen step −2·mean_x w_k (x − p_k) (w held constant)', async () => {
    const m = small({ init: 'random' });
    m.compile();
    const x = easy.x.slice(0, 12);
    const T = 0.8;
    const g = await m.gradients(x, new Array(12).fill(-1), { term: 'som', temperature: T });
    const P = (await m.getPrototypes()).data;
    const u = 16;
    const expected = new Float64Array(u * 2);
    for (const xi of x) {
      let bmu = 0;
      let best = Infinity;
      for (let k = 0; k < u; k++) {
        const dd = (xi[0]! - P[2 * k]!) ** 2 + (xi[1]! - P[2 * k + 1]!) ** 2;
        if (dd < best) [best, bmu] = [dd, k];
      }
      for (let k = 0; k < u; k++) {
        const dr = Math.floor(k / 4) - Math.floor(bmu / 4);
        const dc = (k % 4) - (bmu % 4);
        const w = Math.exp(-(dr * dr + dc * dc) / (T * T));
        for (let j = 0; j < 2; j++) expected[2 * k + j]! += (-2 * w * (xi[j]! - P[2 * k + j]!)) / x.length;
      }
    }
    g.prototypes.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 3));
    for (const d of g.dense) expect(d.values.every((v) => v === 0)).toBe(true);
    m.dispose();
  });

  it('temperature decays from Tmax to Tmin over all iterations of a fit', async () => {
    const m = small({ Tmax: 2, Tmin: 0.25 });
    m.compile();
    const seen: number[] = [];
    const h = await m.fit(easy.x, easy.y, { epochs: 3, batchSize: 30, callbacks: { onBatchEnd: (_b, logs) => void seen.push(logs['temperature']!) } });
    expect(seen).toHaveLength(9);
    seen.forEach((t, i) => expect(t).toBeCloseTo(temperature(i, 9, 2, 0.25), 10));
    expect(seen[0]).toBe(2);
    expect(seen[8]).toBeCloseTo(0.25, 10);
    expect(h.history.temperature[2]).toBeCloseTo(0.25, 10);
    m.dispose();
  });

  it('each optimizer updates only its own variables', async () => {
    const snapshot = async (m: A3SOM): Promise<{ p: number[]; dense: number[][] }> => {
      const saved = await m.save();
      return { p: Array.from((await m.getPrototypes()).data), dense: saved.head.weights.map((w) => Array.from(w.data)) as unknown as number[][] };
    };
    // som lr = 0: prototypes stay (init 'glorot' keeps the constructor's prototypes), dense weights move.
    const a = small({ init: 'glorot' });
    a.compile({ learningRates: { som: 0, dense: 0.01 } });
    const a0 = await snapshot(a);
    await a.fit(easy.x, easy.y, { epochs: 2, batchSize: 16 });
    const a1 = await snapshot(a);
    expect(a1.p).toEqual(a0.p);
    expect(a1.dense).not.toEqual(a0.dense);
    a.dispose();
    // dense lr = 0: dense weights stay, prototypes move.
    const b = small({ init: 'glorot' });
    b.compile({ learningRates: { som: 0.01, dense: 0 } });
    const b0 = await snapshot(b);
    await b.fit(easy.x, easy.y, { epochs: 2, batchSize: 16 });
    const b1 = await snapshot(b);
    expect(b1.dense).toEqual(b0.dense);
    expect(b1.p).not.toEqual(b0.p);
    b.dispose();
  });

  it('callbacks, stopTraining, validation and verbose printing to standard output (Keras verbose 2: one line per epoch)', async () => {
    const m = small();
    m.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    const epochs: number[] = [];
    const { lines, restore } = captureStdout();
    // The class-sorted rows make the last 20 % one class: the split warns about it.
    const warnings: string[] = [];
    logger.setSink((lvl, msg) => void (lvl === 'warn' && warnings.push(msg)));
    try {
      const h = await m.fit(easy.x, easy.y, {
        epochs: 10,
        validationSplit: 0.2,
        verbose: 2,
        callbacks: {
          onEpochEnd: (e, logs) => {
            epochs.push(e);
            expect(logs).toHaveProperty('val_loss');
            if (e === 3) m.stopTraining = true;
          },
        },
      });
      expect(epochs).toEqual([0, 1, 2, 3]);
      expect(h.epoch).toEqual([0, 1, 2, 3]);
      expect(h.history.val_loss).toHaveLength(4);
      expect(h.history.val_accuracy).toHaveLength(4);
      expect(h.params.samples).toBe(72);
      expect(lines.filter((l) => /^Epoch \d+\/10\n$/.test(l))).toHaveLength(4);
      expect(lines.filter((l) => /^3\/3 - \d+m?s - \d+ms\/step - loss: \d+\.\d{4} .* - val_loss: /.test(l))).toHaveLength(4);
      expect(warnings.filter((w) => /one class/.test(w))).toHaveLength(1);
      const v = await m.fit(easy.x, easy.y, { epochs: 1, verbose: 0, validationData: [easy.x.slice(0, 10), easy.y.slice(0, 10)] });
      expect(v.history.val_accuracy).toHaveLength(1);
      const ev = await m.evaluate(easy.x, easy.y);
      expect(ev.accuracy).toBeGreaterThan(0.5);
      expect(ev.loss).toBeCloseTo(ev.ce + 0.6 * ev.som + 0.0001 * ev.reg, 5);
    } finally {
      restore();
      logger.setSink(undefined);
      m.dispose();
    }
  });

  it('classWeight scales the cross-entropy of a class', async () => {
    const m = small();
    m.compile();
    await m.fit(easy.x, easy.y, { epochs: 1 });
    const base = await m.evaluate(easy.x.slice(0, 30), easy.y.slice(0, 30));
    // Same rows (all class 0), weight 3 on class 0 → first-epoch CE ≈ 3× that of weight 1 for an untrained model.
    const u = small();
    const v = small();
    u.compile({ learningRates: { som: 0, dense: 0 } });
    v.compile({ learningRates: { som: 0, dense: 0 } });
    const hu = await u.fit(easy.x.slice(0, 30), easy.y.slice(0, 30), { epochs: 1, batchSize: 30 });
    const hv = await v.fit(easy.x.slice(0, 30), easy.y.slice(0, 30), { epochs: 1, batchSize: 30, classWeight: { 0: 3 } });
    expect(hv.history.ce[0]).toBeCloseTo(3 * hu.history.ce[0]!, 4);
    expect(base.ce).toBeGreaterThan(0);
    m.dispose();
    u.dispose();
    v.dispose();
  });
});

describe('A3SOM abstention', () => {
  it('flags an outlier cluster as novel and the overlap region as ambiguous more than clean regions', async () => {
    // Classes 0 and 1 overlap around x = 0.6; class 2 is clean. Outliers far away are never trained on.
    const train = blobs([[0, 0], [1.2, 0], [0.6, 5]], 80, 0.6, 6);
    const m = new A3SOM({ inputDim: 2, nClasses: 3, n: 5, seed: 1, abstained: true });
    m.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    await m.fit(train.x, train.y, { epochs: 25, batchSize: 48 });
    const outliers = blobs([[12, -8]], 40, 0.5, 99).x;
    const overlap = blobs([[0.6, 0]], 60, 0.15, 98).x;
    const clean = blobs([[0.6, 5]], 60, 0.3, 97).x;
    const rate = (r: readonly (string | null)[], what: string): number => r.filter((v) => v === what).length / r.length;
    for (const mode of ['global', 'local'] as const) {
      m.setAbstention({ distance: { mode, quantile: 0.95 }, ambiguity: { mode: 'global', margin: 0.3 } });
      const out = await m.classify(outliers);
      expect(rate(out.reasons, 'novel')).toBeGreaterThan(0.9);
      expect(Array.from(out.labels).every((l, i) => (out.reasons[i] === null ? l >= 0 : l === -1))).toBe(true);
      const ov = await m.classify(overlap);
      const cl = await m.classify(clean);
      expect(rate(ov.reasons, 'ambiguous')).toBeGreaterThan(rate(cl.reasons, 'ambiguous') + 0.3);
      expect(rate(cl.reasons, 'novel')).toBeLessThan(mode === 'global' ? 0.1 : 0.3);
    }
    // Local ambiguity marks mixed prototypes: the overlap abstains far more than the clean blob.
    m.setAbstention({ distance: { mode: 'none' }, ambiguity: { mode: 'local', margin: 0.5 }, minHits: 3 });
    const ovL = await m.classify(overlap);
    const clL = await m.classify(clean);
    expect(rate(ovL.reasons, 'ambiguous')).toBeGreaterThan(rate(clL.reasons, 'ambiguous') + 0.3);
    const th = m.getAbstention().thresholds!;
    expect(th.distanceLocal).toHaveLength(25);
    const info = await m.inspectPrototypes({ x: outliers });
    expect(info.novelRegion.some((v) => v === 1)).toBe(true);
    const ex = await m.explain(outliers.slice(0, 1));
    expect(ex[0]!.reason).toBe(null); // distance rule is off now
    m.dispose();
  });
});

describe('A3SOM persistence', () => {
  it('save → JSON → load gives identical predictions, classifications and thresholds', async () => {
    const m = small({ abstained: true, normalization: 'both', act: 'tanh', dropoutRate: 0.1 });
    m.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    const semi = easy.y.map((v, i) => (i % 2 === 0 ? v : -1));
    await m.fit(easy.x, semi, { epochs: 5, batchSize: 16 });
    m.setAbstention({ distance: { mode: 'local', quantile: 0.9 } });
    const json = JSON.stringify(await m.save());
    const back = await A3SOM.load(json);
    const q = gaussian(30, 2, 4).map(([a, b]) => [a! * 3, b! * 3]);
    expect(Array.from((await back.predict(q)).data)).toEqual(Array.from((await m.predict(q)).data));
    expect(await back.classify(q)).toEqual(await m.classify(q));
    expect(back.getAbstention().config).toEqual(m.getAbstention().config);
    expect(back.getParams()).toEqual({ ...m.getParams(), denseBlock: [] });
    expect(await back.explain(q.slice(0, 3))).toEqual(await m.explain(q.slice(0, 3)));
    // A loaded model can keep training.
    await back.fit(easy.x, semi, { epochs: 1 });
    m.dispose();
    back.dispose();
  });

  it('round-trips a custom denseBlock', async () => {
    const m = small({ denseBlock: [tfl.layers.dense({ units: 6, activation: 'elu' }), tfl.layers.dropout({ rate: 0.1 })] });
    m.compile();
    await m.fit(easy.x, easy.y, { epochs: 2 });
    const back = await A3SOM.load(await m.save());
    expect(Array.from((await back.predict(easy.x)).data)).toEqual(Array.from((await m.predict(easy.x)).data));
    expect(back.getParams().denseBlock).toEqual([]);
    m.dispose();
    back.dispose();
  });

  it('rejects malformed model files with ERR_MODEL_FORMAT naming the field', async () => {
    const m = small();
    m.compile();
    await m.fit(easy.x, easy.y, { epochs: 1 });
    const good = await m.save();
    m.dispose();
    const cases: [unknown, RegExp][] = [
      [{ ...good, format: 'other' }, /format/],
      [{ ...good, version: 9 }, /version/],
      [{ ...good, config: { ...good.config, act: 'swish' } }, /config\.act/],
      [{ ...good, config: { ...good.config, Tmin: 5 } }, /config\.Tmin/],
      [{ ...good, prototypes: { ...good.prototypes, shape: [3, 2] } }, /prototypes\.shape/],
      [{ ...good, prototypes: { ...good.prototypes, data: 'not base64!' } }, /prototypes\.data/],
      [{ ...good, head: { ...good.head, weights: good.head.weights.slice(1) } }, /head\.weights/],
      [{ ...good, training: { ...good.training!, labels: 'AAAA' } }, /training\.labels/],
      [{ ...good, abstention: { ...good.abstention, config: { ...good.abstention.config, minHits: -1 } } }, /abstention\.config/],
      ['{not json', /not valid JSON/],
    ];
    for (const [bad, pattern] of cases) await expectSomError(A3SOM.load(bad), 'ERR_MODEL_FORMAT', pattern);
  });
});

describe('A3SOM callbacks (the callback system of @somkit/core)', () => {
  it("a callback object's hooks are called in order, awaited, with the same epoch numbers", async () => {
    const m = small();
    m.compile();
    const events: string[] = [];
    // A macrotask turn: the order below only holds if every hook is awaited.
    const timer = (globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown }).setTimeout;
    const pause = (): Promise<void> => new Promise((r) => void timer(r, 1));
    const cb: Callbacks = {
      onTrainBegin: async () => {
        await pause();
        events.push('trainBegin');
      },
      onEpochBegin: async (e) => {
        await pause();
        events.push(`epochBegin ${e}`);
      },
      onBatchEnd: (b) => void events.push(`batchEnd ${b}`),
      onEpochEnd: async (e, logs) => {
        await pause();
        expect(Object.keys(logs)).toEqual(['loss', 'ce', 'som', 'reg', 'accuracy', 'temperature']);
        events.push(`epochEnd ${e}`);
      },
      onTrainEnd: () => void events.push('trainEnd'),
    };
    const h = await m.fit(easy.x, easy.y, { epochs: 2, batchSize: 45, callbacks: cb });
    expect(events).toEqual(['trainBegin', 'epochBegin 0', 'batchEnd 0', 'batchEnd 1', 'epochEnd 0', 'epochBegin 1', 'batchEnd 0', 'batchEnd 1', 'epochEnd 1', 'trainEnd']);
    expect(h.epoch).toEqual([0, 1]);
    m.dispose();
  });

  it('fit returns the record of a core History callback, fields in order', async () => {
    const m = small();
    m.compile();
    const rec = new History();
    const h = await m.fit(easy.x, easy.y, { epochs: 3, batchSize: 16, validationSplit: 0.2, callbacks: [rec] });
    expect(Object.keys(h.history)).toEqual(['loss', 'ce', 'som', 'reg', 'temperature', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(h.history).toEqual(rec.history);
    // Same keys (and names) as the user's recorder, but the returned record is a copy.
    expect(h.history.loss).not.toBe(rec.history['loss']);
    expect(h.history.loss).toHaveLength(3);
    // Without accuracy metric and validation: the five always-present fields.
    const n = small();
    n.compile({ metrics: [] });
    const hn = await n.fit(easy.x, easy.y, { epochs: 1 });
    expect(Object.keys(hn.history)).toEqual(['loss', 'ce', 'som', 'reg', 'temperature']);
    m.dispose();
    n.dispose();
  });

  it('initialEpoch runs epochs initialEpoch … epochs − 1 on the temperatures of the full schedule', async () => {
    const m = small({ Tmax: 2, Tmin: 0.25 });
    m.compile();
    const temps: number[] = [];
    const begun: number[] = [];
    const ended: number[] = [];
    const { lines, restore } = captureStdout();
    try {
      const h = await m.fit(easy.x, easy.y, {
        epochs: 3,
        initialEpoch: 1,
        batchSize: 30,
        verbose: 2,
        callbacks: { onEpochBegin: (e) => void begun.push(e), onEpochEnd: (e) => void ended.push(e), onBatchEnd: (_b, logs) => void temps.push(logs['temperature']!) },
      });
      expect(h.epoch).toEqual([1, 2]);
      expect(begun).toEqual([1, 2]);
      expect(ended).toEqual([1, 2]);
      expect(h.history.loss).toHaveLength(2);
      expect(h.params).toEqual({ epochs: 3, steps: 3, samples: 90, batchSize: 30 });
      // Iterations 3 … 8 of a 9-iteration schedule (3 epochs × 3 steps).
      expect(temps).toHaveLength(6);
      temps.forEach((t, i) => expect(t).toBeCloseTo(temperature(i + 3, 9, 2, 0.25), 10));
      expect(h.history.temperature[1]).toBeCloseTo(0.25, 10);
      expect(lines.filter((l) => l.startsWith('Epoch ')).map((l) => l.trim())).toEqual(['Epoch 2/3', 'Epoch 3/3']);
    } finally {
      restore();
      m.dispose();
    }
  });
});

describe('A3SOM input validation', () => {
  it('constructor and compile options', async () => {
    await expectSomError(() => small({ Tmin: 2, Tmax: 1 }), 'ERR_INVALID_CONFIG', /Tmin ≤ Tmax/);
    await expectSomError(() => small({ act: 'gelu' as never }), 'ERR_INVALID_CONFIG', /act: expected one of 'none', 'relu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'selu', 'elu', 'exponential'/);
    await expectSomError(() => small({ normalization: 'group' as never }), 'ERR_INVALID_CONFIG', /normalization: expected one of 'none', 'batch', 'layer', 'both'/);
    await expectSomError(() => small({ n: 0 }), 'ERR_INVALID_CONFIG', /n: expected an integer ≥ 1/);
    await expectSomError(() => small({ dropoutRate: 1 }), 'ERR_INVALID_CONFIG', /dropoutRate/);
    await expectSomError(() => new A3SOM({ inputDim: 2, nClasses: 3, n_hidden: 2 } as never), 'ERR_INVALID_CONFIG', /Unknown A3SOM option 'n_hidden'/);
    const m = small();
    await expectSomError(() => m.compile({ learningRates: { som: -1 } }), 'ERR_INVALID_CONFIG', /learningRates\.som/);
    // 'auc' is a metric now (issue 19): an unknown name is still refused.
    await expectSomError(() => m.compile({ metrics: ['mse' as never] }), 'ERR_INVALID_CONFIG', /metrics/);
    await expectSomError(m.fit(easy.x, easy.y), 'ERR_INVALID_CONFIG', /compile/);
    m.dispose();
  });

  it('data errors: labels ≥ nClasses, wrong inputDim, NaN, not fitted', async () => {
    const m = small();
    m.compile();
    await expectSomError(m.predict(easy.x), 'ERR_NOT_FITTED', /fit/);
    await expectSomError(m.classify(easy.x), 'ERR_NOT_FITTED');
    await expectSomError(m.explain(easy.x), 'ERR_NOT_FITTED');
    await expectSomError(m.fit(easy.x, easy.y.map((v) => (v === 2 ? 3 : v))), 'ERR_INVALID_INPUT', /Label 3 .* out of range/);
    await expectSomError(m.fit(easy.x.map((r) => [...r, 0]), easy.y), 'ERR_SHAPE_MISMATCH', /\[n, 2\]/);
    await expectSomError(m.fit(easy.x.map((r, i) => (i === 5 ? [Number.NaN, r[1]!] : r)), easy.y), 'ERR_NON_FINITE', /row 5/);
    await expectSomError(m.fit(easy.x, easy.y.slice(1)), 'ERR_SHAPE_MISMATCH');
    await m.fit(easy.x, easy.y, { epochs: 1 });
    await expectSomError(m.predict([[1, 2, 3]]), 'ERR_SHAPE_MISMATCH');
    await expectSomError(m.predict([[1, Number.POSITIVE_INFINITY]]), 'ERR_NON_FINITE');
    await expectSomError(m.fit(easy.x, easy.y, { epochs: 0 }), 'ERR_INVALID_CONFIG', /epochs/);
    await expectSomError(m.fit(easy.x, easy.y, { classWeight: { 7: 1 } }), 'ERR_INVALID_CONFIG', /classWeight/);
    // initial_epoch and workers are accepted now (issue 19), so the list of accepted keys grew.
    await expectSomError(m.fit(easy.x, easy.y, { epoch: 3 } as never), 'ERR_INVALID_CONFIG', /Unknown fit option 'epoch'\. Accepted options: epochs, initialEpoch, initial_epoch, batchSize, verbose, callbacks, validationSplit, validationData, classWeight, shuffle, workers\./);
    await expectSomError(m.fit(easy.x, easy.y, { epochs: 3, batch_size: 1 } as never), 'ERR_INVALID_CONFIG', /Unknown fit option 'batch_size'\. Did you mean 'batchSize'\?/);
    await expectSomError(m.fit(easy.x, easy.y, { epochs: 3, initialEpoch: 3 }), 'ERR_INVALID_CONFIG', /initialEpoch: expected an integer in \[0, 2\]/);
    await expectSomError(m.fit(easy.x, easy.y, { epochs: 1.5 }), 'ERR_INVALID_CONFIG', /epochs: expected an integer ≥ 1/);
    await expectSomError(m.fit(easy.x, easy.y, { callbacks: [null as never] }), 'ERR_INVALID_CONFIG', /callbacks\[0\]: expected a callback object/);
    const x = tf.tensor2d(easy.x);
    const p = await m.predict(x); // tensors in, plain data out; input not disposed
    expect(p.shape).toEqual([90, 3]);
    expect(x.isDisposed).toBe(false);
    x.dispose();
    m.dispose();
    await expectSomError(m.predict(easy.x), 'ERR_INVALID_INPUT', /disposed/);
  });
});
