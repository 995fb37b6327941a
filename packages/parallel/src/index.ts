export { parallelEngine, type ParallelEngine, type ParallelEngineOptions } from './parallelEngine.js';
export { parallelSession, type ParallelSession, type ParallelSettings } from './parallelSession.js';
export { WorkerPool } from './WorkerPool.js';
