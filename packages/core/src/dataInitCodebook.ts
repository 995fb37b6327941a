import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import type { Rng } from '@somkit/geometry';
import type { InitMode } from './config.js';
import { checkPcaSize } from './checkPcaSize.js';
import { pcaCodebook } from './pcaCodebook.js';

/**
 * The initial codebooks fitted to the data, `init: 'pca'` and `'kmeans'` / `'kmeans_cosine'` (see
 * `initCodebook`), loaded on first use with the eigen solver (k-means on its own first use).
 * @param x - samples [n, d] (not disposed)
 * @throws SomError ERR_NON_FINITE when the PCA codebook overflows float32 (data beyond about 1e19), ERR_INVALID_CONFIG for an unknown mode
 */
export async function dataInitCodebook(x: tf.Tensor2D, grid: Grid, mode: Exclude<InitMode, 'random'>, rng: Rng): Promise<tf.Tensor2D> {
  const [n, d] = x.shape;
  // k-means is a chunk of its own: the default PCA init does not download it.
  if (mode === 'kmeans' || mode === 'kmeans_cosine') return (await import('./kmeansCodebook.js')).kmeansCodebook(x, grid.units, mode === 'kmeans_cosine', rng);
  // som.initialize(data, mode) takes the mode from the caller: refuse what is not one.
  if (mode !== 'pca') throw new SomError('ERR_INVALID_CONFIG', `init: expected one of 'random', 'pca', 'kmeans', 'kmeans_cosine', got ${JSON.stringify(mode)}.`, { details: { field: 'init' } });
  checkPcaSize(n, d);
  const [meanT, covT] = tf.tidy(() => {
    const mean = tf.mean(x, 0);
    const xc = tf.sub(x, mean);
    // Covariance [d, d]; transpose explicitly once (wasm is slow with transposeA/B flags).
    const cov = tf.div(tf.matMul(tf.transpose(xc), xc), n - 1);
    return [mean, cov];
  });
  try {
    const mean = await meanT.data();
    const cov = Float64Array.from(await covT.data());
    const w = pcaCodebook(mean, cov, n, grid, rng);
    const bad = w.findIndex((v) => !Number.isFinite(v));
    if (bad !== -1) {
      throw new SomError('ERR_NON_FINITE', `init: 'pca' produced a non-finite codebook value (${w[bad]} at unit ${Math.floor(bad / d)}): the data's covariance overflows float32 (values beyond about 1e19). Scale the data first (e.g. z-scores), or use init: 'random'.`, { details: { unit: Math.floor(bad / d) } });
    }
    return tf.tensor2d(w, [grid.units, d], 'float32');
  } finally {
    tf.dispose([meanT, covT]);
  }
}
