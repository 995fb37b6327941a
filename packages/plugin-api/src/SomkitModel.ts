/**
 * Per-epoch values by name, one entry per epoch: `{ qe: [...], te: [...] }` for a `SOM`,
 * `{ loss: [...], accuracy: [...] }` for an `A3SOM`. Read-only.
 */
export type EpochRecord = { readonly [name: string]: readonly number[] | undefined };

/** What `evaluate` resolves to: scores by name, always with `n`, the number of rows evaluated. */
export type EvalScores = { readonly n: number; readonly [score: string]: number };

/**
 * The interface every somkit model shares (`SOM` of `@somkit/core`, `A3SOM` of
 * `@somkit/a3som`): the same names and the same result shapes for the same ideas.
 *
 * - `fit(data, …)` trains (its arguments are the model's own: a SOM takes rows, A3SOM rows and
 *   labels); the per-epoch record of training is `history` on both.
 * - `evaluate(data, …)` resolves to {@link EvalScores}.
 * - `predict(data)` resolves to plain data, never tensors (a SOM: each row's unit; A3SOM: class
 *   probabilities).
 * - `toJSON()` gives the model file (a SOM synchronously, A3SOM as a promise: `await` both);
 *   the class's static `fromJSON` reads it back ({@link SomkitModelClass}).
 * - `dispose()` frees the model's tensors.
 * @typeParam Prediction - what `predict` resolves to
 * @typeParam File - the model file `toJSON` gives
 */
export interface SomkitModel<Prediction = unknown, File = unknown> {
  fit(...args: never[]): Promise<unknown>;
  readonly history: EpochRecord;
  evaluate(...args: never[]): Promise<EvalScores>;
  predict(...args: never[]): Promise<Prediction>;
  toJSON(): File | Promise<File>;
  dispose(): void;
}

/** The static side of a {@link SomkitModel}: `fromJSON` reads what `toJSON` wrote. */
export interface SomkitModelClass<Model extends SomkitModel> {
  fromJSON(json: unknown): Promise<Model>;
}
