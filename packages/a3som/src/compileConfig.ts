import { SomError } from '@somkit/plugin-api';
import type { Matrix } from './Matrix.js';
import { METRICS, metricValue, type MetricName } from './metricValue.js';
import { shown } from './shown.js';

export { METRICS, type MetricName };

/**
 * A metric function: the true class ids of the labelled rows [m] and their predicted
 * probabilities [m, C] → one number. It is computed over each epoch's labelled training rows
 * (and the validation rows as `val_<name>`) and in `evaluate`.
 */
export type MetricFn = (yTrue: Int32Array, yPred: Matrix) => number;

/**
 * A metric tracked by `fit` / `evaluate`: a Keras name (`'accuracy'`/`'acc'`, `'precision'`,
 * `'recall'`, `'auc'`, `'f1'`), a named function (its `name` keys the logs) or `{ name, fn }`.
 */
export type Metric = MetricName | MetricFn | { readonly name: string; readonly fn: MetricFn };

/** Options of {@link A3SOM.compile}. */
export interface CompileOptions {
  /** Adam learning rates: `som` for the prototypes, `dense` for the dense block. Default {som: 0.001, dense: 0.0001}. */
  learningRates?: { som?: number; dense?: number };
  /** Loss weights: L = CE + gamma·L_SOM + eta·R. Default {gamma: 0.6, eta: 0.0001}. */
  lossWeights?: { gamma?: number; eta?: number };
  /** Default ['accuracy']. Pass [] to skip accuracy. Functions are not saved in the model file (pass them to `compile` again after loading). */
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
  const names = new Set<string>();
  for (const m of metrics as readonly unknown[]) {
    const name = metricName(m);
    if (name === undefined) {
      throw new SomError('ERR_INVALID_CONFIG', `metrics: unknown metric ${shown(m)}; expected one of ${METRICS.map((x) => `'${x}'`).join(', ')}, a named function (yTrue, yPred) => number or {name, fn}.`, { details: { field: 'metrics' } });
    }
    if (names.has(name) || name === 'loss' || name === 'ce' || name === 'som' || name === 'reg' || name === 'temperature' || name === 'size') {
      throw new SomError('ERR_INVALID_CONFIG', `metrics: the name '${name}' is ${names.has(name) ? 'given twice' : 'taken by a loss term or log field'}; give each metric function a distinct name ({name: 'myMetric', fn}).`, { details: { field: 'metrics' } });
    }
    names.add(name);
  }
  return {
    learningRates: { som: nonNegative(lr.som ?? 0.001, 'learningRates.som'), dense: nonNegative(lr.dense ?? 0.0001, 'learningRates.dense') },
    lossWeights: { gamma: nonNegative(lw.gamma ?? 0.6, 'lossWeights.gamma'), eta: nonNegative(lw.eta ?? 0.0001, 'lossWeights.eta') },
    metrics: [...metrics],
  };
}

/** The log key of a metric (`'acc'` logs as `'accuracy'`), or undefined when it is not a metric. */
export function metricName(m: unknown): string | undefined {
  if (typeof m === 'string') return (METRICS as readonly string[]).includes(m) ? (m === 'acc' ? 'accuracy' : m) : undefined;
  if (typeof m === 'function') return m.name.length > 0 ? m.name : undefined;
  if (typeof m === 'object' && m !== null) {
    const { name, fn } = m as { name?: unknown; fn?: unknown };
    return typeof name === 'string' && name.length > 0 && typeof fn === 'function' ? name : undefined;
  }
  return undefined;
}

/** True when the compiled metrics ask for accuracy. */
export function wantsAccuracy(c: CompileConfig): boolean {
  return c.metrics.includes('accuracy') || c.metrics.includes('acc');
}

/** The compiled metrics other than accuracy, each as its log key and function. */
export function extraMetrics(c: CompileConfig): { key: string; fn: MetricFn }[] {
  const out: { key: string; fn: MetricFn }[] = [];
  for (const m of c.metrics) {
    if (m === 'accuracy' || m === 'acc') continue;
    if (typeof m === 'string') out.push({ key: m, fn: (y, p) => metricValue(m, y, p) });
    else if (typeof m === 'function') out.push({ key: m.name, fn: m });
    else out.push({ key: m.name, fn: m.fn });
  }
  return out;
}

/** The metrics a model file can hold: the names (functions are dropped). */
export function savedMetrics(c: CompileConfig): MetricName[] {
  return c.metrics.filter((m): m is MetricName => typeof m === 'string');
}
