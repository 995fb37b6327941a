import { cluster, CLUSTER_METHODS, CLUSTER_SPACES, type ClusterOptions } from '@somkit/clustering';
import { renderClusterMap } from '@somkit/viz';
import { choiceFlag, intFlag, parseFlags, required } from '../args.js';
import { loadModel, round, selectBackend } from '../common.js';
import type { Io } from '../Io.js';
import { checkOutFile, writeOutput } from '../outputPath.js';

export const clusterHelp = `Usage: somkit cluster --model model.json --method kmeans|gmm|hdbscan [--k K] [--space weights|positions|combined]
                      [--seed N] [--min-cluster-size N] [--min-samples N] [--svg FILE] [--json]

Clusters the units of a trained map. Labels are 0-based, one per unit (u = row·cols + col);
HDBSCAN marks noise units -1. Without --k, k-means picks k by the elbow of inertia and GMM by the
minimum BIC (the curve is printed). With --json the last stdout line is one JSON object with
labels, k, method, space, metrics (silhouette, daviesBouldin, calinskiHarabasz,
topologicalCoherence, noiseRatio, nNoise) and curve.
`;

const FLAGS = {
  model: { type: 'string' },
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

const clean = (v: number): number | null => (Number.isFinite(v) ? round(v, 8) : null);

/** `somkit cluster`. */
export async function clusterModel(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('cluster', argv, FLAGS);
  const modelPath = required('cluster', v, 'model');
  const method = choiceFlag('cluster', v, 'method', CLUSTER_METHODS) ?? 'kmeans';
  const json = v.json === true;
  const svgPath = v.svg === undefined ? undefined : await checkOutFile(io, '--svg', v.svg, [modelPath]);
  await selectBackend('cluster', v.backend, io, true);
  const som = await loadModel(io, modelPath);
  try {
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
    const res = await cluster(som, options);
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
      ...(res.warning ? { warning: res.warning } : {}),
    };
    if (svgPath !== undefined) {
      const cb = som.getCodebook();
      await writeOutput(svgPath, renderClusterMap(res.labels, { rows: cb.rows, cols: cb.cols, topology: cb.topology, pbc: cb.pbc }, { title: `${res.method}, k = ${res.k}` }));
    }
    if (json) io.out(`${JSON.stringify(result)}\n`);
    else {
      io.out(`${res.method} on ${res.space}: k = ${res.k}, silhouette ${m.silhouette.toFixed(3)}, Davies–Bouldin ${m.daviesBouldin.toFixed(3)}, topological coherence ${m.topologicalCoherence.toFixed(3)}${m.nNoise > 0 ? `, noise units ${m.nNoise}` : ''}\n`);
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
