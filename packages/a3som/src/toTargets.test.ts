import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { toTargets } from './toTargets.js';
import { expectSomError } from './testData.test-util.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('toTargets', () => {
  it('reads integer labels with -1 / null as unlabelled', async () => {
    const t = await toTargets([0, -1, 2, null, 1], 5, 3);
    expect(Array.from(t.labels)).toEqual([0, -1, 2, -1, 1]);
    expect(t.labelled).toBe(3);
    expect(Array.from(t.targets)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  });

  it('reads one-hot rows with all-zero rows as unlabelled, from arrays, {data, shape} and tensors', async () => {
    const rows = [[0, 1, 0], [0, 0, 0], [1, 0, 0]];
    for (const y of [rows, { data: rows.flat(), shape: [3, 3] as const }]) {
      const t = await toTargets(y, 3, 3);
      expect(Array.from(t.labels)).toEqual([1, -1, 0]);
    }
    const yt = tf.tensor2d(rows);
    expect(Array.from((await toTargets(yt, 3, 3)).labels)).toEqual([1, -1, 0]);
    const lt = tf.tensor1d([2, -1, 0], 'int32');
    expect(Array.from((await toTargets(lt, 3, 3)).labels)).toEqual([2, -1, 0]);
    tf.dispose([yt, lt]);
  });

  it('rejects labels ≥ nClasses, non-integers, wrong lengths and widths', async () => {
    await expectSomError(toTargets([0, 3], 2, 3), 'ERR_INVALID_INPUT', /out of range.*0 … 2/);
    await expectSomError(toTargets([0, -2], 2, 3), 'ERR_INVALID_INPUT');
    await expectSomError(toTargets([0.5, 1], 2, 3), 'ERR_INVALID_INPUT');
    await expectSomError(toTargets([0, 1, 1], 2, 3), 'ERR_SHAPE_MISMATCH');
    await expectSomError(toTargets([[1, 0], [0, 1]], 2, 3), 'ERR_SHAPE_MISMATCH');
    await expectSomError(toTargets([[1, 0, -1], [0, 1, 0]], 2, 3), 'ERR_INVALID_INPUT');
  });
});
