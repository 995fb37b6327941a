/**
 * The minibatch step graphs: several whole steps in one ONNX `Loop`, and one step with given BMUs.
 * Internal.
 */
import { bmuNodes, MASKED_BMU_INITIALIZERS, maskedBmuNodes } from './bmuGraph.js';
import { KERNEL_ROW_INITIALIZERS, kernelRowBase, kernelRowInputs, kernelRowNodes, type GatheredLayout, type KernelRowLayout, type KernelRowRange } from './kernelRowNodes.js';
import { attr, encodeModel, type OnnxGraph, type OnnxInitializer, type OnnxNode, type OnnxValueInfo } from './onnxModel.js';
import { SEPARABLE_UPDATE_INITIALIZERS, separableUpdateNodes } from './separableUpdateNodes.js';

/** Options of {@link minibatchStepsGraph}. */
export interface MinibatchStepsGraphOptions {
  /** Output true euclidean distances (√) rather than squared ones. */
  readonly sqrt: boolean;
  /** How the kernel table is read. */
  readonly layout: KernelRowLayout;
  /** Carry the codebook as Wᵀ [d, u] through the steps (see {@link TRANSPOSED_UNITS}). */
  readonly transposed: boolean;
  /** Update the units in this many tiles (see {@link stepTiles}); 1 when absent. */
  readonly tiles?: number;
  /**
   * Samples with NaN at missing cells (`missing: true` jobs): the masked search, and an update of
   * observed dimensions only, `W ← W ∘ (1 − Hᵀ M) + Hᵀ X̃` (M the batch's 0/1 mask, X̃ its values
   * with missing cells as 0).
   */
  readonly masked?: boolean;
}

/**
 * From this many units on the step graphs carry Wᵀ [d, u] instead of W [u, d]. MLAS packs the
 * right operand of a Gemm and reads the left one as it is: with W the update is `Hᵀ·X` and the
 * keep `Hᵀ·1` (H [b, u] the left operand, transposed block by block), with Wᵀ both are `·H` (H the
 * packed right operand, untransposed), for two Transposes of the codebook per call. In interleaved
 * runs here (b = 256, d = 32 or 64, medians) Wᵀ was 2–6 % faster at 10 000 and 40 000 units and
 * 2–8 % slower at 1 024–6 400 units (one run at 2 025 units: 3 % faster); both orientations give
 * the same bits.
 */
export const TRANSPOSED_UNITS = 8192;

/** Units per tile of the update (see {@link stepTiles}). */
export const TILE_UNITS = 2048;

/**
 * How many tiles a step's update of u units runs in: 1 below 2 · {@link TILE_UNITS} units, else
 * about u / TILE_UNITS. Per tile the kernel rows `H_t` [b, tile] are gathered and used by the two
 * Gemms while they are still in cache; the whole `H` [b, u] (41 MB at 40 000 units and b = 256)
 * does not fit the last-level cache and went to memory and back. Measured here (b = 256, d = 32,
 * 2 threads), the gather and both Gemms alone: 40 000 units 27.7–31.9 ms untiled, 15.1–15.8 ms in
 * tiles of 2 000–5 000 units; 10 000 units 7.7–10.4 ms untiled, 5.1–6.4 ms in tiles of 500–2 000.
 * A whole step (search included, best of 3 runs of 20 steps): 40 000 units 55–64 ms untiled, 51–53 ms
 * in 10–40 tiles; 10 000 units 12.4 ms untiled, 9.7–12.3 ms in 3–20 tiles (34 tiles: 19 ms). The
 * results are the same bits (a test checks it).
 */
export function stepTiles(units: number): number {
  return units < 2 * TILE_UNITS ? 1 : Math.round(units / TILE_UNITS);
}

/** Int64 [1] position constants `TI_0 … TI_(tiles+1)` that slice the tile bounds, and the slice axes. */
function tileConstants(tiles: number): OnnxInitializer[] {
  if (tiles === 1) return [];
  return [
    ...Array.from({ length: tiles + 2 }, (_, i) => ({ name: `TI_${i}`, type: 'int64' as const, dims: [1], values: [i] })),
    { name: 'AXIS0', type: 'int64', dims: [1], values: [0] },
    { name: 'AXIS1', type: 'int64', dims: [1], values: [1] },
  ];
}

