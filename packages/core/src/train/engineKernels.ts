import { KERNEL_NAMES, logger, SomError, type EngineKernels, type EngineSession, type KernelName } from '@somkit/plugin-api';

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
 * An engine session's own kernels for one call, each checking the sizes of its outputs: without
 * `bmu` when the strategy is not exact, and, for samples with missing values, without the sample
 * kernels the session does not list in `maskedKernels` (said once per engine). Loaded on first
 * use by {@link kernelSet}: a page that trains only on the tfjs reference never downloads it.
 */
export function engineKernels(session: EngineSession, engineName: string, exact: boolean, missing: boolean): EngineKernels {
  const own = checked(engineName, session.kernels);
  if (!exact) delete own.bmu;
  if (missing) {
    const masked = new Set(session.maskedKernels ?? []);
    const dropped = SAMPLE_KERNELS.filter((name) => own[name] !== undefined && !masked.has(name));
    for (const name of dropped) delete own[name];
    if (dropped.length > 0) {
      logger.warnOnce(`missing-fallback-${engineName}`, `Engine '${engineName}' has no masked ${dropped.join('/')} kernel for data with missing values; ${dropped.length === 1 ? 'it runs' : 'they run'} on the tfjs reference kernels (same results, other speed).`);
    }
  }
  return own;
}
