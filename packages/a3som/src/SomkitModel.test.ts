// Issue 20, "one model interface": SOM and A3SOM share fit / evaluate / predict / toJSON /
// fromJSON / dispose with the same names and result shapes (checked by tsc on this file).
import { describe, expectTypeOf, it } from 'vitest';
import type { EpochRecord, EvalScores, SomkitModel, SomkitModelClass } from '@somkit/plugin-api';
import { SOM, type SomModelJSON } from '@somkit/core';
import { A3SOM } from './A3SOM.js';
import type { A3SOMModelJSON } from './modelFile.js';
import type { Matrix } from './Matrix.js';

describe('one model interface (SomkitModel)', () => {
  it('SOM and A3SOM are SomkitModels; their classes read their own files', () => {
    expectTypeOf<SOM>().toMatchTypeOf<SomkitModel<Int32Array, SomModelJSON>>();
    expectTypeOf<A3SOM>().toMatchTypeOf<SomkitModel<Matrix, A3SOMModelJSON>>();
    expectTypeOf(SOM).toMatchTypeOf<SomkitModelClass<SOM>>();
    expectTypeOf(A3SOM).toMatchTypeOf<SomkitModelClass<A3SOM>>();
  });

  it('the same ideas have the same shapes: history, evaluate, toJSON, dispose', () => {
    expectTypeOf<SOM['history']>().toMatchTypeOf<EpochRecord>();
    expectTypeOf<A3SOM['history']>().toMatchTypeOf<EpochRecord>();
    expectTypeOf<Awaited<ReturnType<SOM['evaluate']>>>().toMatchTypeOf<EvalScores>();
    expectTypeOf<Awaited<ReturnType<A3SOM['evaluate']>>>().toMatchTypeOf<EvalScores>();
    expectTypeOf<Awaited<ReturnType<A3SOM['toJSON']>>>().toEqualTypeOf<A3SOMModelJSON>();
    expectTypeOf<ReturnType<SOM['dispose']>>().toEqualTypeOf<void>();
    expectTypeOf<ReturnType<A3SOM['dispose']>>().toEqualTypeOf<void>();
    // The old A3SOM names stay, deprecated, with the same results.
    expectTypeOf<ReturnType<A3SOM['save']>>().toEqualTypeOf<ReturnType<A3SOM['toJSON']>>();
    expectTypeOf(A3SOM.load).returns.toEqualTypeOf<Promise<A3SOM>>();
  });
});
