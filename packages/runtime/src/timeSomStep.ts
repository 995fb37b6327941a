import * as tf from '@tensorflow/tfjs-core';

const now = (): number => tf.util.now();

/** Sizes of {@link timeSomStep}'s probe: `n` samples of `dims` features against `units` units. */
export interface SomStepProbe {
  readonly n?: number;
  readonly units?: number;
  readonly dims?: number;
  /** Timed steps after one warm-up step (shader compilation, wasm tiling). */
  readonly steps?: number;
}

/**
 * Times the SOM's hot path on the active backend: squared distances of `x` [n, dims] to the
 * codebook `w` [units, dims] as ‖w‖² − 2·x·wᵀ (a matmul), then the BMU per row (argmin), read
 * back to the CPU. One warm-up step, then the median of `steps` timed steps. Defaults: 256 × 64
 * against 196 units (a 14 × 14 map on digits-sized rows), 3 steps — well under a second on wasm.
 *
 * @returns milliseconds per step
 */
export async function timeSomStep(probe: SomStepProbe = {}): Promise<number> {
  const { n = 256, units = 196, dims = 64, steps = 3 } = probe;
  const fill = (rows: number, salt: number) => {
    const v = new Float32Array(rows * dims);
    for (let i = 0; i < v.length; i++) v[i] = ((i * 2654435761 + salt) % 1000) / 1000;
    return tf.tensor2d(v, [rows, dims]);
  };
  const x = fill(n, 7);
  const w = fill(units, 11);
  const step = () =>
    tf.tidy(() => {
      const d = tf.sub(tf.sum(tf.square(w), 1), tf.mul(tf.scalar(2), tf.matMul(x, w, false, true)));
      return tf.argMin(d, 1);
    });
  try {
    const warm = step();
    await warm.data().finally(() => warm.dispose());
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = now();
      const bmu = step();
      await bmu.data().finally(() => bmu.dispose());
      times.push(now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] as number;
  } finally {
    x.dispose();
    w.dispose();
  }
}
