import { parseFlags, required } from '../args.js';
import { loadData, loadModel, round, selectBackend } from '../common.js';
import { SomError } from '@somkit/plugin-api';
import type { Io } from '../Io.js';

export const evalHelp = `Usage: somkit eval --model model.json --data FILE [--label-column NAME] [--backend NAME] [--json]

Quantization and topographic error of a trained model on data.
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  'label-column': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `somkit eval`: prints `qe`, `te`, `n` (JSON with --json). */
export async function evaluate(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('eval', argv, FLAGS);
  const modelPath = required('eval', v, 'model');
  const dataPath = required('eval', v, 'data');
  const json = v.json === true;
  const backend = await selectBackend('eval', v.backend, io, json);
  const som = await loadModel(io, modelPath);
  try {
    const file = await loadData(io, dataPath, v['label-column']);
    if (file.d !== som.dims) {
      throw new SomError('ERR_SHAPE_MISMATCH', `The model expects ${som.dims} features per sample but ${dataPath} has ${file.d}. Pass the same columns as in training (use --label-column for the label).`);
    }
    const { qe, te, n } = await som.evaluate({ data: file.data, shape: [file.n, file.d] });
    if (json) io.out(`${JSON.stringify({ qe: round(qe, 8), te: round(te, 8), n, backend: backend.backend, units: som.units, d: som.dims })}\n`);
    else io.out(`QE ${qe.toFixed(6)}  TE ${te.toFixed(6)}  n ${n}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}
