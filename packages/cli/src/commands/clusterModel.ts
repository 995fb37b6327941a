import { SomError } from '@somkit/plugin-api';
import { adjustedRandIndex, cluster, CLUSTER_METHODS, CLUSTER_SPACES, hitCounts, type ClusterOptions } from '@somkit/clustering';
import { renderClusterMap } from '@somkit/viz';
import { choiceFlag, intFlag, parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, round, selectBackend } from '../common.js';
import type { Io } from '../Io.js';
import { checkOutFile, writeOutput } from '../outputPath.js';
import { modelFeatures, reportUnknown } from '../tableData.js';

export const clusterHelp = `Usage: somkit cluster --model model.json --method kmeans|gmm|hdbscan [--data FILE] [--k K]
                      [--space weights|positions|combined] [--seed N] [--min-cluster-size N]
                      [--min-samples N] [--label-column NAME] [--ignore A,B] [--missing-values LIST]
                      [--svg FILE] [--backend NAME] [--json]

Clusters the units of a trained map. Labels are 0-based, one per unit (u = row·cols + col);
HDBSCAN marks noise units -1. Without --k, k-means picks k by the elbow of inertia and GMM by the
minimum BIC (the curve is printed).
--data (the training data, or data like it) weights each unit by its hits, the samples whose best
unit it is: units between groups hold few samples and no longer pull clusters apart, and HDBSCAN
leaves out units without hits (noise, -1) and counts --min-cluster-size in samples. A model
trained on a .csv applies its saved preprocessing to --data, as eval does. With --label-column,
the ARI of the samples' clusters (each sample takes its best unit's) against the labels is printed.
With --json the last stdout line is one JSON object with labels, k, method, space, metrics
(silhouette, daviesBouldin, calinskiHarabasz, topologicalCoherence, noiseRatio, nNoise), curve,
and with --data also hits and n (and ari with --label-column).

  --model FILE           a model written by somkit train or demo
  --method NAME          kmeans (default) | gmm | hdbscan
  --k K                  clusters (kmeans, gmm); default picked from the curve
  --space NAME           weights (default: the codebook vectors) | positions (grid coordinates) |
                         combined
  --seed N               k-means / GMM initialisation, default 42
  --min-cluster-size N   hdbscan, ≥ 2
  --min-samples N        hdbscan, ≥ 1
  --data FILE            weight the units by their hits on these samples
  --label-column NAME    with --data: print the ARI against these classes
  --ignore A,B           extra columns of --data to leave out
  --missing-values LIST  missing-value markers (default: the model's)
  --svg FILE             also write the cluster map as SVG
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --json                 one JSON object as the last stdout line (fields above)
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  'label-column': { type: 'string' },
  ignore: { type: 'string' },
  'missing-values': { type: 'string' },
  method: { type: 'string' },
  k: { type: 'string' },
  space: { type: 'string' },
  seed: { type: 'string' },
  'min-cluster-size': { type: 'string' },
  'min-samples': { type: 'string' },
  svg: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit cluster`. */
export const clusterFlags: FlagSpec = FLAGS;

const clean = (v: number): number | null => (Number.isFinite(v) ? round(v, 8) : null);

