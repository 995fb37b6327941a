import * as tf from '@tensorflow/tfjs-core';
import type {
  MinibatchStep,
  MinibatchStepResult,
  MinibatchSteps,
  MinibatchStepsResult,
  NeuronSumsJob,
  NeuronSumsResult,
  SearchBackend,
  SearchContext,
} from '@somkit/plugin-api';

/** The array-based engine hooks of {@link referenceHooks}, synchronous (wrap them in `async` for a backend). */
export interface ReferenceHooks {
  minibatchStep(step: MinibatchStep, ctx: SearchContext): MinibatchStepResult;
  minibatchSteps(job: MinibatchSteps, ctx: SearchContext): MinibatchStepsResult;
  neuronSums(job: NeuronSumsJob, ctx: SearchContext): NeuronSumsResult;
}

/** Options of {@link referenceHooks}. */
export interface ReferenceHooksOptions {
  /**
   * The codebook update from the old codebook `w` [u, d], the kernel mass `Hᵀ1` [u, 1] and `Hᵀ X`
   * [u, d]. Default: the minibatch rule's `w∘(1 − mass) + HᵀX`. Tests pass a wrong one to prove a
   * check catches it.
   */
  readonly update?: (w: tf.Tensor2D, mass: tf.Tensor2D, num: tf.Tensor2D) => tf.Tensor;
}

/**
 * Straightforward tfjs implementations of the engine hooks `minibatchStep`, `minibatchSteps` and
 * `neuronSums` on top of an exact search — what an engine's results must equal. For tests: a
 * stand-in engine for code that calls the hooks (core's training loops), or a baseline for an
 * engine's own tests. Leaves no tensors behind.
 *
 * ```ts
 * const ref = referenceHooks(bruteForce());
 * const engine = defineSearch('test/engine', () => ({ priority: 0, supports: () => true, search: bruteForce().search,
 *   minibatchSteps: async (job, ctx) => ref.minibatchSteps(job, ctx) }))();
 * ```
 * @param exact - the search that finds the BMUs (an exact brute force)
 */
export function referenceHooks(exact: Pick<SearchBackend, 'search'>, options: ReferenceHooksOptions = {}): ReferenceHooks {
  const update = options.update ?? ((w, mass, num) => tf.add(tf.mul(w, tf.sub(1, mass)), num));
  const minibatchStep = (step: MinibatchStep, ctx: SearchContext): MinibatchStepResult =>
    tf.tidy(() => {
      const x = tf.tensor2d(step.x, [step.batch, step.dims]);
      const w = tf.tensor2d(step.weights, [step.units, step.dims]);
      const r = exact.search(x, w, step.k, ctx);
      const bmu = tf.reshape(tf.slice(r.indices, [0, 0], [step.batch, 1]), [step.batch]);
      const h = tf.gather(tf.tensor2d(step.kernel, [step.units, step.units]), bmu) as tf.Tensor2D;
      const mass = tf.reshape(tf.sum(h, 0), [step.units, 1]) as tf.Tensor2D;
      const num = tf.matMul(h, x, true, false) as tf.Tensor2D;
      return {
        weights: update(w, mass, num).dataSync() as Float32Array,
        indices: r.indices.dataSync() as Int32Array,
        distances: r.distances.dataSync() as Float32Array,
      };
    });
  return {
    minibatchStep,
    minibatchSteps(job, ctx) {
      const { batch: b, dims: d, k } = job;
      let weights = job.weights;
      const indices = new Int32Array(job.steps * b * k);
      const distances = new Float32Array(job.steps * b * k);
      for (let s = 0; s < job.steps; s++) {
        const x = new Float32Array(b * d);
        for (let i = 0; i < b; i++) {
          const row = job.rows[s * b + i]!;
          x.set(job.x.subarray(row * d, (row + 1) * d), i * d);
        }
        const r = minibatchStep({ x, weights, kernel: job.kernel, batch: b, units: job.units, dims: d, k }, ctx);
        weights = r.weights;
        indices.set(r.indices, s * b * k);
        distances.set(r.distances, s * b * k);
      }
      return { weights, indices, distances };
    },
    neuronSums(job, ctx) {
      return tf.tidy(() => {
        const x = tf.tensor2d(job.x, [job.samples, job.dims]);
        const r = exact.search(x, tf.tensor2d(job.weights, [job.units, job.dims]), job.k, ctx);
        const bmu = tf.slice(r.indices, [0, 0], [job.samples, 1]);
        const sums = tf.scatterND(bmu, tf.concat([x, tf.ones([job.samples, 1])], 1), [job.units, job.dims + 1]);
        return { sums: sums.dataSync() as Float32Array, indices: r.indices.dataSync() as Int32Array, distances: r.distances.dataSync() as Float32Array };
      });
    },
  };
}
