import { parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, round, selectBackend } from '../common.js';
import { modelFeatures, reportUnknown } from '../tableData.js';
import type { Io } from '../Io.js';

export const evalHelp = `Usage: somkit eval --model model.json --data FILE [--label-column NAME] [--ignore A,B]
                   [--missing-values LIST] [--backend NAME] [--json]

Quantization and topographic error of a trained model on data. A model trained on a .csv applies
its saved preprocessing (scaling, one-hot encoding) to --data: columns are matched by name, the
training file's label, target and ignored columns may be present, other extra columns need
--ignore. Categories not seen in training are read as missing (counted on stderr).
With --json: qe, te, n, backend, units, d, missing_cells (and unknown_categories when any).
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  'label-column': { type: 'string' },
  ignore: { type: 'string' },
  'missing-values': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit eval`. */
export const evalFlags: FlagSpec = FLAGS;

/** `somkit eval`: prints `qe`, `te`, `n` (JSON with --json). */
export async function evaluate(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('eval', argv, FLAGS);
  const modelPath = required('eval', v, 'model');
  const dataPath = required('eval', v, 'data');
  const json = v.json === true;
  const backend = await selectBackend('eval', v.backend, io, json);
  const som = await loadModel(io, modelPath);
  try {
    const file = await modelFeatures('eval', io, dataPath, v, som);
    reportUnknown('eval', io, file.unknown);
    const { qe, te, n } = await som.evaluate({ data: file.data, shape: [file.n, file.d] });
    const unknown = Object.keys(file.unknown).length > 0 ? { unknown_categories: file.unknown } : {};
    if (json) io.out(`${JSON.stringify({ qe: round(qe, 8), te: round(te, 8), n, backend: backend.backend, units: som.units, d: som.dims, missing_cells: file.missingCells, ...unknown })}\n`);
    else io.out(`QE ${qe.toFixed(6)}  TE ${te.toFixed(6)}  n ${n}${file.missingCells > 0 ? `  missing cells ${file.missingCells}` : ''}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}

