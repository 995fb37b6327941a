/**
 * Kernel rows gathered from a neighbourhood table inside a graph: the nodes shared by the
 * minibatch steps and the neighbourhood product graphs. Internal.
 */
import { attr, type OnnxInitializer, type OnnxNode, type OnnxValueInfo } from './onnxModel.js';

/**
 * How a graph reads the kernel table (see `tableInputs.ts`, which chooses and builds it):
 *
 * - `'windows'`: `WINDOWS` [t, L] float — row `i` is `values[i … i + L)` —, `BASE` int32 [u] and
 *   `RUNS` int32 [u / L] (`offset[r·L]`): usable when `offset` is made of runs of L consecutive
 *   positions (core's tables: one run per grid row, L = cols or a divisor of it). A kernel row is
 *   then a `Gather` of u / L contiguous blocks of L floats.
 * - `'elements'`: `VALUES` [1, t] float, `BASE` int32 [u], `OFFSET` int32 [u]: any table; a kernel
 *   row is u single-element gathers (`GatherElements` on the flattened indices, 4–5× faster here
 *   than `Gather` of a 1-D tensor by a [m, u] index, which copies element by element).
 * - `'separable'`: `SEP_A` [R, R], `SEP_B` [C, C], `SEP_ROW` / `SEP_COL` int32 [u] (see
 *   `separableInputs.ts`; minibatch steps only): a kernel row is the outer product of a row of
 *   `SEP_A` and a row of `SEP_B`; the steps never build it (`separableUpdateNodes.ts`).
 */
export type KernelRowLayout = 'windows' | 'elements' | 'separable';

/** The layouts whose kernel rows are gathered from the table ({@link kernelRowNodes}). */
export type GatheredLayout = Exclude<KernelRowLayout, 'separable'>;

/** The graph inputs of a table in `layout`. */
export function kernelRowInputs(layout: KernelRowLayout): OnnxValueInfo[] {
  if (layout === 'separable') {
    return [
      { name: 'SEP_A', type: 'float', shape: ['R', 'R'] },
      { name: 'SEP_B', type: 'float', shape: ['C', 'C'] },
      { name: 'SEP_ROW', type: 'int32', shape: ['u'] },
      { name: 'SEP_COL', type: 'int32', shape: ['u'] },
    ];
  }
  return layout === 'windows'
    ? [
        { name: 'WINDOWS', type: 'float', shape: ['t', 'l'] },
        { name: 'BASE', type: 'int32', shape: ['u'] },
        { name: 'RUNS', type: 'int32', shape: ['r'] },
      ]
    : [
        { name: 'VALUES', type: 'float', shape: [1, 't'] },
        { name: 'BASE', type: 'int32', shape: ['u'] },
        { name: 'OFFSET', type: 'int32', shape: ['u'] },
      ];
}

/** Constants the nodes of {@link kernelRowNodes} read (outer-graph initializers; a loop body sees them). */
export const KERNEL_ROW_INITIALIZERS: readonly OnnxInitializer[] = Object.freeze([
  // Reshape targets: [m, r, L] → [m, u] (0 keeps m) and [m, u] → [1, m·u].
  { name: 'KR_ROWS', type: 'int64', dims: [2], values: [0, -1] },
  { name: 'KR_FLAT', type: 'int64', dims: [2], values: [1, -1] },
  // 'separable': [m, 1, R] → [m, R, 1] row factors.
  { name: 'KR_COLUMN', type: 'int64', dims: [3], values: [0, -1, 1] },
]);

/** A tile of units: value names of its first and past-the-end positions in `RUNS` / `OFFSET` (int64 [1]). */
export interface KernelRowRange {
  readonly start: string;
  readonly end: string;
}

/**
 * `out` [m, u] = kernel rows at the units `units` (integer [m, 1]):
 * `out[i, b] = values[base[units[i]] + offset[b]]` — or only the columns of one tile of units
 * when `range` is given (`out` [m, tile]). Value names are prefixed with `prefix` so several uses
 * can share a graph (the tile's base gather is shared when `baseOf` names an earlier use's).
 */
export function kernelRowNodes(layout: GatheredLayout, units: string, out: string, prefix = 'kr', range?: KernelRowRange, baseOf?: string): OnnxNode[] {
  const v = (name: string): string => `${prefix}_${name}`;
  const positions = layout === 'windows' ? 'RUNS' : 'OFFSET';
  const at = range === undefined ? positions : v('range');
  const base = baseOf ?? v('base');
  const start: OnnxNode[] = [
    ...(range === undefined ? [] : [{ op: 'Slice', inputs: [positions, range.start, range.end], outputs: [at] }]),
    // [m, 1] where each unit's row starts in the table.
    ...(baseOf === undefined ? kernelRowBase(layout, units, base) : []),
  ];
  if (layout === 'windows') {
    return [
      ...start,
      // [m, u / L] block starts → [m, u / L, L] blocks → [m, u].
      { op: 'Add', inputs: [base, at], outputs: [v('starts')] },
      { op: 'Gather', inputs: ['WINDOWS', v('starts')], outputs: [v('blocks')], attributes: { axis: attr.int(0) } },
      { op: 'Reshape', inputs: [v('blocks'), 'KR_ROWS'], outputs: [out] },
    ];
  }
  return [
    ...start,
    // [m, u] table positions → flattened [1, m·u] → values → [m, u].
    { op: 'Add', inputs: [base, at], outputs: [v('at')] },
    { op: 'Reshape', inputs: [v('at'), 'KR_FLAT'], outputs: [v('flat')] },
    { op: 'GatherElements', inputs: ['VALUES', v('flat')], outputs: [v('picked')], attributes: { axis: attr.int(1) } },
    { op: 'Shape', inputs: [v('at')], outputs: [v('shape')] },
    { op: 'Reshape', inputs: [v('picked'), v('shape')], outputs: [out] },
  ];
}

/**
 * What the kernel rows at `units` share across tiles, under the name `base`: `'windows'` and
 * `'elements'` where each row starts in the table ([m, 1]); `'separable'` the row factors
 * `${base}_A` [m, R, 1] and column factors `${base}_B` [m, 1, C].
 */
export function kernelRowBase(layout: KernelRowLayout, units: string, base: string): OnnxNode[] {
  if (layout !== 'separable') return [{ op: 'Gather', inputs: ['BASE', units], outputs: [base], attributes: { axis: attr.int(0) } }];
  return [
    { op: 'Gather', inputs: ['SEP_ROW', units], outputs: [`${base}_r`], attributes: { axis: attr.int(0) } },
    { op: 'Gather', inputs: ['SEP_A', `${base}_r`], outputs: [`${base}_a`], attributes: { axis: attr.int(0) } },
    { op: 'Reshape', inputs: [`${base}_a`, 'KR_COLUMN'], outputs: [`${base}_A`] },
    { op: 'Gather', inputs: ['SEP_COL', units], outputs: [`${base}_c`], attributes: { axis: attr.int(0) } },
    { op: 'Gather', inputs: ['SEP_B', `${base}_c`], outputs: [`${base}_B`], attributes: { axis: attr.int(0) } },
  ];
}
