// User errors of output paths and sizes (issue 17, Medium 6 and Low): one coded line, exit 1,
// never a stack trace or exit 70 — and a bad --out is refused before training, not after.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { memoryIo } from './Io.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

function oneLine(r: { code: number; err: string }, code: string, pattern: RegExp): void {
  expect(r.code, r.err).toBe(1);
  const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('backend:'));
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toContain(`error ${code}:`);
  expect(lines[0]).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('CLI output paths and sizes', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-cli-out-'));
    const rows = ['a,b'];
    for (let i = 0; i < 30; i++) rows.push(`${Math.sin(i)},${Math.cos(i)}`);
    await writeFile(join(dir, 'x.csv'), rows.join('\n') + '\n');
    await writeFile(join(dir, 'afile'), 'not a directory');
    await mkdir(join(dir, 'adir'));
    const r = await run(['train', '--data', 'x.csv', '--rows', '3', '--cols', '3', '--epochs', '1', '--out', 'model.json', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const one = await run(['train', '--data', 'x.csv', '--rows', '1', '--cols', '1', '--epochs', '1', '--out', 'one.json', '--backend', 'cpu', '--json'], dir);
    expect(one.code, one.err).toBe(0);
  });

  const train = (out: string, extra: string[] = []): string[] => ['train', '--data', 'x.csv', '--rows', '3', '--cols', '3', '--epochs', '1', '--out', out, '--backend', 'cpu', ...extra];

  it('train --out DIR, --out FILE/x.json and --out /dev/full fail with one ERR_IO line (before training for the first two)', async () => {
    const a = await run(train('adir'), dir);
    oneLine(a, 'ERR_IO', /adir: it is a directory/);
    expect(a.out).not.toMatch(/trained/);
    const b = await run(train('afile/x.json'), dir);
    oneLine(b, 'ERR_IO', /afile is a file, not a directory/);
    if (existsSync('/dev/full')) oneLine(await run(train('/dev/full'), dir), 'ERR_IO', /ENOSPC \(no space left on device\)/);
  });

  it('train --out x.csv over its own --data is refused and the data stay intact', async () => {
    const before = await readFile(join(dir, 'x.csv'), 'utf8');
    oneLine(await run(train('x.csv'), dir), 'ERR_INVALID_INPUT', /is an input of this command/);
    oneLine(await run(train(join(dir, '.', 'x.csv')), dir), 'ERR_INVALID_INPUT', /is an input of this command/);
    expect(await readFile(join(dir, 'x.csv'), 'utf8')).toBe(before);
  });

  it('export --out FILE, cluster --svg DIR and demo --out FILE fail with one ERR_IO line', async () => {
    oneLine(await run(['export', '--model', 'model.json', '--out', 'afile', '--backend', 'cpu'], dir), 'ERR_IO', /afile: it is a file; expected a directory/);
    oneLine(await run(['cluster', '--model', 'model.json', '--method', 'kmeans', '--k', '2', '--svg', 'adir', '--backend', 'cpu'], dir), 'ERR_IO', /adir: it is a directory/);
    oneLine(await run(['demo', '--dataset', 'iris', '--epochs', '1', '--out', 'afile', '--backend', 'cpu'], dir), 'ERR_IO', /afile: it is a file/);
    oneLine(await run(['report', '--model', 'model.json', '--data', 'x.csv', '--out', 'afile', '--backend', 'cpu'], dir), 'ERR_IO', /afile: it is a file/);
  });

  it('refuses map and bench sizes that cannot fit, with the memory they would need', async () => {
    oneLine(await run(train('big.json', []).map((a) => (a === '3' ? '100000' : a)), dir), 'ERR_INVALID_CONFIG', /at most 1 GiB \(use a smaller map or batchSize\), got '100000 × 100000, which needs 1\.19e\+3 GiB'/);
    oneLine(await run(train('big.json', []).map((a) => (a === '3' ? '3000' : a)), dir), 'ERR_INVALID_CONFIG', /got '3000 × 3000, which needs 1\.07 GiB'/);
    oneLine(await run(['bench', '--n', '1000000000', '--d', '1000000', '--backend', 'cpu'], dir), 'ERR_INVALID_INPUT', /\[1000000000, 1000000\] float32 array would need 3\.73e\+6 GiB, over the 1 GiB limit/);
  });

  it('caps a huge flag value quoted in a usage error', async () => {
    const r = await run(['train', '--data', 'x.csv', '--rows', 'x'.repeat(1_000_000), '--cols', '3', '--out', 'm.json'], dir);
    expect(r.code).toBe(2);
    expect(r.err.length).toBeLessThan(300);
    expect(r.err).toMatch(/…' \(1000000 characters\)/);
  });

  it('cluster on a 1-unit map says a map needs at least 2 units (not "Pass k: 1"), for every method', async () => {
    for (const extra of [['--method', 'kmeans'], ['--method', 'gmm'], ['--method', 'hdbscan'], ['--method', 'kmeans', '--k', '1'], ['--data', 'x.csv']]) {
      const r = await run(['cluster', '--model', 'one.json', ...extra, '--backend', 'cpu'], dir);
      oneLine(r, 'ERR_INVALID_INPUT', /--model one\.json: clustering the units needs a map of at least 2 units, this map is 1 × 1 \(1 unit\)\. Train a larger map/);
      expect(r.err).not.toMatch(/Pass k/);
    }
  });

  it('report --cluster on a 1-unit map names no option the command lacks', async () => {
    const r = await run(['report', '--model', 'one.json', '--data', 'x.csv', '--out', 'rep1', '--cluster', 'kmeans', '--no-png', '--backend', 'cpu'], dir);
    oneLine(r, 'ERR_INVALID_INPUT', /needs a map of at least 2 units, this map has 1\. Drop --cluster/);
    expect(r.err).not.toMatch(/Pass k/);
  });
});

describe('makeDirs', () => {
  it.skipIf(process.platform !== 'linux')('fails at once where a parent refuses children (Node 20 recursive mkdir spins forever on /proc)', async () => {
    const { makeDirs } = await import('./outputPath.js');
    await expect(makeDirs('/proc/somkit-no-such-dir/sub')).rejects.toMatchObject({ code: 'ERR_IO', details: { code: expect.stringMatching(/^E[A-Z]+$/) } });
  });
});
