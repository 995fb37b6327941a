import { resolve } from 'node:path';
import { SOM, type SomOptions } from '@somkit/core';
import { DistributedDriver, redactUrl, shardDataFile } from '@somkit/distributed';
import { CliError } from '../CliError.js';
import { checkOutFile, writeOutput } from '../outputPath.js';
import { intFlag, numberFlag, required } from '../args.js';
import { round, selectBackend, trainResult } from '../common.js';
import { progressBar } from '../progress.js';
import type { Io } from '../Io.js';

/** The flags of `somkit train` this mode reads (parsed by train). */
export type TrainDistributedFlags = {
  data?: string | undefined;
  'label-column'?: string | undefined;
  out?: string | undefined;
  json?: boolean | undefined;
  distributed?: boolean | undefined;
  backend?: string | undefined;
  redis?: string | undefined;
  shards?: string | undefined;
  'connect-timeout'?: string | undefined;
  target?: string | undefined;
  ignore?: string | undefined;
  categorical?: string | undefined;
  'missing-values'?: string | undefined;
  scaling?: string | undefined;
};

/**
 * `somkit train --distributed`: the driver. Splits the data file into row-range shards, initialises
 * the codebook over all of them on the workers (`somkit worker`, started separately) as
 * single-process `train` does over the whole file (`--init random` rows, or `pca` from merged
 * float64 moments), runs the batch-map epochs there, measures QE/TE of the final codebook on the
 * workers, writes the model and prints the same fields as `somkit train` plus `distributed`,
 * `shards`, `run_id`, `redis`. Gives up after `--connect-timeout` seconds (default 30) when Redis
 * cannot be reached.
 */
export async function trainDistributed(v: TrainDistributedFlags, options: SomOptions, io: Io): Promise<number> {
  if (v.distributed !== true) throw new CliError("somkit train: --redis and --shards apply to distributed training; add --distributed.");
  const tableFlags = (['target', 'ignore', 'categorical', 'missing-values', 'scaling'] as const).filter((k) => v[k] !== undefined);
  if (tableFlags.length > 0) {
    throw new CliError(`somkit train: --distributed reads numeric shards as they are; ${tableFlags.map((k) => `--${k}`).join(', ')} ${tableFlags.length === 1 ? 'is' : 'are'} not supported with it. Preprocess the data first, or train without --distributed.`);
  }
  const url = required('train', v, 'redis');
  const dataPath = required('train', v, 'data');
  const out = required('train', v, 'out');
  const count = intFlag('train', v, 'shards', 4)!;
  const connectTimeout = numberFlag('train', v, 'connect-timeout') ?? 30;
  const json = v.json === true;
  if (options.rule === 'minibatch') {
    throw new CliError("somkit train: --distributed trains with the batch-map rule (per-neuron sums add up across shards); drop --rule minibatch or use --rule batch-map.");
  }
  options.rule = 'batch-map';
  const modelPath = await checkOutFile(io, '--out', out, [dataPath]);
  const backend = await selectBackend('train', v.backend, io, json);
  // The workers open the shards by this path: it must be the same on every worker's machine.
  const path = resolve(io.cwd, dataPath);
  const sharded = await shardDataFile(path, count, { labelColumn: v['label-column'] });
  options.dims = sharded.d;
  const som = new SOM(options);
  const driver = new DistributedDriver({ connection: url, connectTimeoutMs: connectTimeout * 1000 });
  try {
    const bar = json ? progressBar({ ...io, isTTY: false }, 1, '') : progressBar(io, som.config.epochs, 'training (distributed)');
    if (!json) {
      io.err(`driver: ${sharded.shards.length} shards of ${path} on ${redactUrl(url)}; waiting for 'somkit worker' processes\n`);
      driver.on('initialized', (i) => io.err(`driver: codebook initialised over all ${i.n} rows (${i.mode}) in ${i.seconds.toFixed(2)} s\n`));
    }
    const t0 = performance.now();
    const r = await driver.train({
      som,
      shards: sharded.shards,
      // Over all shards, as single-process train initialises over the whole file.
      initialize: true,
      evaluate: true,
      onEpochEnd: (logs) => bar.update(logs.epoch + 1, `qe=${logs.qe.toFixed(4)} te=${logs.te.toFixed(4)} workers=${logs.workers.length}`),
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    bar.end();
    const qe = r.final?.qe ?? Number.NaN;
    const te = r.final?.te ?? Number.NaN;
    await writeOutput(modelPath, JSON.stringify(som.toJSON()));
    const result = {
      ...trainResult(som, { qe, te, trainSeconds, backend: backend.backend, n: sharded.n, d: sharded.d, model: modelPath }),
      distributed: true,
      shards: sharded.shards.length,
      run_id: r.runId,
      redis: redactUrl(url),
    };
    if (json) io.out(`${JSON.stringify(result)}\n`);
    else {
      io.out(`trained ${som.config.rows}×${som.config.cols} ${som.config.topology} SOM (batch-map, distributed over ${sharded.shards.length} shards) on ${sharded.n}×${sharded.d} in ${trainSeconds.toFixed(2)} s\n`);
      io.out(`QE ${qe.toFixed(6)}  TE ${te.toFixed(6)}\nmodel written to ${modelPath}\n`);
    }
    return 0;
  } finally {
    som.dispose();
    await driver.close();
  }
}
