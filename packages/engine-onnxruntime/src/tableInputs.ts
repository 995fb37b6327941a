/**
 * A neighbourhood table as graph inputs: checked, laid out and turned into ORT tensors once per
 * table object. Internal.
 */
import { SomError, type NeighborhoodTable } from '@somkit/plugin-api';
import type { GatheredLayout, KernelRowLayout } from './kernelRowNodes.js';
import type { OrtModule, OrtTensor } from './ortRuntime.js';

/**
 * Bound on the elements of the `'windows'` layout ([t, L] floats): 8 M (32 MiB). Core's tables
 * at 100 × 100 units take 4 M (rectangular) or 7.9 M (hexagonal) with L = 100; at 200 × 200, L
 * drops to 50 (rectangular) or 25 (hexagonal) to stay under it. Measured at 200 × 200 here, the
 * kernel-row gather took 12.5–14.5 ms for any L from 8 to 200 (it is bound by writing the
 * [256, 40 000] rows), while building the windows takes ~0.5 ns per element per table.
 */
export const WINDOW_ELEMENTS = 8_388_608;
/** Shortest window worth a block gather; below it, single-element gathers are as fast. */
export const MIN_WINDOW = 8;

/** A table ready for the graphs: its layout and the feeds the graph inputs of that layout take. */
export interface TableInputs<L extends KernelRowLayout = KernelRowLayout> {
  readonly layout: L;
  /** `WINDOWS`/`BASE`/`RUNS` or `VALUES`/`BASE`/`OFFSET`. */
  readonly feeds: Readonly<Record<string, OrtTensor>>;
  /** The window length L (1 for `'elements'`). */
  readonly width: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The longest L such that `offset` is made of runs of L consecutive table positions starting at
 * multiples of L (the gcd of the lengths of its maximal runs; 1 when none is longer than one).
 */
export function runLength(offset: Int32Array): number {
  let g = 0;
  let run = 1;
  for (let j = 1; j <= offset.length; j++) {
    if (j < offset.length && offset[j] === offset[j - 1]! + 1) {
      run++;
    } else {
      g = gcd(g, run);
      if (g === 1) return 1;
      run = 1;
    }
  }
  return Math.max(1, g);
}

/**
 * Checks that `table` is a table of `units` units whose positions `base[a] + offset[b]` all fall
 * inside `values` (it suffices that the smallest and largest sums do: O(u)).
 * @throws SomError `ERR_SHAPE_MISMATCH`
 */
export function checkTable(table: NeighborhoodTable, units: number, where: string): void {
  const { values, base, offset } = table;
  if (!(values instanceof Float32Array) || !(base instanceof Int32Array) || !(offset instanceof Int32Array) || base.length !== units || offset.length !== units || values.length === 0) {
    throw new SomError(
      'ERR_SHAPE_MISMATCH',
      `onnxruntime ${where}: expected a kernel table of ${units} units (base and offset Int32Array [${units}], values a non-empty Float32Array), ` +
        `received base ${base?.length}, offset ${offset?.length} and values ${values?.length} values. Build it with core's neighborhoodTable(grid, …) for this grid.`,
    );
  }
  let [bMin, bMax, oMin, oMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < units; i++) {
    const b = base[i]!;
    const o = offset[i]!;
    if (b < bMin) bMin = b;
    if (b > bMax) bMax = b;
    if (o < oMin) oMin = o;
    if (o > oMax) oMax = o;
  }
  if (bMin + oMin < 0 || bMax + oMax >= values.length) {
    throw new SomError(
      'ERR_SHAPE_MISMATCH',
      `onnxruntime ${where}: expected every base[a] + offset[b] of the kernel table in [0, ${values.length}) (its values), ` +
        `received positions from ${bMin + oMin} to ${bMax + oMax}. The table's base, offset and values do not belong together.`,
    );
  }
}

/**
 * The graph inputs of a (checked) table. `'windows'` when `offset` has runs of at least
 * {@link MIN_WINDOW} positions and the windows fit {@link WINDOW_ELEMENTS} (L = the longest
 * divisor of the run length that fits), else `'elements'`. Everything is copied: the table's
 * arrays are the caller's views.
 */
export function tableInputs(ort: OrtModule, table: NeighborhoodTable): TableInputs<GatheredLayout> {
  const { values, base, offset } = table;
  const u = base.length;
  const t = values.length;
  const run = runLength(offset);
  let width = Math.min(run, Math.floor(WINDOW_ELEMENTS / t));
  while (width > 1 && run % width !== 0) width--;
  const baseT = new ort.Tensor('int32', Int32Array.from(base), [u]);
  if (width < MIN_WINDOW) {
    return { layout: 'elements', width: 1, feeds: { VALUES: new ort.Tensor('float32', Float32Array.from(values), [1, t]), BASE: baseT, OFFSET: new ort.Tensor('int32', Int32Array.from(offset), [u]) } };
  }
  // Row i of the windows is values[i … i + width) (zeros past the end, never read: every window
  // a row reads starts at a position whose whole run lies inside values).
  const windows = new Float32Array(t * width);
  for (let i = 0; i < t; i++) windows.set(values.subarray(i, Math.min(t, i + width)), i * width);
  const runs = new Int32Array(u / width);
  for (let r = 0; r < runs.length; r++) runs[r] = offset[r * width]!;
  return {
    layout: 'windows',
    width,
    feeds: { WINDOWS: new ort.Tensor('float32', windows, [t, width]), BASE: baseT, RUNS: new ort.Tensor('int32', runs, [runs.length]) },
  };
}

/**
 * The tile bounds of a step's update (`TILE_AT`, `TILE_UNIT`, see the step graphs) for `tiles`
 * tiles of whole windows (`'windows'`) or units (`'elements'`), and the tile count they give
 * (lower than asked when there are fewer windows than tiles). `{ tiles: 1 }` without feeds for one tile.
 */
export function tileFeeds(ort: OrtModule, table: TableInputs, units: number, tiles: number): { tiles: number; feeds: Record<string, OrtTensor> } {
  const positions = units / table.width;
  const count = Math.min(tiles, positions);
  if (count <= 1) return { tiles: 1, feeds: {} };
  const per = Math.ceil(positions / count);
  const used = Math.ceil(positions / per);
  const at = BigInt64Array.from({ length: used + 1 }, (_, i) => BigInt(Math.min(positions, i * per)));
  const unit = at.map((p) => p * BigInt(table.width));
  return { tiles: used, feeds: { TILE_AT: new ort.Tensor('int64', at, [used + 1]), TILE_UNIT: new ort.Tensor('int64', unit, [used + 1]) } };
}
