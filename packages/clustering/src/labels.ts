import { SomError } from '@somkit/plugin-api';

/**
 * Validates a label vector: integers, one per point. Negative labels mean noise.
 * @throws SomError ERR_SHAPE_MISMATCH | ERR_INVALID_INPUT
 */
export function toLabels(labels: ArrayLike<number>, n: number, what = 'labels'): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new SomError('ERR_INVALID_INPUT', `Expected ${what} as an Int32Array or number[], got ${labels === null ? 'null' : typeof labels}.`);
  }
  if (labels.length !== n) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${n} ${what} (one per point), got ${labels.length}.`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new SomError('ERR_INVALID_INPUT', `Expected integer ${what}, got ${String(v)} at index ${i}.`);
    }
    out[i] = v < 0 ? -1 : v;
  }
  return out;
}

/** Distinct non-negative labels, ascending. */
export function clusterIds(labels: Int32Array): number[] {
  const s = new Set<number>();
  for (const l of labels) if (l >= 0) s.add(l);
  return [...s].sort((a, b) => a - b);
}
