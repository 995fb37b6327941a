import { SomError } from '@somkit/plugin-api';

/** Refuses PCA init on fewer than 2 features or samples. @throws SomError ERR_INVALID_CONFIG | ERR_EMPTY_INPUT */
export function checkPcaSize(n: number, d: number): void {
  if (d < 2) throw new SomError('ERR_INVALID_CONFIG', `init: 'pca' needs at least 2 features to find two principal directions, got dims=${d}. Use init: 'random'.`);
  if (n < 2) throw new SomError('ERR_EMPTY_INPUT', `init: 'pca' needs at least 2 samples to estimate a covariance, got ${n}. Use init: 'random' or more data.`);
}
