import type { Topology } from '@somkit/plugin-api';
import type { SOM } from '@somkit/core';

/** What identifies the SOM an index was built for: its grid, its width and its codebook. */
export interface SomFingerprint {
  readonly rows: number;
  readonly cols: number;
  readonly topology: Topology;
  readonly pbc: boolean;
  readonly dims: number;
  /** FNV-1a (32-bit, hex) of the codebook's float32 bytes: changes when the map is retrained. */
  readonly codebookHash: string;
}

/**
 * The fingerprint of a SOM's current state. Cost: one pass over the codebook bytes.
 *
 * ```ts
 * const fp = somFingerprint(som); // { rows, cols, topology, pbc, dims, codebookHash }
 * ```
 */
export function somFingerprint(som: SOM): SomFingerprint {
  const { rows, cols, topology, pbc } = som.grid;
  return { rows, cols, topology, pbc, dims: som.dims, codebookHash: fnv1a(som.getWeights()) };
}

function fnv1a(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
