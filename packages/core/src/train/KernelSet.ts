import { KERNEL_NAMES, logger, SomError, type BmuJob, type BmuResult, type EngineKernels, type EngineSession, type KernelName } from '@somkit/plugin-api';
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

/** Expected output lengths of each kernel, from its job. */
const SIZES: Record<KernelName, (j: any) => Record<string, number>> = {
  bmu: (j) => ({ indices: j.samples * j.k, distances: j.samples * j.k }),
  neuronSums: (j) => ({ sums: j.units * (j.dims + 1), indices: j.samples * j.k, distances: j.samples * j.k, ...(j.missing === true ? { counts: j.units * j.dims } : {}) }),
  minibatchSteps: (j) => ({ weights: j.units * j.dims, indices: j.steps * j.batch * j.k, distances: j.steps * j.batch * j.k }),
  neighborhoodProduct: (j) => ({ out: j.units * j.columns }),
};

/** The engine's kernels, each checking the sizes of its outputs. */
function checked(engine: string, k: EngineKernels): EngineKernels {
  const out: Record<string, unknown> = {};
  for (const name of KERNEL_NAMES) {
    const f = k[name] as ((j: unknown) => Promise<unknown>) | undefined;
    if (f === undefined) continue;
    out[name] = async (job: unknown) => {
      const r = await f.call(k, job);
      const got = (name === 'neighborhoodProduct' ? { out: r } : r) as Record<string, ArrayLike<number> | undefined>;
      const want = SIZES[name](job);
      if (Object.entries(want).some(([key, n]) => got[key]?.length !== n)) {
        throw new SomError('ERR_SHAPE_MISMATCH', `Engine '${engine}': ${name} returned arrays of ${Object.keys(want).map((key) => got[key]?.length ?? 'none').join(', ')} values; expected ${Object.entries(want).map(([key, n]) => `${n} (${key})`).join(', ')}.`);
      }
      return r;
    };
  }
  return out as EngineKernels;
}

/** The kernels whose jobs carry samples, so data with missing values needs their masked form. */
const SAMPLE_KERNELS: readonly KernelName[] = ['bmu', 'neuronSums', 'minibatchSteps'];

/**
 * Combines an engine session's kernels with the reference kernels of one call.
 * @param exact - the search strategy declares `exact: true`; otherwise the `bmu` kernel is always
 *   the strategy's, and engine kernels that search get the strategy's results as `given`
 * @param missing - the call's samples have missing values: a sample kernel the session does not
 *   list in `maskedKernels` runs on the reference (said once per engine)
 */
export function kernelSet(session: EngineSession | undefined, engineName: string, reference: ReferenceKernels, exact: boolean, missing = false): KernelSet {
  const own = session ? checked(engineName, session.kernels) : {};
  if (!exact) delete own.bmu;
  if (missing && session !== undefined) {
    const masked = new Set(session.maskedKernels ?? []);
    const dropped = SAMPLE_KERNELS.filter((name) => own[name] !== undefined && !masked.has(name));
    for (const name of dropped) delete own[name];
    if (dropped.length > 0) {
      logger.warnOnce(`missing-fallback-${engineName}`, `Engine '${engineName}' has no masked ${dropped.join('/')} kernel for data with missing values; ${dropped.length === 1 ? 'it runs' : 'they run'} on the tfjs reference kernels (same results, other speed).`);
    }
  }
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
