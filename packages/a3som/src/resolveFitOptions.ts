import { SomError } from '@somkit/plugin-api';
import { checkEpochs } from '@somkit/core';
import type { Callbacks, FitOptions } from './FitOptions.js';
import { resolveVerbose } from './ProgressPrinter.js';
import { shown } from './shown.js';

/** The keys {@link A3SOM.fit} accepts, in the order of {@link FitOptions}. */
export const FIT_OPTION_KEYS = ['epochs', 'initialEpoch', 'initial_epoch', 'batchSize', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'classWeight', 'shuffle', 'workers'] as const;

/** `fit` options checked and filled with their defaults. */
export interface ResolvedFitOptions {
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly batchSize: number;
  /** `'auto'` resolved (1 on a terminal, else 2). */
  readonly verbose: 0 | 1 | 2;
  readonly callbacks: readonly Callbacks[];
  readonly validationSplit: number;
  readonly validationData: FitOptions['validationData'];
  /** Weight of each class in the cross-entropy, length nClasses (1 where not given). */
  readonly classWeight: Float32Array;
  readonly shuffle: boolean;
}

function bad(message: string, field: string): never {
  throw new SomError('ERR_INVALID_CONFIG', message, { details: { field } });
}

/** `initial_epoch` → `initialEpoch`, for the hint of an unknown (Keras-spelled) key. */
function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Validates the options of `A3SOM.fit` and fills the defaults. `epochs` / `initialEpoch` are
 * checked by `checkEpochs` of `@somkit/core`, as `SOM.fit` checks them.
 * @param nClasses - number of classes C (range of the `classWeight` keys)
 * @throws SomError ERR_INVALID_CONFIG naming the field (unknown keys list the accepted ones)
 */
export function resolveFitOptions(options: FitOptions, nClasses: number): ResolvedFitOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    bad(`fit options: expected an object such as {epochs: 10, batchSize: 32}, got ${JSON.stringify(options)}.`, 'options');
  }
  for (const key of Object.keys(options)) {
    if ((FIT_OPTION_KEYS as readonly string[]).includes(key)) continue;
    const hint = (FIT_OPTION_KEYS as readonly string[]).includes(camel(key)) ? ` Did you mean '${camel(key)}'?` : '';
    bad(`Unknown fit option '${key}'.${hint} Accepted options: ${FIT_OPTION_KEYS.join(', ')}.`, key);
  }
  const epochs = options.epochs ?? 1;
  if (options.initialEpoch !== undefined && options.initial_epoch !== undefined && options.initialEpoch !== options.initial_epoch) {
    bad(`initialEpoch / initial_epoch: the same option spelt two ways, got ${shown(options.initialEpoch)} and ${shown(options.initial_epoch)}; give one.`, 'initialEpoch');
  }
  const initialEpoch = options.initialEpoch ?? options.initial_epoch ?? 0;
  checkEpochs(epochs, initialEpoch);
  const workers = options.workers ?? 1;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0) bad(`workers: expected an integer ≥ 0 (it has no effect here: the data is in memory and the tfjs backend does the parallel work), got ${shown(workers)}.`, 'workers');
  const batchSize = options.batchSize ?? 32;
  const verboseOption = options.verbose ?? 'auto';
  const split = options.validationSplit ?? 0;
  if (!Number.isInteger(batchSize) || batchSize < 1) bad(`batchSize: expected an integer ≥ 1, got ${shown(batchSize)}.`, 'batchSize');
  if (verboseOption !== 0 && verboseOption !== 1 && verboseOption !== 2 && verboseOption !== 'auto') bad(`verbose: expected 'auto', 0 (silent), 1 (progress bar) or 2 (one line per epoch), got ${shown(verboseOption)}.`, 'verbose');
  const verbose = resolveVerbose(verboseOption);
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) bad(`validationSplit: expected a number in [0, 1), got ${shown(split)}.`, 'validationSplit');
  const classWeight = new Float32Array(nClasses).fill(1);
  for (const [k, v] of Object.entries(options.classWeight ?? {})) {
    const c = Number(k);
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) bad(`classWeight: class ${k} is out of range 0 … ${nClasses - 1}.`, 'classWeight');
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`classWeight[${k}]: expected a finite number ≥ 0, got ${shown(v)}.`, 'classWeight');
    classWeight[c] = v;
  }
  const c = options.callbacks;
  const callbacks: readonly Callbacks[] = c === undefined ? [] : Array.isArray(c) ? (c as readonly Callbacks[]) : [c as Callbacks];
  callbacks.forEach((cb, i) => {
    if (typeof cb !== 'object' || cb === null) bad(`callbacks${Array.isArray(c) ? `[${i}]` : ''}: expected a callback object such as {onEpochEnd(epoch, logs) {…}}, got ${String(cb)}.`, 'callbacks');
  });
  return { epochs, initialEpoch, batchSize, verbose, callbacks, validationSplit: split, validationData: options.validationData, classWeight, shuffle: options.shuffle !== false };
}
