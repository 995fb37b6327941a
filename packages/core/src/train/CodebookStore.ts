import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';

/**
 * The one owner of a codebook [u, d]'s two copies: plain data in CPU memory (`host`) and a tensor
 * on the active tfjs backend (`tensor`). Each is made from the other only when asked — an upload
 * when a tensor is needed, a read-back when plain data is needed — and replacing the codebook
 * drops the stale copy. Engines work on the host copy; search strategies and maps on the tensor.
 */
export class CodebookStore {
  private hostCopy: Float32Array | undefined;
  private tensorCopy: tf.Tensor2D | undefined;

  constructor(readonly units: number, readonly dims: number) {}

  /** True once a codebook was set. */
  get isSet(): boolean {
    return this.hostCopy !== undefined || this.tensorCopy !== undefined;
  }

  /** Replaces the codebook with plain data [u, d] (kept, not copied: do not modify it afterwards). */
  setHost(w: Float32Array): void {
    if (w.length !== this.units * this.dims) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected a codebook of ${this.units * this.dims} values ([${this.units}, ${this.dims}]), got ${w.length}.`);
    }
    this.tensorCopy?.dispose();
    this.tensorCopy = undefined;
    this.hostCopy = w;
  }

  /** Replaces the codebook with a tensor [u, d] and takes ownership of it. */
  setTensor(t: tf.Tensor2D): void {
    if (t.shape[0] !== this.units || t.shape[1] !== this.dims) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected a codebook tensor of shape [${this.units}, ${this.dims}], got [${t.shape.join(', ')}].`);
    }
    if (this.tensorCopy !== t) this.tensorCopy?.dispose();
    this.tensorCopy = t;
    this.hostCopy = undefined;
  }

  /** The plain-data copy, read back from the tensor if it is the only copy (then kept). */
  async host(): Promise<Float32Array> {
    if (this.hostCopy === undefined) {
      if (this.tensorCopy === undefined) notSet();
      this.hostCopy = (await this.tensorCopy.data()) as Float32Array;
    }
    return this.hostCopy;
  }

  /** The plain-data copy if there is one now (no read-back). */
  hostIfPresent(): Float32Array | undefined {
    return this.hostCopy;
  }

  /** The tensor copy, uploaded from the plain data if it is the only copy (then kept). Owned by the store. */
  tensor(): tf.Tensor2D {
    if (this.tensorCopy === undefined) {
      if (this.hostCopy === undefined) notSet();
      this.tensorCopy = tf.tensor2d(this.hostCopy, [this.units, this.dims], 'float32');
    }
    return this.tensorCopy;
  }

  /**
   * Runs `fn` with the codebook as a tensor: the kept tensor copy if there is one, else a
   * temporary upload disposed afterwards (so a model trained on an engine holds no device memory
   * between predictions).
   */
  async withTensor<T>(fn: (w: tf.Tensor2D) => T | Promise<T>): Promise<T> {
    if (this.tensorCopy !== undefined) return fn(this.tensorCopy);
    if (this.hostCopy === undefined) notSet();
    const t = tf.tensor2d(this.hostCopy, [this.units, this.dims], 'float32');
    try {
      return await fn(t);
    } finally {
      t.dispose();
    }
  }

  /** Frees the tensor copy and forgets the codebook. */
  dispose(): void {
    this.tensorCopy?.dispose();
    this.tensorCopy = undefined;
    this.hostCopy = undefined;
  }
}

function notSet(): never {
  throw new SomError('ERR_NOT_FITTED', 'The SOM has no codebook yet. Call fit(data), initialize(data) or setWeights(w) first.');
}
