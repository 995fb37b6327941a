import { SomError } from '@somkit/plugin-api';
import type { GridGeometry } from '@somkit/geometry';

/**
 * Checks the geometry of plain map data before drawing.
 * @param length - length of the per-unit array that must equal rows·cols
 * @throws SomError ERR_INVALID_INPUT (bad rows/cols/topology), ERR_SHAPE_MISMATCH (length)
 */
export function validateGeometry(geom: GridGeometry, length: number, what: string): void {
  if (typeof geom !== 'object' || geom === null) throw new SomError('ERR_INVALID_INPUT', `${what}: expected an object with rows, cols and topology, got ${geom === null ? 'null' : typeof geom}.`);
  const { rows, cols, topology } = geom;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new SomError('ERR_INVALID_INPUT', `${what}: rows and cols must be integers ≥ 1, got rows=${String(rows)}, cols=${String(cols)}.`);
  }
  if (topology !== 'rectangular' && topology !== 'hexagonal') {
    throw new SomError('ERR_INVALID_INPUT', `${what}: topology must be 'rectangular' or 'hexagonal', got ${JSON.stringify(topology)}.`);
  }
  if (length !== rows * cols) {
    throw new SomError('ERR_SHAPE_MISMATCH', `${what}: expected ${rows * cols} values (rows·cols = ${rows}·${cols}), got ${length}.`, { details: { expected: rows * cols, got: length } });
  }
}
