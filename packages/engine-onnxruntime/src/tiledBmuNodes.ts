/**
 * The BMU search of a minibatch step tile by tile over the units. Internal.
 */
import { attr, type OnnxNode } from './onnxModel.js';

/** Options of {@link tiledBmuNodes}. */
export interface TiledBmuOptions {
  /** Output true euclidean distances (√) rather than squared ones. */
  readonly sqrt: boolean;
  /** The codebook input is Wᵀ [d, u] instead of W [u, d]. */
  readonly transposed: boolean;
  /** How many unit tiles (bounds in `TILE_UNIT`, positions `TI_0 … TI_tiles`, see the step graphs). */
  readonly tiles: number;
  /** Update tiles per search tile (default 1). */
  readonly group?: number;
}

/**
 * The nodes of `bmuNodes` (inputs `x` [b, d], `w` [u, d] or Wᵀ [d, u], `K` int64 [1]; outputs
 * `distances` [b, k], `indices` int32 [b, k], and `topIndex` int64 [b, k]) computed per unit tile:
 * for tile t the scores `‖w‖² − 2·X·W_tᵀ` [b, tile] and their k best (indices shifted by the
 * tile's first unit), then the k best of the tiles' [b, k·tiles] candidates. The whole [b, u]
 * score matrix (41 MB at 40 000 units and b = 256) never exists: each tile's scores are read by
 * their `TopK` while still in cache. Candidates are concatenated in unit order and `TopK` keeps the
 * lower position first among equal scores, so ties still go to the lower unit.
 */
export function tiledBmuNodes(options: TiledBmuOptions, x: string, w: string, distances: string, indices: string): OnnxNode[] {
  const axis = options.transposed ? 'AXIS1' : 'AXIS0';
  const nodes: OnnxNode[] = [];
  const scores: string[] = [];
  const units: string[] = [];
  const g = options.group ?? 1;
  for (let t = 0; t * g < options.tiles; t++) {
    const p = `s${t}_`;
    const [from, to] = [t * g, Math.min(options.tiles, (t + 1) * g)];
    nodes.push(
      { op: 'Slice', inputs: ['TILE_UNIT', `TI_${from}`, `TI_${from + 1}`], outputs: [`${p}u0`] },
      { op: 'Slice', inputs: ['TILE_UNIT', `TI_${to}`, `TI_${to + 1}`], outputs: [`${p}u1`] },
      { op: 'Slice', inputs: [w, `${p}u0`, `${p}u1`, axis], outputs: [`${p}w`] },
      { op: 'ReduceSumSquare', inputs: [`${p}w`], outputs: [`${p}wsq`], attributes: { axes: attr.ints([options.transposed ? 0 : 1]), keepdims: attr.int(0) } },
      { op: 'Gemm', inputs: [x, `${p}w`, `${p}wsq`], outputs: [`${p}score`], attributes: { alpha: attr.float(-2), beta: attr.float(1), transB: attr.int(options.transposed ? 0 : 1) } },
      { op: 'TopK', inputs: [`${p}score`, 'K'], outputs: [`${p}top`, `${p}at`], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
      { op: 'Add', inputs: [`${p}at`, `${p}u0`], outputs: [`${p}unit`] },
    );
    scores.push(`${p}top`);
    units.push(`${p}unit`);
  }
  return [
    ...nodes,
    // [b, k·tiles] candidates → their k best.
    { op: 'Concat', inputs: scores, outputs: ['candScore'], attributes: { axis: attr.int(1) } },
    { op: 'Concat', inputs: units, outputs: ['candUnit'], attributes: { axis: attr.int(1) } },
    { op: 'TopK', inputs: ['candScore', 'K'], outputs: ['topScore', 'topAt'], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
    { op: 'GatherElements', inputs: ['candUnit', 'topAt'], outputs: ['topIndex'], attributes: { axis: attr.int(1) } },
    // As bmuNodes: + ‖x‖², clipped at 0, √ when asked, int32 indices.
    { op: 'ReduceSumSquare', inputs: [x], outputs: ['xsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(1) } },
    { op: 'Add', inputs: ['topScore', 'xsq'], outputs: ['d2raw'] },
    { op: 'Relu', inputs: ['d2raw'], outputs: options.sqrt ? ['d2'] : [distances] },
    ...(options.sqrt ? [{ op: 'Sqrt', inputs: ['d2'], outputs: [distances] }] : []),
    { op: 'Cast', inputs: ['topIndex'], outputs: [indices], attributes: { to: attr.int(6) } },
  ];
}
