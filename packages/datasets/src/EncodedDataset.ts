/** How the feature values of an {@link EncodedDataset} are stored. */
export type EncodedValues =
  /** Plain numbers, row-major. */
  | { readonly encoding: 'json'; readonly values: readonly number[] }
  /** Bytes 0–255, row-major, as standard base64 (for integer-valued data such as pixel counts). */
  | { readonly encoding: 'u8-base64'; readonly base64: string };

/**
 * The compact, source-embedded form of a {@link Dataset}, written by `scripts/generate.mjs`.
 * Decode it with `decodeDataset`.
 */
export interface EncodedDataset {
  readonly name: string;
  readonly description: string;
  readonly n: number;
  readonly d: number;
  readonly featureNames: readonly string[];
  readonly classNames: readonly string[];
  readonly license: string;
  readonly source: string;
  /** Feature values, `n * d` of them, row-major. */
  readonly values: EncodedValues;
  /** One decimal digit (the class id) per sample; length `n`. */
  readonly targetDigits: string;
}