/** Graph inputs of the tile bounds: `TILE_AT` [tiles + 1] positions in `RUNS` / `OFFSET`, `TILE_UNIT` [tiles + 1] units. */
function tileInputs(tiles: number): OnnxValueInfo[] {
  return tiles === 1
    ? []
    : [
        { name: 'TILE_AT', type: 'int64', shape: [tiles + 1] },
        { name: 'TILE_UNIT', type: 'int64', shape: [tiles + 1] },
      ];
}

const CONSTANTS: readonly OnnxInitializer[] = [
  { name: 'ZERO', type: 'int64', dims: [], values: [0] },
  { name: 'ZERO1', type: 'int64', dims: [1], values: [0] },
  { name: 'ONE', type: 'float', dims: [1], values: [1] },
  { name: 'TRUE', type: 'bool', dims: [], values: [1] },
  ...KERNEL_ROW_INITIALIZERS,
];

/**
 * One step's update from its samples `xi` [b, d], best units `bmu` (integer [b, 1]) and codebook
 * `w` into `wOut`: `H` [b, u] = the kernel rows at the BMUs (α / b folded into the table), then
 * the same update as `W + Hᵀ·X − (Σ_b H)∘W` in two Gemms, with no [b, u] elementwise pass besides
 * the gather — with W [u, d]: `keep = 1 − Hᵀ·1` [u, 1] (`−Hᵀ·1 + 1`, NEGONES [b, 1]) and
 * `wOut = Hᵀ·xi + W∘keep` (one Gemm with `C`); `transposed`, with Wᵀ [d, u]: `keep = 1 − 1ᵀ·H`
 * [1, u] (NEGONES [1, b]) and `wOut = xiᵀ·H + Wᵀ∘keep`. With `tiles` > 1, unit tile by unit tile
 * (see {@link stepTiles}; the tile bounds are the inputs `TILE_AT` / `TILE_UNIT`). A `'separable'`
 * table's update never builds `H` and takes no tiles ({@link separableUpdateNodes}).
 */
function updateNodes(layout: KernelRowLayout, transposed: boolean, xi: string, bmu: string, w: string, wOut: string, tiles = 1, mask?: string): OnnxNode[] {
  if (layout === 'separable') return separableUpdateNodes(transposed, xi, bmu, w, wOut, mask);
  if (tiles === 1) return tileUpdateNodes(layout, transposed, xi, bmu, w, wOut, '', undefined, mask);
  // The same update tile by tile: the units [TILE_UNIT[t], TILE_UNIT[t + 1]) of the codebook with
  // their kernel columns, then the tiles concatenated back along the unit axis.
  const axis = transposed ? 'AXIS1' : 'AXIS0';
  const nodes: OnnxNode[] = kernelRowBase(layout, bmu, 't_base');
  const outs: string[] = [];
  for (let t = 0; t < tiles; t++) {
    const p = `t${t}_`;
    nodes.push(
      { op: 'Slice', inputs: ['TILE_AT', `TI_${t}`, `TI_${t + 1}`], outputs: [`${p}at0`] },
      { op: 'Slice', inputs: ['TILE_AT', `TI_${t + 1}`, `TI_${t + 2}`], outputs: [`${p}at1`] },
      { op: 'Slice', inputs: ['TILE_UNIT', `TI_${t}`, `TI_${t + 1}`], outputs: [`${p}u0`] },
      { op: 'Slice', inputs: ['TILE_UNIT', `TI_${t + 1}`, `TI_${t + 2}`], outputs: [`${p}u1`] },
      { op: 'Slice', inputs: [w, `${p}u0`, `${p}u1`, axis], outputs: [`${p}w`] },
      ...tileUpdateNodes(layout, transposed, xi, bmu, `${p}w`, `${p}out`, p, { start: `${p}at0`, end: `${p}at1` }, mask),
    );
    outs.push(`${p}out`);
  }
  nodes.push({ op: 'Concat', inputs: outs, outputs: [wOut], attributes: { axis: attr.int(transposed ? 1 : 0) } });
  return nodes;
}

