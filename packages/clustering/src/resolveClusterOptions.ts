import { SomError } from '@somkit/plugin-api';
import { CLUSTER_METHODS, CLUSTER_SPACES, type ClusterMethod, type ClusterOptions, type ClusterSpace } from './ClusterOptions.js';

const KEYS = ['method', 'k', 'space', 'seed', 'nInit', 'maxIterations', 'covariance', 'minClusterSize', 'minSamples', 'weights', 'signal'] as const;

/** Options with the method and space resolved and every value type-checked (ranges that need the codebook are checked later). */
export interface ResolvedClusterOptions extends Omit<ClusterOptions, 'method' | 'space'> {
  method: ClusterMethod;
  space: ClusterSpace;
}

function bad(message: string): never {
  throw new SomError('ERR_INVALID_CONFIG', message);
}

function optInt(o: ClusterOptions, key: 'k' | 'seed' | 'nInit' | 'maxIterations' | 'minClusterSize' | 'minSamples', min: number | undefined): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || (min !== undefined && v < min)) {
    bad(`${key}: expected an integer${min === undefined ? '' : ` ≥ ${min}`}, got ${typeof v === 'string' ? `'${v}'` : String(v)}.`);
  }
}

/**
 * Validates {@link ClusterOptions} (unknown keys, method, space, number types).
 * @throws SomError ERR_INVALID_CONFIG naming the field and the valid choices
 */
export function resolveClusterOptions(options: ClusterOptions | undefined): ResolvedClusterOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) bad(`Expected cluster options as an object, got ${typeof o}.`);
  for (const key of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(key)) bad(`Unknown clustering option '${key}'. Valid options: ${KEYS.join(', ')}.`);
  }
  const method = o.method ?? 'kmeans';
  if (!CLUSTER_METHODS.includes(method)) bad(`method: expected one of ${CLUSTER_METHODS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}.`);
  const space = o.space ?? 'weights';
  if (!CLUSTER_SPACES.includes(space)) bad(`space: expected one of ${CLUSTER_SPACES.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(space)}.`);
  optInt(o, 'k', undefined);
  optInt(o, 'seed', undefined);
  optInt(o, 'nInit', 1);
  optInt(o, 'maxIterations', 1);
  optInt(o, 'minClusterSize', 2);
  optInt(o, 'minSamples', 1);
  if (o.covariance !== undefined && o.covariance !== 'full' && o.covariance !== 'diag') {
    bad(`covariance: expected 'full' or 'diag', got ${JSON.stringify(o.covariance)}.`);
  }
  return { ...o, method, space };
}
