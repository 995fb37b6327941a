import { buildMap, type MapTarget, type MatrixInput, type SOM } from '@somkit/core';
import { SomError, type Codebook, type MapData } from '@somkit/plugin-api';
import type { MapStyle } from '@somkit/viz';
import { renderClassificationMap } from '@somkit/viz';
import { renderCodebookColors } from '@somkit/viz';
import { renderComponentPlanes, type ComponentPlanesStyle } from '@somkit/viz';
import { renderHitMap } from '@somkit/viz';
import { renderMap } from '@somkit/viz';

/** Options of {@link SomInterpretation.showPreds}. */
export interface ShowPredsOptions {
  /**
   * Continuous labels only (fastsom `show_preds(n_bins=5)`): the number of quantile bins (sklearn
   * `KBinsDiscretizer`'s default strategy, ordinal; bins narrower than 1e-8 are merged, as sklearn
   * does), each unit showing its members' majority bin. ≤ 0: each unit shows its members' mean
   * value on a continuous scale instead. Default 5.
   */
  nBins?: number;
}

/**
 * Quantile bin edges of `v` for `nBins` bins (numpy's linear percentile), with the edges of bins
 * narrower than 1e-8 dropped (sklearn `KBinsDiscretizer(strategy='quantile')`).
 */
function quantileEdges(v: Float64Array, nBins: number): number[] {
  const s = Float64Array.from(v).sort();
  const q = (p: number): number => {
    const at = p * (s.length - 1);
    const lo = Math.floor(at);
    return lo + 1 < s.length ? s[lo]! + (s[lo + 1]! - s[lo]!) * (at - lo) : s[lo]!;
  };
  const edges = [q(0)];
  for (let b = 1; b <= nBins; b++) {
    const e = q(b / nBins);
    if (e - edges[edges.length - 1]! > 1e-8 || (b === nBins && edges.length === 1)) edges.push(e);
  }
  return edges;
}

/** Bin of `x` among `edges` (searchsorted-right on the inner edges, as sklearn's transform). */
function binOf(x: number, edges: readonly number[]): number {
  let b = 0;
  while (b < edges.length - 2 && x >= edges[b + 1]!) b++;
  return b;
}

