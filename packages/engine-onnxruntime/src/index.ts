export { onnxEngine, DEFAULT_ONNX_BLOCK_ELEMENTS, type OnnxEngine, type OnnxEngineOptions } from './onnxEngine.js';
export { releaseSessions } from './ortRuntime.js';
