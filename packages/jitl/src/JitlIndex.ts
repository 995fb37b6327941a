import type { SomFingerprint } from './SomFingerprint.js';

/**
 * Which historical samples each unit of a trained SOM holds (TorchSOM's `bmus_idx_map`, built
 * once with {@link buildIndex}). Tied to the SOM it was built for through `fingerprint`.
 */
export interface JitlIndex {
  /** [u] ascending indices of the samples whose BMU is unit u (u = row·cols + col); empty when none. */
  readonly members: readonly Int32Array[];
  /** Number of historical samples the indices refer to. */
  readonly n: number;
  /** Units of the map (rows·cols). */
  readonly units: number;
  /** Features per sample. */
  readonly dims: number;
  readonly fingerprint: SomFingerprint;
}
