import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registry, type DistancePlugin, type Json } from '@somkit/plugin-api';
import { builtinDistances, builtinNeighborhoods, builtinSchedules } from './builtins.js';
import * as kernels from './index.js';
import './register.js';

const DISTANCES = ['chebyshev', 'cosine', 'euclidean', 'manhattan', 'minkowski', 'sqeuclidean'];
const NEIGHBORHOODS = ['bubble', 'gaussian', 'mexican_hat', 'rhomb', 'square', 'triangle'];
const SCHEDULES = [
  'asymptotic_decay',
  'constant',
  'experimental_lr',
  'experimental_sigma',
  'exponential',
  'lr_inverse_decay_to_zero',
  'lr_linear_decay_to_zero',
  'sig_inverse_decay_to_one',
  'sig_linear_decay_to_floor',
  'sig_linear_decay_to_one',
  'two_phase_lr',
  'two_phase_sigma',
];

describe('register', () => {
  it('registers every built-in name', () => {
    for (const n of DISTANCES) expect(registry.list('distance')).toContain(n);
    for (const n of NEIGHBORHOODS) expect(registry.list('neighborhood')).toContain(n);
    for (const n of SCHEDULES) expect(registry.list('schedule')).toContain(n);
  });

  it('resolves names to plugins of that name, with options', async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    const before = tf.memory().numTensors;
    for (const n of DISTANCES.filter((d) => d !== 'minkowski')) expect(registry.resolve('distance', n).name).toBe(n);
    for (const n of NEIGHBORHOODS) expect(registry.resolve('neighborhood', n).name).toBe(n);
    for (const n of SCHEDULES) expect(registry.resolve('schedule', n).name).toBe(n);
    const m = registry.resolve('distance', { name: 'minkowski', options: { p: 3 } });
    expect(m.options).toEqual({ p: 3 });
    expect(() => registry.resolve('distance', 'minkowski')).toThrow(/p ≥ 1/);
    expect(registry.resolve('schedule', 'exponential', { final: 0.1 }).value(1, 1, 2)).toBeCloseTo(0.1, 12);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builtins map each name to a factory of that name', () => {
    expect(Object.keys(builtinDistances).sort()).toEqual(DISTANCES);
    expect(Object.keys(builtinNeighborhoods).sort()).toEqual(NEIGHBORHOODS);
    expect(Object.keys(builtinSchedules).sort()).toEqual(SCHEDULES);
    for (const [n, f] of Object.entries(builtinDistances)) {
      const make = f as (options?: Json) => DistancePlugin;
      expect((n === 'minkowski' ? make({ p: 2 }) : make()).name).toBe(n);
    }
    for (const [n, f] of Object.entries(builtinNeighborhoods)) expect(f().name).toBe(n);
    for (const [n, f] of Object.entries(builtinSchedules)) expect(f().name).toBe(n);
    expect(Object.isFrozen(builtinDistances) && Object.isFrozen(builtinNeighborhoods) && Object.isFrozen(builtinSchedules)).toBe(true);
  });

  it('the barrel exports every factory and the builtins', () => {
    expect(Object.keys(kernels).sort()).toEqual(
      [
        'asymptoticDecay', 'bubble', 'builtinDistances', 'builtinNeighborhoods', 'builtinSchedules', 'chebyshev',
        'constant', 'cosine', 'euclidean', 'exponentialDecay', 'gaussian', 'lrInverseDecayToZero',
        'lrLinearDecayToZero', 'manhattan', 'mexicanHat', 'minkowski', 'sigInverseDecayToOne',
        'sigLinearDecayToOne', 'sqeuclidean', 'triangle',
        'rhomb', 'square', 'sigLinearDecayToFloor', 'twoPhaseLr', 'twoPhaseSigma', 'experimentalLr', 'experimentalSigma',
        'trainerSchedules', 'TRAINER_NAMES',
      ].sort(),
    );
  });
});
