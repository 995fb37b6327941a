import type { Topology } from '@somkit/plugin-api';
import { SomError } from '@somkit/plugin-api';
import { HEX_ROW_SPACING } from '@somkit/geometry';
import { meanFilled } from './meanFilled.js';
import { Rng } from '@somkit/geometry';
import { hostSamples, withMatrix, type MatrixInput } from './toMatrix.js';
import { topEigen } from '@somkit/geometry';

/** A grid size picked from the data ({@link suggestGrid}). */
export interface GridSuggestion {
  rows: number;
  cols: number;
  /** rows·cols. */
  units: number;
  /** √(λ₁/λ₂) of the data's two largest principal components (1 for a single feature). */
  ratio: number;
}

/** Options of {@link suggestGrid}. */
export interface SuggestGridOptions {
  /** The grid the size is for: hexagonal rows are √3/2 apart, so it gets more rows. Default 'rectangular'. */
  topology?: Topology | undefined;
  /** NaN cells are missing values (mean-filled for the estimate) instead of an error. Default false. */
  allowMissing?: boolean | undefined;
}

/** Rows the eigenvalue estimate reads at most (an even stride over the data). */
const MAX_ROWS = 10_000;
/** Features up to which the [d, d] covariance is built; beyond, the product form X·v is used. */
const DENSE_COVARIANCE_DIMS = 64;

/**
 * The grid size for `n` samples whose two largest principal components have variances
 * `lambda1 ≥ lambda2`: about 5·√n units (MiniSom's rule of thumb; the SOM Toolbox's
 * `som_topol_struct` uses 5·n^0.54321), with sides in the ratio √(λ₁/λ₂) (as `som_topol_struct`),
 * the longer side as rows. On a hexagonal grid the rows are √3/2 apart, so the row count is divided
 * by √3/2 to keep the map's physical shape. Both sides are at least 2 once there are 4 units.
 *
 * ```ts
 * gridSizeFor(150, 4.2, 0.24);   // { rows: 15, cols: 4, units: 60, ratio: 4.18… } (61 units asked)
 * gridSizeFor(1797, 1, 1);       // { rows: 14, cols: 15, units: 210, ratio: 1 }
 * ```
 * @throws SomError ERR_INVALID_INPUT (n < 1 or an eigenvalue that is not finite and ≥ 0)
 */
export function gridSizeFor(n: number, lambda1: number, lambda2: number, topology: Topology = 'rectangular'): GridSuggestion {
  if (!Number.isSafeInteger(n) || n < 1) throw new SomError('ERR_INVALID_INPUT', `gridSizeFor: expected n, the number of samples, as an integer ≥ 1, got ${String(n)}.`);
  for (const [name, v] of [['lambda1', lambda1], ['lambda2', lambda2]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SomError('ERR_INVALID_INPUT', `gridSizeFor: expected ${name}, a principal component's variance, as a finite number ≥ 0, got ${String(v)}.`);
  }
  const target = Math.max(1, Math.round(5 * Math.sqrt(n)));
  const hi = Math.max(lambda1, lambda2);
  const lo = Math.min(lambda1, lambda2);
  // A flat second component (λ₂ = 0) would ask for a 1-wide map: cap the ratio so both sides are ≥ 2.
  const maxRatio = Math.max(1, target / 4);
  const ratio = hi === 0 ? 1 : lo === 0 ? maxRatio : Math.min(maxRatio, Math.sqrt(hi / lo));
  const rowScale = topology === 'hexagonal' ? 1 / HEX_ROW_SPACING : 1;
  const min = target >= 4 ? 2 : 1;
  const cols = Math.max(min, Math.round(Math.sqrt(target / (ratio * rowScale))));
  const rows = Math.max(min, Math.round(target / cols));
  return { rows, cols, units: rows * cols, ratio };
}

/**
 * Picks a grid size for the data ({@link gridSizeFor}): about 5·√n units, sides in the ratio of
 * the square roots of the two largest eigenvalues of the covariance (the spread along the first
 * two principal components), the longer side as rows — the side the PCA init lays along the first
 * component. Reads at most 10,000 rows (an even stride) for the estimate; deterministic.
 *
 * ```ts
 * const { rows, cols } = await suggestGrid({ data, shape: [150, 4] }); // z-scored iris: 10 × 6
 * const som = new SOM({ rows, cols, dims: 4 });   // or: await SOM.forData(data)
 * ```
 * @param data - samples [n, d]
 * @throws SomError ERR_EMPTY_INPUT | ERR_SHAPE_MISMATCH | ERR_INVALID_INPUT | ERR_NON_FINITE (as every data input)
 */
export async function suggestGrid(data: MatrixInput, options: SuggestGridOptions = {}): Promise<GridSuggestion> {
  const m = await withMatrix(data, undefined, 'data', options.allowMissing === true, async (v) => ({ n: v.n, d: v.d, missing: v.missing, x: await hostSamples(v) }));
  const { n, d } = m;
  const x = m.missing > 0 ? meanFilled(m.x, n, d) : m.x;
  const [l1, l2] = d < 2 || n < 2 ? [1, 1] : topTwoVariances(x, n, d);
  return gridSizeFor(n, l1, l2, options.topology);
}

/** The two largest eigenvalues of the covariance of (a stride sample of) x [n, d], in float64. */
function topTwoVariances(x: Float32Array, n: number, d: number): [number, number] {
  const stride = Math.max(1, Math.ceil(n / MAX_ROWS));
  const take = Math.ceil(n / stride);
  const c = new Float64Array(take * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < take; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * stride * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / take;
  for (let i = 0; i < take; i++) for (let j = 0; j < d; j++) c[i * d + j] = x[i * stride * d + j]! - mean[j]!;
  const scale = 1 / Math.max(1, take - 1);
  let op: Float64Array | ((v: Float64Array) => Float64Array);
  if (d <= DENSE_COVARIANCE_DIMS) {
    const cov = new Float64Array(d * d);
    for (let i = 0; i < take; i++) {
      const o = i * d;
      for (let a = 0; a < d; a++) {
        const va = c[o + a]! * scale;
        for (let b = a; b < d; b++) cov[a * d + b] = cov[a * d + b]! + va * c[o + b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
    op = cov;
  } else {
    op = (v: Float64Array): Float64Array => {
      const out = new Float64Array(d);
      for (let i = 0; i < take; i++) {
        const o = i * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += c[o + j]! * v[j]!;
        s *= scale;
        for (let j = 0; j < d; j++) out[j] = out[j]! + s * c[o + j]!;
      }
      return out;
    };
  }
  const { values } = topEigen(op, d, 2, new Rng(1));
  return [Math.max(0, values[0]!), Math.max(0, values[1]!)];
}
