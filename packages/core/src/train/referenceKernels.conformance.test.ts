// Core's tfjs reference kernels held to the same engine conformance suite as every engine (the
// ONNX Runtime and worker-thread engines run it in their own packages).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { defineEngine } from '@somkit/plugin-api';
import { bruteForce } from '@somkit/search';
import { euclidean } from '@somkit/kernels';
import { describeBackends, runEngineConformance } from '@somkit/testing';
import { referenceKernels } from './referenceKernels.js';
import { missingAwareSearch } from './missingAwareSearch.js';

/** The reference kernels, searching with the exact brute force, as an engine. */
const tfjsReference = defineEngine('test/tfjs-reference', () => ({
  priority: 0,
  supports: () => true as const,
  open: (ctx) => {
    const search = { strategy: bruteForce(), ctx: { backend: tf.getBackend(), distance: ctx.distance, units: ctx.units, dims: ctx.dims } };
    const k = referenceKernels(search);
    // Jobs with missing values go to the kernels core builds for them: the masked search (when
    // the distance has a masked form; the suite's default fixture distance may not).
    const m = ctx.distance.masked !== undefined ? missingAwareSearch(search).then((s) => referenceKernels(s)) : Promise.resolve(k);
    const pick = async <J extends { missing?: boolean }>(job: J) => (job.missing === true ? m : k);
    return {
      kernels: {
        bmu: async (job) => (await pick(job)).bmu(job),
        neuronSums: async (job) => (await pick(job)).neuronSums(job),
        minibatchSteps: async (job) => (await pick(job)).minibatchSteps(job),
        neighborhoodProduct: (job) => k.neighborhoodProduct(job),
      },
      ...(ctx.distance.masked !== undefined ? { maskedKernels: ['bmu', 'neuronSums', 'minibatchSteps'] as const } : {}),
      close: () => void (k.close(), m.then((r) => r.close())),
    };
  },
}));

describeBackends(['cpu', 'wasm'], () => {
  runEngineConformance(tfjsReference(), { title: 'the tfjs reference kernels (engine conformance)' });
  runEngineConformance(tfjsReference(), { distance: euclidean(), title: 'the tfjs reference kernels with the masked kernels of missing values (engine conformance, kernels euclidean)' });
});
