/** Per-epoch values passed to `onEpochEnd` and kept in the history. */
export interface EpochLogs {
  /** Epoch index in the schedule (0-based; starts at `initialEpoch`). */
  epoch: number;
  /** Mean distance of each sample to its BMU, measured during the epoch's pass. */
  qe: number;
  /** Fraction of samples whose two best units are not grid neighbours, same pass. */
  te: number;
  /** Learning rate of the epoch (0 for batch-map, which has none). */
  learningRate: number;
  sigma: number;
  seconds: number;
}

/** What `fit` returns and `som.history` holds: one entry per epoch. */
export interface FitHistory {
  qe: number[];
  te: number[];
  learningRate: number[];
  sigma: number[];
  seconds: number[];
}

/** The history fields, in order. */
export const HISTORY_KEYS = ['qe', 'te', 'learningRate', 'sigma', 'seconds'] as const;
