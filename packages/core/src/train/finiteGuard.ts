import { SomError } from '@somkit/plugin-api';
import type { CodebookStore } from './CodebookStore.js';
import type { RuleEpoch } from './scheduledEpoch.js';

/**
 * A rule's epoch that fails instead of leaving a non-finite model: a step that overflows float32
 * (radius, learning rate or data scale) stops the fit with a coded error and puts back the last
 * finite codebook (or none, when the epoch initialised it: `fitStream` does so from its first
 * chunk), so no run trains on to a model nobody can load.
 * @throws SomError ERR_NON_FINITE with `details.epoch`
 */
export function finiteGuard(codebook: CodebookStore, rule: RuleEpoch): RuleEpoch {
  return async (e, lr, sigma) => {
    const before = codebook.isSet ? codebook.get() : undefined;
    const stats = await rule(e, lr, sigma);
    const w = codebook.get();
    const qeBad = !Number.isFinite(stats.qeSum);
    const bad = qeBad ? -1 : w.findIndex((v) => !Number.isFinite(v));
    if (qeBad || bad !== -1) {
      if (before !== undefined) codebook.set(before);
      else codebook.dispose();
      throw new SomError('ERR_NON_FINITE', `Training produced ${qeBad ? `a non-finite quantization error (${stats.qeSum / stats.n})` : `a non-finite codebook value (${w[bad]} at unit ${Math.floor(bad / codebook.dims)})`} in epoch ${e} (σ = ${sigma}, learning rate = ${lr}); the codebook keeps its last finite state. Causes: data values too large for float32 distances (scale the data, e.g. z-scores), a learning rate that overshoots (use ≤ 1), or a radius the kernel cannot evaluate.`, { details: { epoch: e } });
    }
    return stats;
  };
}
