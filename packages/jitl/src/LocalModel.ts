/** A ridge linear model y ≈ x·W + b fitted by {@link fitLocalModel}. */
export interface LocalModel {
  /** [d][q] coefficients. */
  readonly coefficients: number[][];
  /** [q] intercepts. */
  readonly intercept: number[];
  /** Features d. */
  readonly dims: number;
  /** Outputs q. */
  readonly outputs: number;
  /** Samples it was fitted on. */
  readonly n: number;
  readonly ridge: number;
  /** Prediction for one sample [d] → [q]. */
  predict(x: ArrayLike<number>): number[];
}