/** {@link updateNodes} of the units of one tile (all of them without `range`); value names prefixed with `p`. */
function tileUpdateNodes(layout: GatheredLayout, transposed: boolean, xi: string, bmu: string, w: string, wOut: string, p: string, range?: KernelRowRange, mask?: string): OnnxNode[] {
  const [H, keep, wKeep] = [`${p}H`, `${p}keep`, `${p}wKeep`];
  // Missing values: each dimension keeps 1 − Σ_b h·m (Hᵀ M [u, d], or Mᵀ H [d, u] transposed).
  const keepNode: OnnxNode | undefined =
    mask === undefined
      ? undefined
      : transposed
        ? { op: 'Gemm', inputs: [mask, H, 'ONE'], outputs: [keep], attributes: { transA: attr.int(1), alpha: attr.float(-1), beta: attr.float(1) } }
        : { op: 'Gemm', inputs: [H, mask, 'ONE'], outputs: [keep], attributes: { transA: attr.int(1), alpha: attr.float(-1), beta: attr.float(1) } };
  return [
    ...(range === undefined ? kernelRowNodes(layout, bmu, H) : kernelRowNodes(layout, bmu, H, `${p}kr`, range, 't_base')),
    keepNode ?? (transposed
      ? { op: 'Gemm', inputs: ['NEGONES', H, 'ONE'], outputs: [keep] }
      : { op: 'Gemm', inputs: [H, 'NEGONES', 'ONE'], outputs: [keep], attributes: { transA: attr.int(1) } }),
    { op: 'Mul', inputs: [w, keep], outputs: [wKeep] },
    transposed
      ? { op: 'Gemm', inputs: [xi, H, wKeep], outputs: [wOut], attributes: { transA: attr.int(1), beta: attr.float(1) } }
      : { op: 'Gemm', inputs: [H, xi, wKeep], outputs: [wOut], attributes: { transA: attr.int(1), beta: attr.float(1) } },
  ];
}

/** W [u, d] ↔ Wᵀ [d, u]. */
const transpose = (from: string, to: string): OnnxNode => ({ op: 'Transpose', inputs: [from], outputs: [to], attributes: { perm: attr.ints([1, 0]) } });

/**
 * Several whole minibatch steps (TorchSOM's rule) in one session run: an ONNX `Loop` whose body
 * gathers a batch's rows from the samples, searches its BMUs, gathers their kernel rows from the
 * table and updates the codebook, which stays inside the runtime from one step to the next.
 *
 * Inputs: `X` [n, d] the samples, `ROWS` int32 [s, b] the rows of each step, `W` [u, d] the
 * codebook, the table in `layout` (see {@link kernelRowInputs}; α / b folded into its values),
 * `NEGONES` minus ones ([b, 1], or [1, b] when `transposed`), `K` [1] int64 (k, 1 or 2).
 * Outputs: `W2` [u, d] the codebook after the s steps; `indices` int32 [s, b, k] and `distances`
 * [s, b, k] of each step's samples under the codebook that step started from.
 *
 * No [u, u] array exists: a step's kernel rows `H` [b, u] are gathered from the O(u) table at the
 * BMUs (`H[i, c] = values[base[bmu_i] + offset[c]]`). The loop carries W, or Wᵀ when
 * `transposed` (one Transpose on each side of the loop), and spares a session run per step: the
 * codebook is copied out to JavaScript once per call instead of once per step.
 */
