export { parallelEngine, type ParallelEngineOptions } from './parallelEngine.js';
export { WorkerPool } from './WorkerPool.js';
