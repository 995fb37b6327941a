// Core's tfjs reference kernels held to the same engine conformance suite as every engine (the
// ONNX Runtime and worker-thread engines run it in their own packages).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { defineEngine } from '@somkit/plugin-api';
import { bruteForce } from '@somkit/search';
import { describeBackends, runEngineConformance } from '@somkit/testing';
import { referenceKernels } from './referenceKernels.js';

/** The reference kernels, searching with the exact brute force, as an engine. */
const tfjsReference = defineEngine('test/tfjs-reference', () => ({
  priority: 0,
  supports: () => true as const,
  open: (ctx) => {
    const k = referenceKernels({ strategy: bruteForce(), ctx: { backend: tf.getBackend(), distance: ctx.distance, units: ctx.units, dims: ctx.dims } });
    const { bmu, neuronSums, minibatchSteps, neighborhoodProduct } = k;
    return { kernels: { bmu, neuronSums, minibatchSteps, neighborhoodProduct }, close: () => k.close() };
  },
}));

describeBackends(['cpu', 'wasm'], () => {
  runEngineConformance(tfjsReference(), { title: 'the tfjs reference kernels (engine conformance)' });
});
