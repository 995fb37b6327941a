import '@somkit/kernels/register';
import '@somkit/search/register';
import { env as tfEnv } from '@tensorflow/tfjs-core';
import { isSomError, logger } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import { COMMON_FLAGS_HELP, type FlagSpec } from './args.js';
import { didYouMean } from './closest.js';
import { fsErrorCode, fsReason } from './outputPath.js';
import type { Io, Verbosity } from './Io.js';
import { demo, demoHelp, demoFlags } from './commands/demo.js';
import { train, trainHelp, trainFlags } from './commands/train.js';
import { evaluate, evalHelp, evalFlags } from './commands/evaluate.js';
import { exportModel, exportHelp, exportFlags } from './commands/exportModel.js';
import { bench, benchHelp, benchFlags } from './commands/bench.js';
import { report, reportHelp, reportFlags } from './commands/report.js';
import { clusterModel, clusterHelp, clusterFlags } from './commands/clusterModel.js';
import { worker, workerHelp, workerFlags } from './commands/worker.js';
import { inspect, inspectHelp, inspectFlags } from './commands/inspect.js';
import { impute, imputeHelp, imputeFlags } from './commands/impute.js';
import { predict, predictHelp, predictFlags } from './commands/predict.js';
import { collect, collectHelp, collectFlags } from './commands/collect.js';

/** A subcommand: its runner and help text. */
export interface Command {
  run(argv: string[], io: Io): Promise<number>;
  help: string;
  summary: string;
  /** Its flags (besides the common `--verbose`, `--quiet`), as its parser reads them. */
  flags: FlagSpec;
}

/** Every subcommand by name; new commands are added here. */
export const commands: Record<string, Command> = {
  demo: { run: demo, help: demoHelp, summary: 'train on a shipped dataset; write model, summary and report', flags: demoFlags },
  inspect: { run: inspect, help: inspectHelp, summary: 'the schema of a .csv/.npy file: column types, roles, missing cells', flags: inspectFlags },
  train: { run: train, help: trainHelp, summary: 'train a SOM on a .csv/.npy file', flags: trainFlags },
  eval: { run: evaluate, help: evalHelp, summary: 'QE and TE of a model on data', flags: evalFlags },
  impute: { run: impute, help: imputeHelp, summary: 'fill the missing cells of a .csv from a model; write a .csv', flags: imputeFlags },
  predict: { run: predict, help: predictHelp, summary: 'BMU and target or class per sample of a .csv; write a .csv', flags: predictFlags },
  collect: { run: collect, help: collectHelp, summary: 'JITL retrieval: the training rows near each query, as JSON', flags: collectFlags },
  export: { run: exportModel, help: exportHelp, summary: 'codebook and grid coordinates as .npy', flags: exportFlags },
  report: { run: report, help: reportHelp, summary: 'HTML report with every figure (+ PNGs)', flags: reportFlags },
  cluster: { run: clusterModel, help: clusterHelp, summary: 'cluster the units of a model (k-means, GMM, HDBSCAN)', flags: clusterFlags },
  bench: { run: bench, help: benchHelp, summary: 'time training; one JSON line per run', flags: benchFlags },
  worker: { run: worker, help: workerHelp, summary: 'serve distributed training jobs from Redis until stopped', flags: workerFlags },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `Usage: somkit <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'somkit <command> --help' for the options of a command. Every command takes --verbose\n(more on stderr) and --quiet (results, warnings and errors only).\n`;
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
    io.err(`somkit: unknown command ${quoteName(name)}.${didYouMean(name, Object.keys(commands))} Commands: ${Object.keys(commands).join(', ')}. Run 'somkit --help'.\n`);
    return 2;
  }
  const flags = rest.slice(0, rest.includes('--') ? rest.indexOf('--') : rest.length);
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out(`${command.help}${COMMON_FLAGS_HELP}`);
    return 0;
  }
  const verbose = flags.includes('--verbose');
  const quiet = flags.includes('--quiet');
  if (verbose && quiet) {
    io.err(`somkit ${name}: --verbose and --quiet contradict each other; give one of them.\n`);
    return 2;
  }
  const verbosity: Verbosity = verbose ? 'verbose' : quiet ? 'quiet' : 'normal';
  const level = logger.getLevel();
  const prod = tfEnv().getBool('PROD');
  logger.setSink((lvl, message) => io.err(`somkit: ${lvl}: ${message}\n`));
  if (verbose) logger.setLevel('info');
  // tfjs prints its own notices through console.warn unless PROD is set (in tfjs-core 4.x the flag
  // gates nothing else: log.warn/log.log and the platform/flag-override notices) — among them the
  // "Hi, looks like you are running TensorFlow.js in Node.js" banner of the cpu backend, whose
  // advice the backend line gives under --verbose. --verbose lets them through.
  tfEnv().set('PROD', !verbose);
  try {
    return await command.run(rest, { ...io, verbosity });
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
    logger.setLevel(level);
    tfEnv().set('PROD', prod);
  }
}

/** A command name as typed, quoted for an error message. */
function quoteName(name: string): string {
  return `'${name.length > 40 ? `${name.slice(0, 40)}…` : name}'`;
}
