import { buildMap, type MapTarget, type MatrixInput, type SOM } from '@somkit/core';
import { formatNumber } from './formatNumber.js';
import type { Report } from './Report.js';
import { reportHtml, type HtmlFigure } from './reportHtml.js';
import { renderTrainingCurves } from './renderTrainingCurves.js';
import { renderUMatrix } from './renderUMatrix.js';
import { SomInterpretation } from './SomInterpretation.js';

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
  /** Rows of the summary table, shown first (e.g. dataset, seed, training time). */
  summary?: Record<string, string | number>;
}

const show = (v: string | number): string => (typeof v === 'number' ? formatNumber(v, 4) : v);

/**
 * A one-page report of a trained SOM: summary table, training curves, U-matrix, hit map,
 * classification map (with labels), component planes and the codebook as PCA→RGB colours.
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
  const title = input.title ?? 'SOM report';
  const interp = await SomInterpretation.fromSom(som, data, {
    ...(input.labels === undefined ? {} : { labels: input.labels }),
    ...(input.featureNames === undefined ? {} : { featureNames: input.featureNames }),
    ...(input.classNames === undefined ? {} : { classNames: input.classNames }),
  });
  const evaluation = await som.evaluate(data);
  const umatrix = await buildMap(som, 'distance');
  const g = som.grid;
  const h = som.history;
  const summary: [string, string][] = Object.entries(input.summary ?? {}).map(([k, v]) => [k, show(v)]);
  const auto: [string, string][] = [
    ['Grid', `${g.rows} × ${g.cols} ${g.topology}${g.pbc ? ' (torus)' : ''}, ${g.units} units`],
    ['Samples × features', `${evaluation.n} × ${som.dims}`],
    ['Training', `${h.qe.length} epochs, rule ${som.config.rule}, distance ${som.plugins.distance.name}`],
    ['Quantization error (these samples)', formatNumber(evaluation.qe, 4)],
    ['Topographic error (these samples)', Number.isFinite(evaluation.te) ? `${formatNumber(evaluation.te * 100, 3)} %` : '–'],
    ['Units without hits', `${interp.hits.values.filter((v) => v === 0).length} of ${g.units}`],
  ];
  const known = new Set(summary.map(([k]) => k));
  for (const row of auto) if (!known.has(row[0])) summary.push(row);

  const hits = interp.hits.values;
  const figures: HtmlFigure[] = [];
  if (h.qe.length > 0) {
    figures.push({ name: 'training-curves', title: 'Training curves', svg: renderTrainingCurves(h), caption: 'Quantization error (mean distance of a sample to its best unit) and topographic error (share of samples whose two best units are not neighbours), per epoch. Both should fall and flatten.' });
  }
  figures.push({ name: 'u-matrix', title: 'U-matrix', svg: renderUMatrix(umatrix, { hits }), caption: 'Distance of each unit to its neighbours. Dark regions are groups of similar units (clusters); bright ridges are borders between them.' });
  figures.push({ name: 'hit-map', title: 'Hit map', svg: interp.showHitmap(), caption: 'Samples per unit (count in each cell up to 30 × 30 units). Evenly spread hits mean the map uses its units; many zeros mean the map is larger than the data needs.' });
  if (interp.preds !== undefined) {
    figures.push({ name: 'classification', title: 'Classification map', svg: interp.showPreds({ title: 'Classification map' }), caption: 'Majority class of the samples of each unit; grey units have no samples. Compact single-colour regions mean the classes separate on the map.' });
  }
  figures.push({ name: 'component-planes', title: 'Component planes', svg: interp.showFeatureHeatmaps(undefined, { title: 'Component planes' }), caption: 'The codebook value of each feature on the map. Features with similar patterns are correlated.', wide: som.dims > 2 });
  figures.push({ name: 'codebook-pca', title: 'Codebook colours', svg: interp.showWeights(), caption: 'Each unit coloured by the first three principal components of the codebook: similar colours, similar prototypes.' });
  return { html: reportHtml(title, summary, figures), figures: figures.map(({ name, title: t, svg }) => ({ name, title: t, svg })) };
}
