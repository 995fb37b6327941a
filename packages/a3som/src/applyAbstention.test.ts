import { describe, expect, it } from 'vitest';
import { resolveAbstention } from './abstentionConfig.js';
import { computeThresholds } from './AbstentionThresholds.js';
import { applyAbstention } from './applyAbstention.js';
import { expectSomError } from './testData.test-util.js';

// 3 prototypes, 2 classes. Unit 0: 10 hits, distances 1..10, all class 0. Unit 1: 10 hits,
// distances 0.1..1.0, labels half 0 / half 1 (mixed). Unit 2: 2 hits (below minHits).
const bmu = Int32Array.from([...Array(10).fill(0), ...Array(10).fill(1), 2, 2]);
const distance = Float32Array.from([...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => (i + 1) / 10), 50, 60]);
const labels = Int32Array.from([...Array(10).fill(0), 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, -1, 1]);
const stats = { bmu, distance, labels };

describe('abstention thresholds', () => {
  it('global distance threshold = quantile of all training BMU distances; local per prototype with fallback', () => {
    const cfg = resolveAbstention({ distance: { quantile: 0.5 }, minHits: 5 });
    const th = computeThresholds(stats, 3, 2, cfg);
    const all = Array.from(distance).sort((a, b) => a - b);
    expect(th.distanceGlobal).toBeCloseTo((all[10]! + all[11]!) / 2, 5);
    expect(th.distanceLocal[0]).toBeCloseTo(5.5, 5);
    expect(th.distanceLocal[1]).toBeCloseTo(0.55, 5);
    expect(th.distanceLocal[2]).toBeCloseTo(th.distanceGlobal, 5); // 2 hits < minHits → global
    expect(th.prototypeMargin[0]).toBeCloseTo(1, 6);
    expect(th.prototypeMargin[1]).toBeCloseTo(0, 6);
    expect(Number.isNaN(th.prototypeMargin[2]!)).toBe(true);
  });

  it('novel before ambiguous; global vs local rules', () => {
    const th = computeThresholds(stats, 3, 2, resolveAbstention({ distance: { quantile: 0.9 }, minHits: 5 }));
    // sample: bmu, distance, probs
    const b = Int32Array.from([0, 1, 0, 1]);
    const d = Float32Array.from([100, 0.2, 1, 0.2]);
    const p = Float32Array.from([0.9, 0.1, 0.52, 0.48, 0.95, 0.05, 0.99, 0.01]);
    const g = applyAbstention(p, b, d, 2, th, resolveAbstention({ distance: { mode: 'global' }, ambiguity: { mode: 'global', margin: 0.1 } }));
    expect(g.reasons).toEqual(['novel', 'ambiguous', null, null]);
    expect(Array.from(g.labels)).toEqual([-1, -1, 0, 0]);
    // local ambiguity: unit 1 is a mixed prototype → every sample on it is ambiguous.
    const l = applyAbstention(p, b, d, 2, th, resolveAbstention({ distance: { mode: 'local' }, ambiguity: { mode: 'local', margin: 0.1 } }));
    expect(l.reasons).toEqual(['novel', 'ambiguous', null, 'ambiguous']);
    const off = applyAbstention(p, b, d, 2, th, resolveAbstention({ distance: { mode: 'none' }, ambiguity: { mode: 'none' } }));
    expect(off.reasons).toEqual([null, null, null, null]);
  });

  it('validates options', async () => {
    await expectSomError(() => resolveAbstention({ distance: { quantile: 0 } }), 'ERR_INVALID_CONFIG', /distance.quantile/);
    await expectSomError(() => resolveAbstention({ ambiguity: { margin: 2 } }), 'ERR_INVALID_CONFIG', /ambiguity.margin/);
    await expectSomError(() => resolveAbstention({ distance: { mode: 'regional' as never } }), 'ERR_INVALID_CONFIG', /'global', 'local', 'none'/);
    await expectSomError(() => resolveAbstention({ minHits: 0 }), 'ERR_INVALID_CONFIG', /minHits/);
  });
});
