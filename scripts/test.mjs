#!/usr/bin/env node
// The whole test suite: type-check every package (turbo, cached), then vitest over every package
// (sources via the @somkit/source condition). Ends with one line: "N passed, N failed[, N skipped]".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

let extraFailed = 0;
const checks = [['pnpm', ['-s', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']]];
for (const [cmd, args] of checks) {
  process.stdout.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  if (run(cmd, args) !== 0) {
    process.stdout.write(`FAILED: ${cmd} ${args.join(' ')}\n`);
    extraFailed++;
  }
}

mkdirSync(join(root, 'out'), { recursive: true });
const report = join(root, 'out', 'test-results.json');
rmSync(report, { force: true });
const vitestArgs = ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
process.stdout.write(`\n$ pnpm ${vitestArgs.join(' ')}\n`);
const status = run('pnpm', vitestArgs);

let passed = 0;
let failed = extraFailed;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed += 1;
}
if (status !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
