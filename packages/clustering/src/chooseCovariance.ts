import type { CovarianceType } from './CovarianceType.js';

/**
 * The covariance `fitGmm`'s default `'auto'` fits: `'full'` only when each of the `k` components
 * gets more points, on average, than the free parameters of its mean and full covariance
 * (d + d(d+1)/2); otherwise `'diag'`.
 *
 * Why: a full covariance with more parameters than points is singular up to the tiny
 * regularisation, so every point's own component is astronomically more likely than any other
 * and EM stops where its k-means initialisation put it. On the digits demo's map (196 units, 64
 * features, k = 3) a full-covariance GMM gave labels identical to k-means', and identical scores.
 * On low-dimensional codebooks (iris: 4 features) it picks `'full'`, as scikit-learn and TorchSOM do.
 * @param points - points clustered (n; with weights, the points with a positive weight)
 * @param dims - features of the clustering space (d)
 * @param k - components (for automatic k: the largest candidate, so every candidate is fitted alike)
 *
 * ```ts
 * chooseCovariance(196, 64, 3); // 'diag'
 * chooseCovariance(64, 4, 3);   // 'full'
 * ```
 */
export function chooseCovariance(points: number, dims: number, k: number): CovarianceType {
  return points / k > dims + (dims * (dims + 1)) / 2 ? 'full' : 'diag';
}
