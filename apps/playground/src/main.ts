// The somkit playground: pick a dataset (or drop a CSV), train a SOM live on the best tfjs
// backend, and watch the U-matrix, hit map and component planes after every epoch.
import './style.css';
import * as tf from '@tensorflow/tfjs-core';
// Bundled apps import the backends they ship: @somkit/runtime then finds them registered.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { useBackend, type BackendChoice, type BackendPreference } from '@somkit/runtime';
import { SOM } from '@somkit/core';
import { digits, iris, parseTable, wine, type ColumnRole, type Dataset, type Preprocessing, type Scaling } from '@somkit/datasets';
import { isSomError } from '@somkit/plugin-api';
import { renderComponentPlanes, renderCurve, renderHitMap, renderUMatrix, uMatrix, CLASS_COLORS } from './figures.js';
import { columnTableHtml, defaultChoices, DEFAULTS_NOTE, describeRoles, readCsv, setRole, type CsvSource } from './columns.js';

// The wasm binaries are copied next to the page at build time (vite.config.ts) and served by the
// dev server; point tfjs at them before the wasm backend's first initialisation.
setWasmPaths(new URL(`${import.meta.env.BASE_URL}tfjs-wasm/`, document.baseURI).href);

interface Table {
  name: string;
  n: number;
  d: number;
  /** Raw values [n, d]. */
  raw: Float32Array;
  featureNames: readonly string[];
  labels?: Int32Array | undefined;
  classNames?: readonly string[] | undefined;
  /** A CSV's pipeline: `raw` is already its transform (scaled, one-hot, NaN where missing). */
  pp?: Preprocessing | undefined;
  /** Missing feature cells (original cells, not dims); > 0 trains with `missing: 'mask'`. */
  missingCells?: number | undefined;
  /** The roles of the columns, for the status line. */
  roles?: string | undefined;
}

interface Run {
  ctrl: AbortController;
  done: Promise<void>;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};

const ui = {
  backend: $('backend'),
  backendNote: $('backend-note'),
  backendWhy: $('backend-why'),
  threads: $('threads'),
  fitTime: $('fit-time'),
  epoch: $('epoch'),
  epochsTotal: $('epochs-total'),
  status: $('status'),
  dataset: $<HTMLSelectElement>('dataset'),
  file: $<HTMLInputElement>('file'),
  dropzone: $('dropzone'),
  standardize: $<HTMLInputElement>('standardize'),
  columnsPanel: $('columns-panel'),
  columns: $('columns'),
  columnsNote: $('columns-note'),
  scaling: $<HTMLSelectElement>('scaling'),
  dataInfo: $('data-info'),
  topology: $<HTMLSelectElement>('topology'),
  rows: $<HTMLInputElement>('rows'),
  cols: $<HTMLInputElement>('cols'),
  rule: $<HTMLSelectElement>('rule'),
  epochs: $<HTMLInputElement>('epochs'),
  backendChoice: $<HTMLSelectElement>('backend-choice'),
  train: $<HTMLButtonElement>('train'),
  stop: $<HTMLButtonElement>('stop'),
  downloadModel: $<HTMLButtonElement>('download-model'),
  downloadSvgs: $<HTMLButtonElement>('download-svgs'),
  error: $('error'),
  umatrix: $('umatrix'),
  hitmap: $('hitmap'),
  curve: $('curve'),
  planes: $('planes'),
  planesNote: $('planes-note'),
  details: $('details'),
};

const SHIPPED: Record<string, () => Dataset> = { iris, wine, digits };
const MAX_PLANES_SHOWN = 24;

