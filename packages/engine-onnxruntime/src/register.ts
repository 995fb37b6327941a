import { registry } from '@somkit/plugin-api';
import { onnxEngine } from './onnxEngine.js';

registry.register('engine', 'onnxruntime', onnxEngine, { source: '@somkit/engine-onnxruntime' });

declare module '@somkit/plugin-api' {
  interface EngineNames {
    onnxruntime: { executionProviders?: string[]; intraOpNumThreads?: number; spinning?: boolean; maxBlockElements?: number } | undefined;
  }
}
