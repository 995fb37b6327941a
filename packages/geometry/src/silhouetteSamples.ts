import { SomError } from '@somkit/plugin-api';

/**
 * Points for the silhouette: nested rows (`number[][]`, typed-array rows) or a row-major
 * `{ data, shape: [n, d] }` matrix. The same forms `@somkit/clustering` accepts.
 */
export type SilhouettePoints =
  | readonly (readonly number[])[]
  | readonly ArrayLike<number>[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly [number, number] };

/** Validated points: row-major float64 [n, d]. */
interface Dense {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

function finite(v: unknown, what: string, i: number, j: number): number {
  if (typeof v !== 'number') throw new SomError('ERR_INVALID_INPUT', `${what}: expected a number at row ${i}, column ${j}, got ${v === null ? 'null' : typeof v}.`);
  if (!Number.isFinite(v)) throw new SomError('ERR_NON_FINITE', `${what}: expected finite numbers, got ${v} at row ${i}, column ${j}.`, { details: { row: i, column: j } });
  return v;
}

/** Copies points into a dense matrix, checking shape and finiteness. */
export function densePoints(points: SilhouettePoints, what: string): Dense {
  if (Array.isArray(points)) {
    const rows = points as readonly ArrayLike<number>[];
    const n = rows.length;
    if (n === 0) throw new SomError('ERR_EMPTY_INPUT', `${what}: expected at least one row, got an empty array.`);
    const first = rows[0];
    if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
      throw new SomError('ERR_INVALID_INPUT', `${what}: expected number[][] or { data, shape }; row 0 is ${first === null ? 'null' : typeof first}.`);
    }
    const d = first.length;
    if (d === 0) throw new SomError('ERR_EMPTY_INPUT', `${what}: expected at least one feature per row, got rows of length 0.`);
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || row.length !== d) {
        throw new SomError('ERR_SHAPE_MISMATCH', `${what}: row 0 has ${d} values but row ${i} has ${row === null || typeof row !== 'object' ? 'none' : row.length}.`);
      }
      for (let j = 0; j < d; j++) data[i * d + j] = finite(row[j], what, i, j);
    }
    return { data, n, d };
  }
  if (typeof points === 'object' && points !== null && 'data' in points && 'shape' in points) {
    const { data: src, shape } = points;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `${what}.shape: expected [n, d] with non-negative integers, got ${JSON.stringify(shape)}.`);
    }
    const [n, d] = shape as [number, number];
    if (n === 0 || d === 0) throw new SomError('ERR_EMPTY_INPUT', `${what}: expected a non-empty matrix, got shape [${n}, ${d}].`);
    if (src === null || typeof src !== 'object' || src.length !== n * d) {
      throw new SomError('ERR_SHAPE_MISMATCH', `${what}.data has ${src === null || typeof src !== 'object' ? 'no' : src.length} values but shape [${n}, ${d}] needs ${n * d}.`);
    }
    const data = new Float64Array(n * d);
    for (let k = 0; k < n * d; k++) data[k] = finite(src[k], what, Math.floor(k / d), k % d);
    return { data, n, d };
  }
  throw new SomError('ERR_INVALID_INPUT', `${what}: expected number[][] or { data, shape }, got ${points === null ? 'null' : typeof points}.`);
}

/** Checks cluster labels: `n` integers (negative = noise); returns them as an Int32Array. */
export function checkLabels(labels: ArrayLike<number>, n: number, what: string): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new SomError('ERR_INVALID_INPUT', `${what}: expected labels as an Int32Array or number[], got ${labels === null ? 'null' : typeof labels}.`);
  }
  if (labels.length !== n) throw new SomError('ERR_SHAPE_MISMATCH', `${what}: expected ${n} labels (one per point), got ${labels.length}.`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new SomError('ERR_INVALID_INPUT', `${what}: expected integer labels (negative = noise), got ${String(v)} at ${i}.`);
    out[i] = v;
  }
  return out;
}

/** Per-sample silhouette on validated data; NaN for noise, all NaN when undefined. */
export function silhouetteDenseSamples(x: Dense, labels: Int32Array): Float64Array {
  const { data, n, d } = x;
  const out = new Float64Array(n).fill(Number.NaN);
  const ids = [...new Set(Array.from(labels).filter((l) => l >= 0))].sort((a, b) => a - b);
  const k = ids.length;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) kept.push(i);
  const m = kept.length;
  // As scikit-learn: defined for 2 ≤ k ≤ m − 1 (noise left out first).
  if (k < 2 || k >= m) return out;
  const slot = new Map<number, number>(ids.map((id, s) => [id, s]));
  const of = Int32Array.from(labels, (l) => (l >= 0 ? slot.get(l)! : -1));
  const sizes = new Float64Array(k);
  for (const i of kept) sizes[of[i]!]!++;
  const sums = new Float64Array(k);
  for (const i of kept) {
    sums.fill(0);
    for (const j of kept) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - data[j * d + t]!;
        s += diff * diff;
      }
      sums[of[j]!]! += Math.sqrt(s);
    }
    const own = of[i]!;
    if (sizes[own]! <= 1) {
      out[i] = 0; // alone in its cluster
      continue;
    }
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
    const den = Math.max(a, b);
    out[i] = den > 0 ? (b - a) / den : 0;
  }
  return out;
}

/**
 * Silhouette coefficient of every point (Euclidean), as scikit-learn's `silhouette_samples`:
 * `s = (b − a) / max(a, b)` with `a` the mean distance to the other members of the point's
 * cluster and `b` the smallest mean distance to the members of another cluster; a point alone in
 * its cluster scores 0. Noise points (label < 0) are left out of every mean and get NaN. Their
 * mean over the non-noise points is `silhouetteScore` of `@somkit/clustering` on the same points.
 * Plain JS, O(n²·d).
 *
 * ```ts
 * silhouetteSamples([[0], [2], [6], [10]], [0, 0, 1, 1]); // [0.75, 0.667, 0.2, 0.556]
 * ```
 * @param points - [n, d]
 * @param labels - [n] cluster ids, negative = noise
 * @returns [n] values in [−1, 1]; NaN for noise, and for every point when there are fewer than
 *   2 clusters or every non-noise point is its own cluster
 * @throws SomError ERR_SHAPE_MISMATCH | ERR_EMPTY_INPUT | ERR_NON_FINITE | ERR_INVALID_INPUT
 */
export function silhouetteSamples(points: SilhouettePoints, labels: ArrayLike<number>): Float64Array {
  const x = densePoints(points, 'silhouetteSamples points');
  return silhouetteDenseSamples(x, checkLabels(labels, x.n, 'silhouetteSamples'));
}
