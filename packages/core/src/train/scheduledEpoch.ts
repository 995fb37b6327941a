import { SomError } from '@somkit/plugin-api';
import type { EpochBody } from './runEpochs.js';
import type { EpochLogs } from './EpochLogs.js';
import type { PassStats } from './PassStats.js';
import { now } from './Yielder.js';

/** One epoch of a SOM rule at the schedule's learning rate and σ: the QE/TE statistic of its pass. */
export type RuleEpoch = (epoch: number, learningRate: number, sigma: number) => Promise<PassStats>;

/**
 * A SOM rule's epoch as an epoch of {@link runEpochs}: the schedule's learning rate and σ for the
 * epoch (checked), the rule's pass, and the SOM's logs (QE/TE, both rates, seconds).
 * @throws SomError ERR_INVALID_CONFIG when the schedules give σ ≤ 0 or a non-finite value
 */
export function scheduledEpoch(schedule: (epoch: number) => { learningRate: number; sigma: number }, rule: RuleEpoch): EpochBody<EpochLogs> {
  return async (e) => {
    const t0 = now();
    const { learningRate, sigma } = schedule(e);
    if (!(sigma > 0) || !Number.isFinite(sigma) || !Number.isFinite(learningRate)) {
      throw new SomError('ERR_INVALID_CONFIG', `The schedules gave sigma=${sigma}, learningRate=${learningRate} at epoch ${e}; sigma must stay > 0 and both finite. Check sigmaDecay/lrDecay.`);
    }
    const stats = await rule(e, learningRate, sigma);
    return { epoch: e, qe: stats.qe, te: stats.te, learningRate, sigma, seconds: (now() - t0) / 1000 };
  };
}
