#!/usr/bin/env node
// `npm run quickstart`: installs pnpm (if missing) and every dependency, builds the packages and
// runs the main job, `somkit demo`, which writes out/demo/.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
// No "update available" notices from npm or pnpm in the middle of the quick start (the
// repository's .npmrc and pnpm-workspace.yaml say the same for direct runs).
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', npm_config_update_notifier: 'false' };
function run(cmd, args) {
  process.stdout.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    process.stderr.write(`quickstart: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}).\n`);
    process.exit(r.status ?? 1);
  }
}
const has = spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0;
if (!has) run('npm', ['install', '--global', 'pnpm@12.21.0']);
run('pnpm', ['install', '--frozen-lockfile']);
run('pnpm', ['build']);
run('pnpm', ['-s', 'somkit', 'demo', ...process.argv.slice(2)]);
