import type { Grid } from '@somkit/geometry';
import type { Rng } from '@somkit/geometry';
import type { SomConfig, SomPlugins } from '../config.js';
import type { CodebookStore } from './CodebookStore.js';
import type { KernelSet } from './KernelSet.js';

/** What the training rules read of a model for one call: its settings, geometry, codebook and kernels. */
export interface TrainingSetup {
  readonly config: Readonly<SomConfig>;
  readonly plugins: Readonly<SomPlugins>;
  readonly grid: Grid;
  readonly rng: Rng;
  readonly codebook: CodebookStore;
  readonly kernels: KernelSet;
  /** The call's samples hold missing values (NaN cells, `missing: 'mask'`): jobs say so. */
  readonly missing: boolean;
}
