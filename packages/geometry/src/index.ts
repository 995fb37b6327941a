export { Grid, HEX_ROW_SPACING, type GridSpec } from './Grid.js';
export { gridDistance } from './gridDistance.js';
export { cellLayout, type CellLayout, type GridGeometry } from './cellLayout.js';
export { Rng } from './Rng.js';
export { mulberry32 } from './mulberry32.js';
export { topEigen, type SymmetricOperator } from './topEigen.js';
export { encodeBase64, decodeBase64, float32ToBase64, base64ToFloat32, int32ToBase64, base64ToInt32 } from './base64.js';
export { silhouetteSamples, silhouetteDenseSamples, densePoints, checkLabels, type SilhouettePoints } from './silhouetteSamples.js';
export { categoricalColor, NOISE_COLOR } from './categoricalColor.js';
