import { resolve } from 'node:path';
import { buildReport, type ReportClusters, type ReportTarget } from '@somkit/report';
import { chooseCovariance, cluster, CLUSTER_METHODS, hitCounts, type ClusterMethod, type ClusterOptions, type ClusterResult, type CovarianceType } from '@somkit/clustering';
import { writeReport } from '@somkit/viz/node';
import type { SOM } from '@somkit/core';
import { SomError } from '@somkit/plugin-api';
import { choiceFlag, parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, round, selectBackend } from '../common.js';
import { modelFeatures, reportUnknown } from '../tableData.js';
import { reportColumns } from '../reportColumns.js';
import type { Io } from '../Io.js';
import { checkOutDir, makeOutDir } from '../outputPath.js';
import { samePartition } from '../samePartition.js';

export const reportHelp = `Usage: somkit report --model model.json --data FILE [--label-column NAME] [--target NAME] --out DIR [--title TEXT]
                     [--cluster kmeans|gmm|hdbscan] [--ignore A,B] [--missing-values LIST] [--no-png]
                     [--backend NAME] [--json]

Writes DIR/report.html — self-contained (inline SVG, no network): summary table, training curves,
U-matrix, hit map, component planes, classification map (with --label-column), PCA→RGB codebook —
and DIR/<figure>.png for each figure. With --cluster, also the cluster map, the elbow/BIC curve,
the silhouette plot and a comparison of the three clustering methods, each weighting the units by
their hits on --data (units between groups hold few samples). A model trained on a .csv
applies its saved preprocessing to --data (as eval does); component planes are in the columns' own units.
With --target NAME (a numeric column), also the target's mean and std per unit, the
representativeness score and the rank by std. A model trained with --label-column or --target
remembers them: when --data has those columns, the report draws them without the flags.

  --model FILE           a model written by somkit train or demo
  --data FILE            the samples to draw (.csv with the training columns, or .npy)
  --label-column NAME    classes for the classification map (default: the model's, when present)
  --target NAME          numeric column: its mean and std per unit (default: the model's)
  --out DIR              where to write report.html and the PNGs
  --title TEXT           the report's title, default 'SOM report — FILE'
  --cluster METHOD       kmeans | gmm | hdbscan: add the cluster figures
  --ignore A,B           extra columns of --data to leave out
  --missing-values LIST  missing-value markers (default: the model's)
  --no-png               write report.html only
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --json                 one JSON object: report, png, figures, qe, te
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  'label-column': { type: 'string' },
  target: { type: 'string' },
  ignore: { type: 'string' },
  'missing-values': { type: 'string' },
  out: { type: 'string' },
  title: { type: 'string' },
  'no-png': { type: 'boolean' },
  cluster: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit report`. */
export const reportFlags: FlagSpec = FLAGS;

