import '@somkit/kernels/register';
import '@somkit/search/register';
import { isSomError, logger } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import { fsErrorCode, fsReason } from './outputPath.js';
import type { Io } from './Io.js';
import { demo, demoHelp } from './commands/demo.js';
import { train, trainHelp } from './commands/train.js';
import { evaluate, evalHelp } from './commands/evaluate.js';
import { exportModel, exportHelp } from './commands/exportModel.js';
import { bench, benchHelp } from './commands/bench.js';
import { report, reportHelp } from './commands/report.js';
import { clusterModel, clusterHelp } from './commands/clusterModel.js';
import { worker, workerHelp } from './commands/worker.js';
import { inspect, inspectHelp } from './commands/inspect.js';
import { impute, imputeHelp } from './commands/impute.js';
import { predict, predictHelp } from './commands/predict.js';
import { collect, collectHelp } from './commands/collect.js';

/** A subcommand: its runner and help text. */
export interface Command {
  run(argv: string[], io: Io): Promise<number>;
  help: string;
  summary: string;
}

/** Every subcommand by name; new commands are added here. */
export const commands: Record<string, Command> = {
  demo: { run: demo, help: demoHelp, summary: 'train on a shipped dataset; write model, summary and report' },
  inspect: { run: inspect, help: inspectHelp, summary: 'the schema of a .csv/.npy file: column types, roles, missing cells' },
  train: { run: train, help: trainHelp, summary: 'train a SOM on a .csv/.npy file' },
  eval: { run: evaluate, help: evalHelp, summary: 'QE and TE of a model on data' },
  impute: { run: impute, help: imputeHelp, summary: 'fill the missing cells of a .csv from a model; write a .csv' },
  predict: { run: predict, help: predictHelp, summary: 'BMU and target or class per sample of a .csv; write a .csv' },
  collect: { run: collect, help: collectHelp, summary: 'JITL retrieval: the training rows near each query, as JSON' },
  export: { run: exportModel, help: exportHelp, summary: 'codebook and grid coordinates as .npy' },
  report: { run: report, help: reportHelp, summary: 'HTML report with every figure (+ PNGs)' },
  cluster: { run: clusterModel, help: clusterHelp, summary: 'cluster the units of a model (k-means, GMM, HDBSCAN)' },
  bench: { run: bench, help: benchHelp, summary: 'time training; one JSON line per run' },
  worker: { run: worker, help: workerHelp, summary: 'serve distributed training jobs from Redis until stopped' },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `Usage: somkit <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'somkit <command> --help' for the options of a command.\n`;
}

/**
 * Runs the CLI in-process and returns the exit code: 0 success, 1 data/model error, 2 usage error.
 * User errors print one line to stderr, never a stack trace.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.err(`somkit: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  logger.setSink((level, message) => io.err(`somkit: ${level}: ${message}\n`));
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    if (isSomError(e)) {
      io.err(`somkit ${name}: error ${e.code}: ${e.message}\n`);
      return 1;
    }
    // A file-system failure somewhere below (a report writer, a full disk) is the user's
    // environment, not a bug: one line, exit 1.
    if (fsErrorCode(e) !== undefined) {
      const path = (e as { path?: unknown }).path;
      io.err(`somkit ${name}: error ERR_IO: ${typeof path === 'string' ? `${path}: ` : ''}${fsReason(e)}.\n`);
      return 1;
    }
    throw e;
  } finally {
    logger.setSink(undefined);
  }
}
