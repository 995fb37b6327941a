// The shared engine conformance suite of @somkit/testing, on both CPU-memory tfjs backends.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { euclidean, sqeuclidean } from '@somkit/kernels';
import { describeBackends, runEngineConformance } from '@somkit/testing';
import { onnxEngine } from './index.js';

describeBackends(['cpu', 'wasm'], () => {
  runEngineConformance(onnxEngine(), { distance: euclidean() });
  runEngineConformance(onnxEngine(), { distance: sqeuclidean(), title: 'engine conformance: onnxruntime under sqeuclidean' });
  // Rows of 8 units: the table is read as windows (rows of 6 above: element by element).
  runEngineConformance(onnxEngine({ maxBlockElements: 64 }), { distance: euclidean(), rows: 4, cols: 8, title: 'engine conformance: onnxruntime, 4 × 8 grid, chunks of 2 samples' });
});
