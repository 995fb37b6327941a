import { API_VERSION, isJson, SomError, type ClusteringPlugin } from '@somkit/plugin-api';
import type { ClusterMethod, ClusterOptions } from './ClusterOptions.js';
import { resolveClusterOptions } from './resolveClusterOptions.js';
import { cluster } from './cluster.js';

/**
 * Builds a frozen clustering plugin whose `cluster(cb)` runs {@link cluster} with `method` and
 * the given JSON options. Options are validated now, so a bad config fails at construction.
 */
export function makeClusteringPlugin<O extends object>(method: ClusterMethod, allowed: readonly (keyof ClusterOptions & string)[], options: O | undefined): ClusteringPlugin<O | undefined> {
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new SomError('ERR_INVALID_CONFIG', `Options of clustering plugin '${method}' must be a plain object, got ${Array.isArray(options) ? 'an array' : typeof options}.`);
    }
    if (!isJson(options)) throw new SomError('ERR_INVALID_CONFIG', `Options of clustering plugin '${method}' must be JSON-serializable (finite numbers, strings, booleans, plain objects).`);
    for (const key of Object.keys(options)) {
      if (!(allowed as readonly string[]).includes(key)) {
        throw new SomError('ERR_INVALID_CONFIG', `Unknown option '${key}' for clustering plugin '${method}'. Valid options: ${allowed.join(', ')}.`);
      }
    }
  }
  const frozen = options === undefined ? undefined : (Object.freeze(JSON.parse(JSON.stringify(options))) as O);
  const settings = { ...(frozen ?? {}), method } as ClusterOptions;
  resolveClusterOptions(settings);
  return Object.freeze({
    kind: 'clustering' as const,
    name: method,
    apiVersion: API_VERSION,
    options: frozen,
    async cluster(cb, opts) {
      const res = await cluster(cb, opts?.signal === undefined ? settings : { ...settings, signal: opts.signal });
      return res.labels;
    },
  } satisfies ClusteringPlugin<O | undefined>);
}
