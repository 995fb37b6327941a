/**
 * Checks of kernel jobs: sizes, counts and indices, failing with a SomError that says what was
 * expected and what was received. Internal.
 */
import { SomError, type GivenSearch } from '@somkit/plugin-api';

/** One array of a job: its name, its shape in words, and the lengths expected and received. */
export type SizeSpec = readonly [name: string, shape: string, expected: number, received: number | undefined];

/**
 * @throws SomError `ERR_SHAPE_MISMATCH` naming every array whose length is not the expected one
 */
export function checkSizes(kernel: string, specs: readonly SizeSpec[]): void {
  const bad = specs.filter(([, , expected, received]) => received !== expected);
  if (bad.length === 0) return;
  const list = bad.map(([name, shape, expected, received]) => `${name} ${shape} = ${expected} values, received ${received === undefined ? 'no array' : received}`).join('; ');
  throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime ${kernel}: expected ${list}. Pass row-major arrays of exactly these sizes (samples, units, dims and k describe them).`);
}

/**
 * Checks that each named count is an integer ≥ its minimum.
 * @throws SomError `ERR_SHAPE_MISMATCH`
 */
export function checkCounts(kernel: string, counts: Readonly<Record<string, [value: number, min: number]>>): void {
  for (const [name, [value, min]] of Object.entries(counts)) {
    if (!(Number.isInteger(value) && value >= min)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime ${kernel}: expected ${name} to be an integer ≥ ${min}, received ${value}.`);
    }
  }
}

/**
 * Checks 1 ≤ k ≤ units.
 * @throws SomError `ERR_SHAPE_MISMATCH`
 */
export function checkK(kernel: string, k: number, units: number): void {
  if (!(Number.isInteger(k) && k >= 1 && k <= units)) {
    throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime ${kernel}: expected 1 ≤ k ≤ ${units} (the units), received k = ${k}.`);
  }
}

/**
 * Checks that every entry of `indices` lies in [0, limit).
 * @throws SomError `ERR_SHAPE_MISMATCH` naming the first one that does not
 */
export function checkIndices(kernel: string, name: string, indices: Int32Array, limit: number, what: string): void {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!(r >= 0 && r < limit)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime ${kernel}: ${name}[${i}] is ${r}, expected ${what} in [0, ${limit}).`);
    }
  }
}

/**
 * Checks given search results of `rows` samples: [rows, k] indices in [0, units) and distances.
 * @throws SomError `ERR_SHAPE_MISMATCH`
 */
export function checkGiven(kernel: string, given: GivenSearch, rows: number, k: number, units: number): void {
  checkSizes(kernel, [
    ['given.indices', `[${rows}, ${k}]`, rows * k, given.indices?.length],
    ['given.distances', `[${rows}, ${k}]`, rows * k, given.distances?.length],
  ]);
  checkIndices(kernel, 'given.indices', given.indices, units, 'a unit index');
}
