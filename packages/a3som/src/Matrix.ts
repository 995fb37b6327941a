/** Plain data out: a row-major float32 matrix and its shape. */
export interface Matrix {
  readonly data: Float32Array;
  readonly shape: [number, number];
}
