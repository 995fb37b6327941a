import { registry } from '@somkit/plugin-api';
import { parallelEngine } from './parallelEngine.js';

registry.register('search', 'parallel', parallelEngine, { source: '@somkit/parallel' });

declare module '@somkit/plugin-api' {
  interface SearchNames {
    parallel: { threads?: number; workerBackend?: 'wasm' | 'cpu'; minWork?: number } | undefined;
  }
}
