import { SOM, suggestGrid, type SomOptions } from '@somkit/core';
import { CliError } from '../CliError.js';
import { choiceFlag, intFlag, numberFlag, parseFlags, required, type FlagSpec } from '../args.js';
import { computeOptions, INIT_MODES, pluginName, round, selectBackend, trainResult } from '../common.js';
import { TABLE_FLAGS, TABLE_FLAGS_HELP, trainingFeatures } from '../tableData.js';
import { progressBar } from '../progress.js';
import { checkOutFile, writeOutput } from '../outputPath.js';
import type { Io } from '../Io.js';
import { trainDistributed } from './trainDistributed.js';
import { buildPredictor } from '../predictor.js';
import { registry, type Json } from '@somkit/plugin-api';

/** The registered names of a kind for the help (the registry is filled before this module runs when main imports it). */
function registered(kind: 'distance' | 'neighborhood' | 'schedule', fallback: string): string {
  const names = registry.list(kind);
  const words = names.length > 0 ? names : fallback.split(', ');
  // Wrapped under the description column.
  const lines: string[] = [];
  for (const w of words) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + w.length + 2 <= 72) lines[last] += `, ${w}`;
    else lines.push(w);
  }
  return lines.join(',\n                         ');
}

export const trainHelp = `Usage: somkit train --data FILE(.csv|.npy) --out model.json [--rows R --cols C] [options]

Trains a SOM and writes a model file. Missing cells train a masked SOM (missing: 'mask').

  --data FILE            samples, .csv (header row; numeric, boolean and --categorical columns,
                         missing cells allowed) or .npy ([n, d] float32/float64, NaN = missing)
${TABLE_FLAGS_HELP}
  --scaling MODE         zscore (default for .csv) | minmax | none (default for .npy); fitted on
                         the training data and saved in the model with the one-hot encoding, so
                         eval, report and impute apply it to their --data
  --preset NAME          somkit (default: the defaults below, which give well-ordered maps) |
                         torchsom (TorchSOM's defaults exactly: sigma 1, lr 0.5, asymptotic_decay,
                         random init, minibatch, batch size 5); explicit flags win over either
  --rows R, --cols C     grid size; default from the data: about 5·√n units, sides in the ratio
                         of the two largest principal spreads (one given: the other from that count)
  --epochs E             default 10
  --batch-size B         default 32 (torchsom: 5)
  --rule RULE            batch-map (Kohonen batch map, default) | minibatch (TorchSOM rule,
                         the torchsom preset's)
  --topology T           rectangular (default) | hexagonal
  --pbc                  toroidal grid (hexagonal needs an even row count)
  --sigma S              initial neighbourhood radius, default max(rows, cols)/2 (torchsom: 1)
  --lr A                 initial learning rate (minibatch), default 0.5
  --init MODE            pca (default; random for one feature) | random (torchsom) | kmeans |
                         kmeans_cosine (a seeded k-means of the data with k = units, fastsom)
  --distance NAME        euclidean (default), or a registered distance:
                         ${registered('distance', 'sqeuclidean, cosine, manhattan, chebyshev')}
  --neighborhood NAME    gaussian (default), or a registered neighbourhood:
                         ${registered('neighborhood', 'mexican_hat, bubble, triangle')}
  --lr-decay NAME        default asymptotic_decay; --lr-decay and --sigma-decay take a registered
                         schedule: ${registered('schedule', 'asymptotic_decay, exponential, constant')}
  --sigma-decay NAME     default exponential down to 1 at the last epoch (torchsom: asymptotic_decay)
  --seed N               default 42
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --search NAME          search strategy, what "best unit" means (saved in the model): auto
                         (default: usearch on maps of ≥ 2048 units when installed, else
                         brute-force) | brute-force (exact) | usearch (approximate HNSW index)
  --engine NAME          engine, where the arithmetic runs (never saved): auto (default:
                         onnxruntime when it can run, else tfjs) | tfjs (the tfjs backend) |
                         onnxruntime (ONNX Runtime on all cores) | parallel (worker threads); a
                         forced engine fails with its reason when it cannot run here
  --out FILE             model file to write (JSON); with --target or --label-column it also
                         stores what 'somkit predict' needs: the target's per-unit count, sum and
                         sum of squares, the majority class per unit, and (for --method jitl) the
                         training rows, features scaled and target, while rows × (features + 1)
                         ≤ 1,000,000
  --json                 print one JSON object as the last stdout line (no progress bar)
  --distributed          train batch-map on 'somkit worker' processes through Redis (see docs)
  --redis URL            with --distributed: redis://host:port the workers listen on
  --shards N             with --distributed: row-range shards of --data, default 4
  --connect-timeout S    with --distributed: give up when Redis cannot be reached in S seconds, default 30
`;

