import { buildMap, type MapTarget, type MatrixInput, type SOM } from '@somkit/core';
import { SomError, type Codebook } from '@somkit/plugin-api';
import { widestFeatures } from '@somkit/viz';
import { columnFigures, type ReportColumn } from './columnFigures.js';
import { formatNumber } from '@somkit/viz';
import type { Report } from '@somkit/viz';
import { reportHtml, type HtmlFigure } from './reportHtml.js';
import { renderClusterComparison, type ClusterComparisonEntry, type ClusterMetricsData } from '@somkit/viz';
import { renderClusterMap } from '@somkit/viz';
import { renderElbowCurve, type ElbowCurveData } from '@somkit/viz';
import { renderSilhouette } from '@somkit/viz';
import type { SilhouettePoints } from '@somkit/geometry';
import { renderTrainingCurves } from '@somkit/viz';
import { renderUMatrix } from '@somkit/viz';
import { renderMap } from '@somkit/viz';
import { SomInterpretation } from './SomInterpretation.js';
import { MAX_LEGEND_ENTRIES } from '@somkit/viz';
import { mergeSummary, summaryHas, type AutoSummaryRow } from './summaryRows.js';

/**
 * A clustering of the map's units, as plain data: the fields of `cluster()`'s result in
 * `@somkit/clustering` that the report uses (pass that result as it is).
 */
export interface ReportClusterResult {
  /** [u] cluster of each unit, 0-based, −1 = noise. */
  readonly labels: Int32Array | readonly number[];
  readonly k: number;
  readonly method: string;
  /** 'weights' (default), 'positions' or 'combined': the vectors the silhouette is computed on. */
  readonly space?: string;
  readonly metrics: ClusterMetricsData;
  /** The model-selection curve (automatic k); adds the elbow figure. */
  readonly curve?: ElbowCurveData | undefined;
}

/** The clustering part of {@link ReportInput}. */
export interface ReportClusters {
  readonly result: ReportClusterResult;
  /**
   * [u, f] the vectors that were clustered, for the silhouette. Default: from `result.space`:
   * the codebook (`weights`), the grid plane positions (`positions`) or both (`combined`).
   */
  readonly points?: SilhouettePoints;
  /** Names of the cluster ids (legends). */
  readonly classNames?: readonly string[];
  /** Results to compare (include `result` itself if it should be a row); adds 'cluster-comparison'. */
  readonly comparison?: readonly ClusterComparisonEntry[];
}

/** Inputs of {@link buildReport}. */
export interface ReportInput {
  /** A trained SOM (its `history` gives the training curves). */
  som: SOM;
  /** Samples [n, dims] for the hit map and the classification map. */
  data: MatrixInput;
  /** Class id per sample [n]; adds the classification map. */
  labels?: MapTarget;
  /** Name per feature [d] (component planes). */
  featureNames?: readonly string[];
  /** Name per class id (legend). */
  classNames?: readonly string[];
  /** Report title. Default 'SOM report'. */
  title?: string;
  /**
   * Rows of the summary table, shown first (e.g. dataset, seed, training time). A row that means
   * one the report computes (QE, TE, grid, samples, epochs, rule, …; matched by meaning, e.g.
   * `QE` = 'Quantization error (these samples)') replaces the computed one.
   */
  summary?: Record<string, string | number>;
  /** A clustering of the units (e.g. `await cluster(som.getCodebook())`); adds cluster map, elbow, silhouette and comparison figures. */
  clusters?: ReportClusters;
  /**
   * Most component planes drawn (default {@link MAX_COMPONENT_PLANES}). Wider data shows the
   * features whose codebook values spread the most (largest variance across units), in feature
   * order, and the caption says how many of how many.
   */
  maxComponentPlanes?: number;
  /**
   * The codebook in the data's original columns (e.g. read back through a table pipeline): the
   * component planes then show numeric columns in their own units and each categorical column as
   * a map of its most likely category, instead of the scaled and one-hot codebook dimensions.
   */
  columns?: readonly ReportColumn[];
  /**
   * A numeric regression target per sample; adds the target figures: mean and standard deviation
   * of the target per unit, the representativeness score and the rank by std (`buildMap`'s
   * `metric`, `score` and `rank`). Samples whose value is NaN (missing) are left out of them.
   */
  target?: ReportTarget;
}

