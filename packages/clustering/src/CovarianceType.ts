/** Covariance structure of each Gaussian component. */
export type CovarianceType = 'full' | 'diag';
