import { exponentialDecay } from '@somkit/kernels';
import type { SchedulePlugin } from '@somkit/plugin-api';

/**
 * Which defaults fill the options a caller leaves out:
 * - `'somkit'` (the default): defaults that give well-ordered maps — σ from the grid
 *   ({@link defaultSigma}) decaying exponentially to 1 at the last epoch, PCA init (random rows
 *   for one feature), the `batch-map` rule; see docs/user-guide and bench/README.md "Defaults".
 * - `'torchsom'`: TorchSOM's `SOM(x, y, num_features)` defaults exactly — σ 1, learning rate 0.5,
 *   `asymptotic_decay` for both, random init, `minibatch`, batch size 5, 10 epochs, seed 42
 *   (docs/porting-from-torchsom.md).
 *
 * Options given explicitly always win; the preset only picks the defaults. The preset is not saved
 * in model files: the resolved values are.
 */
export type SomPreset = 'somkit' | 'torchsom';

/** The preset names, for validation and CLI help. */
export const SOM_PRESETS: readonly SomPreset[] = ['somkit', 'torchsom'];

/** What a preset defaults, given the grid (sizes in grid units). */
export interface PresetDefaults {
  epochs: number;
  batchSize: number;
  sigma: number;
  learningRate: number;
  lrDecay: string | SchedulePlugin;
  sigmaDecay: string | SchedulePlugin;
  init: 'random' | 'pca';
  rule: 'minibatch' | 'batch-map';
}

/**
 * The initial radius the `'somkit'` preset gives a `rows × cols` grid: half the longer side, at
 * least 1 (SOM Toolbox and fastsom start near there; TorchSOM's fixed σ = 1 never orders a map
 * much wider than a few units).
 *
 * ```ts
 * defaultSigma(50, 50); // 25
 * defaultSigma(1, 1);   // 1
 * ```
 */
export function defaultSigma(rows: number, cols: number): number {
  return Math.max(1, Math.max(rows, cols) / 2);
}

/**
 * The defaults of a preset for a grid and feature count. For `'somkit'` the σ schedule ends at
 * `min(1, σ0)` exactly at the last epoch (`exponential` with `final`), so a map always finishes
 * with a radius ≤ 1 and never grows one.
 * @param sigma - σ0 when the caller gave one (the σ schedule's end depends on it)
 */
export function presetDefaults(preset: SomPreset, rows: number, cols: number, dims: number, sigma?: number): PresetDefaults {
  if (preset === 'torchsom') {
    return { epochs: 10, batchSize: 5, sigma: 1, learningRate: 0.5, lrDecay: 'asymptotic_decay', sigmaDecay: 'asymptotic_decay', init: 'random', rule: 'minibatch' };
  }
  const s0 = sigma ?? defaultSigma(rows, cols);
  return {
    epochs: 10,
    batchSize: 32,
    sigma: s0,
    learningRate: 0.5,
    lrDecay: 'asymptotic_decay',
    sigmaDecay: exponentialDecay({ final: Math.min(1, s0) }),
    init: dims >= 2 ? 'pca' : 'random',
    rule: 'batch-map',
  };
}
