import type { Matrix } from './Matrix.js';

/** The metrics A3SOM knows by name (Keras strings); `'acc'` is an alias of `'accuracy'`. */
export const METRICS = ['accuracy', 'acc', 'precision', 'recall', 'auc', 'f1'] as const;
export type MetricName = (typeof METRICS)[number];

function argmax(p: Float32Array, i: number, C: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if (p[i * C + c]! > p[i * C + best]!) best = c;
  return best;
}

/** One-vs-rest ROC AUC of scores for `positive` (Mann–Whitney U, ties count ½); NaN without both kinds. */
function rocAuc(labels: Int32Array, p: Float32Array, C: number, positive: number): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a * C + positive]! - p[b * C + positive]!);
  let pos = 0;
  let rankSum = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && p[order[e + 1]! * C + positive] === p[order[s]! * C + positive]) e++;
    const rank = (s + e) / 2 + 1;
    for (let k = s; k <= e; k++) {
      if (labels[order[k]!] === positive) {
        pos++;
        rankSum += rank;
      }
    }
    s = e + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * A named metric of labelled rows. With two classes, precision / recall / f1 / auc are those of
 * class 1 (the positive class, as Keras and scikit-learn have them for binary labels); with
 * more, the unweighted mean over classes (macro): precision and recall of the argmax
 * predictions (0 for a class never predicted / never present), f1 the mean of per-class F1,
 * auc the mean one-vs-rest ROC AUC over the classes that have positives and negatives.
 * @param labels - true class ids of the labelled rows, shape [m]
 * @param probs - predicted probabilities of those rows, shape [m, C]
 * @returns the value (NaN when m = 0)
 */
export function metricValue(name: MetricName, labels: Int32Array, probs: Matrix): number {
  const m = labels.length;
  const C = probs.shape[1];
  const p = probs.data;
  if (m === 0) return Number.NaN;
  if (name === 'accuracy' || name === 'acc') {
    let ok = 0;
    for (let i = 0; i < m; i++) if (argmax(p, i, C) === labels[i]) ok++;
    return ok / m;
  }
  const classes = C === 2 ? [1] : Array.from({ length: C }, (_, c) => c);
  if (name === 'auc') {
    const v = classes.map((c) => rocAuc(labels, p, C, c)).filter((x) => !Number.isNaN(x));
    return v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length;
  }
  const tp = new Float64Array(C);
  const predicted = new Float64Array(C);
  const actual = new Float64Array(C);
  for (let i = 0; i < m; i++) {
    const k = argmax(p, i, C);
    predicted[k]! += 1;
    actual[labels[i]!]! += 1;
    if (k === labels[i]) tp[k]! += 1;
  }
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const per = classes.map((c) => {
    const precision = ratio(tp[c]!, predicted[c]!);
    const recall = ratio(tp[c]!, actual[c]!);
    return name === 'precision' ? precision : name === 'recall' ? recall : ratio(2 * precision * recall, precision + recall);
  });
  return per.reduce((a, b) => a + b, 0) / per.length;
}