/** `somkit cluster`. */
export async function clusterModel(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('cluster', argv, FLAGS);
  const modelPath = required('cluster', v, 'model');
  const method = choiceFlag('cluster', v, 'method', CLUSTER_METHODS) ?? 'kmeans';
  const json = v.json === true;
  const svgPath = v.svg === undefined ? undefined : await checkOutFile(io, '--svg', v.svg, [modelPath]);
  await selectBackend('cluster', v.backend, io, json);
  const som = await loadModel(io, modelPath);
  try {
    // The library's 'Pass k: 1' would be nonsense here: one unit is one cluster whatever k is.
    if (som.units < 2) {
      throw new SomError('ERR_INVALID_INPUT', `--model ${modelPath}: clustering the units needs a map of at least 2 units, this map is ${som.config.rows} × ${som.config.cols} (${som.units} unit). Train a larger map (somkit train --rows R --cols C with R × C ≥ 2).`);
    }
    const options: ClusterOptions = { method };
    const k = intFlag('cluster', v, 'k', undefined);
    if (k !== undefined) options.k = k;
    const space = choiceFlag('cluster', v, 'space', CLUSTER_SPACES);
    if (space !== undefined) options.space = space;
    const seed = intFlag('cluster', v, 'seed', undefined, 0);
    if (seed !== undefined) options.seed = seed;
    const mcs = intFlag('cluster', v, 'min-cluster-size', undefined, 2);
    if (mcs !== undefined) options.minClusterSize = mcs;
    const ms = intFlag('cluster', v, 'min-samples', undefined, 1);
    if (ms !== undefined) options.minSamples = ms;
    // Hits of each unit on --data: the weights that make the codebook stand for the data.
    let sample: { hits: Float64Array; bmus: Int32Array; labels: Int32Array | undefined } | undefined;
    if (v.data !== undefined) {
      const file = await modelFeatures('cluster', io, v.data, v, som);
      reportUnknown('cluster', io, file.unknown);
      const bmus = await som.identifyBmus({ data: file.data, shape: [file.n, file.d] });
      sample = { hits: hitCounts(bmus, som.units), bmus, labels: file.labels };
      options.weights = sample.hits;
    }
    const res = await cluster(som, options);
    const ari = sample?.labels === undefined ? undefined : adjustedRandIndex(sample.labels, Array.from(sample.bmus, (b) => res.labels[b]!));
    const m = res.metrics;
    const result = {
      labels: Array.from(res.labels),
      k: res.k,
      method: res.method,
      space: res.space,
      units: som.units,
      metrics: {
        silhouette: clean(m.silhouette),
        daviesBouldin: clean(m.daviesBouldin),
        calinskiHarabasz: clean(m.calinskiHarabasz),
        topologicalCoherence: clean(m.topologicalCoherence),
        noiseRatio: clean(m.noiseRatio),
        nNoise: m.nNoise,
      },
      ...(res.curve ? { curve: { ks: res.curve.ks, values: res.curve.values.map(clean), criterion: res.curve.criterion } } : {}),
      ...(sample ? { n: sample.bmus.length, hits: Array.from(sample.hits) } : {}),
      ...(ari === undefined ? {} : { ari: clean(ari) }),
      ...(res.warning ? { warning: res.warning } : {}),
    };
    if (svgPath !== undefined) {
      const cb = som.getCodebook();
      await writeOutput(svgPath, renderClusterMap(res.labels, { rows: cb.rows, cols: cb.cols, topology: cb.topology, pbc: cb.pbc }, { title: `${res.method}, k = ${res.k}` }));
    }
    if (json) io.out(`${JSON.stringify(result)}\n`);
    else {
      io.out(`${res.method} on ${res.space}${sample ? ` weighted by the hits of ${sample.bmus.length} samples` : ''}: k = ${res.k}, silhouette ${m.silhouette.toFixed(3)}, Davies–Bouldin ${m.daviesBouldin.toFixed(3)}, topological coherence ${m.topologicalCoherence.toFixed(3)}${m.nNoise > 0 ? `, noise units ${m.nNoise}` : ''}\n`);
      if (ari !== undefined) io.out(`ARI of the samples' clusters against ${v['label-column']}: ${ari.toFixed(3)}\n`);
      if (res.curve) io.out(`${res.curve.criterion} by k: ${res.curve.ks.map((kk, i) => `${kk}:${res.curve!.values[i]!.toFixed(2)}`).join(' ')}\n`);
      for (let r = 0; r < som.config.rows; r++) {
        io.out(`${Array.from(res.labels.subarray(r * som.config.cols, (r + 1) * som.config.cols), (l) => (l < 0 ? '.' : String(l)).padStart(3)).join('')}\n`);
      }
      if (res.warning) io.out(`warning: ${res.warning}\n`);
    }
    return 0;
  } finally {
    som.dispose();
  }
}
