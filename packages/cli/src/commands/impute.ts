import { resolve } from 'node:path';
import type { InverseCell } from '@somkit/datasets';
import { parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, selectBackend } from '../common.js';
import { modelFeatures, numericFeatures, reportUnknown } from '../tableData.js';
import type { Io } from '../Io.js';
import { csvField } from '../csvField.js';
import { writeOutput } from '../outputPath.js';

export const imputeHelp = `Usage: somkit impute --model model.json --data FILE(.csv|.npy) --out OUT.csv [--label-column NAME]
                     [--ignore A,B] [--missing-values LIST] [--backend NAME] [--json]

Fills the missing cells of --data from the model and writes OUT.csv with the same columns as the
input (same header, same order). Observed cells are written as they were; each missing feature
cell gets the value of the row's best-matching unit (BMU over the observed cells), in original
units: numeric columns the codebook value (rounded when every training value was an integer),
boolean columns the more likely value, categorical columns the most likely category. A category
not seen in training stays as written (and counts as missing for the BMU). Missing cells of the
label, target and ignored columns are left as they are.

  --model FILE           a model trained with missing cells, or any model (a .csv model applies
                         its saved preprocessing)
  --data FILE            the rows to fill (.npy: columns are written as 0, 1, …)
  --out FILE             the CSV to write
  --json                 one JSON object: rows, missing_cells, filled_cells, unknown_categories, out
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  'label-column': { type: 'string' },
  ignore: { type: 'string' },
  'missing-values': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit impute`. */
export const imputeFlags: FlagSpec = FLAGS;

/** `somkit impute`: missing cells filled from the BMU's codebook vector. */
export async function impute(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('impute', argv, FLAGS);
  const modelPath = required('impute', v, 'model');
  const dataPath = required('impute', v, 'data');
  const outPath = resolve(io.cwd, required('impute', v, 'out'));
  const json = v.json === true;
  await selectBackend('impute', v.backend, io, json);
  const som = await loadModel(io, modelPath);
  try {
    // A model without a pipeline: the file's numeric columns as they are.
    const file = som.preprocessing === undefined || som.preprocessing === null ? await numericFeatures('impute', io, dataPath, v, som) : await modelFeatures('impute', io, dataPath, v, som);
    const pp = file.preprocessing!;
    reportUnknown('impute', io, file.unknown);
    const table = file.table!;
    const filled = await som.impute({ data: file.data, shape: [file.n, file.d] });

    // Which feature cells were missing: NaN in the first dim of the column.
    const dimOf: number[] = [];
    let off = 0;
    for (const c of pp.toJSON().columns) {
      dimOf.push(off);
      off += c.type === 'categorical' ? c.categories.length : 1;
    }
    const featureIndex = new Map(pp.columns.map((c, k) => [c.name, k]));
    const lines = [table.columns.map((c) => csvField(c.name)).join(',')];
    let filledCells = 0;
    for (let i = 0; i < file.n; i++) {
      let cells: InverseCell[] | undefined;
      const row: string[] = [];
      for (const c of table.columns) {
        const text = c.text?.[i] ?? (Number.isNaN(c.values[i]!) ? '' : float32Text(c.values[i]!));
        const k = featureIndex.get(c.name);
        const missingHere = k !== undefined && Number.isNaN(file.data[i * file.d + dimOf[k]!]!);
        // An unseen category is an observed cell: written as it was.
        const unseen = missingHere && !Number.isNaN(c.values[i]!);
        if (k === undefined || !missingHere || unseen) {
          row.push(csvField(text));
          continue;
        }
        cells ??= pp.inverse(filled.subarray(i * file.d, (i + 1) * file.d));
        row.push(csvField(cells[k]!.text));
        filledCells++;
      }
      lines.push(row.join(','));
    }
    await writeOutput(outPath, `${lines.join('\n')}\n`);
    const unknown = Object.keys(file.unknown).length > 0 ? { unknown_categories: file.unknown } : {};
    if (json) io.out(`${JSON.stringify({ rows: file.n, missing_cells: file.missingCells, filled_cells: filledCells, ...unknown, out: outPath })}\n`);
    else io.out(`filled ${filledCells} missing cells in ${file.n} rows; wrote ${outPath}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}

/** The shortest decimal that reads back as the same float32 (values of a .npy file). */
function float32Text(v: number): string {
  for (let p = 1; p < 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return String(t);
  }
  return String(Number(v.toPrecision(9)));
}
