export { onnxEngine, DEFAULT_MAX_BLOCK_ELEMENTS, type OnnxEngine, type OnnxEngineOptions } from './onnxEngine.js';
export { releaseSessions } from './ortRuntime.js';
