// Bundle-size scenario "umatrix": a page that draws a U-matrix it received as plain data (e.g. the
// MapData JSON of `buildMap(som, 'distance')` on a server). No model code: neither @somkit/core
// nor tfjs belongs in this bundle (scripts/packaging.test.ts checks).
import { renderUMatrix } from '@somkit/viz';

const values = Float32Array.from({ length: 24 }, (_, u) => (u % 7) / 6);
globalThis.svg = renderUMatrix({ type: 'distance', values, rows: 4, cols: 6, topology: 'hexagonal', pbc: false });