/** The regression target of {@link ReportInput}. */
export interface ReportTarget {
  /** Column name, in the titles. */
  readonly name: string;
  /** [n] one value per sample of `data`; NaN where missing. */
  readonly values: Float32Array | Float64Array | readonly number[];
}

/** Component planes drawn by default: 2,000 planes made a 30-second PNG and an unreadable page. */
export const MAX_COMPONENT_PLANES = 24;

/** The vectors a codebook was clustered on (the `space` of `@somkit/clustering`), [u, f]. */
function spacePoints(cb: Codebook, space: string | undefined): SilhouettePoints {
  const withW = space !== 'positions';
  const withP = space === 'positions' || space === 'combined';
  const f = (withW ? cb.dims : 0) + (withP ? 2 : 0);
  const data = new Float64Array(cb.units * f);
  for (let u = 0; u < cb.units; u++) {
    let o = u * f;
    if (withW) for (let t = 0; t < cb.dims; t++) data[o++] = cb.weights[u * cb.dims + t]!;
    if (withP) {
      data[o++] = cb.coords[2 * u]!;
      data[o++] = cb.coords[2 * u + 1]!;
    }
  }
  return { data, shape: [cb.units, f] };
}

/** The metric (mean, std), score and rank maps of a regression target, as report figures. */
async function targetFigures(som: SOM, bmus: Int32Array, target: ReportTarget, hits: ArrayLike<number>): Promise<HtmlFigure[]> {
  if (target.values.length !== bmus.length) {
    throw new SomError('ERR_SHAPE_MISMATCH', `buildReport: expected target.values of length ${bmus.length} (one per sample of data), got ${target.values.length}.`);
  }
  const keep: number[] = [];
  for (let i = 0; i < bmus.length; i++) if (Number.isFinite(target.values[i]!)) keep.push(i);
  if (keep.length === 0) return [];
  const opts = { bmus: Int32Array.from(keep, (i) => bmus[i]!), target: Float64Array.from(keep, (i) => target.values[i]!) };
  const name = target.name;
  const left = keep.length < bmus.length ? ` ${bmus.length - keep.length} samples with a missing ${name} are left out.` : '';
  const mean = await buildMap(som, 'metric', { ...opts, reduction: 'mean' });
  const std = await buildMap(som, 'metric', { ...opts, reduction: 'std' });
  const score = await buildMap(som, 'score', opts);
  const rank = await buildMap(som, 'rank', opts);
  return [
    { name: 'target-mean', title: `Mean of ${name}`, svg: renderMap(mean, { title: `Mean of ${name} per unit`, colorbarLabel: name, hits }), caption: `The mean of ${name} over the samples of each unit: how the target varies across the map. Grey units have no samples.${left}` },
    { name: 'target-std', title: `Std of ${name}`, svg: renderMap(std, { title: `Std of ${name} per unit`, colorbarLabel: `std ${name}`, hits }), caption: `The standard deviation of ${name} within each unit (0 for one sample): low values mean the unit predicts ${name} well.${left}` },
    { name: 'target-score', title: `Score of ${name}`, svg: renderMap(score, { title: `Score of ${name} (lower = more representative)`, hits }), caption: `std/√n · ln(N/n) per unit: units with many samples of similar ${name} score low; use it to find the units whose mean is trustworthy.${left}` },
    { name: 'target-rank', title: `Rank of ${name}`, svg: renderMap(rank, { title: `Rank of units by std of ${name} (1 = highest)`, hits }), caption: `Units ranked by the standard deviation of ${name}, 1 = most spread: where the map mixes different values of the target.${left}` },
  ];
}

const show = (v: string | number): string => (typeof v === 'number' ? formatNumber(v, 4) : v);

/**
 * A one-page report of a trained SOM: summary table, training curves, U-matrix, hit map,
 * classification map (with labels), component planes and the codebook as PCA→RGB colours; with
 * `clusters`, also the cluster map, the elbow curve (automatic k), the silhouette plot and, with
 * `clusters.comparison`, the clustering comparison; with `target`, the target's mean, std, score
 * and rank maps.
 * Universal (no Node APIs): write it with `writeReport` from `@somkit/viz/node`, or show
 * `report.html` in a browser.
 * @returns `html` (self-contained: inline SVG and CSS, no network) and the `figures` as SVG strings
 *
 * ```ts
 * const report = await buildReport({ som, data: x, labels: y, featureNames, classNames, summary: { dataset: 'iris' } });
 * ```
 */
