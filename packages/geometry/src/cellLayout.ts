import type { Topology } from '@somkit/plugin-api';
import { Grid, HEX_ROW_SPACING } from './Grid.js';

/** A pixel value for SVG: at most two decimals. */
const px = (v: number): string => String(Math.round(v * 100) / 100);

/** Grid geometry a renderer needs (a MapData or a Codebook fits). */
export interface GridGeometry {
  readonly rows: number;
  readonly cols: number;
  readonly topology: Topology;
}

/** Pixel layout of the cells of one map, origin at the top-left of the cell area, y down. */
export interface CellLayout {
  /** Pixels per grid step: neighbouring cell centres are `scale` px apart (both topologies). */
  readonly scale: number;
  /** Size of the cell area in px. */
  readonly width: number;
  readonly height: number;
  readonly units: number;
  /** Centre of unit u in px. */
  center(u: number): [number, number];
  /** SVG path (`M … L … Z`, absolute) of unit u's cell: a square, or a pointy-top hexagon. */
  path(u: number): string;
}

/** Circumradius of a pointy-top hexagon whose edge-sharing neighbours are 1 apart: 1/√3. */
const HEX_RADIUS = (2 / 3) * HEX_ROW_SPACING;

/**
 * Lays out the cells at the plane coordinates of the one grid geometry (`Grid`, odd-r hexagons),
 * scaled so the longer side fits `maxSize` px with 2–48 px per grid step.
 * @param maxSize - largest side of the cell area, px
 */
export function cellLayout(geom: GridGeometry, maxSize = 480): CellLayout {
  const grid = new Grid({ rows: geom.rows, cols: geom.cols, topology: geom.topology, pbc: false });
  const hex = geom.topology === 'hexagonal';
  const halfW = 0.5;
  const halfH = hex ? HEX_RADIUS : 0.5;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let u = 0; u < grid.units; u++) {
    const x = grid.coords[2 * u]!;
    const y = grid.coords[2 * u + 1]!;
    minX = Math.min(minX, x - halfW);
    maxX = Math.max(maxX, x + halfW);
    minY = Math.min(minY, y - halfH);
    maxY = Math.max(maxY, y + halfH);
  }
  const scale = Math.max(2, Math.min(48, maxSize / Math.max(maxX - minX, maxY - minY)));
  const center = (u: number): [number, number] => [(grid.coords[2 * u]! - minX) * scale, (grid.coords[2 * u + 1]! - minY) * scale];
  // Corner offsets in grid steps, y down; the centroid of each cell is its centre.
  const corners: readonly (readonly [number, number])[] = hex
    ? [[0, -HEX_RADIUS], [halfW, -HEX_RADIUS / 2], [halfW, HEX_RADIUS / 2], [0, HEX_RADIUS], [-halfW, HEX_RADIUS / 2], [-halfW, -HEX_RADIUS / 2]]
    : [[-halfW, -halfW], [halfW, -halfW], [halfW, halfW], [-halfW, halfW]];
  const path = (u: number): string => {
    const [cx, cy] = center(u);
    return `${corners.map(([dx, dy], i) => `${i === 0 ? 'M' : 'L'}${px(cx + dx * scale)} ${px(cy + dy * scale)}`).join('')}Z`;
  };
  return { scale, width: (maxX - minX) * scale, height: (maxY - minY) * scale, units: grid.units, center, path };
}
