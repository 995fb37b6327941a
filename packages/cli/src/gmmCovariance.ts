import type { CovarianceType } from '@somkit/clustering';

/**
 * The GMM covariance the report fits on a map's units: `'full'` only when each of the `k`
 * components gets more units, on average, than the free parameters of its mean and full
 * covariance (d + d(d+1)/2); otherwise `'diag'`.
 *
 * Why: a full covariance with more parameters than units is singular up to the tiny
 * regularisation, so every unit's own component is astronomically more likely than any other and
 * EM stops where its k-means initialisation put it. The digits demo (196 units, 64 features,
 * k = 3) got GMM labels identical to k-means', and identical scores.
 * @param units - units clustered (u)
 * @param dims - features of the clustering space (d)
 * @param k - components (for automatic k: the largest candidate)
 *
 * ```ts
 * gmmCovariance(196, 64, 3); // 'diag'
 * gmmCovariance(64, 4, 3);   // 'full'
 * ```
 */
export function gmmCovariance(units: number, dims: number, k: number): CovarianceType {
  return units / k > dims + (dims * (dims + 1)) / 2 ? 'full' : 'diag';
}
