/**
 * Separable kernel tables (rectangular grids, gaussian kernel) as graph inputs. Internal.
 */
import type { NeighborhoodTable } from '@somkit/plugin-api';
import type { TableInputs } from './tableInputs.js';
import type { OrtModule } from './ortRuntime.js';

/**
 * From this many units on (the tiled steps, 2 · `TILE_UNITS`) the minibatch steps use separable
 * tables. Measured here (b = 256, d = 32, 2 threads, best of 6 interleaved calls of 10–30 steps):
 * 40 000 units 42.3 → 36.5 ms a step, 10 000 units 11.2 → 10.4 ms; at 1 024 and 2 500 units (one
 * tile) the runs disagreed in sign (± 15 %), so smaller maps keep the gathered table.
 */
export const SEPARABLE_UNITS = 4096;

/** Largest |table value − row factor · column factor| accepted, relative to the value (a few float32 ulps). */
export const SEPARABLE_TOLERANCE = 1e-6;
/** Absolute slack relative to the centre value, for values near float32 underflow (they move no weight). */
const TINY = 1e-30;

/**
 * The `'separable'` graph inputs of a table, or `undefined` when the table is not one of a
 * rectangular R × C grid (core's layout: values a (2R − 1) × (2C − 1) plane, `base[r·C + c] =
 * (R − 1 − r)(2C − 1) + (C − 1 − c)`, `offset[r·C + c] = r(2C − 1) + c`) whose plane is the outer
 * product of a row factor and a column factor within {@link SEPARABLE_TOLERANCE} — the gaussian on
 * a rectangular grid, toroidal or not: `h(dr² + dc²) = g(dr²)·g(dc²)`. Then a kernel row is
 * `H[i, r·C + c] = A[bmu_i, r] · B[bmu_i, c]`, built by broadcasting two small tables instead of
 * gathering u table entries (at 200 × 200 the gather grew faster than u, in blocks of 50 floats).
 *
 * Feeds: `SEP_A` [R, R] (row s = a[s … s + R), a the plane's centre column), `SEP_B` [C, C] (row s
 * = b[s … s + C), b the centre row over the centre value), `SEP_ROW` / `SEP_COL` int32 [u] the
 * window of each unit (R − 1 − r, C − 1 − c). `width` is C: tiles are whole grid rows.
 */
export function separableInputs(ort: OrtModule, table: NeighborhoodTable): TableInputs | undefined {
  const { values, base, offset } = table;
  const u = base.length;
  // C: the first run of consecutive offsets; W = 2C − 1 the plane's row length.
  let C = 1;
  while (C < u && offset[C] === offset[C - 1]! + 1) C++;
  const R = u / C;
  const W = 2 * C - 1;
  if (!Number.isInteger(R) || values.length !== (2 * R - 1) * W) return undefined;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const k = r * C + c;
      if (offset[k] !== r * W + c || base[k] !== (R - 1 - r) * W + (C - 1 - c)) return undefined;
    }
  }
  const centre = values[(R - 1) * W + (C - 1)]!;
  if (!(Number.isFinite(centre) && centre > 0)) return undefined;
  const a = Float32Array.from({ length: 2 * R - 1 }, (_, i) => values[i * W + (C - 1)]!);
  const b = Float32Array.from({ length: W }, (_, j) => values[(R - 1) * W + j]! / centre);
  for (let i = 0; i < 2 * R - 1; i++) {
    for (let j = 0; j < W; j++) {
      const v = values[i * W + j]!;
      const p = Math.fround(a[i]! * b[j]!);
      if (!(Math.abs(v - p) <= SEPARABLE_TOLERANCE * Math.abs(v) + TINY * centre)) return undefined;
    }
  }
  const windows = (f: Float32Array, n: number): Float32Array => {
    const out = new Float32Array(n * n);
    for (let s = 0; s < n; s++) out.set(f.subarray(s, s + n), s * n);
    return out;
  };
  const row = new Int32Array(u);
  const col = new Int32Array(u);
  for (let k = 0; k < u; k++) {
    row[k] = R - 1 - Math.floor(k / C);
    col[k] = C - 1 - (k % C);
  }
  return {
    layout: 'separable',
    width: C,
    feeds: {
      SEP_A: new ort.Tensor('float32', windows(a, R), [R, R]),
      SEP_B: new ort.Tensor('float32', windows(b, C), [C, C]),
      SEP_ROW: new ort.Tensor('int32', row, [u]),
      SEP_COL: new ort.Tensor('int32', col, [u]),
    },
  };
}
