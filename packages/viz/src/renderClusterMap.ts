import type { MapData } from '@somkit/plugin-api';
import type { GridGeometry } from '@somkit/geometry';
import type { MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';
import { validateGeometry } from './validateGeometry.js';

/**
 * Cluster map: the cluster of each unit in categorical colours (−1 = noise, grey), with a legend.
 * @param labels - [u] cluster id per unit (0-based, −1 noise), e.g. from a clustering plugin
 * @param geometry - the grid (a `Codebook` fits)
 * @param style - `classNames` names the clusters (default `cluster k`)
 */
export function renderClusterMap(labels: Int32Array | readonly number[], geometry: GridGeometry & { readonly pbc?: boolean }, style: MapStyle = {}): string {
  validateGeometry(geometry, labels?.length ?? -1, 'renderClusterMap labels');
  const map: MapData = {
    type: 'cluster',
    values: Float32Array.from(labels),
    rows: geometry.rows,
    cols: geometry.cols,
    topology: geometry.topology,
    pbc: geometry.pbc ?? false,
    label: 'Cluster',
  };
  return renderMap(map, { title: 'Cluster map', scheme: 'categorical', ...style });
}
