import type { DistancePlugin } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import type { MatrixInput } from '../toMatrix.js';

/**
 * What the map builders read from a trained model: its grid, its codebook and its BMU search.
 * A `SOM` is one; so is anything else with a codebook on a grid (the maps never import the model).
 */
export interface MapSource {
  readonly grid: Grid;
  /** d, the codebook's width. */
  readonly dims: number;
  /** u = rows · cols. */
  readonly units: number;
  /** The ring count used when a map's `neighborhoodOrder` is not given. */
  readonly config: { readonly neighborhoodOrder: number };
  /** The distance used when a map's `distance` is not given. */
  readonly plugins: { readonly distance: DistancePlugin };
  /** The codebook [u, d], row-major. */
  getWeights(): Float32Array;
  /** Each sample's best unit: [n] flat unit indices for samples [n, d]. */
  identifyBmus(data: MatrixInput): Promise<Int32Array>;
}