/** Short label of a number for bin names. */
function short(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

/** Options of {@link SomInterpretation.fromSom}. */
export interface InterpretationOptions {
  /**
   * Per sample [n], for `showPreds`: class ids (integers indexing `classNames`), or continuous
   * values (any non-integer present, or `continuous: true`), which `showPreds` bins.
   */
  labels?: MapTarget;
  /** Treat integer-valued labels as continuous (binned by `showPreds`). Default: continuous when any label is not an integer. */
  continuous?: boolean;
  /** Name per feature [d]. */
  featureNames?: readonly string[];
  /** Name per class id. */
  classNames?: readonly string[];
}

/**
 * fast.ai-style interpretation of a trained SOM (fastsom `SomInterpretation`): computes the BMUs
 * of a dataset once, then draws hit map, codebook colours, feature heatmaps and per-unit
 * predictions, each as an SVG string.
 *
 * Differences from fastsom: units are flattened with the column count (fastsom's
 * `idxs_2d_to_1d` used the row count), predictions land on each BMU's own cell, and ties in the
 * majority vote are broken deterministically (see `buildMap(som, 'classification')`).
 *
 * ```ts
 * const interp = await SomInterpretation.fromSom(som, x, { labels: y, featureNames, classNames });
 * document.body.innerHTML = interp.showHitmap() + interp.showPreds();
 * ```
 */
export class SomInterpretation {
  /** The codebook [u, d] with the grid geometry (a copy). */
  readonly codebook: Codebook;
  /** BMU of each sample, [n]. */
  readonly bmus: Int32Array;
  /** Samples per unit. */
  readonly hits: MapData;
  /** Majority label per unit (NaN for empty units), when labels were given. */
  readonly preds: MapData | undefined;
  readonly featureNames: readonly string[] | undefined;
  readonly classNames: readonly string[] | undefined;
  /** Continuous labels [n] (float64 copy), binned by `showPreds`; undefined for class ids. */
  readonly values: Float64Array | undefined;

  private constructor(codebook: Codebook, bmus: Int32Array, hits: MapData, preds: MapData | undefined, options: InterpretationOptions, values?: Float64Array) {
    this.codebook = codebook;
    this.bmus = bmus;
    this.hits = hits;
    this.values = values;
    this.featureNames = options.featureNames;
    this.classNames = options.classNames;
    this.preds = preds ?? (values === undefined ? undefined : this.binnedPreds(5).map);
  }

  /**
   * Per-unit predictions of continuous labels: the majority quantile bin of each unit's members
   * (ties to the lower bin), or their mean for `nBins` ≤ 0; NaN for empty units.
   */
  private binnedPreds(nBins: number): { map: MapData; names?: string[] } {
    const v = this.values!;
    const u = this.codebook.units;
    const values = new Float32Array(u).fill(Number.NaN);
    const base = { rows: this.codebook.rows, cols: this.codebook.cols, topology: this.codebook.topology, pbc: this.codebook.pbc };
    if (nBins <= 0) {
      const sum = new Float64Array(u);
      const count = new Float64Array(u);
      this.bmus.forEach((k, i) => {
        sum[k] = sum[k]! + v[i]!;
        count[k] = count[k]! + 1;
      });
      for (let k = 0; k < u; k++) if (count[k]! > 0) values[k] = sum[k]! / count[k]!;
      return { map: { type: 'mean', values, ...base, label: 'mean label' } };
    }
    const edges = quantileEdges(v, nBins);
    const bins = edges.length - 1;
    const votes = new Int32Array(u * bins);
    this.bmus.forEach((k, i) => {
      const at = k * bins + binOf(v[i]!, edges);
      votes[at] = votes[at]! + 1;
    });
    for (let k = 0; k < u; k++) {
      let best = -1;
      for (let b = 0; b < bins; b++) if (votes[k * bins + b]! > 0 && (best < 0 || votes[k * bins + b]! > votes[k * bins + best]!)) best = b;
      if (best >= 0) values[k] = best;
    }
    const names = Array.from({ length: bins }, (_, b) => `${short(edges[b]!)}–${short(edges[b + 1]!)}`);
    return { map: { type: 'classification', values, ...base, label: 'label bin' }, names };
  }

  /**
   * fastsom `from_learner`, for a somkit SOM.
   * @param som - a trained SOM
   * @param data - samples [n, dims]
   * @param options - labels [n], featureNames [d], classNames
   * @throws SomError as `buildMap` (shape, non-finite labels, …)
   */
  static async fromSom(som: SOM, data: MatrixInput, options: InterpretationOptions = {}): Promise<SomInterpretation> {
    const codebook = som.getCodebook();
    const bmus = await som.identifyBmus(data);
    const hits = await buildMap(som, 'hit', { bmus });
    const labels = options.labels;
    const continuous = labels !== undefined && (options.continuous === true || Array.prototype.some.call(labels, (v: unknown) => typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)));
    // Class ids go through the classification map (which also checks them); continuous values are checked here.
    const preds = labels === undefined || continuous ? undefined : await buildMap(som, 'classification', { bmus, target: labels });
    let values: Float64Array | undefined;
    if (continuous) {
      if (labels.length !== bmus.length) throw new SomError('ERR_SHAPE_MISMATCH', `SomInterpretation: expected ${bmus.length} labels (one per sample), got ${labels.length}.`);
      values = Float64Array.from(labels as ArrayLike<number>);
      const bad = values.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new SomError('ERR_NON_FINITE', `SomInterpretation: expected finite labels, got ${String(labels[bad])} at labels[${bad}]. Remove or impute those samples first.`, { details: { index: bad } });
    }
    if (options.featureNames !== undefined && options.featureNames.length !== codebook.dims) {
      throw new SomError('ERR_SHAPE_MISMATCH', `SomInterpretation: expected ${codebook.dims} featureNames (one per feature), got ${options.featureNames.length}.`);
    }
    return new SomInterpretation(codebook, bmus, hits, preds, options, values);
  }

  /** Hit map: samples per unit, counts written in the cells (fastsom `show_hitmap`). */
  showHitmap(style: MapStyle = {}): string {
    return renderHitMap(this.hits, style);
  }

  /** Codebook as RGB: PCA of the codebook to 3 components, each scaled to 0–255 (fastsom `show_weights`). */
  showWeights(style: Pick<MapStyle, 'title' | 'size'> = {}): string {
    return renderCodebookColors(this.codebook, { ...style, hits: this.hits.values });
  }

  /**
   * One heatmap per feature: the component planes (fastsom `show_feature_heatmaps`).
   * @param featureIndices - features to show; default all
   */
  showFeatureHeatmaps(featureIndices?: readonly number[], style: ComponentPlanesStyle = {}): string {
    return renderComponentPlanes(this.codebook, this.featureNames, {
      title: 'Feature heatmaps',
      hits: this.hits.values,
      ...style,
      ...(featureIndices === undefined ? {} : { features: featureIndices }),
    });
  }

  /**
   * Majority label per unit (fastsom `show_preds`), coloured by class with a legend. Continuous
   * labels are binned first (`options.nBins` quantile bins, default 5; the legend names each
   * bin's range), or shown as each unit's mean on a continuous scale with `nBins` ≤ 0.
   * @throws SomError ERR_INVALID_INPUT when no labels were given to `fromSom`, or `nBins` is not an integer
   */
  showPreds(style: MapStyle = {}, options: ShowPredsOptions = {}): string {
    if (this.preds === undefined) {
      throw new SomError('ERR_INVALID_INPUT', 'showPreds needs labels: create the interpretation with SomInterpretation.fromSom(som, data, { labels }).');
    }
    if (this.values === undefined) {
      return renderClassificationMap(this.preds, this.classNames, { title: 'Predicted class per unit', hits: this.hits.values, ...style });
    }
    const nBins = options.nBins ?? 5;
    if (!Number.isInteger(nBins)) {
      throw new SomError('ERR_INVALID_INPUT', `showPreds: expected nBins to be an integer (bins of the continuous labels; ≤ 0 for each unit's mean), got ${String(nBins)}.`);
    }
    const { map, names } = this.binnedPreds(nBins);
    if (names === undefined) return renderMap(map, { title: 'Mean label per unit', hits: this.hits.values, ...style });
    return renderClassificationMap(map, names, { title: `Predicted label bin per unit (${names.length} quantile bins)`, hits: this.hits.values, ...style });
  }
}
