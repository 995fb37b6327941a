import { buildMap, type SOM } from '@somkit/core';
import { SomError } from '@somkit/plugin-api';
import type { Features } from './tableData.js';

/**
 * Most values (rows × (features + 1)) of training samples a model file carries for `--method
 * jitl`: 1,000,000 float32 are ~5.3 MB of base64. Larger training sets are not stored; `predict`
 * then needs `--history` (the training file) for jitl.
 */
export const MAX_STORED_VALUES = 1_000_000;

/**
 * What `somkit train` stores beside the pipeline (`preprocessing.predictor` in the model file) so
 * that `somkit predict` needs no training data: per-unit target statistics, per-unit classes and,
 * for JITL, the training samples (features after the pipeline, and the target).
 */
export interface PredictorJson {
  format: 'somkit.predictor';
  version: 1;
  /** The regression target: per unit [u] the count, sum and sum of squares of its training values. */
  target?: { name: string; count: number[]; sum: number[]; sumSq: number[] };
  /** The label: class texts and per unit [u] the majority class (index into classes, −1 = no sample). */
  label?: { name: string; classes: string[]; unitClass: number[] };
  /**
   * Training samples with every feature observed and a target: `features` base64 float32 [n, d],
   * `target` base64 float32 [n], `rows` base64 int32 [n] (their 0-based rows in the training file).
   */
  samples?: { n: number; d: number; features: string; target: string; rows: string };
}

/** A validated predictor, decoded. */
export interface Predictor {
  target?: { name: string; count: Float64Array; sum: Float64Array; sumSq: Float64Array } | undefined;
  label?: { name: string; classes: readonly string[]; unitClass: Int32Array } | undefined;
  samples?: { n: number; d: number; features: Float32Array; target: Float32Array; rows: Int32Array } | undefined;
}