const FLAGS = {
  data: { type: 'string' },
  preset: { type: 'string' },
  ...TABLE_FLAGS,
  scaling: { type: 'string' },
  rows: { type: 'string' },
  cols: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  rule: { type: 'string' },
  topology: { type: 'string' },
  pbc: { type: 'boolean' },
  sigma: { type: 'string' },
  lr: { type: 'string' },
  init: { type: 'string' },
  distance: { type: 'string' },
  neighborhood: { type: 'string' },
  'lr-decay': { type: 'string' },
  'sigma-decay': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  search: { type: 'string' },
  engine: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  distributed: { type: 'boolean' },
  redis: { type: 'string' },
  shards: { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const;

/** The flags of `somkit train`. */
export const trainFlags: FlagSpec = FLAGS;

/** `somkit train`: the contract other scripts rely on (flags and JSON fields are only ever added). */
export async function train(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('train', argv, FLAGS);
  const dataPath = required('train', v, 'data');
  const out = required('train', v, 'out');
  const json = v.json === true;
  // rows/cols left out are picked from the data once it is read (0 until then).
  const options: SomOptions = {
    rows: intFlag('train', v, 'rows', undefined) ?? 0,
    cols: intFlag('train', v, 'cols', undefined) ?? 0,
    dims: 1,
  };
  const set = <K extends keyof SomOptions>(k: K, val: SomOptions[K] | undefined): void => {
    if (val !== undefined) options[k] = val;
  };
  set('preset', choiceFlag('train', v, 'preset', ['somkit', 'torchsom'] as const));
  set('epochs', intFlag('train', v, 'epochs', undefined));
  set('batchSize', intFlag('train', v, 'batch-size', undefined));
  set('rule', choiceFlag('train', v, 'rule', ['minibatch', 'batch-map'] as const));
  set('topology', choiceFlag('train', v, 'topology', ['rectangular', 'hexagonal'] as const));
  set('pbc', v.pbc === true ? true : undefined);
  set('sigma', numberFlag('train', v, 'sigma'));
  set('learningRate', numberFlag('train', v, 'lr'));
  set('init', choiceFlag('train', v, 'init', INIT_MODES));
  // Plugin names are checked here, so a typo gets a did-you-mean (the registry is the list).
  const plugin = (flag: 'distance' | 'neighborhood' | 'lr-decay' | 'sigma-decay', kind: 'distance' | 'neighborhood' | 'schedule'): string | undefined => {
    const name = v[flag];
    if (name !== undefined) pluginName('train', flag, kind, name);
    return name;
  };
  set('distance', plugin('distance', 'distance'));
  set('neighborhood', plugin('neighborhood', 'neighborhood'));
  set('lrDecay', plugin('lr-decay', 'schedule'));
  set('sigmaDecay', plugin('sigma-decay', 'schedule'));
  set('seed', intFlag('train', v, 'seed', undefined, 0));
  Object.assign(options, await computeOptions('train', v, io));
  if (v.distributed === true || v.redis !== undefined || v.shards !== undefined || v['connect-timeout'] !== undefined) {
    if (v.rows === undefined || v.cols === undefined) {
      throw new CliError('somkit train: --distributed needs --rows and --cols (the grid is not picked from sharded data). Add e.g. --rows 20 --cols 15, or train without --distributed to size the map from the data.');
    }
    return trainDistributed(v, options, io);
  }
  // Before any work: a bad --out must not cost the training run.
  const path = await checkOutFile(io, '--out', out, [dataPath]);
  const backend = await selectBackend('train', v.backend, io, json);
  const scaling = choiceFlag('train', v, 'scaling', ['zscore', 'minmax', 'none'] as const);
  const file = await trainingFeatures('train', io, dataPath, v, scaling);
  options.dims = file.d;
  if (v.rows === undefined || v.cols === undefined) {
    // The grid from the (preprocessed) data, as SOM.forData picks it.
    const g = await suggestGrid({ data: file.data, shape: [file.n, file.d] }, { topology: options.topology, allowMissing: file.missingCells > 0 });
    if (v.rows === undefined && v.cols === undefined) [options.rows, options.cols] = [g.rows, g.cols];
    else if (v.rows === undefined) options.rows = Math.max(1, Math.round(g.units / options.cols));
    else options.cols = Math.max(1, Math.round(g.units / options.rows));
  }
  // Missing cells train a masked SOM; the pipeline travels in the model file.
  if (file.missingCells > 0) options.missing = 'mask';
  if (file.preprocessing !== undefined) options.preprocessing = file.preprocessing.toJSON();
  const som = new SOM(options);
  try {
    const data = { data: file.data, shape: [file.n, file.d] as const };
    const bar = json ? progressBar({ ...io, isTTY: false }, 1, '') : progressBar(io, som.config.epochs, 'training');
    const t0 = performance.now();
    await som.fit(data, {
      onEpochEnd: (e, logs) => bar.update(e + 1, `qe=${logs.qe.toFixed(4)} te=${logs.te.toFixed(4)}`),
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    bar.end();
    const { qe, te } = await som.evaluate(data);
    const model = som.toJSON();
    // --target / --label-column: what `somkit predict` needs, beside the pipeline.
    const predictor = await buildPredictor(som, file);
    if (predictor !== undefined && model.preprocessing !== undefined) model.preprocessing = { ...(model.preprocessing as Record<string, Json>), predictor: predictor as unknown as Json };
    await writeOutput(path, JSON.stringify(model));
    const result = {
      ...trainResult(som, { qe, te, trainSeconds, backend: backend.backend, n: file.n, d: file.d, model: path }),
      missing_cells: file.missingCells,
      columns: file.columns,
    };
    if (json) io.out(`${JSON.stringify(result)}\n`);
    else {
      io.out(`trained ${som.config.rows}×${som.config.cols} ${som.config.topology} SOM (${som.config.rule}) on ${file.n}×${file.d} in ${trainSeconds.toFixed(2)} s on ${backend.backend} (engine: ${som.engineChoice?.name ?? 'tfjs'}, search: ${som.searchName ?? 'brute-force'})\n`);
      if (file.missingCells > 0) io.out(`${file.missingCells} missing cells: trained with missing: 'mask'\n`);
      io.out(`QE ${qe.toFixed(6)}  TE ${te.toFixed(6)}\nmodel written to ${path}\n`);
    }
    return 0;
  } finally {
    som.dispose();
  }
}
