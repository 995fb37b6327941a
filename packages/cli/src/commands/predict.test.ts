import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '@somkit/datasets';
import { main } from '../main.js';
import { memoryIo } from '../Io.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

/** x1, x2 in [0, 1), a colour, a class with a comma and a quote in it, and y = 100 + 40·x1 − 30·x2 + noise. */
function table(n: number, seed: number, withTarget = true): string {
  let s = seed;
  const r = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const rows = [`x1,x2,color,kind${withTarget ? ',y' : ''}`];
  for (let i = 0; i < n; i++) {
    const x1 = r();
    const x2 = r();
    const kind = x1 > 0.5 ? '"big, b"' : 'small "s"'.replace(/"/g, '""').replace(/^/, '"').replace(/$/, '"');
    const y = 100 + 40 * x1 - 30 * x2 + (r() - 0.5) * 4;
    rows.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', 'blue'][i % 2]},${kind}${withTarget ? `,${y.toFixed(3)}` : ''}`);
  }
  return rows.join('\n') + '\n';
}

const TRAIN = ['--rows', '4', '--cols', '5', '--epochs', '5', '--rule', 'batch-map', '--init', 'pca', '--backend', 'cpu', '--categorical', 'color'];

describe('somkit predict and collect', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-predict-'));
    await writeFile(join(dir, 'train.csv'), table(240, 1));
    await writeFile(join(dir, 'test.csv'), table(60, 2));
    await writeFile(join(dir, 'new.csv'), table(7, 3, false));
    const t = await run(['train', '--data', 'train.csv', '--target', 'y', '--ignore', 'kind', ...TRAIN, '--out', 'reg.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    const c = await run(['train', '--data', 'train.csv', '--label-column', 'kind', '--ignore', 'y', ...TRAIN, '--out', 'cls.json', '--json'], dir);
    expect(c.code, c.err).toBe(0);
    const p = await run(['train', '--data', 'train.csv', '--ignore', 'kind,y', ...TRAIN, '--out', 'plain.json', '--json'], dir);
    expect(p.code, p.err).toBe(0);
  });

  it('the model remembers its target: roles in the pipeline, per-unit statistics and training rows beside it', async () => {
    const model = JSON.parse(await readFile(join(dir, 'reg.json'), 'utf8'));
    expect(model.preprocessing.roles).toEqual({ target: 'y' });
    const p = model.preprocessing.predictor;
    expect(p).toMatchObject({ format: 'somkit.predictor', version: 1, target: { name: 'y' }, samples: { n: 240, d: 4 } });
    expect(p.target.count).toHaveLength(20);
    expect(p.target.count.reduce((a: number, b: number) => a + b, 0)).toBe(240);
  });

  it('target: one row per sample, bmu,row,col,prediction; RMSE against the target column; every method', async () => {
    const rmse: Record<string, number> = {};
    for (const method of [undefined, 'unit', 'jitl', 'jitl-mean', 'blend']) {
      const out = `p-${method ?? 'default'}.csv`;
      const r = await run(['predict', '--model', 'reg.json', '--data', 'test.csv', '--out', out, '--backend', 'cpu', '--json', ...(method ? ['--method', method] : [])], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      expect(j).toMatchObject({ n: 60, target: 'y', method: method ?? 'jitl', scored: 60 });
      rmse[method ?? 'default'] = j.rmse as number;
      const csv = parseTable(await readFile(join(dir, out), 'utf8'));
      expect(csv.columns.map((c) => c.name)).toEqual(['bmu', 'row', 'col', 'prediction']);
      expect(csv.n).toBe(60);
      const [bmu, row, col, pred] = csv.columns.map((c) => c.values);
      for (let i = 0; i < 60; i++) {
        expect(bmu![i]).toBe(row![i]! * 5 + col![i]!);
        expect(pred![i]).toBeGreaterThan(50);
        expect(pred![i]).toBeLessThan(170);
      }
    }
    // y spans ~70–140 (sd ~15): every method is far better than the mean; the local linear model
    // (the default) recovers the linear target almost to its noise.
    for (const v of Object.values(rmse)) expect(v).toBeLessThan(10);
    expect(rmse.default).toBe(rmse.jitl);
    expect(rmse.jitl).toBeLessThan(rmse.unit!);
    expect(rmse.jitl).toBeLessThan(3);
  });

  it('data without the target column: predictions only; --history gives jitl the training rows', async () => {
    const r = await run(['predict', '--model', 'reg.json', '--data', 'new.csv', '--out', 'new-p.csv', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out)).not.toHaveProperty('rmse');
    const lines = (await readFile(join(dir, 'new-p.csv'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(8);
    const h = await run(['predict', '--model', 'reg.json', '--data', 'new.csv', '--out', 'new-h.csv', '--history', 'train.csv', '--backend', 'cpu', '--json'], dir);
    expect(h.code, h.err).toBe(0);
    expect(await readFile(join(dir, 'new-h.csv'), 'utf8')).toBe(await readFile(join(dir, 'new-p.csv'), 'utf8'));
  });

  it('label: the class as written in the training file (CSV-quoted), accuracy against the label column', async () => {
    const r = await run(['predict', '--model', 'cls.json', '--data', 'test.csv', '--out', 'cls.csv', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const j = lastJson(r.out);
    expect(j).toMatchObject({ n: 60, label: 'kind' });
    expect(j.accuracy).toBeGreaterThan(0.8);
    const csv = parseTable(await readFile(join(dir, 'cls.csv'), 'utf8'), { categorical: ['prediction'] });
    expect(csv.columns.map((c) => c.name)).toEqual(['bmu', 'row', 'col', 'prediction']);
    expect(csv.n).toBe(60);
    expect(new Set(csv.columns[3]!.categories)).toEqual(new Set(['big, b', 'small "s"']));
  });

  it('an edited predictor is a one-line ERR_MODEL_FORMAT naming the field', async () => {
    const model = JSON.parse(await readFile(join(dir, 'reg.json'), 'utf8'));
    model.preprocessing.predictor.target.count = [1, 2];
    await writeFile(join(dir, 'edited.json'), JSON.stringify(model));
    const r = await run(['predict', '--model', 'edited.json', '--data', 'test.csv', '--out', 'edited.csv', '--backend', 'cpu'], dir);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('backend:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ERR_MODEL_FORMAT: preprocessing\.predictor\.target\.count: expected 20 finite numbers/);
  });

  it('a model without target or label: bmu,row,col only; --method is refused', async () => {
    const r = await run(['predict', '--model', 'plain.json', '--data', 'test.csv', '--out', 'plain.csv', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const lines = (await readFile(join(dir, 'plain.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('bmu,row,col');
    expect(lines).toHaveLength(61);
    const m = await run(['predict', '--model', 'plain.json', '--data', 'test.csv', '--out', 'plain2.csv', '--method', 'unit', '--backend', 'cpu'], dir);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/--method applies to models trained with --target/);
  });

  it('--label-column on a continuous column is refused in train, eval and report, pointing to --target', async () => {
    for (const args of [
      ['train', '--data', 'train.csv', '--label-column', 'y', '--ignore', 'kind', ...TRAIN, '--out', 'bad.json'],
      ['eval', '--model', 'plain.json', '--data', 'train.csv', '--label-column', 'y', '--ignore', 'kind', '--backend', 'cpu'],
      ['report', '--model', 'plain.json', '--data', 'train.csv', '--label-column', 'y', '--ignore', 'kind', '--out', 'badrep', '--backend', 'cpu'],
    ]) {
      const r = await run(args, dir);
      expect(r.code, args[0]).toBe(1);
      const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('backend:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/ERR_INVALID_INPUT: --label-column "y" looks continuous.*240 distinct numbers.*--target y/);
    }
  });

  it('report draws the target maps of a model trained with --target, without the flag', async () => {
    const r = await run(['report', '--model', 'reg.json', '--data', 'test.csv', '--out', 'rep', '--no-png', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out).figures).toEqual(expect.arrayContaining(['target-mean', 'target-std', 'target-score', 'target-rank']));
    expect(await readFile(join(dir, 'rep', 'report.html'), 'utf8')).toContain('Mean of y per unit');
  });

  it('collect: the training rows retrieved per query (bmu_only: exactly the rows of the BMU)', async () => {
    const train = await run(['predict', '--model', 'reg.json', '--data', 'train.csv', '--out', 'train-p.csv', '--method', 'unit', '--backend', 'cpu'], dir);
    expect(train.code, train.err).toBe(0);
    const trainBmu = (await readFile(join(dir, 'train-p.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    const r = await run(['collect', '--model', 'reg.json', '--data', 'new.csv', '--mode', 'bmu_only', '--backend', 'cpu'], dir);
    expect(r.code, r.err).toBe(0);
    const j = lastJson(r.out) as { mode: string; history: string; queries: { bmu: number; indices: number[] }[] };
    expect(j).toMatchObject({ mode: 'bmu_only', history: 'model' });
    expect(j.queries).toHaveLength(7);
    for (const q of j.queries) {
      const expected = trainBmu.flatMap((b, i) => (b === q.bmu ? [i] : []));
      expect([...q.indices].sort((a, b) => a - b)).toEqual(expected);
    }
    const knn = await run(['collect', '--model', 'reg.json', '--data', 'new.csv', '--history', 'train.csv', '--min-buffer', '30', '--backend', 'cpu'], dir);
    expect(knn.code, knn.err).toBe(0);
    const k = lastJson(knn.out) as { mode: string; queries: { indices: number[] }[] };
    expect(k.mode).toBe('bmu_neighborhood_knn');
    for (const q of k.queries) expect(q.indices.length).toBeGreaterThan(30);
    const none = await run(['collect', '--model', 'plain.json', '--data', 'new.csv', '--backend', 'cpu'], dir);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/carries no training rows.*--history FILE/);
  });
});
