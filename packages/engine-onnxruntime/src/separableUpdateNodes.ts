/**
 * The minibatch update of a separable kernel table without its kernel rows. Internal.
 */
import { kernelRowBase } from './kernelRowNodes.js';
import { attr, type OnnxInitializer, type OnnxNode } from './onnxModel.js';

/** Constants of {@link separableUpdateNodes} (outer-graph initializers; a loop body sees them). */
export const SEPARABLE_UPDATE_INITIALIZERS: readonly OnnxInitializer[] = Object.freeze([
  // Reshape targets: [m, k] → [m, 1, k], [R, C] → [u, 1] and → [1, u].
  { name: 'SU_MID', type: 'int64', dims: [3], values: [0, 1, -1] },
  { name: 'SU_COL', type: 'int64', dims: [2], values: [-1, 1] },
  { name: 'SU_ROW', type: 'int64', dims: [2], values: [1, -1] },
  // Slice bounds of the second of two dimensions, and −1 for a Reshape target.
  { name: 'SU_I1', type: 'int64', dims: [1], values: [1] },
  { name: 'SU_I2', type: 'int64', dims: [1], values: [2] },
  { name: 'SU_M1', type: 'int64', dims: [1], values: [-1] },
  { name: 'SU_ONE', type: 'float', dims: [1], values: [1] },
]);

/**
 * One step's update `wOut = W + Hᵀ·X − (Σ_b H)∘W` for a separable table (`'separable'` layout,
 * see `separableInputs.ts`) without building the kernel rows `H` [b, u]: with `H[i, r·C + c] =
 * A[i, r]·B[i, c]` (A [b, R] and B [b, C] the factors at the BMUs `bmu`),
 *
 * - the update of unit (r, c), dimension k, is `Σ_i A[i, r]·B[i, c]·X[i, k]`: one Gemm
 *   `Aᵀ·(B ⊗ X)` [R, C·d] with W [u, d] (the same array as [u, d]), or `(X ⊗ A)ᵀ·B` [d·R, C]
 *   with Wᵀ [d, u] (`transposed`) — the same 2·b·u·d flops as `Hᵀ·X`, on a [b, C·d] (or
 *   [b, d·R]) operand instead of the [b, u] rows (at 200 × 200, d = 32: 6.6 MB against 41 MB);
 * - the keep `1 − Σ_i H[i, ·]` is `1 − Aᵀ·B` [R, C] (b·u multiply-adds);
 * - with `mask` (missing values: `xi` holds 0 at missing cells, `mask` the 0/1 mask [b, d]) each
 *   dimension keeps `1 − Σ_i H[i, ·]·M[i, k]`, the same Gemm as the update with M for X.
 *
 * Value names are prefixed with `su_`: one use per graph.
 */
export function separableUpdateNodes(transposed: boolean, xi: string, bmu: string, w: string, wOut: string, mask?: string): OnnxNode[] {
  const nodes: OnnxNode[] = [
    // su_A [b, R, 1], su_B [b, 1, C] → A [b, R], B [b, C].
    ...kernelRowBase('separable', bmu, 'su'),
    { op: 'Reshape', inputs: ['su_A', 'KR_ROWS'], outputs: ['su_A2'] },
    { op: 'Reshape', inputs: ['su_B', 'KR_ROWS'], outputs: ['su_B2'] },
    { op: 'Shape', inputs: [w], outputs: ['su_wShape'] },
  ];
  // X ⊗ factor: [b, C·d] (rows of C blocks of d) with W, [b, d·R] (d blocks of R) with Wᵀ.
  const outer = (v: string, out: string): OnnxNode[] =>
    transposed
      ? [
          { op: 'Reshape', inputs: [v, 'KR_COLUMN'], outputs: [`${out}_v`] },
          { op: 'Reshape', inputs: ['su_A', 'SU_MID'], outputs: [`${out}_f`] },
          { op: 'Mul', inputs: [`${out}_v`, `${out}_f`], outputs: [`${out}_3`] },
          { op: 'Reshape', inputs: [`${out}_3`, 'KR_ROWS'], outputs: [out] },
        ]
      : [
          { op: 'Reshape', inputs: ['su_B', 'KR_COLUMN'], outputs: [`${out}_f`] },
          { op: 'Reshape', inputs: [v, 'SU_MID'], outputs: [`${out}_v`] },
          { op: 'Mul', inputs: [`${out}_f`, `${out}_v`], outputs: [`${out}_3`] },
          { op: 'Reshape', inputs: [`${out}_3`, 'KR_ROWS'], outputs: [out] },
        ];
  // Σ_i of the factors and `v` as a Gemm: Aᵀ·(B ⊗ v) [R, C·d], or (v ⊗ A)ᵀ·B [d·R, C].
  const gemm = (outerOf: string, c: string, out: string, alpha: number): OnnxNode =>
    transposed
      ? { op: 'Gemm', inputs: [outerOf, 'su_B2', c], outputs: [out], attributes: { transA: attr.int(1), alpha: attr.float(alpha), beta: attr.float(1) } }
      : { op: 'Gemm', inputs: ['su_A2', outerOf, c], outputs: [out], attributes: { transA: attr.int(1), alpha: attr.float(alpha), beta: attr.float(1) } };
  if (mask === undefined) {
    nodes.push(
      { op: 'Gemm', inputs: ['su_A2', 'su_B2', 'SU_ONE'], outputs: ['su_keepRC'], attributes: { transA: attr.int(1), alpha: attr.float(-1), beta: attr.float(1) } },
      { op: 'Reshape', inputs: ['su_keepRC', transposed ? 'SU_ROW' : 'SU_COL'], outputs: ['su_keep'] },
    );
  } else {
    nodes.push(...outer(mask, 'su_M'), gemm('su_M', 'SU_ONE', 'su_keepG', -1), { op: 'Reshape', inputs: ['su_keepG', 'su_wShape'], outputs: ['su_keep'] });
  }
  // The Gemm's C: W∘keep as [R, C·d] (rows R taken from A's shape) or [d·R, C] (C from B's).
  const [factor, first] = transposed ? ['su_B2', false] : ['su_A2', true];
  nodes.push(
    { op: 'Mul', inputs: [w, 'su_keep'], outputs: ['su_wKeep'] },
    { op: 'Shape', inputs: [factor], outputs: ['su_fShape'] },
    { op: 'Slice', inputs: ['su_fShape', 'SU_I1', 'SU_I2'], outputs: ['su_fDim'] },
    { op: 'Concat', inputs: first ? ['su_fDim', 'SU_M1'] : ['SU_M1', 'su_fDim'], outputs: ['su_cShape'], attributes: { axis: attr.int(0) } },
    { op: 'Reshape', inputs: ['su_wKeep', 'su_cShape'], outputs: ['su_cIn'] },
    ...outer(xi, 'su_X'),
    gemm('su_X', 'su_cIn', 'su_out', 1),
    { op: 'Reshape', inputs: ['su_out', 'su_wShape'], outputs: [wOut] },
  );
  return nodes;
}
