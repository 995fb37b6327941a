import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codebookTable } from '../codebookTable.js';
import { writeNpyFile } from '@somkit/datasets/node';
import { parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, selectBackend } from '../common.js';
import type { Io } from '../Io.js';
import { checkOutDir, makeOutDir } from '../outputPath.js';

export const exportHelp = `Usage: somkit export --model model.json --out DIR [--backend NAME] [--json]

Writes DIR/weights.npy ([u, d] float32, row-major, unit u = row·cols + col) and
DIR/coords.npy ([u, 2] float32 plane coordinates (x, y) the neighbourhood uses:
rectangular (col, row); hexagonal odd-r (col + ½·[row odd], row·√3/2), unit neighbour spacing).
A model trained from a table (with a saved pipeline) also gets DIR/codebook.csv: one row per unit
(unit,row,col), each feature column in its original units — categorical and boolean columns as the
unit's most likely value and its share (NAME, NAME_share).
`;

const FLAGS = { model: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' } } as const;

/** The flags of `somkit export`. */
export const exportFlags: FlagSpec = FLAGS;

/** `somkit export`: codebook and grid coordinates as .npy. */
export async function exportModel(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('export', argv, FLAGS);
  const modelPath = required('export', v, 'model');
  const outDir = required('export', v, 'out');
  const dir = await checkOutDir(io, '--out', outDir);
  await selectBackend('export', v.backend, io, v.json === true);
  const som = await loadModel(io, modelPath);
  try {
    await makeOutDir(dir);
    const cb = som.getCodebook();
    const weights = join(dir, 'weights.npy');
    const coords = join(dir, 'coords.npy');
    await writeNpyFile(weights, cb.weights, [cb.units, cb.dims]);
    await writeNpyFile(coords, cb.coords, [cb.units, 2]);
    const table = som.preprocessing !== undefined ? join(dir, 'codebook.csv') : undefined;
    if (table !== undefined) await writeFile(table, codebookTable(som.preprocessing, cb.weights, cb.units, cb.cols));
    const result = { weights, coords, ...(table !== undefined ? { codebook: table } : {}), units: cb.units, d: cb.dims, rows: cb.rows, cols: cb.cols, topology: cb.topology, pbc: cb.pbc };
    if (v.json === true) io.out(`${JSON.stringify(result)}\n`);
    else io.out(`wrote ${weights} [${cb.units}, ${cb.dims}] and ${coords} [${cb.units}, 2]${table !== undefined ? ` and ${table} (original units)` : ''}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}