const b64 = (a: Float32Array | Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromB64<T extends Float32Array | Int32Array>(s: string, Ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number, field: string): T {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== length * Ctor.BYTES_PER_ELEMENT) bad(field, `${length} values in base64`, `${Math.floor(bytes.length / Ctor.BYTES_PER_ELEMENT)}`);
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

function bad(field: string, expected: string, got: unknown): never {
  throw new SomError('ERR_MODEL_FORMAT', `preprocessing.predictor${field}: expected ${expected}, got ${typeof got === 'string' ? got : (JSON.stringify(got) ?? String(got)).slice(0, 80)}. The file was edited; retrain with somkit train to write it again.`, {
    details: { field: `preprocessing.predictor${field}` },
  });
}

/**
 * The predictor of a model trained on `file` (a table with a `--target` and/or a `--label-column`),
 * or undefined when it has neither.
 */
export async function buildPredictor(som: SOM, file: Features): Promise<PredictorJson | undefined> {
  const target = file.target;
  const targetName = file.roles?.target;
  const labelName = file.roles?.label;
  if ((target === undefined || targetName === undefined) && (file.labels === undefined || labelName === undefined)) return undefined;
  const bmus = await som.identifyBmus({ data: file.data, shape: [file.n, file.d] });
  const u = som.units;
  const out: PredictorJson = { format: 'somkit.predictor', version: 1 };
  if (target !== undefined && targetName !== undefined) {
    const count = new Array<number>(u).fill(0);
    const sum = new Array<number>(u).fill(0);
    const sumSq = new Array<number>(u).fill(0);
    for (let i = 0; i < file.n; i++) {
      const y = target[i]!;
      if (!Number.isFinite(y)) continue;
      const b = bmus[i]!;
      count[b]! += 1;
      sum[b]! += y;
      sumSq[b]! += y * y;
    }
    out.target = { name: targetName, count, sum, sumSq };
    // Complete rows for JITL, while the file stays reasonable.
    const keep: number[] = [];
    const d = file.d;
    for (let i = 0; i < file.n; i++) {
      if (!Number.isFinite(target[i]!)) continue;
      let ok = true;
      for (let j = 0; j < d && ok; j++) ok = Number.isFinite(file.data[i * d + j]!);
      if (ok) keep.push(i);
    }
    if (keep.length > 0 && keep.length * (d + 1) <= MAX_STORED_VALUES) {
      const features = new Float32Array(keep.length * d);
      keep.forEach((i, r) => features.set(file.data.subarray(i * d, (i + 1) * d), r * d));
      out.samples = { n: keep.length, d, features: b64(features), target: b64(Float32Array.from(keep, (i) => target[i]!)), rows: b64(Int32Array.from(keep)) };
    }
  }
  if (file.labels !== undefined && labelName !== undefined) {
    const ids = file.labels;
    let k = 0;
    for (const id of ids) k = Math.max(k, id + 1);
    const classes = Array.from({ length: k }, (_, id) => file.labelNames?.[id] ?? String(id));
    const map = await buildMap(som, 'classification', { bmus, target: ids });
    out.label = { name: labelName, classes, unitClass: Array.from(map.values, (c) => (Number.isFinite(c) ? c : -1)) };
  }
  return out;
}

/**
 * Reads and checks the predictor a model carries (`preprocessing.predictor`), or undefined.
 * @throws SomError `ERR_MODEL_FORMAT` naming the first bad field
 */
export function readPredictor(preprocessing: unknown, units: number, dims: number): Predictor | undefined {
  if (typeof preprocessing !== 'object' || preprocessing === null) return undefined;
  const p = (preprocessing as Record<string, unknown>).predictor;
  if (p === undefined) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(p)) bad('', 'an object', p);
  if (p.format !== 'somkit.predictor') bad('.format', '"somkit.predictor"', p.format);
  if (p.version !== 1) bad('.version', '1', p.version);
  const numbers = (v: unknown, field: string): Float64Array =>
    Array.isArray(v) && v.length === units && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? Float64Array.from(v as number[]) : bad(field, `${units} finite numbers (one per unit)`, v);
  const name = (v: unknown, field: string): string => (typeof v === 'string' ? v : bad(field, 'a string', v));
  const out: Predictor = {};
  if (p.target !== undefined) {
    const t = isObj(p.target) ? p.target : bad('.target', 'an object', p.target);
    out.target = { name: name(t.name, '.target.name'), count: numbers(t.count, '.target.count'), sum: numbers(t.sum, '.target.sum'), sumSq: numbers(t.sumSq, '.target.sumSq') };
  }
  if (p.label !== undefined) {
    const l = isObj(p.label) ? p.label : bad('.label', 'an object', p.label);
    const classes = Array.isArray(l.classes) && l.classes.length > 0 && l.classes.every((c) => typeof c === 'string') ? (l.classes as string[]) : bad('.label.classes', 'a non-empty array of strings', l.classes);
    const unitClass = numbers(l.unitClass, '.label.unitClass');
    if (unitClass.some((c) => !Number.isInteger(c) || c < -1 || c >= classes.length)) bad('.label.unitClass', `class indices in -1..${classes.length - 1}`, 'another value');
    out.label = { name: name(l.name, '.label.name'), classes, unitClass: Int32Array.from(unitClass) };
  }
  if (p.samples !== undefined) {
    const s = isObj(p.samples) ? p.samples : bad('.samples', 'an object', p.samples);
    const n = Number.isInteger(s.n) && (s.n as number) > 0 && (s.n as number) * (dims + 1) <= MAX_STORED_VALUES ? (s.n as number) : bad('.samples.n', `an integer in 1..${Math.floor(MAX_STORED_VALUES / (dims + 1))}`, s.n);
    if (s.d !== dims) bad('.samples.d', `${dims} (the codebook's dims)`, s.d);
    const str = (v: unknown, field: string): string => (typeof v === 'string' ? v : bad(field, 'a base64 string', v));
    const features = fromB64(str(s.features, '.samples.features'), Float32Array, n * dims, '.samples.features');
    const target = fromB64(str(s.target, '.samples.target'), Float32Array, n, '.samples.target');
    const rows = fromB64(str(s.rows, '.samples.rows'), Int32Array, n, '.samples.rows');
    if (!features.every(Number.isFinite) || !target.every(Number.isFinite)) bad('.samples', 'finite values', 'NaN or ±Infinity');
    out.samples = { n, d: dims, features, target, rows };
  }
  return out;
}
