import type { Json } from './Json.js';
import { isJson } from './Json.js';
import { SomError } from './SomError.js';
import {
  API_VERSION,
  type DistancePlugin,
  type NeighborhoodPlugin,
  type SchedulePlugin,
  type Engine,
  type SearchStrategy,
  type PluginKind,
} from './types.js';

function checkOptions(kind: PluginKind, name: string, options: unknown): void {
  if (options !== undefined && !isJson(options)) {
    throw new SomError('ERR_INVALID_CONFIG', `Options of ${kind} '${name}' must be JSON-serializable, got a value that is not.`);
  }
}

function make<T extends object>(kind: PluginKind, name: string, options: unknown, impl: object): T {
  checkOptions(kind, name, options);
  const frozenOptions = options === undefined ? undefined : JSON.parse(JSON.stringify(options));
  return Object.freeze({ ...impl, kind, name, apiVersion: API_VERSION, options: frozenOptions }) as T;
}

/**
 * Makes a distance plugin factory.
 *
 * ```ts
 * export const hamming = defineDistance('acme/hamming', () => ({
 *   pairwise: (x, w) => tf.tidy(() => …), // [n, d] × [u, d] → [n, u]
 * }));
 * ```
 */
export function defineDistance<O = undefined>(
  name: string,
  impl: (options: O) => Pick<DistancePlugin<O>, 'pairwise' | 'prepare' | 'masked'>,
): (options?: O) => DistancePlugin<O> {
  return (options?: O) => make<DistancePlugin<O>>('distance', name, options, impl(options as O));
}

/** Makes a neighbourhood kernel plugin factory. */
export function defineNeighborhood<O = undefined>(
  name: string,
  impl: (options: O) => Pick<NeighborhoodPlugin<O>, 'weights' | 'nonNegative' | 'separable' | 'offsetWeights'>,
): (options?: O) => NeighborhoodPlugin<O> {
  return (options?: O) => make<NeighborhoodPlugin<O>>('neighborhood', name, options, impl(options as O));
}

/** Makes a decay schedule plugin factory. */
export function defineSchedule<O = undefined>(
  name: string,
  impl: (options: O) => Pick<SchedulePlugin<O>, 'value'>,
): (options?: O) => SchedulePlugin<O> {
  return (options?: O) => make<SchedulePlugin<O>>('schedule', name, options, impl(options as O));
}

/** Makes a search strategy plugin factory. */
export function defineSearch<O = undefined>(
  name: string,
  impl: (options: O) => Omit<SearchStrategy<O>, 'kind' | 'name' | 'apiVersion' | 'options'>,
): (options?: O) => SearchStrategy<O> {
  return (options?: O) => make<SearchStrategy<O>>('search', name, options, impl(options as O));
}

/**
 * Makes an engine plugin factory: `open(ctx)` returns a session with the kernels the engine
 * accelerates (the rest run on core's tfjs reference kernels).
 *
 * ```ts
 * export const myEngine = defineEngine('acme/engine', () => ({
 *   priority: 10,
 *   supports: (ctx) => ctx.distance.name === 'euclidean' || 'euclidean only',
 *   open: async (ctx) => ({ kernels: { bmu: async (job) => … }, close() {} }),
 * }));
 * ```
 */
export function defineEngine<O = undefined>(
  name: string,
  impl: (options: O) => Omit<Engine<O>, 'kind' | 'name' | 'apiVersion' | 'options'>,
): (options?: O) => Engine<O> {
  return (options?: O) => make<Engine<O>>('engine', name, options, impl(options as O));
}
