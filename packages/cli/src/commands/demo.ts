import { join } from 'node:path';
import { SOM } from '@somkit/core';
import { datasetNames, loadDataset } from '@somkit/datasets';
import { choiceFlag, intFlag, parseFlags, type FlagSpec } from '../args.js';
import { INIT_MODES, round, selectBackend } from '../common.js';
import { progressBar } from '../progress.js';
import { checkOutDir, makeOutDir, writeOutput } from '../outputPath.js';
import { writeSomReport } from './report.js';
import { standardize } from '../standardize.js';
import type { Io } from '../Io.js';

export const demoHelp = `Usage: somkit demo [--out DIR] [--dataset iris|wine|digits] [--epochs E] [--init MODE] [--seed N]
                   [--backend NAME] [--json]

The main job: trains a hexagonal SOM with the library's defaults (grid sized from the data, PCA
init, batch-map rule, sigma from the grid down to 1 — what SOM.forData and 'somkit train' without
--rows/--cols give) on a real dataset shipped with
somkit (default: digits, 1797 handwritten 8×8 digits), printing progress, and writes
DIR/model.json, DIR/summary.json, DIR/summary.txt and DIR/report.html with a PNG per figure
(default DIR: out/demo).
Features are z-scored first (recorded in summary.json).

  --out DIR              where to write, default out/demo
  --dataset NAME         iris | wine | digits (default)
  --epochs E             default: the library's (10)
  --init MODE            pca (default) | random | kmeans | kmeans_cosine
  --seed N               default 42
  --backend NAME         auto (default) | wasm | cpu | webgpu | tensorflow
  --json                 print summary.json's object as the last stdout line (no progress)
`;

const FLAGS = {
  out: { type: 'string' },
  dataset: { type: 'string' },
  epochs: { type: 'string' },
  init: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit demo`. */
export const demoFlags: FlagSpec = FLAGS;


/** `somkit demo`. */
export async function demo(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('demo', argv, FLAGS);
  const json = v.json === true;
  const name = choiceFlag('demo', v, 'dataset', datasetNames) ?? 'digits';
  const epochsFlag = intFlag('demo', v, 'epochs', undefined);
  const init = choiceFlag('demo', v, 'init', INIT_MODES);
  const seed = intFlag('demo', v, 'seed', undefined, 0);
  const outDir = await checkOutDir(io, '--out', v.out ?? join('out', 'demo'));
  const backend = await selectBackend('demo', v.backend, io, json);
  const ds = loadDataset(name);
  const data = new Float32Array(ds.data);
  const scaling = standardize(data, ds.n, ds.d);
  // No hidden settings: the defaults a user gets, on a hexagonal grid.
  const som = await SOM.forData({ data, shape: [ds.n, ds.d] }, {
    topology: 'hexagonal',
    ...(epochsFlag === undefined ? {} : { epochs: epochsFlag }),
    ...(init === undefined ? {} : { init }),
    ...(seed === undefined ? {} : { seed }),
  });
  const { rows, cols, epochs } = som.config;
  try {
    if (!json) io.out(`somkit demo: ${ds.name} (${ds.n} samples × ${ds.d} features, ${ds.classNames.length} classes) → ${rows}×${cols} hexagonal SOM, ${epochs} epochs, ${som.config.rule}, ${som.config.init} init, sigma ${som.config.sigma} → 1, backend ${backend.backend}\n`);
    const bar = json ? progressBar({ ...io, isTTY: false }, 1, '') : progressBar(io, epochs, 'training');
    const every = Math.max(1, Math.round(epochs / 6));
    const input = { data, shape: [ds.n, ds.d] as const };
    const t0 = performance.now();
    await som.fit(input, {
      onEpochEnd: (e, logs) => {
        bar.update(e + 1, `qe=${logs.qe.toFixed(3)} te=${logs.te.toFixed(3)}`);
        if (!json && !io.isTTY && io.verbosity !== 'quiet' && ((e + 1) % every === 0 || e + 1 === epochs)) {
          io.out(`  epoch ${String(e + 1).padStart(3)}/${epochs}  qe ${logs.qe.toFixed(4)}  te ${logs.te.toFixed(4)}  sigma ${logs.sigma.toFixed(2)}\n`);
        }
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    bar.end();
    const { qe, te } = await som.evaluate(input);
    // Purity: share of samples whose BMU's majority class is their own class.
    const bmus = await som.identifyBmus(input);
    const votes = new Map<number, Map<number, number>>();
    bmus.forEach((u, i) => {
      const m = votes.get(u) ?? new Map<number, number>();
      m.set(ds.target[i]!, (m.get(ds.target[i]!) ?? 0) + 1);
      votes.set(u, m);
    });
    let agree = 0;
    for (const m of votes.values()) agree += Math.max(...m.values());
    const purity = agree / ds.n;
    await makeOutDir(outDir);
    const modelPath = join(outDir, 'model.json');
    await writeOutput(modelPath, JSON.stringify(som.toJSON()));
    const written = await writeSomReport(som, outDir, {
      data, n: ds.n, d: ds.d, labels: ds.target, featureNames: ds.featureNames, classNames: ds.classNames,
      title: `somkit demo — ${ds.name} on a ${rows} × ${cols} hexagonal SOM`,
      // Grid, training (epochs, rule), QE and TE are rows the report computes itself.
      summary: { dataset: `${ds.name} (${ds.n} × ${ds.d}, z-scored)`, backend: backend.backend, 'training time (s)': round(trainSeconds, 4), purity: `${(purity * 100).toFixed(1)} %` },
      png: true,
      cluster: 'kmeans',
    });
    const summary = {
      dataset: ds.name, n: ds.n, d: ds.d, classes: ds.classNames.length,
      rows, cols, units: som.units, topology: som.config.topology, rule: som.config.rule, init: som.config.init,
      epochs, backend: backend.backend, qe: round(qe, 8), te: round(te, 8), purity: round(purity, 6),
      train_seconds: round(trainSeconds, 6), samples_per_second: round((ds.n * epochs) / trainSeconds, 6),
      standardized: { mean: Array.from(scaling.mean, (x) => round(x, 8)), scale: Array.from(scaling.scale, (x) => round(x, 8)) },
      model: modelPath,
      report: written.html,
      figures: written.png,
    };
    await writeOutput(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const text = [
      `somkit demo — ${ds.name}`,
      `data        ${ds.n} × ${ds.d} (z-scored), ${ds.classNames.length} classes`,
      `map         ${rows} × ${cols} ${som.config.topology}, ${som.units} units`,
      `training    ${som.config.rule}, ${epochs} epochs, ${som.config.init} init, ${trainSeconds.toFixed(2)} s on ${backend.backend}`,
      `QE          ${qe.toFixed(4)}  (mean distance of a sample to its best unit)`,
      `TE          ${te.toFixed(4)}  (share of samples whose two best units are not neighbours)`,
      `purity      ${(purity * 100).toFixed(1)} %  (samples whose unit's majority class is their own)`,
      `model       ${modelPath}`,
      `report      ${written.html} (+ ${written.png.length} PNG figures)`,
    ].join('\n');
    await writeOutput(join(outDir, 'summary.txt'), `${text}\n`);
    if (json) io.out(`${JSON.stringify(summary)}\n`);
    else io.out(`${text}\nwrote ${outDir}\n`);
    return 0;
  } finally {
    som.dispose();
  }
}
