import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describeBackends, runSearchConformance } from '@somkit/testing';
import { cosine, euclidean, manhattan } from '@somkit/kernels';
import { bruteForce } from './bruteForce.js';

describeBackends(['cpu', 'wasm'], () => {
  for (const distance of [euclidean(), cosine(), manhattan()]) {
    runSearchConformance(bruteForce(), { distance });
    runSearchConformance(bruteForce({ maxBlockElements: 64 }), { distance });
  }
});