export function minibatchStepsGraph(options: MinibatchStepsGraphOptions): Uint8Array {
  const t = options.transposed;
  const tiles = options.tiles ?? 1;
  const masked = options.masked === true;
  const wShape = t ? ['d', 'u'] : ['u', 'd'];
  const body: OnnxGraph = {
    name: 'step',
    nodes: [
      // [b] rows of this step → [b, d] its samples.
      { op: 'Gather', inputs: ['ROWS', 'iter'], outputs: ['rows'], attributes: { axis: attr.int(0) } },
      { op: 'Gather', inputs: ['X', 'rows'], outputs: ['Xi'], attributes: { axis: attr.int(0) } },
      // The BMU graph's nodes: k best units and their distances.
      ...(masked ? maskedBmuNodes : bmuNodes)(options, { x: 'Xi', w: 'Win', distances: 'dist', indices: 'idx' }),
      // [b, 1] best units.
      { op: 'Gather', inputs: ['topIndex', 'ZERO1'], outputs: ['bmu'], attributes: { axis: attr.int(1) } },
      ...(masked ? updateNodes(options.layout, t, 'XF', 'bmu', 'Win', 'Wout', tiles, 'M') : updateNodes(options.layout, t, 'Xi', 'bmu', 'Win', 'Wout', tiles)),
      { op: 'Identity', inputs: ['cond'], outputs: ['condOut'] },
    ],
    inputs: [
      { name: 'iter', type: 'int64', shape: [] },
      { name: 'cond', type: 'bool', shape: [] },
      { name: 'Win', type: 'float', shape: wShape },
    ],
    outputs: [
      { name: 'condOut', type: 'bool', shape: [] },
      { name: 'Wout', type: 'float', shape: wShape },
      { name: 'idx', type: 'int32', shape: ['b', 'k'] },
      { name: 'dist', type: 'float', shape: ['b', 'k'] },
    ],
  };
  return encodeModel({
    graph: {
      name: `somkit_minibatch_steps_${options.sqrt ? 'euclidean' : 'sqeuclidean'}_${options.layout}${t ? '_transposed' : ''}${tiles > 1 ? `_tiles${tiles}` : ''}${masked ? '_masked' : ''}`,
      nodes: [
        // Trip count s = ROWS.shape[0].
        { op: 'Shape', inputs: ['ROWS'], outputs: ['rowsShape'] },
        { op: 'Gather', inputs: ['rowsShape', 'ZERO'], outputs: ['steps'], attributes: { axis: attr.int(0) } },
        ...(t
          ? [
              transpose('W', 'WT'),
              { op: 'Loop', inputs: ['steps', 'TRUE', 'WT'], outputs: ['WT2', 'indices', 'distances'], attributes: { body: attr.graph(body) } },
              transpose('WT2', 'W2'),
            ]
          : [{ op: 'Loop', inputs: ['steps', 'TRUE', 'W'], outputs: ['W2', 'indices', 'distances'], attributes: { body: attr.graph(body) } }]),
      ],
      initializers: [...CONSTANTS, ...tileConstants(tiles), ...(masked ? MASKED_BMU_INITIALIZERS : []), ...(options.layout === 'separable' ? SEPARABLE_UPDATE_INITIALIZERS : [])],
      inputs: [
        { name: 'X', type: 'float', shape: ['n', 'd'] },
        { name: 'ROWS', type: 'int32', shape: ['s', 'b'] },
        { name: 'W', type: 'float', shape: ['u', 'd'] },
        ...kernelRowInputs(options.layout),
        { name: 'NEGONES', type: 'float', shape: t ? [1, 'b'] : ['b', 1] },
        { name: 'K', type: 'int64', shape: [1] },
        ...tileInputs(tiles),
      ],
      outputs: [
        { name: 'W2', type: 'float', shape: ['u', 'd'] },
        { name: 'indices', type: 'int32', shape: ['s', 'b', 'k'] },
        { name: 'distances', type: 'float', shape: ['s', 'b', 'k'] },
      ],
    },
  });
}

/**
 * One minibatch step with the best units given (a non-exact search strategy found them): the
 * update of {@link minibatchStepsGraph} without the search.
 *
 * Inputs: `X` [n, d], `ROWS` int32 [b], `W` [u, d], the table in `layout`, `NEGONES` ([b, 1],
 * or [1, b] when `transposed`), `BMU` int32 [b, 1] the given best units. Output: `W2` [u, d].
 */
export function minibatchGivenStepGraph(layout: KernelRowLayout, transposed: boolean, tiles = 1): Uint8Array {
  return encodeModel({
    graph: {
      name: `somkit_minibatch_given_step_${layout}${transposed ? '_transposed' : ''}${tiles > 1 ? `_tiles${tiles}` : ''}`,
      nodes: [
        { op: 'Gather', inputs: ['X', 'ROWS'], outputs: ['Xi'], attributes: { axis: attr.int(0) } },
        ...(transposed ? [transpose('W', 'WT'), ...updateNodes(layout, true, 'Xi', 'BMU', 'WT', 'WT2', tiles), transpose('WT2', 'W2')] : updateNodes(layout, false, 'Xi', 'BMU', 'W', 'W2', tiles)),
      ],
      initializers: [...CONSTANTS.filter((c) => c.name === 'ONE' || c.name.startsWith('KR_')), ...tileConstants(tiles), ...(layout === 'separable' ? SEPARABLE_UPDATE_INITIALIZERS : [])],
      inputs: [
        { name: 'X', type: 'float', shape: ['n', 'd'] },
        { name: 'ROWS', type: 'int32', shape: ['b'] },
        { name: 'W', type: 'float', shape: ['u', 'd'] },
        ...kernelRowInputs(layout),
        { name: 'NEGONES', type: 'float', shape: transposed ? [1, 'b'] : ['b', 1] },
        { name: 'BMU', type: 'int32', shape: ['b', 1] },
        ...tileInputs(tiles),
      ],
      outputs: [{ name: 'W2', type: 'float', shape: ['u', 'd'] }],
    },
  });
}
