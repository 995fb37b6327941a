/** Label ids of a label column: see {@link labelIds}. */
export interface LabelIds {
  /** Label id per sample, shape [n]. */
  labels: Int32Array;
  /** `labelNames[id]` is the text of label `id`; absent when the ids are the integers as written. */
  labelNames?: string[];
}

const CANONICAL_INT = /^(?:0|-?[1-9]\d*)$/;

/**
 * Numbers the labels of a label column, keeping each label as written.
 *
 * Rule: when every label is a canonical int32 integer (`0`, `7`, `-1`: no sign `+`, no leading
 * zeros, no `-0`), the integers are the ids and there are no `labelNames` (the usual `0,1,2` class
 * column). Otherwise each distinct text is a class, numbered in order of first appearance, and
 * `labelNames` holds the texts: `007`, `7` and `+7` are three classes, not one.
 *
 * ```ts
 * labelIds(['2', '0', '2']);     // { labels: [2, 0, 2] }
 * labelIds(['007', '7', '+7']);  // { labels: [0, 1, 2], labelNames: ['007', '7', '+7'] }
 * ```
 * @param raw - label text per sample, length n
 */
export function labelIds(raw: readonly string[]): LabelIds {
  const labels = new Int32Array(raw.length);
  const canonical = raw.every((s) => {
    if (!CANONICAL_INT.test(s)) return false;
    const v = Number(s);
    return v >= -2147483648 && v <= 2147483647;
  });
  if (canonical) {
    raw.forEach((s, i) => (labels[i] = Number(s)));
    return { labels };
  }
  const ids = new Map<string, number>();
  const labelNames: string[] = [];
  raw.forEach((s, i) => {
    let id = ids.get(s);
    if (id === undefined) {
      id = labelNames.length;
      ids.set(s, id);
      labelNames.push(s);
    }
    labels[i] = id;
  });
  return { labels, labelNames };
}