const state: {
  /** The selected data: what Train trains on. */
  table: Table;
  /** The data the current SOM was trained on (hover details, downloads). */
  trained?: Table | undefined;
  /** The uploaded CSV, its column choices and its table as read with them (undefined if that failed). */
  csv?: { source: CsvSource; table?: Table | undefined; error?: unknown } | undefined;
  run?: Run | undefined;
  som?: SOM | undefined;
  /** Mean and std of each feature (for showing weights in data units). */
  mean?: Float64Array;
  std?: Float64Array;
  weights?: Float32Array | undefined;
  bmus?: Int32Array | undefined;
  heights?: Float64Array | undefined;
  qe: number[];
  svgs: { umatrix?: string; hitmap?: string; planes?: string | undefined; curve?: string };
} = { table: fromDataset(iris()), qe: [], svgs: {} };

function fromDataset(ds: Dataset): Table {
  return { name: ds.name, n: ds.n, d: ds.d, raw: ds.data, featureNames: ds.featureNames, labels: ds.target, classNames: ds.classNames };
}

function setStatus(text: string): void {
  ui.status.textContent = text;
}

function showError(e: unknown): void {
  ui.error.hidden = false;
  ui.error.textContent = e instanceof Error ? e.message : String(e);
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

function intInput(el: HTMLInputElement, lo: number, hi: number, def: number): number {
  const v = Math.round(Number(el.value));
  const ok = Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : def;
  el.value = String(ok);
  return ok;
}

/** Standardised copy of the table ([n, d] float32), with the statistics used. */
function prepare(t: Table, standardize: boolean): { data: Float32Array; mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(t.d);
  const std = new Float64Array(t.d).fill(1);
  const data = new Float32Array(t.raw);
  // A CSV's pipeline has scaled it already (the column table's scaling).
  if (!standardize || t.pp !== undefined) return { data, mean, std };
  for (let i = 0; i < t.n; i++) for (let j = 0; j < t.d; j++) mean[j] = (mean[j] as number) + (t.raw[i * t.d + j] as number) / t.n;
  const v = new Float64Array(t.d);
  for (let i = 0; i < t.n; i++) for (let j = 0; j < t.d; j++) v[j] = (v[j] as number) + ((t.raw[i * t.d + j] as number) - (mean[j] as number)) ** 2 / Math.max(1, t.n - 1);
  for (let j = 0; j < t.d; j++) std[j] = Math.sqrt(v[j] as number) || 1;
  for (let i = 0; i < t.n; i++) for (let j = 0; j < t.d; j++) data[i * t.d + j] = ((t.raw[i * t.d + j] as number) - (mean[j] as number)) / (std[j] as number);
  return { data, mean, std };
}

function describeTable(t: Table): void {
  const labels = t.labels !== undefined ? `, labels: ${(t.classNames ?? []).slice(0, 6).join(', ') || 'integer ids'}` : ', no labels';
  const pp = t.pp !== undefined ? ` (${t.pp.columns.length} columns, ${t.pp.scaling})` : '';
  const missing = t.missingCells !== undefined ? `, ${missingText(t.missingCells)}` : '';
  ui.dataInfo.textContent = `${t.name}: ${t.n} samples × ${t.d} features${pp}${labels}${missing}`;
}

function missingText(cells: number): string {
  return cells === 0 ? 'no missing cells' : `${cells} missing cell${cells === 1 ? '' : 's'} (masked)`;
}

/** What the status line adds for a CSV: its missing cells and column roles. */
function dataNote(t: Table): string {
  return t.missingCells === undefined ? '' : ` · ${missingText(t.missingCells)} · ${t.roles ?? ''}`;
}

/**
 * The codebook [u, d] as the component planes show it: a CSV's numeric columns in their own units,
 * a boolean column as the share of true, one plane per category with its share (pp.inverse);
 * the shipped datasets as trained (standardized).
 */
function planeValues(t: Table, weights: Float32Array, units: number): Float32Array {
  if (t.pp === undefined) return weights;
  const out = new Float32Array(units * t.d);
  const cells = t.pp.inverse({ data: weights, shape: [units, t.d] });
  cells.forEach((row, u) => {
    let j = u * t.d;
    for (const c of row) {
      if (c.type === 'numeric') out[j++] = c.value;
      else if (c.type === 'boolean') out[j++] = c.value ? c.share : 1 - c.share;
      else for (const p of c.shares) out[j++] = p;
    }
  });
  return out;
}

/** The codebook now; inside onEpochEnd core keeps it readable while fit() runs. */
async function currentWeights(som: SOM): Promise<Float32Array | undefined> {
  try {
    return som.getWeights();
  } catch (e) {
    if (isSomError(e, 'ERR_NOT_FITTED')) return undefined;
    throw e;
  }
}

function majorityLabels(bmus: Int32Array, units: number, labels: Int32Array | undefined): Int32Array | undefined {
  if (labels === undefined) return undefined;
  const counts = new Map<number, Map<number, number>>();
  bmus.forEach((u, i) => {
    const m = counts.get(u) ?? new Map<number, number>();
    const l = labels[i] as number;
    m.set(l, (m.get(l) ?? 0) + 1);
    counts.set(u, m);
  });
  const out = new Int32Array(units).fill(-1);
  const ids = [...new Set(labels)].sort((a, b) => a - b);
  for (const [u, m] of counts) {
    let best = -1;
    let bestN = 0;
    for (const [l, n] of m) if (n > bestN) [best, bestN] = [l, n];
    // Colour index: the label's rank among the labels present.
    out[u] = best < 0 ? -1 : ids.indexOf(best);
  }
  return out;
}

function render(som: SOM, t: Table, weights: Float32Array, bmus: Int32Array): void {
  const grid = som.grid;
  const hits = new Int32Array(grid.units);
  for (const u of bmus) hits[u] = (hits[u] ?? 0) + 1;
  const heights = uMatrix(weights, t.d, grid);
  state.weights = weights;
  state.bmus = bmus;
  state.heights = heights;
  state.svgs.umatrix = renderUMatrix(grid, heights);
  state.svgs.hitmap = renderHitMap(grid, hits, majorityLabels(bmus, grid.units, t.labels));
  state.svgs.curve = renderCurve(state.qe);
  ui.umatrix.innerHTML = state.svgs.umatrix;
  ui.hitmap.innerHTML = state.svgs.hitmap;
  ui.curve.innerHTML = state.svgs.curve;
  // Planes: shown up to MAX_PLANES_SHOWN; the download has all of them.
  const names = t.featureNames;
  ui.planes.innerHTML = renderComponentPlanes(grid, planeValues(t, weights, grid.units), t.d, names, { max: MAX_PLANES_SHOWN });
  const units = t.pp !== undefined ? 'original units; yes/no and categories: share per unit' : 'standardized units';
  ui.planesNote.textContent = t.d > MAX_PLANES_SHOWN ? `(first ${MAX_PLANES_SHOWN} of ${t.d} features, ${units}; the SVG download has all)` : `(${t.d} features, ${units})`;
  state.svgs.planes = undefined; // rendered on demand (digits: 64 planes)
}

function showUnit(u: number): void {
  const som = state.som;
  const w = state.weights;
  const t = state.trained;
  if (som === undefined || w === undefined || t === undefined) return;
  const [row, col] = som.grid.position(u);
  const mine: number[] = [];
  state.bmus?.forEach((b, i) => {
    if (b === u) mine.push(i);
  });
  const byLabel = new Map<number, number>();
  if (t.labels !== undefined) for (const i of mine) byLabel.set(t.labels[i] as number, (byLabel.get(t.labels[i] as number) ?? 0) + 1);
  const ids = t.labels === undefined ? [] : [...new Set(t.labels)].sort((a, b) => a - b);
  const labelRows = [...byLabel.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `<li><span class="swatch" style="background:${CLASS_COLORS[ids.indexOf(l) % CLASS_COLORS.length]}"></span>${escapeHtml(t.classNames?.[l] ?? String(l))}: ${n}</li>`)
    .join('');
  // A CSV: one row per column through the pipeline (a category with its share); else per feature.
  const feats = t.pp !== undefined
    ? t.pp.inverse(w.subarray(u * t.d, (u + 1) * t.d)).map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.type === 'numeric' ? c.text : `${c.text} (${Math.round(c.share * 100)} %)`)}</td></tr>`).slice(0, 24)
    : Array.from({ length: t.d }, (_, j) => {
        const z = w[u * t.d + j] as number;
        const raw = z * (state.std?.[j] ?? 1) + (state.mean?.[j] ?? 0);
        return `<tr><td>${escapeHtml(t.featureNames[j] ?? `feature ${j}`)}</td><td>${raw.toPrecision(4)}</td></tr>`;
      }).slice(0, 24);
  ui.details.innerHTML =
    `<h2>Unit ${u}</h2><p>row ${row}, col ${col}<br>U-height ${(state.heights?.[u] ?? 0).toPrecision(4)}<br>${mine.length} sample${mine.length === 1 ? '' : 's'}</p>` +
    (labelRows ? `<ul class="labels">${labelRows}</ul>` : '') +
    `<table><thead><tr><th>feature</th><th>weight (data units)</th></tr></thead><tbody>${feats.join('')}</tbody></table>` +
    ((t.pp?.columns.length ?? t.d) > 24 ? `<p class="note">first 24 of ${t.pp?.columns.length ?? t.d} ${t.pp !== undefined ? 'columns' : 'features'}</p>` : '');
  for (const el of document.querySelectorAll('.hover')) el.classList.remove('hover');
  for (const el of document.querySelectorAll(`[data-unit="${u}"]`)) el.classList.add('hover');
}

function escapeHtml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function chooseBackend(pref: BackendPreference): Promise<BackendChoice> {
  const choice = await useBackend(pref);
  ui.backend.textContent = choice.backend;
  ui.backendNote.textContent = choice.refused.length > 0 ? `(refused: ${choice.refused.map((r) => r.backend).join(', ')})` : '';
  ui.backendNote.title = choice.refused.map((r) => `${r.backend}: ${r.reason}`).join('\n');
  ui.backendWhy.textContent = `why ${choice.backend}: ${whyText(choice)}`;
  showThreads(choice.backend);
  return choice;
}

/** One line: the runtime's reason for an 'auto' choice, or what was asked for. */
function whyText(choice: BackendChoice): string {
  if (choice.requested !== 'auto') return `asked for ${choice.requested} (pick 'auto (best)' to let the page choose)`;
  return choice.why ?? 'the first backend that works here';
}

/**
 * wasm's threads: tfjs-backend-wasm loads its threaded binary only on a cross-origin isolated page
 * (COOP same-origin + COEP require-corp: SharedArrayBuffer); its pool then has half of
 * `navigator.hardwareConcurrency` threads (1 to 8; `setThreadsCount` can only lower that).
 */
function showThreads(backend: string): void {
  let n = 0;
  if (backend === 'wasm') {
    try {
      n = getThreadsCount();
    } catch {
      n = 0;
    }
  }
  ui.threads.dataset['threads'] = String(n);
  ui.threads.dataset['isolated'] = String(globalThis.crossOriginIsolated === true);
  ui.threads.textContent =
    backend !== 'wasm'
      ? ''
      : globalThis.crossOriginIsolated === true
        ? `· ${n} thread${n === 1 ? '' : 's'} (cross-origin isolated: threaded build; tfjs uses half of the ${navigator.hardwareConcurrency} logical cores, 1 to 8)`
        : `· ${n} thread${n === 1 ? '' : 's'}: the page is not cross-origin isolated (see the README)`;
}

async function stopRun(): Promise<void> {
  const run = state.run;
  if (run === undefined) return;
  run.ctrl.abort();
  await run.done;
}

/** Stops a running fit, then trains a new SOM with the current settings. */
async function train(): Promise<void> {
  await stopRun();
  clearError();
  // A CSV whose column roles do not read: say why again instead of training on stale data.
  if (ui.dataset.value === 'csv' && state.csv?.table === undefined && state.csv?.error !== undefined) {
    setStatus('error: fix the column roles');
    showError(state.csv.error);
    return;
  }
  const ctrl = new AbortController();
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  state.run = { ctrl, done };
  ui.train.disabled = true;
  ui.stop.disabled = false;
  ui.downloadModel.disabled = true;
  ui.downloadSvgs.disabled = true;
  let x: tf.Tensor2D | undefined;
  try {
    setStatus('choosing a backend…');
    await chooseBackend(ui.backendChoice.value as BackendPreference);
    const t = state.table;
    state.trained = t;
    const { data, mean, std } = prepare(t, ui.standardize.checked);
    state.mean = mean;
    state.std = std;
    const rows = intInput(ui.rows, 2, 60, 10);
    const cols = intInput(ui.cols, 2, 60, 10);
    const epochs = intInput(ui.epochs, 1, 500, 20);
    const topology = ui.topology.value as 'hexagonal' | 'rectangular';
    state.som?.dispose();
    const som = new SOM({
      rows,
      cols,
      dims: t.d,
      epochs,
      topology,
      rule: ui.rule.value as 'batch-map' | 'minibatch',
      // σ, its schedule, init and seed: the library defaults (what a user of new SOM gets).
      // NaN cells of a CSV are missing values: BMUs and updates over each row's observed cells.
      ...((t.missingCells ?? 0) > 0 ? { missing: 'mask' as const } : {}),
      // Saved in the model JSON, so the download can read raw tables again.
      ...(t.pp !== undefined ? { preprocessing: t.pp.toJSON() } : {}),
    });
    state.som = som;
    state.qe = [];
    ui.epoch.textContent = '0';
    ui.epochsTotal.textContent = String(epochs);
    x = tf.tensor2d(data, [t.n, t.d]);
    await som.initialize(x);
    render(som, t, som.getWeights(), await som.identifyBmus(x));
    setStatus(`training ${rows}×${cols} ${topology}…${dataNote(t)}`);
    const xs = x;
    ui.fitTime.textContent = '';
    const t0 = performance.now();
    await som.fit(xs, {
      signal: ctrl.signal,
      yieldEvery: 'auto',
      onEpochEnd: async (e, logs) => {
        state.qe.push(logs.qe);
        // ?live=0 (benchmarks): draw only at the end.
        const w = live ? await currentWeights(som) : undefined;
        if (w !== undefined) render(som, t, w, await som.identifyBmus(xs));
        ui.epoch.textContent = String(e + 1);
        setStatus(`training… QE ${logs.qe.toFixed(4)}, TE ${logs.te.toFixed(3)}, ${(logs.seconds * 1000).toFixed(0)} ms/epoch${dataNote(t)}`);
      },
    });
    const fitMs = performance.now() - t0;
    ui.fitTime.dataset['ms'] = fitMs.toFixed(0);
    ui.fitTime.textContent = `· fit ${(fitMs / 1000).toFixed(2)} s`;
    render(som, t, som.getWeights(), await som.identifyBmus(xs));
    const ev = await som.evaluate(xs);
    setStatus(`done: QE ${ev.qe.toFixed(4)}, TE ${ev.te.toFixed(3)}${dataNote(t)}`);
  } catch (e) {
    if (isSomError(e, 'ERR_ABORTED')) setStatus(`stopped after ${ui.epoch.textContent} epochs${dataNote(state.trained ?? state.table)}`);
    else {
      setStatus('error');
      showError(e);
    }
  } finally {
    x?.dispose();
    state.run = undefined;
    ui.train.disabled = false;
    ui.stop.disabled = true;
    const ready = state.som?.isInitialized === true;
    ui.downloadModel.disabled = !ready;
    ui.downloadSvgs.disabled = !ready;
    finish();
  }
}

/**
 * Reads an uploaded CSV: every column's type and missing count (parseTable with no roles), the
 * default roles (columns.ts), then the table with those roles. Throws (to the page) only when the
 * file itself does not read; a role that does not work is shown under the column table.
 */
function loadCsv(name: string, text: string): void {
  const inferred = parseTable(text);
  const source: CsvSource = { name, text, inferred, choices: defaultChoices(inferred), scaling: ui.scaling.value as Scaling };
  state.csv = { source };
  rereadCsv();
  let opt = ui.dataset.querySelector<HTMLOptionElement>('option[value="csv"]');
  if (opt === null) {
    opt = document.createElement('option');
    opt.value = 'csv';
    ui.dataset.append(opt);
  }
  opt.textContent = `${name} (${inferred.n} × ${inferred.columns.length})`;
  ui.dataset.value = 'csv';
  selectDataset();
}

/** Re-reads the CSV with the current column choices and scaling, and redraws the column table. */
function rereadCsv(): void {
  const csv = state.csv;
  if (csv === undefined) return;
  const src = csv.source;
  clearError();
  try {
    const { table, pp, transformed: tr } = readCsv(src);
    const labels = table.labels;
    let classNames = table.labelNames;
    if (labels !== undefined && classNames === undefined) classNames = [...new Set(labels)].sort((a, b) => a - b).reduce<string[]>((acc, l) => ((acc[l] = String(l)), acc), []);
    csv.table = { name: src.name, n: tr.n, d: tr.d, raw: tr.data, featureNames: pp.featureNames, labels, classNames, pp, missingCells: tr.missingCells, roles: describeRoles(table) };
    csv.error = undefined;
    ui.columns.innerHTML = columnTableHtml(src, table);
  } catch (e) {
    csv.table = undefined;
    csv.error = e;
    showError(e);
    ui.columns.innerHTML = columnTableHtml(src, undefined);
  }
}

function selectDataset(): void {
  const v = ui.dataset.value;
  const isCsv = v === 'csv';
  ui.columnsPanel.hidden = !isCsv;
  // The column table's scaling applies to a CSV; the checkbox to the shipped datasets.
  ui.standardize.disabled = isCsv;
  const t = isCsv ? state.csv?.table : SHIPPED[v] !== undefined ? fromDataset((SHIPPED[v] as () => Dataset)()) : undefined;
  if (t === undefined) {
    if (isCsv) ui.dataInfo.textContent = `${state.csv?.source.name ?? 'CSV'}: the column roles do not read (see the message)`;
    return;
  }
  state.table = t;
  describeTable(t);
}

/** A role, "categorical" box or scaling changed: re-read; a running fit restarts with the new table. */
function columnsChanged(): void {
  rereadCsv();
  if (ui.dataset.value !== 'csv') return;
  selectDataset();
  if (state.csv?.table !== undefined && state.run !== undefined) void train();
}

async function readFile(file: File): Promise<void> {
  clearError();
  try {
    loadCsv(file.name, await file.text());
    void train();
  } catch (e) {
    showError(e);
  }
}

// ---- Wiring.
ui.train.addEventListener('click', () => void train());
ui.stop.addEventListener('click', () => state.run?.ctrl.abort());
ui.dataset.addEventListener('change', () => {
  selectDataset();
  if (state.run !== undefined) void train();
});
for (const el of [ui.topology, ui.rows, ui.cols, ui.rule, ui.epochs, ui.backendChoice, ui.standardize]) {
  // Settings apply at once: a running fit is stopped and restarted with them.
  el.addEventListener('change', () => {
    if (state.run !== undefined) void train();
  });
}
ui.columnsNote.textContent = DEFAULTS_NOTE;
ui.columns.addEventListener('change', (e) => {
  const el = e.target as HTMLInputElement | HTMLSelectElement;
  const src = state.csv?.source;
  const name = src?.inferred.columns[Number(el.dataset['column'])]?.name;
  if (src === undefined || name === undefined) return;
  if (el instanceof HTMLSelectElement) setRole(src, name, el.value as ColumnRole);
  else {
    const ch = src.choices.get(name);
    if (ch !== undefined) src.choices.set(name, { ...ch, categorical: el.checked, why: 'chosen in the page' });
  }
  columnsChanged();
});
ui.scaling.addEventListener('change', () => {
  if (state.csv === undefined) return;
  state.csv.source.scaling = ui.scaling.value as Scaling;
  columnsChanged();
});
ui.file.addEventListener('change', () => {
  const f = ui.file.files?.[0];
  if (f !== undefined) void readFile(f);
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.dropzone.classList.add('dragging');
});
document.addEventListener('dragleave', () => ui.dropzone.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.dropzone.classList.remove('dragging');
  const f = e.dataTransfer?.files?.[0];
  if (f !== undefined) void readFile(f);
});
ui.dropzone.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') ui.file.click();
});
document.getElementById('figures')?.addEventListener('pointerover', (e) => {
  const el = (e.target as Element | null)?.closest('[data-unit]');
  const u = el?.getAttribute('data-unit');
  if (u !== null && u !== undefined) showUnit(Number(u));
});
ui.downloadModel.addEventListener('click', () => {
  if (state.som?.isInitialized) download(`somkit-${(state.trained ?? state.table).name.replace(/\.[^.]*$/, '')}.json`, JSON.stringify(state.som.toJSON(), null, 1), 'application/json');
});
ui.downloadSvgs.addEventListener('click', () => {
  const som = state.som;
  const t = state.trained;
  if (som === undefined || state.weights === undefined || t === undefined) return;
  const base = `somkit-${t.name.replace(/\.[^.]*$/, '')}`;
  state.svgs.planes = renderComponentPlanes(som.grid, planeValues(t, state.weights, som.grid.units), t.d, t.featureNames);
  for (const [k, svg] of Object.entries(state.svgs)) if (svg !== undefined) download(`${base}-${k}.svg`, svg, 'image/svg+xml');
});

// ---- Query string: ?backend=NAME&dataset=NAME&autostart=1 (also rows, cols, epochs, topology, rule; live=0 draws only at the end; threads=N for wasm).
const q = new URLSearchParams(location.search);
const live = q.get('live') !== '0';
// ?threads=N: wasm's thread count (tfjs's default on an isolated page, and its cap, is half the logical cores).
const threadsParam = Number(q.get('threads'));
// Set on the package itself: the bundle's wasm backend is registered already, so useBackend's
// `threads` option (which imports the package by name) cannot reach it here.
if (Number.isInteger(threadsParam) && threadsParam >= 1) setThreadsCount(threadsParam);
const pick = (sel: HTMLSelectElement, v: string | null): void => {
  if (v !== null && [...sel.options].some((o) => o.value === v)) sel.value = v;
};
pick(ui.backendChoice, q.get('backend'));
pick(ui.dataset, q.get('dataset'));
pick(ui.topology, q.get('topology'));
pick(ui.rule, q.get('rule'));
for (const [key, el] of [['rows', ui.rows], ['cols', ui.cols], ['epochs', ui.epochs]] as const) {
  const v = q.get(key);
  if (v !== null) el.value = v;
}
selectDataset();
ui.epochsTotal.textContent = ui.epochs.value;
if (q.get('autostart') === '1') void train();
else {
  // Show which backend 'auto' would take without training yet.
  void chooseBackend(ui.backendChoice.value as BackendPreference).then(
    () => setStatus('idle: press Train'),
    (e: unknown) => showError(e),
  );
}
