import { KERNEL_NAMES, type BmuJob, type BmuResult, type EngineKernels, type EngineSession, type KernelName } from '@somkit/plugin-api';
import type { ReferenceKernels } from './referenceKernels.js';

/**
 * The kernels one training call runs: the engine session's where it has them, core's tfjs
 * reference for the rest (the tfjs lookup of a kernel per backend, with the reference as
 * fallback). Engine outputs are checked for size, naming the engine and kernel.
 */
export interface KernelSet {
  /** Every kernel, ready to call. */
  readonly run: Required<EngineKernels>;
  /** Which engine runs each kernel (`'tfjs'` for the reference). */
  readonly from: Readonly<Record<KernelName, string>>;
  /** The search strategy is exact, so engine kernels may search themselves. */
  readonly exact: boolean;
  /** The strategy's own search (the reference `bmu`), for `given` results. */
  readonly strategyBmu: (job: BmuJob) => Promise<BmuResult>;
  /** True when `name` runs on the engine and the strategy is not exact: core must search first and pass `given`. */
  needsGiven(name: KernelName): boolean;
  /** Frees the reference kernels' cached tensors (not the engine session: its owner closes it). */
  close(): void;
}

/**
 * Combines an engine session's kernels with the reference kernels of one call.
 * @param exact - the search strategy declares `exact: true`; otherwise the `bmu` kernel is always
 *   the strategy's, and engine kernels that search get the strategy's results as `given`
 * @param missing - the call's samples have missing values: a sample kernel the session does not
 *   list in `maskedKernels` runs on the reference (said once per engine)
 */
export async function kernelSet(session: EngineSession | undefined, engineName: string, reference: ReferenceKernels, exact: boolean, missing = false): Promise<KernelSet> {
  // The engine's own kernels (size checks, masked-kernel filter) are loaded only when it has some.
  const own: EngineKernels = session !== undefined && KERNEL_NAMES.some((name) => session.kernels[name] !== undefined)
    ? (await import('./engineKernels.js')).engineKernels(session, engineName, exact, missing)
    : {};
  const from = {} as Record<KernelName, string>;
  const run = {} as Record<KernelName, unknown>;
  for (const name of KERNEL_NAMES) {
    const mine = own[name];
    from[name] = mine !== undefined ? engineName : 'tfjs';
    run[name] = mine ?? reference[name];
  }
  return {
    run: run as unknown as Required<EngineKernels>,
    from,
    exact,
    strategyBmu: reference.bmu,
    needsGiven: (name) => !exact && from[name] !== 'tfjs',
    close: () => reference.close(),
  };
}
