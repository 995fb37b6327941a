import { defineEngine, type Engine } from '@somkit/plugin-api';

/**
 * The reference engine: every kernel runs on core's tfjs code, on the active tfjs backend (webgpu,
 * webgl, wasm, cpu, tensorflow). Its sessions implement no kernel of their own, so core takes the
 * reference for every name. Priority 0: `engine: 'auto'` falls back to it. Name `'tfjs'`.
 */
export const tfjsEngine: () => Engine<undefined> = defineEngine<undefined>('tfjs', () => ({
  priority: 0,
  supports: () => true,
  open: () => ({ kernels: {}, close() {} }),
}));