export async function buildReport(input: ReportInput): Promise<Report> {
  const { som, data } = input;
  const maxPlanes = input.maxComponentPlanes ?? MAX_COMPONENT_PLANES;
  if (!Number.isInteger(maxPlanes) || maxPlanes < 1) {
    throw new SomError('ERR_INVALID_INPUT', `buildReport: maxComponentPlanes must be an integer ≥ 1, got ${String(maxPlanes)}.`);
  }
  const title = input.title ?? 'SOM report';
  const interp = await SomInterpretation.fromSom(som, data, {
    ...(input.labels === undefined ? {} : { labels: input.labels }),
    ...(input.featureNames === undefined ? {} : { featureNames: input.featureNames }),
    ...(input.classNames === undefined ? {} : { classNames: input.classNames }),
  });
  const evaluation = await som.evaluate(data);
  // Mean (not sum) over the neighbours each unit has: edge and corner units, with fewer
  // neighbours, would otherwise look darker than they are.
  const umatrix = await buildMap(som, 'distance', { scaling: 'mean' });
  const g = som.grid;
  const h = som.history;
  const given: [string, string][] = Object.entries(input.summary ?? {}).map(([k, v]) => [k, show(v)]);
  // The Training row leaves out what the caller lists itself (e.g. the demo's 'epochs' and 'rule').
  const training = [
    summaryHas(given, ['epochs', 'epochs trained', 'training epochs']) ? '' : `${h.qe.length} epochs`,
    summaryHas(given, ['rule', 'training rule']) ? '' : `rule ${som.config.rule}`,
    summaryHas(given, ['distance']) ? '' : `distance ${som.plugins.distance.name}`,
  ].filter((x) => x !== '');
  const auto: AutoSummaryRow[] = [
    { label: 'Grid', value: `${g.rows} × ${g.cols} ${g.topology}${g.pbc ? ' (torus)' : ''}, ${g.units} units`, aliases: ['grid', 'map', 'grid size', 'map size'] },
    { label: 'Samples × features', value: `${evaluation.n} × ${som.dims}`, aliases: ['samples', 'n × d', 'shape'] },
    ...(training.length > 0 ? [{ label: 'Training', value: training.join(', '), aliases: [] }] : []),
    { label: 'Quantization error (these samples)', value: formatNumber(evaluation.qe, 4), aliases: ['QE', 'quantization error', 'quantisation error'] },
    { label: 'Topographic error (these samples)', value: Number.isFinite(evaluation.te) ? `${formatNumber(evaluation.te * 100, 3)} %` : '–', aliases: ['TE', 'topographic error'] },
    { label: 'Units without hits', value: `${interp.hits.values.filter((v) => v === 0).length} of ${g.units}`, aliases: ['empty units', 'dead units'] },
  ];
  const cl = input.clusters;
  if (cl !== undefined) {
    const r = cl.result;
    const mt = r.metrics;
    const scores = [
      Number.isFinite(mt.silhouette) ? `silhouette ${formatNumber(mt.silhouette, 3)}` : '',
      Number.isFinite(mt.daviesBouldin) ? `Davies–Bouldin ${formatNumber(mt.daviesBouldin, 3)} (lower is better)` : '',
      Number.isFinite(mt.topologicalCoherence) ? `topological coherence ${formatNumber(mt.topologicalCoherence, 3)}` : '',
      mt.noiseRatio > 0 ? `noise ${formatNumber(mt.noiseRatio * 100, 3)} %` : '',
    ].filter((x) => x !== '');
    auto.push({ label: 'Clusters', value: `${r.method}, k = ${r.k}${r.space !== undefined ? `, on ${r.space}` : ''}${scores.length > 0 ? `; ${scores.join(', ')}` : ''}`, aliases: ['clustering'] });
  }
  const summary = mergeSummary(given, auto);

  const hits = interp.hits.values;
  const figures: HtmlFigure[] = [];
  if (h.qe.length > 0) {
    figures.push({ name: 'training-curves', title: 'Training curves', svg: renderTrainingCurves(h), caption: 'Quantization error (mean distance of a sample to its best unit) and topographic error (share of samples whose two best units are not neighbours), per epoch. Both should fall and flatten.' });
  }
  figures.push({ name: 'u-matrix', title: 'U-matrix', svg: renderUMatrix(umatrix, { hits }), caption: 'Mean distance of each unit’s codebook vector to those of its grid neighbours (averaged over the neighbours it has, so edge units are not darker for having fewer), divided by the largest. Dark = close to its neighbours: inside a group of similar units (a cluster); bright = far from them: a border between clusters.' });
  figures.push({ name: 'hit-map', title: 'Hit map', svg: interp.showHitmap(), caption: 'Samples per unit (count in each cell up to 30 × 30 units). Evenly spread hits mean the map uses its units; many zeros mean the map is larger than the data needs.' });
  if (interp.preds !== undefined) {
    figures.push({ name: 'classification', title: 'Classification map', svg: interp.showPreds({ title: 'Classification map' }), caption: `Majority class of the samples of each unit; hatched light-grey units have no samples. Compact single-colour regions mean the classes separate on the map. The legend lists the classes that win at least one unit (the ${MAX_LEGEND_ENTRIES} that win the most when there are more).` });
  }
  if (input.columns !== undefined && input.columns.length > 0) {
    const { weights: _w, dims: _d, ...geometry } = interp.codebook;
    figures.push(...columnFigures(input.columns, geometry, hits, maxPlanes));
  } else {
    const planes = widestFeatures(interp.codebook, maxPlanes);
    const planesNote = planes.length < som.dims ? ` Showing the ${planes.length} of ${som.dims} features whose codebook values spread the most across the units (maxComponentPlanes).` : '';
    figures.push({ name: 'component-planes', title: 'Component planes', svg: interp.showFeatureHeatmaps(planes.length < som.dims ? planes : undefined, { title: 'Component planes' }), caption: `The codebook value of each feature on the map. Features with similar patterns are correlated.${planesNote}`, wide: planes.length > 2 });
  }
  if (input.target !== undefined) figures.push(...(await targetFigures(som, interp.bmus, input.target, hits)));
  figures.push({ name: 'codebook-pca', title: 'Codebook colours', svg: interp.showWeights(), caption: 'Each unit coloured by the first three principal components of the codebook: similar colours, similar prototypes.' });
  if (cl !== undefined) {
    const r = cl.result;
    const cb = interp.codebook;
    const names = cl.classNames === undefined ? {} : { classNames: cl.classNames };
    figures.push({ name: 'cluster-map', title: 'Cluster map', svg: renderClusterMap(r.labels, cb, { hits, title: `Cluster map (${r.method}, k = ${r.k})`, ...names }), caption: `The cluster of each unit (${r.method}). Clusters that form connected regions on the map agree with its topology; grey units are noise.` });
    if (r.curve !== undefined) {
      const bic = r.curve.criterion === 'bic';
      figures.push({ name: 'elbow', title: bic ? 'BIC curve' : 'Elbow curve', svg: renderElbowCurve(r.curve, { chosenK: r.k }), caption: bic ? 'Bayesian information criterion of the mixture per number of clusters; the lowest value chose k (marked).' : 'k-means inertia (within-cluster sum of squares) per number of clusters. It always falls; k sits at the elbow, where adding clusters stops paying off (marked).' });
    }
    const points = cl.points ?? spacePoints(cb, r.space);
    figures.push({ name: 'silhouette', title: 'Silhouette analysis', svg: renderSilhouette(points, r.labels, names), caption: 'Per unit, how much closer it is to its own cluster than to the next one (1: well inside, 0: on a border, < 0: probably misassigned), sorted within each cluster. The dashed line is the mean; noise units are left out.' });
    if (cl.comparison !== undefined && cl.comparison.length > 0) {
      figures.push({ name: 'cluster-comparison', title: 'Clustering comparison', svg: renderClusterComparison(cl.comparison), caption: 'Quality scores of each clustering. ★ marks the best by one rule: the highest score, the silhouette with noise units counted as 0 (silhouette × (1 − noise share)), so a clustering cannot win by calling the hard units noise. A dark bar marks the best value of each column. Higher silhouette, Calinski–Harabasz and topological coherence are better; lower Davies–Bouldin and noise share are better; silhouette, Davies–Bouldin and Calinski–Harabasz are over the non-noise units.', wide: true });
    }
  }
  return { html: reportHtml(title, summary, figures), figures: figures.map(({ name, title: t, svg }) => ({ name, title: t, svg })) };
}
