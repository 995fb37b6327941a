/** A row-major matrix: `data` holds shape[0]·shape[1] values. Accepted by every somkit input. */
export interface JitlMatrix {
  readonly data: Float32Array;
  readonly shape: [number, number];
}

/** The samples retrieved for one query. */
export interface JitlBuffer {
  /** [m, d] retrieved historical samples (m = 0 when nothing was found). */
  readonly samples: JitlMatrix;
  /** [m, 1] for one output per sample (TorchSOM's `y.view(-1, 1)`), [m, q] for q outputs. Present when outputs were given. */
  readonly outputs?: JitlMatrix;
  /** [m] indices into the historical data, in retrieval order. Present with `returnIndices`. */
  readonly indices?: Int32Array;
}
