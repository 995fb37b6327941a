import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';

/**
 * The one owner of a codebook [u, d]. The codebook lives in CPU memory, where every engine kernel
 * reads and writes it; a tensor on the active tfjs backend is made from it only while a search
 * strategy or a map needs one ({@link withTensor}), and is never read back. Replacing the codebook
 * is one assignment, so there is no second copy to keep in step.
 */
export class CodebookStore {
  private w: Float32Array | undefined;

  constructor(readonly units: number, readonly dims: number) {}

  /** True once a codebook was set. */
  get isSet(): boolean {
    return this.w !== undefined;
  }

  /**
   * Replaces the codebook with plain data [u, d] (kept, not copied: do not modify it afterwards).
   * Callers pass validated arrays: `setWeights`/`fromJSON` check shapes, and engine outputs are
   * size-checked by the kernel set.
   */
  set(w: Float32Array): void {
    this.w = w;
  }

  /** The codebook [u, d] (do not modify). @throws SomError ERR_NOT_FITTED before one was set */
  get(): Float32Array {
    if (this.w === undefined) throw new SomError('ERR_NOT_FITTED', 'The SOM has no codebook yet. Call fit(data), initialize(data) or setWeights(w) first.');
    return this.w;
  }

  /** Runs `fn` with the codebook uploaded as a tensor [u, d], disposed afterwards. */
  async withTensor<T>(fn: (w: tf.Tensor2D) => T | Promise<T>): Promise<T> {
    const t = tf.tensor2d(this.get(), [this.units, this.dims], 'float32');
    try {
      return await fn(t);
    } finally {
      t.dispose();
    }
  }

  /** Forgets the codebook. */
  dispose(): void {
    this.w = undefined;
  }
}
