export { SomError, isSomError, type SomErrorCode } from './SomError.js';
export { type Json, isJson } from './Json.js';
export { logger, type LogLevel, type LogSink } from './logger.js';
export { registry, assertPlugin, pluginSpec, type PluginFactory } from './registry.js';
export { defineDistance, defineNeighborhood, defineSchedule, defineSearch } from './define.js';
export {
  API_VERSION,
  type Topology,
  type AbortSignalLike,
  type PluginBase,
  type PreparedDistance,
  type DistancePlugin,
  type NeighborhoodPlugin,
  type SchedulePlugin,
  type SearchContext,
  type SearchResult,
  type MinibatchStep,
  type MinibatchStepResult,
  type NeuronSumsJob,
  type NeuronSumsResult,
  type SearchBackend,
  type Codebook,
  type MapData,
  type ClusteringPlugin,
  type RenderStyle,
  type Renderer,
  type PluginKinds,
  type PluginKind,
  type AnyPlugin,
  type PluginSpec,
  type DistanceNames,
  type NeighborhoodNames,
  type ScheduleNames,
  type SearchNames,
  type DistanceRef,
  type NeighborhoodRef,
  type ScheduleRef,
  type SearchRef,
} from './types.js';