/** Builds and writes the report of a trained SOM; shared by `report` and `demo`. */
export async function writeSomReport(
  som: SOM,
  dir: string,
  input: { data: Float32Array; n: number; d: number; labels?: Int32Array | undefined; featureNames?: readonly string[] | undefined; classNames?: readonly string[] | undefined; target?: ReportTarget | undefined; title: string; summary: Record<string, string | number>; png: boolean; cluster?: ClusterMethod | undefined },
): Promise<{ html: string; png: string[]; figures: string[] }> {
  let clusters: ReportClusters | undefined;
  if (input.cluster !== undefined && som.units < 2) {
    // The report picks k itself; the library's 'Pass k: 1' names an option this command lacks.
    throw new SomError('ERR_INVALID_INPUT', `--cluster ${input.cluster}: clustering the units needs a map of at least 2 units, this map has ${som.units}. Drop --cluster, or train a larger map.`);
  }
  if (input.cluster !== undefined) {
    // Every method weighted by the units' hits on the report's data, so units between groups
    // (few or no samples) do not pull clusters apart.
    const weights = hitCounts(await som.identifyBmus({ data: input.data, shape: [input.n, input.d] }), som.units);
    // The chosen method with automatic k, compared with the other two methods at the same k. A GMM
    // gets a diagonal covariance where a full one has more parameters than the units support
    // (it would only echo its k-means initialisation).
    const autoKMax = Math.min(10, Math.max(2, Math.floor(Math.sqrt(som.units))));
    const gmmOptions = (k: number | undefined) => ({ method: 'gmm' as const, covariance: chooseCovariance(som.units, som.dims, k ?? autoKMax), weights, ...(k === undefined ? {} : { k }) });
    const result = await cluster(som, input.cluster === 'gmm' ? gmmOptions(undefined) : { method: input.cluster, weights });
    const runs: { r: ClusterResult; covariance: CovarianceType | undefined }[] = [];
    for (const m of CLUSTER_METHODS) {
      const options: ClusterOptions = m === 'hdbscan' ? { method: m, weights } : m === 'gmm' ? gmmOptions(result.k) : { method: m, k: result.k, weights };
      const r = m === input.cluster ? result : await cluster(som, options);
      runs.push({ r, covariance: m !== 'gmm' ? undefined : gmmOptions(m === input.cluster ? undefined : result.k).covariance });
    }
    const comparison = runs.map(({ r, covariance }, i) => {
      const name = `${r.method}${covariance !== undefined ? `, ${covariance}` : ''} (k = ${r.k})`;
      // Say so when two methods put the units in the same groups: one result, not two agreeing ones.
      const twin = runs.slice(0, i).find((o) => samePartition(o.r.labels, r.labels));
      return { method: r.method, k: r.k, metrics: r.metrics, label: twin === undefined ? name : `${name} = ${twin.r.method}` };
    });
    clusters = { result, comparison };
  }
  const report = await buildReport({
    som,
    ...(clusters ? { clusters } : {}),
    data: { data: input.data, shape: [input.n, input.d] },
    title: input.title,
    summary: input.summary,
    ...(input.labels ? { labels: input.labels } : {}),
    ...(input.featureNames ? { featureNames: input.featureNames } : {}),
    ...(input.classNames ? { classNames: input.classNames } : {}),
    ...(input.target ? { target: input.target } : {}),
    // A model trained from a table: component planes in the table's own columns and units.
    ...(som.preprocessing !== undefined ? { columns: reportColumns(som.preprocessing, som.getWeights(), som.units)! } : {}),
  });
  await makeOutDir(dir);
  const written = await writeReport(dir, report, { png: input.png });
  return { ...written, figures: report.figures.map((f) => f.name) };
}

/** `somkit report`. */
export async function report(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('report', argv, FLAGS);
  const modelPath = required('report', v, 'model');
  const dataPath = required('report', v, 'data');
  const out = await checkOutDir(io, '--out', required('report', v, 'out'));
  const json = v.json === true;
  const backend = await selectBackend('report', v.backend, io, json);
  const som = await loadModel(io, modelPath);
  try {
    const file = await modelFeatures('report', io, dataPath, v, som, { roles: true });
    reportUnknown('report', io, file.unknown);
    const { qe, te } = await som.evaluate({ data: file.data, shape: [file.n, file.d] });
    // Grid, training (epochs, rule), QE and TE are rows the report computes itself.
    const summary: Record<string, string | number> = {
      model: modelPath,
      data: `${dataPath} (${file.n} × ${file.d})`,
      'training time (s)': round(som.history.seconds.reduce((a, b) => a + b, 0), 4),
      backend: backend.backend,
    };
    // Names only for labels written as text (ids numbered 0..); integer labels are their own names
    // (the legend says 'class 10'): a list of the sorted values would name ids 0, 1, 2 instead.
    const classNames = file.labelNames;
    const written = await writeSomReport(som, out, {
      data: file.data, n: file.n, d: file.d, labels: file.labels, featureNames: file.featureNames, classNames,
      target: file.target !== undefined && file.roles?.target !== undefined ? { name: file.roles.target, values: file.target } : undefined,
      title: v.title ?? `SOM report — ${dataPath}`, summary, png: v['no-png'] !== true,
      cluster: choiceFlag('report', v, 'cluster', CLUSTER_METHODS),
    });
    if (json) io.out(`${JSON.stringify({ report: written.html, png: written.png, figures: written.figures, qe: round(qe, 8), te: round(te, 8) })}\n`);
    else io.out(`wrote ${written.html} and ${written.png.length} PNG figures\n`);
    return 0;
  } finally {
    som.dispose();
  }
}
