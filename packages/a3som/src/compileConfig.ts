import { SomError } from '@somkit/plugin-api';

/** Metrics tracked by `fit` / `evaluate`. `'acc'` is an alias of `'accuracy'`. */
export const METRICS = ['accuracy', 'acc'] as const;
export type Metric = (typeof METRICS)[number];

/** Options of {@link A3SOM.compile}. */
export interface CompileOptions {
  /** Adam learning rates: `som` for the prototypes, `dense` for the dense block. Default {som: 0.001, dense: 0.0001}. */
  learningRates?: { som?: number; dense?: number };
  /** Loss weights: L = CE + gamma·L_SOM + eta·R. Default {gamma: 0.6, eta: 0.0001}. */
  lossWeights?: { gamma?: number; eta?: number };
  /** Default ['accuracy']. Pass [] to skip accuracy. */
  metrics?: readonly Metric[];
}

/** Compile options resolved to their values. */
export interface CompileConfig {
  readonly learningRates: { readonly som: number; readonly dense: number };
  readonly lossWeights: { readonly gamma: number; readonly eta: number };
  readonly metrics: readonly Metric[];
}

function nonNegative(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new SomError('ERR_INVALID_CONFIG', `${field}: expected a finite number ≥ 0, got ${JSON.stringify(v)}.`, { details: { field } });
  }
  return v;
}

/**
 * Validates compile options and fills the defaults.
 * @throws SomError ERR_INVALID_CONFIG naming the field
 */
export function resolveCompile(options: CompileOptions = {}): CompileConfig {
  const lr = options.learningRates ?? {};
  const lw = options.lossWeights ?? {};
  for (const k of Object.keys(lr)) {
    if (k !== 'som' && k !== 'dense') throw new SomError('ERR_INVALID_CONFIG', `learningRates.${k}: unknown key; expected 'som' and/or 'dense'.`, { details: { field: `learningRates.${k}` } });
  }
  for (const k of Object.keys(lw)) {
    if (k !== 'gamma' && k !== 'eta') throw new SomError('ERR_INVALID_CONFIG', `lossWeights.${k}: unknown key; expected 'gamma' and/or 'eta'.`, { details: { field: `lossWeights.${k}` } });
  }
  const metrics = options.metrics ?? ['accuracy'];
  if (!Array.isArray(metrics)) throw new SomError('ERR_INVALID_CONFIG', `metrics: expected an array such as ['accuracy'], got ${JSON.stringify(metrics)}.`, { details: { field: 'metrics' } });
  for (const m of metrics) {
    if (!(METRICS as readonly unknown[]).includes(m)) {
      throw new SomError('ERR_INVALID_CONFIG', `metrics: unknown metric ${JSON.stringify(m)}; expected one of ${METRICS.map((x) => `'${x}'`).join(', ')}.`, { details: { field: 'metrics' } });
    }
  }
  return {
    learningRates: { som: nonNegative(lr.som ?? 0.001, 'learningRates.som'), dense: nonNegative(lr.dense ?? 0.0001, 'learningRates.dense') },
    lossWeights: { gamma: nonNegative(lw.gamma ?? 0.6, 'lossWeights.gamma'), eta: nonNegative(lw.eta ?? 0.0001, 'lossWeights.eta') },
    metrics: [...metrics],
  };
}

/** True when the compiled metrics ask for accuracy. */
export function wantsAccuracy(c: CompileConfig): boolean {
  return c.metrics.includes('accuracy') || c.metrics.includes('acc');
}
