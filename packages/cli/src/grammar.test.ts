import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands, main } from './main.js';
import { memoryIo } from './Io.js';
import { COMMON_FLAGS } from './args.js';

const DOCS = join(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md');

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

const lastJson = (out: string): Record<string, unknown> => JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
/** `--flag` words of a text. */
const flagsIn = (text: string): string[] => [...new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!))];

describe('one CLI grammar', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-grammar-'));
    const rows = ['a,b,c'];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 3) * 5 + Math.sin(i)},${(i % 3) * -4 + Math.cos(i)},${i % 2}`);
    await writeFile(join(dir, 'small.csv'), `${rows.join('\n')}\n`);
  });

  it('every flag of every command is in its --help, and every flag of every --help is in docs/cli.md', async () => {
    const docs = await readFile(DOCS, 'utf8');
    const documented = new Set(flagsIn(docs));
    const missing: string[] = [];
    for (const [name, c] of Object.entries(commands)) {
      const r = await run([name, '--help'], dir);
      expect(r.code, name).toBe(0);
      const help = r.out;
      expect(help, name).toMatch(new RegExp(`Usage: somkit ${name}`));
      const inHelp = new Set(flagsIn(help));
      for (const [flag, def] of Object.entries({ ...COMMON_FLAGS, ...c.flags })) {
        if (!inHelp.has(flag)) missing.push(`somkit ${name} --help lacks --${flag}`);
        for (const a of (def as { alias?: readonly string[] }).alias ?? []) if (!inHelp.has(a)) missing.push(`somkit ${name} --help lacks the alias --${a}`);
      }
      for (const flag of inHelp) if (!documented.has(flag)) missing.push(`docs/cli.md lacks --${flag} (from somkit ${name} --help)`);
      // Each command has its own section in the docs.
      if (!new RegExp(`^## \`${name}\``, 'm').test(docs)) missing.push(`docs/cli.md has no section '## \`${name}\`'`);
    }
    expect(missing).toEqual([]);
  });

  it('the same idea has the same flag on every command: --batch-size, --seed, --init, --json, --verbose, --quiet, --backend', () => {
    const has = (cmd: string, flag: string): boolean => flag in commands[cmd]!.flags || flag in COMMON_FLAGS;
    for (const cmd of ['train', 'bench']) for (const f of ['batch-size', 'seed', 'init', 'json', 'engine', 'search']) expect(has(cmd, f), `${cmd} --${f}`).toBe(true);
    for (const cmd of ['demo', 'train', 'bench', 'cluster']) expect(has(cmd, 'seed'), `${cmd} --seed`).toBe(true);
    for (const cmd of Object.keys(commands)) {
      for (const f of ['verbose', 'quiet']) expect(has(cmd, f), `${cmd} --${f}`).toBe(true);
      // inspect reads a file's schema and never touches tfjs.
      if (cmd !== 'inspect') expect(has(cmd, 'backend'), `${cmd} --backend`).toBe(true);
      if (cmd !== 'worker') expect(has(cmd, 'json'), `${cmd} --json`).toBe(true);
    }
  });

  it('bench takes --batch-size, --seed, --init and --json; --batch stays as an alias', async () => {
    const base = ['bench', '--n', '60', '--d', '3', '--rows', '3', '--cols', '3', '--epochs', '1', '--backend', 'cpu', '--engine', 'tfjs'];
    const a = await run([...base, '--batch-size', '16', '--seed', '7', '--init', 'pca', '--json'], dir);
    expect(a.code, a.err).toBe(0);
    expect(lastJson(a.out)).toMatchObject({ batch: 16, batch_size: 16, seed: 7, init: 'pca', n: 60 });
    const b = await run([...base, '--batch', '16', '--seed', '7', '--init', 'pca'], dir);
    expect(b.code, b.err).toBe(0);
    expect(lastJson(b.out)).toMatchObject({ batch: 16, batch_size: 16, seed: 7, init: 'pca' });
    expect(lastJson(b.out).qe).toBe(lastJson(a.out).qe);
    expect(lastJson((await run([...base, '--batch=16'], dir)).out)).toMatchObject({ batch_size: 16, init: 'random', seed: 42 });
    // Every init mode core has (the k-means ones included) is accepted.
    const k = await run([...base, '--init', 'kmeans'], dir);
    expect(k.code, k.err).toBe(0);
    expect(lastJson(k.out)).toMatchObject({ init: 'kmeans' });
  });

  it("bench trains with the peers' schedules (σ and learning rate both with asymptotic decay), not the 'somkit' preset's", async () => {
    const { SOM } = await import('@somkit/core');
    const { generateBlobs } = await import('./commands/bench.js');
    const a = await run(['bench', '--n', '60', '--d', '3', '--rows', '3', '--cols', '4', '--epochs', '4', '--batch-size', '16', '--backend', 'cpu', '--engine', 'tfjs'], dir);
    expect(a.code, a.err).toBe(0);
    const line = lastJson(a.out);
    expect(line).toMatchObject({ sigma: 2, learning_rate: 0.5, sigma_decay: 'asymptotic_decay', lr_decay: 'asymptotic_decay' });
    const input = { data: generateBlobs(60, 3), shape: [60, 3] as [number, number] };
    const som = new SOM({ rows: 3, cols: 4, dims: 3, epochs: 4, batchSize: 16, rule: 'minibatch', sigma: 2, learningRate: 0.5, sigmaDecay: 'asymptotic_decay', lrDecay: 'asymptotic_decay', init: 'random', seed: 42, engine: 'tfjs' });
    try {
      await som.initialize(input);
      await som.fit(input, { yieldEvery: 'never' });
      expect(line.qe as number).toBeCloseTo((await som.evaluate(input)).qe, 6);
    } finally {
      som.dispose();
    }
  });

  it('train and demo take --seed and --init', async () => {
    const t = await run(['train', '--data', 'small.csv', '--rows', '3', '--cols', '3', '--epochs', '1', '--init', 'random', '--seed', '3', '--batch-size', '8', '--backend', 'cpu', '--out', 's.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    expect(lastJson(t.out)).toMatchObject({ init: 'random', batch_size: 8 });
    expect(JSON.parse(await readFile(join(dir, 's.json'), 'utf8')).config).toMatchObject({ seed: 3, init: 'random' });
    const d = await run(['demo', '--dataset', 'iris', '--epochs', '1', '--init', 'random', '--seed', '5', '--backend', 'cpu', '--out', 'demo', '--json'], dir);
    expect(d.code, d.err).toBe(0);
    expect(lastJson(d.out)).toMatchObject({ init: 'random', epochs: 1 });
    expect(JSON.parse(await readFile(join(dir, 'demo', 'model.json'), 'utf8')).config).toMatchObject({ seed: 5, init: 'random' });
  });

  it('user errors: one line, the same style, a did-you-mean where one is close, no stack trace', async () => {
    const train = ['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'];
    const cases: Array<[string[], number, RegExp]> = [
      [[...train, '--epochs', '-1'], 2, /^somkit train: --epochs expects an integer ≥ 1, got '-1'\. Run 'somkit train --help' for the options\.$/],
      [[...train, '--epochs=-1'], 2, /^somkit train: --epochs expects an integer ≥ 1, got '-1'\./],
      [[...train, '--sigma', '-2'], 2, /^somkit train: --sigma expects a number > 0, got '-2'\./],
      [[...train, '--seed', '-3'], 2, /^somkit train: --seed expects an integer ≥ 0, got '-3'\./],
      [[...train, '--epoch', '3'], 2, /^somkit train: Unknown option '--epoch'\. Did you mean --epochs\?$/],
      [[...train, '--batch', '3'], 2, /^somkit train: Unknown option '--batch'\. Did you mean --batch-size\?$/],
      [[...train, '--rule', 'batchmap'], 2, /^somkit train: --rule expects one of minibatch, batch-map, got 'batchmap'\. Did you mean batch-map\?$/],
      [[...train, '--init', 'pac'], 2, /--init expects one of pca, random, kmeans, kmeans_cosine, got 'pac'\. Did you mean pca\?$/],
      [[...train, '--distance', 'euclidan'], 1, /^somkit train: error ERR_UNKNOWN_PLUGIN: Unknown distance 'euclidan'\. Registered: .*euclidean.*\. Did you mean --distance euclidean\?$/],
      [[...train, '--neighborhood', 'gausian'], 1, /Did you mean --neighborhood gaussian\?$/],
      [[...train, '--sigma-decay', 'asymptotic'], 1, /Did you mean --sigma-decay asymptotic_decay\?$/],
      [[...train, '--search', 'brute'], 1, /Unknown search 'brute'\. Registered: .*\. Did you mean --search brute-force\?$/],
      [[...train, '--engine', 'onnx'], 1, /Unknown engine 'onnx'\. Registered: .*\. Did you mean --engine onnxruntime\?$/],
      [[...train, '--distance', 'hamming'], 1, /Unknown distance 'hamming'\. Registered: .*\. Pass one of them to --distance \(see 'somkit train --help'\)\.$/],
      [[...train, '--distance', 'acme/hamming'], 1, /Unknown distance 'acme\/hamming'\. Registered: .*the npm package 'acme', and the somkit CLI registers only somkit's own plugins/],
      [[...train, '--backend', 'wsam'], 2, /^somkit train: --backend expects one of auto, wasm, cpu, webgpu, tensorflow, got 'wsam'\. Did you mean wasm\?$/],
      [[...train, '--epochs'], 2, /^somkit train: --epochs needs a value\./],
      [[...train, 'extra'], 2, /^somkit train: unexpected argument 'extra'\./],
      [[...train, '--verbose', '--quiet'], 2, /--verbose and --quiet contradict/],
      [['bench', '--batch', '0'], 2, /^somkit bench: --batch-size expects an integer ≥ 1, got '0'\./],
      [['bench', '--repeat', 'x'], 2, /^somkit bench: --repeat expects an integer ≥ 1, got 'x'\./],
      [['cluster', '--model', 'm.json', '--method', 'kmean'], 2, /--method expects one of kmeans, gmm, hdbscan, got 'kmean'\. Did you mean kmeans\?/],
      [['predict', '--model', 'm.json', '--data', 'small.csv', '--out', 'p.csv', '--ridge', '-1'], 2, /--ridge expects a number ≥ 0, got '-1'/],
      [['trian'], 2, /^somkit: unknown command 'trian'\. Did you mean train\? Commands: demo, /],
      [['evaluate'], 2, /^somkit: unknown command 'evaluate'\./],
    ];
    for (const [args, code, pattern] of cases) {
      const r = await run(args, dir);
      expect(r.code, args.join(' ')).toBe(code);
      const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('backend:'));
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(pattern);
      expect(r.err, args.join(' ')).not.toMatch(/\n\s+at |Did you forget|To specify an option argument|import '@somkit/);
    }
  });

  it('a name from a registered plugin package is accepted by the registry lookup (not a fixed list)', async () => {
    const { registry } = await import('@somkit/plugin-api');
    const gaussian = registry.resolve('neighborhood', 'gaussian');
    registry.register('neighborhood', 'gaussian_copy', () => ({ ...gaussian, name: 'gaussian_copy' }));
    try {
      const r = await run(['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--epochs', '1', '--neighborhood', 'gaussian_copy', '--backend', 'cpu', '--out', 'g.json', '--json'], dir);
      expect(r.code, r.err).toBe(0);
      expect(lastJson(r.out)).toMatchObject({ neighborhood: 'gaussian_copy' });
    } finally {
      registry.unregister('neighborhood', 'gaussian_copy');
    }
  });
});
