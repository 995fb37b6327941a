import type { Json } from '@somkit/plugin-api';
import type { SomConfig } from './config.js';
import { float32ToBase64 } from '@somkit/geometry';

/** Model file format name and version written by this package. */
export const MODEL_FORMAT = 'somkit.som';
export const MODEL_VERSION = 1;

/** The JSON model file (see `docs/user-guide/model-files.md`). */
export interface SomModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  config: SomConfig;
  grid: { rows: number; cols: number; topology: string; pbc: boolean; units: number };
  codebook: { dtype: 'float32'; shape: [number, number]; layout: 'row-major, unit = row*cols + col'; encoding: 'base64' | 'array'; data: string | number[] };
  history: { qe: number[]; te: (number | null)[]; learningRate: number[]; sigma: number[]; seconds: number[] };
  /** The `preprocessing` option's JSON (e.g. a fitted table pipeline), when the model has one. */
  preprocessing?: Json;
}

/** Builds the model file object. */
export function modelToJSON(
  config: SomConfig,
  weights: Float32Array,
  history: { qe: number[]; te: number[]; learningRate: number[]; sigma: number[]; seconds: number[] },
  encoding: 'base64' | 'array',
  preprocessing?: Json,
): SomModelJSON {
  const units = config.rows * config.cols;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    config: JSON.parse(JSON.stringify(config)) as SomConfig,
    grid: { rows: config.rows, cols: config.cols, topology: config.topology, pbc: config.pbc, units },
    codebook: {
      dtype: 'float32',
      shape: [units, config.dims],
      layout: 'row-major, unit = row*cols + col',
      encoding,
      data: encoding === 'base64' ? float32ToBase64(weights) : Array.from(weights),
    },
    history: {
      qe: [...history.qe],
      te: history.te.map((v) => (Number.isFinite(v) ? v : null)),
      learningRate: [...history.learningRate],
      sigma: [...history.sigma],
      seconds: [...history.seconds],
    },
    ...(preprocessing !== undefined ? { preprocessing: JSON.parse(JSON.stringify(preprocessing)) as Json } : {}),
  };
}
