import { buildIndex, collectSamples, RETRIEVAL_MODES } from '@somkit/jitl';
import { SomError } from '@somkit/plugin-api';
import { choiceFlag, intFlag, parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, selectBackend } from '../common.js';
import { modelFeatures, reportUnknown } from '../tableData.js';
import type { Io } from '../Io.js';
import { historyRows, modelPredictor } from './predict.js';

export const collectHelp = `Usage: somkit collect --model model.json --data QUERIES [--history FILE] [--mode MODE]
                      [--min-buffer N] [--order K] [--json]

Just-in-time-learning retrieval: for each sample of --data (the queries), the historical rows
found through the map (TorchSOM's collect_samples). Prints one JSON object on stdout:
{ mode, min_buffer, neighborhood_order, history, queries: [{ bmu, indices: [...] }, …] }, where
indices are 0-based data rows of the history file (header not counted), in retrieval order.

  --model FILE           a model written by somkit train
  --data FILE            the query samples (.csv with the training columns, or .npy)
  --history FILE         the historical samples (default: the training rows the model carries,
                         stored by 'somkit train --target'); read through the model's pipeline;
                         rows with a missing feature are never retrieved
  --mode MODE            bmu_neighborhood_knn (default: the BMU's cell and rings 1..order, then
                         whole cells by codebook distance while the buffer is too small) |
                         bmu_neighborhood | bmu_only
  --min-buffer N         knn mode: add cells while the buffer holds ≤ N rows, default 50
  --order K              grid rings around the BMU, default the model's neighbourhood order
  --ignore A,B           extra columns to leave out (--data and --history)
  --missing-values LIST  missing-value markers (default: the model's)
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --json                 accepted for symmetry: the output is always JSON
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  history: { type: 'string' },
  mode: { type: 'string' },
  'min-buffer': { type: 'string' },
  order: { type: 'string' },
  ignore: { type: 'string' },
  'missing-values': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit collect`. */
export const collectFlags: FlagSpec = FLAGS;

/** `somkit collect`: the historical rows retrieved for each query, as JSON on stdout. */
export async function collect(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('collect', argv, FLAGS);
  const modelPath = required('collect', v, 'model');
  const dataPath = required('collect', v, 'data');
  const mode = choiceFlag('collect', v, 'mode', RETRIEVAL_MODES) ?? 'bmu_neighborhood_knn';
  const minBuffer = intFlag('collect', v, 'min-buffer', 50, 0)!;
  await selectBackend('collect', v.backend, io, true);
  const som = await loadModel(io, modelPath);
  try {
    const order = intFlag('collect', v, 'order', som.config.neighborhoodOrder, 0)!;
    const hist = await historyRows('collect', io, som, modelPredictor(som) ?? {}, v.history, v);
    if (hist === undefined) {
      throw new SomError('ERR_INVALID_INPUT', `${modelPath} carries no training rows (it was trained without --target, or on more than 1,000,000 values). Pass the historical samples with --history FILE.`);
    }
    const file = await modelFeatures('collect', io, dataPath, v, som);
    reportUnknown('collect', io, file.unknown);
    const d = file.d;
    const data = { data: hist.history.features, shape: [hist.history.n, d] as const };
    const index = await buildIndex(som, data);
    const queries = Array.from({ length: file.n }, (_, i) => file.data.subarray(i * d, (i + 1) * d));
    const bmus = await som.identifyBmus({ data: file.data, shape: [file.n, d] });
    const buffers = file.n === 0 ? [] : await collectSamples(queries, { som, index, data, mode, minBufferThreshold: minBuffer, neighborhoodOrder: order, returnIndices: true });
    const out = {
      mode,
      min_buffer: minBuffer,
      neighborhood_order: order,
      history: v.history ?? 'model',
      queries: buffers.map((b, i) => ({ bmu: bmus[i]!, indices: Array.from(b.indices!, (k) => hist.rows[k]!) })),
    };
    io.out(`${JSON.stringify(out)}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}
