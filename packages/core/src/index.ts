export { SOM, type EpochLogs, type FitHistory, type FitOptions, type TopUnits } from './SOM.js';
export { Grid, HEX_ROW_SPACING, type GridSpec } from './Grid.js';
export { Rng } from './Rng.js';
export { resolveConfig, type SomOptions, type SomConfig, type SomPlugins, type TrainingRule, type InitMode } from './config.js';
export { toMatrix, type MatrixInput, type MatrixData, type ValidMatrix } from './toMatrix.js';
export { initCodebook, topEigen } from './initCodebook.js';
export { MODEL_FORMAT, MODEL_VERSION, modelFromJSON, modelToJSON, type SomModelJSON } from './modelJson.js';
export { encodeBase64, decodeBase64, float32ToBase64, base64ToFloat32 } from './base64.js';
