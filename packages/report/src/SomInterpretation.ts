import { buildMap, type MapTarget, type MatrixInput, type SOM } from '@somkit/core';
import { SomError, type Codebook, type MapData } from '@somkit/plugin-api';
import type { MapStyle } from '@somkit/viz';
import { renderClassificationMap } from '@somkit/viz';
import { renderCodebookColors } from '@somkit/viz';
import { renderComponentPlanes, type ComponentPlanesStyle } from '@somkit/viz';
import { renderHitMap } from '@somkit/viz';

/** Options of {@link SomInterpretation.fromSom}. */
export interface InterpretationOptions {
  /** Class id per sample [n] (integers indexing `classNames`), for `showPreds`. */
  labels?: MapTarget;
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

  private constructor(codebook: Codebook, bmus: Int32Array, hits: MapData, preds: MapData | undefined, options: InterpretationOptions) {
    this.codebook = codebook;
    this.bmus = bmus;
    this.hits = hits;
    this.preds = preds;
    this.featureNames = options.featureNames;
    this.classNames = options.classNames;
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
    const preds = options.labels === undefined ? undefined : await buildMap(som, 'classification', { bmus, target: options.labels });
    if (options.featureNames !== undefined && options.featureNames.length !== codebook.dims) {
      throw new SomError('ERR_SHAPE_MISMATCH', `SomInterpretation: expected ${codebook.dims} featureNames (one per feature), got ${options.featureNames.length}.`);
    }
    return new SomInterpretation(codebook, bmus, hits, preds, options);
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
   * Majority label per unit (fastsom `show_preds`), coloured by class with a legend.
   * @throws SomError ERR_INVALID_INPUT when no labels were given to `fromSom`
   */
  showPreds(style: MapStyle = {}): string {
    if (this.preds === undefined) {
      throw new SomError('ERR_INVALID_INPUT', 'showPreds needs labels: create the interpretation with SomInterpretation.fromSom(som, data, { labels }).');
    }
    return renderClassificationMap(this.preds, this.classNames, { title: 'Predicted class per unit', hits: this.hits.values, ...style });
  }
}
