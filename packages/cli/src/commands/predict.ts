import type { SOM } from '@somkit/core';
import { SomError } from '@somkit/plugin-api';
import { choiceFlag, intFlag, numberFlag, parseFlags, required, type FlagSpec } from '../args.js';
import { loadModel, round, selectBackend } from '../common.js';
import { checkOutFile, writeOutput } from '../outputPath.js';
import { readPredictor, type Predictor } from '../predictor.js';
import { PREDICT_METHODS, predictClasses, predictTargets, type History } from '../predictValues.js';
import { modelFeatures, reportUnknown, type Features } from '../tableData.js';
import type { Io } from '../Io.js';
import { csvField } from '../csvField.js';

export const predictHelp = `Usage: somkit predict --model model.json --data FILE --out OUT.csv [--method NAME] [--json]

Writes OUT.csv with one row per sample of --data, in order: bmu,row,col (the best-matching unit
and its grid row and column), plus prediction when the model was trained with --target (the
target estimate) or --label-column (the class, as written in the training file). The label and
target columns may be present in --data (they are not features); when they are, --json reports
the RMSE / MAE or the accuracy against them.

  --model FILE           a model written by somkit train (a .csv model applies its pipeline)
  --data FILE            the samples to predict (.csv with the training columns, or .npy)
  --out FILE             the CSV to write
  --method NAME          for a target: jitl (default: a ridge linear model on the training rows
                         retrieved around the BMU, mode bmu_neighborhood_knn; a buffer too small
                         for the features falls back to its mean) | unit (the BMU's mean training
                         target) | jitl-mean (the mean target of the retrieved rows) | blend (the
                         average of unit and jitl). See bench/README.md for how they compare.
  --min-buffer N         jitl: add cells until the buffer holds more than N rows; default
                         max(50, 10·(d + 1)): ten rows per parameter of the local model (d the
                         model's scaled dims)
  --ridge R              jitl: ridge penalty of the local model (scaled features), default 1
  --history FILE         jitl: the training file (with the target column), for a model that does
                         not carry its training rows (more than 1,000,000 values)
  --ignore A,B           extra columns of --data to leave out
  --missing-values LIST  missing-value markers (default: the model's)
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --json                 one JSON object: n, out, method, and rmse/mae/accuracy when known
`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  method: { type: 'string' },
  'min-buffer': { type: 'string' },
  ridge: { type: 'string' },
  history: { type: 'string' },
  ignore: { type: 'string' },
  'missing-values': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit predict`. */
export const predictFlags: FlagSpec = FLAGS;

/**
 * The default JITL buffer: ten rows per parameter of a local linear model on d dims (d
 * coefficients and an intercept), at least TorchSOM's 50. Measured on diabetes (bench/README.md):
 * 50 rows for 11 parameters overfit the local models.
 */
export function defaultMinBuffer(d: number): number {
  return Math.max(50, 10 * (d + 1));
}

/** The model's predictor (`preprocessing.predictor`), checked, or undefined when it has none. */
export function modelPredictor(som: SOM): Predictor | undefined {
  return readPredictor(som.preprocessing, som.units, som.dims);
}

/**
 * The JITL training rows: those the model carries, else `--history FILE` read through the
 * model's pipeline with its target column.
 */
export async function historyRows(command: string, io: Io, som: SOM, predictor: Predictor, path: string | undefined, v: { ignore?: string | undefined; 'missing-values'?: string | undefined }): Promise<{ history: History; rows: Int32Array } | undefined> {
  if (path === undefined) {
    const s = predictor.samples;
    return s === undefined ? undefined : { history: { features: s.features, target: s.target, n: s.n }, rows: s.rows };
  }
  const name = predictor.target?.name;
  const file = await modelFeatures(command, io, path, { ...v, ...(name !== undefined ? { target: name } : {}) }, som);
  const keep: number[] = [];
  const d = file.d;
  for (let i = 0; i < file.n; i++) {
    let ok = file.target === undefined || Number.isFinite(file.target[i]!);
    for (let j = 0; j < d && ok; j++) ok = Number.isFinite(file.data[i * d + j]!);
    if (ok) keep.push(i);
  }
  if (keep.length === 0) throw new SomError('ERR_EMPTY_INPUT', `--history ${path}: no row has every feature${name !== undefined ? ` and ${JSON.stringify(name)}` : ''} observed. Pass the training file.`);
  const features = new Float32Array(keep.length * d);
  keep.forEach((i, r) => features.set(file.data.subarray(i * d, (i + 1) * d), r * d));
  const target = file.target === undefined ? new Float32Array(keep.length) : Float32Array.from(keep, (i) => file.target![i]!);
  return { history: { features, target, n: keep.length }, rows: Int32Array.from(keep) };
}

/** `somkit predict`: BMU and, for models trained with a target or a label, the prediction per sample. */
export async function predict(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('predict', argv, FLAGS);
  const modelPath = required('predict', v, 'model');
  const dataPath = required('predict', v, 'data');
  const json = v.json === true;
  const method = choiceFlag('predict', v, 'method', PREDICT_METHODS) ?? 'jitl';
  const minBufferFlag = intFlag('predict', v, 'min-buffer', undefined, 0);
  const ridge = numberFlag('predict', v, 'ridge', 0) ?? 1;
  const outPath = await checkOutFile(io, '--out', required('predict', v, 'out'), [modelPath, dataPath]);
  await selectBackend('predict', v.backend, io, json);
  const som = await loadModel(io, modelPath);
  try {
    const predictor = modelPredictor(som);
    const minBuffer = minBufferFlag ?? defaultMinBuffer(som.dims);
    const file: Features = await modelFeatures('predict', io, dataPath, v, som, { roles: true });
    reportUnknown('predict', io, file.unknown);
    const bmus = await som.identifyBmus({ data: file.data, shape: [file.n, file.d] });
    const cols = som.config.cols;
    const header = ['bmu', 'row', 'col'];
    let predictions: string[] | undefined;
    const result: Record<string, unknown> = { n: file.n };
    if (predictor?.target !== undefined) {
      const usesHistory = method !== 'unit';
      const hist = usesHistory ? await historyRows('predict', io, som, predictor, v.history, v) : undefined;
      const { values, fallbacks } = await predictTargets(som, predictor, file.data, file.n, bmus, { method, minBuffer, ridge, history: hist?.history });
      predictions = Array.from(values, (x) => (Number.isFinite(x) ? String(Number(x.toPrecision(7))) : ''));
      Object.assign(result, { target: predictor.target.name, method, ...(usesHistory ? { min_buffer: minBuffer, ridge, jitl_fallbacks: fallbacks } : {}) });
      if (file.target !== undefined) {
        let se = 0;
        let ae = 0;
        let k = 0;
        file.target.forEach((y, i) => {
          if (!Number.isFinite(y) || !Number.isFinite(values[i]!)) return;
          se += (values[i]! - y) ** 2;
          ae += Math.abs(values[i]! - y);
          k++;
        });
        if (k > 0) Object.assign(result, { rmse: round(Math.sqrt(se / k), 8), mae: round(ae / k, 8), scored: k });
      }
    } else if (predictor?.label !== undefined) {
      predictions = predictClasses(som, predictor, bmus);
      Object.assign(result, { label: predictor.label.name });
      if (file.labels !== undefined) {
        const truth = Array.from(file.labels, (id) => file.labelNames?.[id] ?? String(id));
        Object.assign(result, { accuracy: round(truth.filter((t, i) => t === predictions![i]).length / file.n, 8) });
      }
    } else if (v.method !== undefined) {
      throw new SomError('ERR_INVALID_INPUT', `--method applies to models trained with --target, and ${modelPath} was trained without one (it predicts only the BMU). Retrain with --target NAME, or drop --method.`);
    }
    if (predictions !== undefined) header.push('prediction');
    const lines = [header.join(',')];
    for (let i = 0; i < file.n; i++) {
      const b = bmus[i]!;
      const row = [String(b), String(Math.floor(b / cols)), String(b % cols)];
      if (predictions !== undefined) row.push(csvField(predictions[i]!));
      lines.push(row.join(','));
    }
    await writeOutput(outPath, `${lines.join('\n')}\n`);
    result.out = outPath;
    if (json) io.out(`${JSON.stringify(result)}\n`);
    else io.out(`predicted ${file.n} samples${predictions === undefined ? ' (BMUs only: the model has no target or label)' : ''}; wrote ${outPath}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}
