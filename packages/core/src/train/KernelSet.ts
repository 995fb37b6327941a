import { KERNEL_NAMES, SomError, type BmuJob, type BmuResult, type EngineKernels, type EngineSession, type KernelName } from '@somkit/plugin-api';
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

function sizeCheck(engine: string, kernel: string, got: Record<string, ArrayLike<number>>, want: Record<string, number>): void {
  for (const [k, n] of Object.entries(want)) {
    const len = got[k]?.length;
    if (len !== n) {
      const all = Object.entries(want).map(([kk, nn]) => `${nn} (${kk})`).join(', ');
      const seen = Object.keys(want).map((kk) => String(got[kk]?.length ?? 'none')).join(', ');
      throw new SomError('ERR_SHAPE_MISMATCH', `Engine '${engine}': ${kernel} returned arrays of ${seen} values; expected ${all}.`);
    }
  }
}

/** Wraps the engine's kernels with size checks of their outputs. */
function checked(engine: string, k: EngineKernels): EngineKernels {
  const out: EngineKernels = {};
  if (k.bmu) {
    const f = k.bmu.bind(k);
    out.bmu = async (j) => {
      const r = await f(j);
      sizeCheck(engine, 'bmu', r as never, { indices: j.samples * j.k, distances: j.samples * j.k });
      return r;
    };
  }
  if (k.neuronSums) {
    const f = k.neuronSums.bind(k);
    out.neuronSums = async (j) => {
      const r = await f(j);
      sizeCheck(engine, 'neuronSums', r as never, { sums: j.units * (j.dims + 1), indices: j.samples * j.k, distances: j.samples * j.k });
      return r;
    };
  }
  if (k.minibatchSteps) {
    const f = k.minibatchSteps.bind(k);
    out.minibatchSteps = async (j) => {
      const r = await f(j);
      const rows = j.steps * j.batch;
      sizeCheck(engine, 'minibatchSteps', r as never, { weights: j.units * j.dims, indices: rows * j.k, distances: rows * j.k });
      return r;
    };
  }
  if (k.neighborhoodProduct) {
    const f = k.neighborhoodProduct.bind(k);
    out.neighborhoodProduct = async (j) => {
      const r = await f(j);
      sizeCheck(engine, 'neighborhoodProduct', { out: r }, { out: j.units * j.columns });
      return r;
    };
  }
  return out;
}

/**
 * Combines an engine session's kernels with the reference kernels of one call.
 * @param exact - the search strategy declares `exact: true`; otherwise the `bmu` kernel is always
 *   the strategy's, and engine kernels that search get the strategy's results as `given`
 */
export function kernelSet(session: EngineSession | undefined, engineName: string, reference: ReferenceKernels, exact: boolean): KernelSet {
  const own = session ? checked(engineName, session.kernels) : {};
  if (!exact) delete own.bmu;
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
