/**
 * Side-effect entry: registers the worker-thread engine under the name `'parallel'`, so
 * `engine: 'parallel'` (or `--engine parallel`) resolves by name. Its priority is −10, below the
 * tfjs reference's 0.
 */
import { registry } from '@somkit/plugin-api';
import { parallelEngine } from './parallelEngine.js';

registry.register('engine', 'parallel', parallelEngine, { source: '@somkit/parallel' });

declare module '@somkit/plugin-api' {
  interface EngineNames {
    parallel: { threads?: number; workerBackend?: 'wasm' | 'cpu'; minWork?: number } | undefined;
  }
}
