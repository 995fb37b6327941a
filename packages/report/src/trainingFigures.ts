import type { Callback, EpochLogs, MatrixInput, SOM } from '@somkit/core';
import { SomError } from '@somkit/plugin-api';
import { renderCodebookColors } from '@somkit/viz';
import { renderHitMap } from '@somkit/viz';
import { renderTrainingCurves } from '@somkit/viz';

/**
 * Figures {@link trainingFigures} can draw during training (fastsom's `visualize=[…]`):
 * `'hitmap'` (fastsom `'bmus'`: samples per unit of `data`), `'weights'` (the codebook as PCA →
 * RGB colours; fastsom plots a PCA scatter of codebook and data instead), `'curves'` (QE and TE
 * so far) and `'hyperparams'` (fastsom's: learning rate and σ so far). Only the model's public
 * methods are used (`identifyBmus`, `getCodebook`), so the report package needs no model code at run time.
 */
export type TrainingFigure = 'hitmap' | 'weights' | 'curves' | 'hyperparams';

/** Every {@link TrainingFigure} name. */
export const TRAINING_FIGURES: readonly TrainingFigure[] = Object.freeze(['hitmap', 'weights', 'curves', 'hyperparams']);

/** Options of {@link trainingFigures}. */
export interface TrainingFiguresOptions {
  /** The SOM being trained (its codebook is read after each chosen epoch). */
  readonly som: SOM;
  /** Figures to draw. Default `['weights', 'curves']`. */
  readonly figures?: readonly TrainingFigure[];
  /** Draw after every k-th epoch (epochs k − 1, 2k − 1, …) and after the last. Default 1. */
  readonly every?: number;
  /** Samples [n, dims] for `'hitmap'` (required for it). */
  readonly data?: MatrixInput;
  /** Receives the SVG strings of the chosen figures; awaited, so training waits for it. */
  readonly onFigures: (epoch: number, figures: Partial<Record<TrainingFigure, string>>) => void | Promise<void>;
}

/**
 * A training callback that renders chosen figures every k epochs (fastsom's `visualize` /
 * `visualize_on='epoch'`), for `som.fit(x, { callbacks: [trainingFigures({...})] })`. Each
 * figure is an SVG string handed to `onFigures` — put it in the page, or write it to a file.
 *
 * ```ts
 * await som.fit(x, { callbacks: [trainingFigures({ som, data: x, every: 5, figures: ['hitmap', 'hyperparams'],
 *   onFigures: (epoch, f) => { document.querySelector('#map')!.innerHTML = f.hitmap!; } })] });
 * ```
 * @throws SomError ERR_INVALID_INPUT for an unknown figure, `every` not an integer ≥ 1, or `'hitmap'` without `data`
 */
export function trainingFigures(options: TrainingFiguresOptions): Callback<EpochLogs> {
  const { som, data, onFigures } = options;
  const figures = options.figures ?? ['weights', 'curves'];
  const every = options.every ?? 1;
  const bad = figures.find((f) => !TRAINING_FIGURES.includes(f));
  if (bad !== undefined) throw new SomError('ERR_INVALID_INPUT', `trainingFigures: unknown figure '${String(bad)}'; expected some of ${TRAINING_FIGURES.map((f) => `'${f}'`).join(', ')}.`);
  if (!Number.isInteger(every) || every < 1) throw new SomError('ERR_INVALID_INPUT', `trainingFigures: expected every to be an integer ≥ 1 (epochs between drawings), got ${String(every)}.`);
  if (figures.includes('hitmap') && data === undefined) throw new SomError('ERR_INVALID_INPUT', "trainingFigures: the 'hitmap' figure needs data (the samples whose BMUs it counts); pass data, or drop 'hitmap'.");
  const log = { qe: [] as number[], te: [] as number[], learningRate: [] as number[], sigma: [] as number[] };
  let last: { epoch: number; drawn: boolean } | undefined;

  const draw = async (epoch: number): Promise<void> => {
    const out: Partial<Record<TrainingFigure, string>> = {};
    for (const f of figures) {
      const title = `${f === 'hitmap' ? 'Hit map' : f === 'weights' ? 'Codebook colours' : f === 'curves' ? 'Training curves' : 'Hyperparameters'}, epoch ${epoch + 1}`;
      if (f === 'hitmap') {
        const cb = som.getCodebook();
        const values = new Float32Array(cb.units);
        for (const k of await som.identifyBmus(data!)) values[k] = values[k]! + 1;
        out[f] = renderHitMap({ type: 'hit', values, rows: cb.rows, cols: cb.cols, topology: cb.topology, pbc: cb.pbc }, { title });
      } else if (f === 'weights') out[f] = renderCodebookColors(som.getCodebook(), { title });
      else if (f === 'curves') out[f] = renderTrainingCurves(log, { title });
      else out[f] = renderTrainingCurves(log, { title, panels: ['learningRate', 'sigma'] });
    }
    await onFigures(epoch, out);
  };

  return {
    async onEpochEnd(epoch, logs) {
      log.qe.push(logs.qe);
      log.te.push(logs.te);
      log.learningRate.push(logs.learningRate);
      log.sigma.push(logs.sigma);
      const due = (epoch + 1) % every === 0;
      last = { epoch, drawn: due };
      if (due) await draw(epoch);
    },
    async onTrainEnd() {
      if (last !== undefined && !last.drawn) await draw(last.epoch);
    },
  };
}
