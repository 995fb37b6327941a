import { SomError } from '@somkit/plugin-api';
import type { LocalModel } from './LocalModel.js';
import { solveLinear } from './solveLinear.js';

/** A matrix as rows or as row-major `{data, shape}`. */
export type MatrixLike = readonly (readonly number[])[] | readonly Float32Array[] | { readonly data: ArrayLike<number>; readonly shape: readonly [number, number] };

/** Options of {@link fitLocalModel}. */
export interface LocalModelOptions {
  /** L2 penalty on the coefficients (not the intercept), ≥ 0. Default 1e-6. */
  ridge?: number | undefined;
}

/**
 * Ridge linear regression with an intercept, solved in plain JS: the data are centred, then
 * `(XcᵀXc + ridge·I) W = XcᵀYc` is solved by Cholesky (Gaussian elimination as fallback) and
 * `b = ȳ − x̄·W`. The local model of the TorchSOM JITL workflow.
 *
 * ```ts
 * const buf = await collectSamples(x, { som, index, data, outputs });
 * const model = fitLocalModel(buf.samples, buf.outputs!);
 * model.predict(x); // [q]
 * ```
 * @param samples - [m, d]
 * @param outputs - [m] or [m, q]
 * @throws SomError ERR_EMPTY_INPUT (no samples), ERR_SHAPE_MISMATCH (row counts differ),
 *   ERR_INVALID_CONFIG (ridge < 0), ERR_INVALID_INPUT (singular system with ridge = 0)
 */
export function fitLocalModel(samples: MatrixLike, outputs: MatrixLike | readonly number[] | Float32Array | Float64Array, options: LocalModelOptions = {}): LocalModel {
  const ridge = options.ridge ?? 1e-6;
  if (typeof ridge !== 'number' || !Number.isFinite(ridge) || ridge < 0) {
    throw new SomError('ERR_INVALID_CONFIG', `ridge: expected a finite number ≥ 0, got ${String(ridge)}.`);
  }
  const x = dense(samples, 'samples');
  const y = isFlat(outputs) ? { data: Float64Array.from(outputs as ArrayLike<number>), n: (outputs as ArrayLike<number>).length, d: 1 } : dense(outputs as MatrixLike, 'outputs');
  if (x.n === 0) throw new SomError('ERR_EMPTY_INPUT', 'fitLocalModel: expected at least one sample, got none (the retrieval buffer is empty).');
  if (y.n !== x.n) throw new SomError('ERR_SHAPE_MISMATCH', `fitLocalModel: expected one output row per sample, got ${x.n} samples and ${y.n} outputs.`);
  for (const v of x.data) if (!Number.isFinite(v)) throw new SomError('ERR_NON_FINITE', 'fitLocalModel: samples contain NaN or ±Infinity.');
  for (const v of y.data) if (!Number.isFinite(v)) throw new SomError('ERR_NON_FINITE', 'fitLocalModel: outputs contain NaN or ±Infinity.');
  const { n, d } = x;
  const q = y.d;
  // Means, then centred normal equations A = XcᵀXc + ridge·I [d, d], B = XcᵀYc [d, q].
  const mx = new Float64Array(d);
  const my = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) mx[t]! += x.data[i * d + t]!;
    for (let c = 0; c < q; c++) my[c]! += y.data[i * q + c]!;
  }
  for (let t = 0; t < d; t++) mx[t]! /= n;
  for (let c = 0; c < q; c++) my[c]! /= n;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d * q);
  const xc = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) xc[t] = x.data[i * d + t]! - mx[t]!;
    for (let r = 0; r < d; r++) {
      for (let s = 0; s <= r; s++) a[r * d + s]! += xc[r]! * xc[s]!;
      for (let c = 0; c < q; c++) b[r * q + c]! += xc[r]! * (y.data[i * q + c]! - my[c]!);
    }
  }
  for (let r = 0; r < d; r++) {
    a[r * d + r]! += ridge;
    for (let s = 0; s < r; s++) a[s * d + r] = a[r * d + s]!;
  }
  const w = solveLinear(a, b, d, q);
  if (w === undefined) {
    throw new SomError('ERR_INVALID_INPUT', `fitLocalModel: the normal equations are singular (collinear or constant features among ${n} samples). Raise ridge (now ${ridge}).`);
  }
  const coefficients = Array.from({ length: d }, (_, t) => Array.from(w.subarray(t * q, (t + 1) * q)));
  const intercept = Array.from({ length: q }, (_, c) => {
    let s = my[c]!;
    for (let t = 0; t < d; t++) s -= mx[t]! * w[t * q + c]!;
    return s;
  });
  return Object.freeze({
    coefficients,
    intercept,
    dims: d,
    outputs: q,
    n,
    ridge,
    predict(sample: ArrayLike<number>): number[] {
      if (sample === null || typeof sample !== 'object' || sample.length !== d) {
        throw new SomError('ERR_SHAPE_MISMATCH', `predict: expected a sample of ${d} features, got ${sample === null || typeof sample !== 'object' ? String(sample) : `length ${sample.length}`}.`);
      }
      return intercept.map((b0, c) => {
        let s = b0;
        for (let t = 0; t < d; t++) s += sample[t]! * coefficients[t]![c]!;
        return s;
      });
    },
  });
}

function isFlat(v: unknown): boolean {
  return ArrayBuffer.isView(v) || (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number'));
}

function dense(m: MatrixLike, what: string): { data: Float64Array; n: number; d: number } {
  if (Array.isArray(m)) {
    const rows = m as readonly ArrayLike<number>[];
    const n = rows.length;
    const d = n === 0 ? 0 : rows[0]!.length;
    const data = new Float64Array(n * d);
    rows.forEach((row, i) => {
      if (row.length !== d) throw new SomError('ERR_SHAPE_MISMATCH', `fitLocalModel: ${what} row 0 has ${d} values but row ${i} has ${row.length}.`);
      for (let t = 0; t < d; t++) data[i * d + t] = row[t]!;
    });
    return { data, n, d };
  }
  if (typeof m === 'object' && m !== null && 'data' in m && 'shape' in m) {
    const [n, d] = m.shape;
    if (m.data.length !== n * d) throw new SomError('ERR_SHAPE_MISMATCH', `fitLocalModel: ${what}.data has ${m.data.length} values but shape [${n}, ${d}] needs ${n * d}.`);
    return { data: Float64Array.from(m.data), n, d };
  }
  throw new SomError('ERR_INVALID_INPUT', `fitLocalModel: expected ${what} as number[][] or {data, shape}, got ${m === null ? 'null' : typeof m}.`);
}
