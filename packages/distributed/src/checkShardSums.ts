import { SomError } from '@somkit/plugin-api';
import type { NeuronSums } from '@somkit/core';
import type { ShardDescriptor } from './ShardDescriptor.js';

/**
 * Rows of a shard as its descriptor states them: `rowEnd − rowStart` for the built-in `'npy'` and
 * `'csv'` kinds, undefined for other kinds (their opener alone knows).
 */
export function descriptorRows(shard: ShardDescriptor): number | undefined {
  if (shard.kind !== 'npy' && shard.kind !== 'csv') return undefined;
  const { rowStart, rowEnd } = shard as { rowStart?: unknown; rowEnd?: unknown };
  return Number.isSafeInteger(rowStart) && Number.isSafeInteger(rowEnd) && (rowEnd as number) >= (rowStart as number) && (rowStart as number) >= 0
    ? (rowEnd as number) - (rowStart as number)
    : undefined;
}

/**
 * Checks one shard's per-neuron sums (a worker's result: untrusted) before the driver merges
 * them: finite sums and QE, counts ≥ 0 that add up to `n`, a TE count in [0, n], and `n` equal to
 * the shard's rows when they are known.
 * @param rows - the shard's rows (e.g. {@link descriptorRows}), or undefined when unknown
 * @throws SomError ERR_NON_FINITE (NaN/±Infinity), ERR_MODEL_FORMAT (counts that do not add up)
 */
export function checkShardSums(s: NeuronSums, rows: number | undefined): void {
  const c = s.dims + 1;
  if (!Number.isFinite(s.qeSum) || !Number.isFinite(s.teCount)) {
    throw new SomError('ERR_NON_FINITE', `per-neuron sums with a QE sum of ${s.qeSum} and a TE count of ${s.teCount}; expected finite numbers.`);
  }
  let mass = 0;
  for (let k = 0; k < s.units; k++) {
    for (let j = 0; j < c; j++) {
      const v = s.sums[k * c + j]!;
      if (!Number.isFinite(v)) throw new SomError('ERR_NON_FINITE', `per-neuron sums holding ${v} (unit ${k}, column ${j}); expected finite numbers. NaN sums would turn the whole codebook into NaN.`);
    }
    const m = s.sums[k * c + s.dims]!;
    if (m < 0 || Math.round(m) !== m) throw new SomError('ERR_MODEL_FORMAT', `per-neuron sums with a count of ${m} samples at unit ${k}; counts are whole numbers ≥ 0.`);
    mass += m;
  }
  // Counts are float32: exact below 2^24 per unit; allow their rounding above.
  if (Math.abs(mass - s.n) > Math.max(0.5, s.n * 2 ** -23)) {
    throw new SomError('ERR_MODEL_FORMAT', `per-neuron sums whose unit counts add up to ${mass} samples, but the result says n = ${s.n}.`);
  }
  if (s.qeSum < 0 || s.teCount < 0 || s.teCount > s.n || Math.round(s.teCount) !== s.teCount) {
    throw new SomError('ERR_MODEL_FORMAT', `per-neuron sums with a QE sum of ${s.qeSum} and a TE count of ${s.teCount} for ${s.n} samples; expected QE ≥ 0 and a whole TE count in [0, n].`);
  }
  if (rows !== undefined && s.n !== rows) {
    throw new SomError('ERR_MODEL_FORMAT', `per-neuron sums of ${s.n} samples, but the shard has ${rows} rows (rowEnd − rowStart, or the count of an earlier pass). Is the data the same on every worker?`);
  }
}
