import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '@somkit/datasets';
import { main } from './main.js';
import { memoryIo } from './Io.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

/** A "real" table: numeric, categorical, boolean, an id, a class and a target, with missing cells. */
function realTable(n: number): string {
  const rows = ['id,age,income,color,smoker,species,price'];
  for (let i = 0; i < n; i++) {
    const g = i % 3;
    const age = i % 7 === 3 ? 'NA' : String(20 + g * 20 + (i % 5));
    const income = i % 11 === 5 ? '' : (1000 * (g + 1) + (i % 13) * 10).toFixed(1);
    const color = i % 9 === 4 ? '?' : ['red', 'green', 'blue'][g]!;
    const smoker = i % 8 === 6 ? 'null' : g === 2 ? 'yes' : 'no';
    rows.push(`id${i},${age},${income},${color},${smoker},${['a', 'b', 'c'][g]},${(g * 10 + (i % 4)).toFixed(2)}`);
  }
  return rows.join('\n') + '\n';
}

describe('somkit tables: inspect, train with a schema, eval, impute', () => {
  let dir = '';
  const TABLE = ['--label-column', 'species', '--target', 'price', '--ignore', 'id', '--categorical', 'color'];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-tables-'));
    await writeFile(join(dir, 'real.csv'), realTable(90));
  });

  it('inspect prints the schema (text and JSON)', async () => {
    const j = await run(['inspect', '--data', 'real.csv', '--json', ...TABLE], dir);
    expect(j.code, j.err).toBe(0);
    const s = lastJson(j.out);
    expect(s.rows).toBe(90);
    expect(s.columns).toEqual([
      { name: 'id', type: 'categorical', role: 'ignore', missing: 0, distinct: 90 },
      { name: 'age', type: 'numeric', role: 'feature', missing: 13, min: 20, max: 64 },
      { name: 'income', type: 'numeric', role: 'feature', missing: 8, min: 1000, max: 3120 },
      { name: 'color', type: 'categorical', role: 'feature', missing: 10, distinct: 3 },
      { name: 'smoker', type: 'boolean', role: 'feature', missing: 11, distinct: 2 },
      { name: 'species', type: 'categorical', role: 'label', missing: 0, distinct: 3 },
      { name: 'price', type: 'numeric', role: 'target', missing: 0, min: 0, max: 23 },
    ]);
    const t = await run(['inspect', '--data', 'real.csv'], dir);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/90 rows, 7 columns/);
    expect(t.out).toMatch(/color\s+categorical\s+feature\s+10\s+3 distinct: "red", "green", "blue"/);
    expect(t.out).toMatch(/age\s+numeric\s+feature\s+13\s+20 … 64/);
    expect(t.out).toMatch(/text columns without a role: id, color, species — train needs --categorical, --label-column or --ignore/);
  });

  it('train: masked SOM on missing cells, pipeline saved; eval reproduces qe; impute fills every missing feature cell', async () => {
    const r = await run(['train', '--data', 'real.csv', ...TABLE, '--rows', '4', '--cols', '4', '--epochs', '4', '--backend', 'cpu', '--out', 'real.json', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const j = lastJson(r.out);
    expect(j).toMatchObject({ n: 90, d: 6, missing_cells: 42 });
    expect(j.columns).toEqual([
      { name: 'age', type: 'numeric', missing: 13 },
      { name: 'income', type: 'numeric', missing: 8 },
      { name: 'color', type: 'categorical', missing: 10 },
      { name: 'smoker', type: 'boolean', missing: 11 },
    ]);
    const model = JSON.parse(await readFile(join(dir, 'real.json'), 'utf8'));
    expect(model.config.missing).toBe('mask');
    expect(model.preprocessing).toMatchObject({ format: 'somkit.preprocessing', scaling: 'zscore', excluded: ['id', 'species', 'price'] });

    // eval finds the pipeline in the model: no table flags needed, the excluded columns may be present
    const e = await run(['eval', '--model', 'real.json', '--data', 'real.csv', '--backend', 'cpu', '--json'], dir);
    expect(e.code, e.err).toBe(0);
    expect(lastJson(e.out)).toMatchObject({ qe: j.qe, te: j.te, n: 90, missing_cells: 42 });

    const m = await run(['impute', '--model', 'real.json', '--data', 'real.csv', '--out', 'filled.csv', '--backend', 'cpu', '--json'], dir);
    expect(m.code, m.err).toBe(0);
    expect(lastJson(m.out)).toMatchObject({ rows: 90, missing_cells: 42, filled_cells: 42 });
    const before = (await readFile(join(dir, 'real.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
    const after = (await readFile(join(dir, 'filled.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
    expect(after[0]).toEqual(before[0]);
    expect(after).toHaveLength(before.length);
    const filled = parseTable(after.map((l) => l.join(',')).join('\n'));
    for (const c of filled.columns) expect(c.missing, c.name).toBe(0);
    const MISSING = new Set(['', 'na', '?', 'null']);
    for (let i = 1; i < before.length; i++) {
      for (let j2 = 0; j2 < before[0]!.length; j2++) {
        const was = before[i]![j2]!;
        const now = after[i]![j2]!;
        if (!MISSING.has(was.toLowerCase())) expect(now, `row ${i} col ${j2}`).toBe(was);
      }
    }
    // categorical and boolean cells are filled with known values; integer ages stay integers
    const idx = (name: string): number => before[0]!.indexOf(name);
    for (let i = 1; i < before.length; i++) {
      expect(['red', 'green', 'blue']).toContain(after[i]![idx('color')]);
      expect(['yes', 'no']).toContain(after[i]![idx('smoker')]);
      expect(after[i]![idx('age')]).toMatch(/^\d+$/);
    }
  });

  it('report: component planes in the columns\' own units, a category map per categorical and boolean column', async () => {
    const t = await run(['train', '--data', 'real.csv', ...TABLE, '--rows', '4', '--cols', '4', '--epochs', '3', '--backend', 'cpu', '--out', 'rep.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    const r = await run(['report', '--model', 'rep.json', '--data', 'real.csv', '--label-column', 'species', '--out', 'rep', '--no-png', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const figures = lastJson(r.out).figures as string[];
    expect(figures).toEqual(expect.arrayContaining(['component-planes', 'category-0', 'category-1', 'classification']));
    const html = await readFile(join(dir, 'rep', 'report.html'), 'utf8');
    expect(html).toContain('Category map: color');
    expect(html).toContain('Category map: smoker');
    // age in years (20–64), not z-scores: a colour-bar tick in that range
    expect(html).toMatch(/>(2\d|3\d|4\d|5\d|6[0-4])(\.\d+)?</);
    expect(html).not.toContain('color=red');
  });

  it('export: codebook.csv in original units, categories as names with their share', async () => {
    const t = await run(['train', '--data', 'real.csv', ...TABLE, '--rows', '3', '--cols', '3', '--epochs', '2', '--backend', 'cpu', '--out', 'exp.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    const r = await run(['export', '--model', 'exp.json', '--out', 'exp', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out).codebook).toBe(join(dir, 'exp', 'codebook.csv'));
    const lines = (await readFile(join(dir, 'exp', 'codebook.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['unit', 'row', 'col', 'age', 'income', 'color', 'color_share', 'smoker', 'smoker_share']);
    expect(lines).toHaveLength(10);
    for (const l of lines.slice(1)) {
      expect(Number(l[3])).toBeGreaterThanOrEqual(15);
      expect(Number(l[3])).toBeLessThanOrEqual(70);
      expect(['red', 'green', 'blue']).toContain(l[5]);
      expect(['yes', 'no']).toContain(l[7]);
      expect(Number(l[6])).toBeGreaterThan(0);
      expect(Number(l[6])).toBeLessThanOrEqual(1);
    }
  });

  it('a category not seen in training: eval counts it, impute keeps it as written', async () => {
    await writeFile(join(dir, 'new.csv'), 'id,age,income,color,smoker,species,price\nx1,30,2000,purple,no,a,1\nx2,,1000,red,yes,b,2\n');
    const e = await run(['eval', '--model', 'real.json', '--data', 'new.csv', '--backend', 'cpu', '--json'], dir);
    expect(e.code, e.err).toBe(0);
    expect(lastJson(e.out)).toMatchObject({ n: 2, missing_cells: 2, unknown_categories: { color: 1 } });
    expect(e.err).toMatch(/categories not seen in training, read as missing: color \(1 cell\)/);
    const m = await run(['impute', '--model', 'real.json', '--data', 'new.csv', '--out', 'new-filled.csv', '--backend', 'cpu', '--json'], dir);
    expect(m.code, m.err).toBe(0);
    expect(lastJson(m.out)).toMatchObject({ filled_cells: 1, unknown_categories: { color: 1 } });
    const lines = (await readFile(join(dir, 'new-filled.csv'), 'utf8')).trim().split('\n');
    expect(lines[1]).toBe('x1,30,2000,purple,no,a,1');
    expect(lines[2]).toMatch(/^x2,\d+,1000,red,yes,b,2$/);
  });

  it('--scaling minmax|none; .npy defaults to none (no pipeline) and takes --scaling', async () => {
    for (const scaling of ['minmax', 'none']) {
      const r = await run(['train', '--data', 'real.csv', ...TABLE, '--scaling', scaling, '--rows', '3', '--cols', '3', '--epochs', '1', '--backend', 'cpu', '--out', `s-${scaling}.json`, '--json'], dir);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(await readFile(join(dir, `s-${scaling}.json`), 'utf8')).preprocessing.scaling).toBe(scaling);
    }
    const { toNpy } = await import('@somkit/datasets');
    const data = Float32Array.from({ length: 30 * 2 }, (_, i) => (i === 5 ? NaN : 100 * Math.sin(i)));
    await writeFile(join(dir, 'm.npy'), toNpy(data, [30, 2]));
    const plain = await run(['train', '--data', 'm.npy', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--out', 'npy-plain.json', '--json'], dir);
    expect(plain.code, plain.err).toBe(0);
    expect(lastJson(plain.out)).toMatchObject({ missing_cells: 1, columns: [{ name: '0', type: 'numeric', missing: 0 }, { name: '1', type: 'numeric', missing: 1 }] });
    const pm = JSON.parse(await readFile(join(dir, 'npy-plain.json'), 'utf8'));
    expect(pm.preprocessing).toBeUndefined();
    expect(pm.config.missing).toBe('mask');
    const z = await run(['train', '--data', 'm.npy', '--scaling', 'zscore', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--out', 'npy-z.json', '--json'], dir);
    expect(z.code, z.err).toBe(0);
    const e = await run(['eval', '--model', 'npy-z.json', '--data', 'm.npy', '--backend', 'cpu', '--json'], dir);
    expect(lastJson(e.out).qe).toBe(lastJson(z.out).qe);
    // a model without a pipeline reads a .csv with --ignore through the schema, values as they are
    const csv = ['p,skip,q', ...Array.from({ length: 30 }, (_, i) => `${i === 3 ? 'NA' : data[2 * i]},x${i},${data[2 * i + 1]}`)];
    await writeFile(join(dir, 'm.csv'), csv.join('\n') + '\n');
    const old = await run(['eval', '--model', 'npy-plain.json', '--data', 'm.csv', '--ignore', 'skip', '--backend', 'cpu', '--json'], dir);
    expect(old.code, old.err).toBe(0);
    expect(lastJson(old.out)).toMatchObject({ n: 30, missing_cells: 2 });
    const imp = await run(['impute', '--model', 'npy-plain.json', '--data', 'm.npy', '--out', 'npy.csv', '--backend', 'cpu', '--json'], dir);
    expect(imp.code, imp.err).toBe(0);
    expect(lastJson(imp.out)).toMatchObject({ filled_cells: 1 });
    const lines = (await readFile(join(dir, 'npy.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('0,1');
    expect(lines[1]).toBe('0,84.147095'); // the shortest text that reads back as the float32
    expect(Math.fround(84.147095)).toBe(Math.fround(100 * Math.sin(1)));
  });

  it('user errors: one line, exit 1, the fix', async () => {
    await writeFile(join(dir, 'allmissing.csv'), 'a,b\n1,\n2,NA\n');
    const cases: Array<[string[], RegExp]> = [
      [['train', '--data', 'real.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'], /ERR_PARSE: Columns "id", "color", "species" hold text.*--categorical id,color,species/],
      [['train', '--data', 'real.csv', ...TABLE, '--ignore', 'nope', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'], /ERR_INVALID_INPUT: ignore names column "nope", which is not in the header; the columns are: "id", "age"/],
      [['inspect', '--data', 'real.csv', '--target', 'color'], /ERR_PARSE: Line 2, target column "color": expected a number, got "red"/],
      [['train', '--data', 'allmissing.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'], /ERR_INVALID_INPUT: Feature column "b" has no values/],
      [['train', '--data', 'm.npy', '--ignore', 'a', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'], /--ignore applies to \.csv files only/],
      [['eval', '--model', 'real.json', '--data', 'allmissing.csv', '--backend', 'cpu'], /ERR_SHAPE_MISMATCH: The model expects 4 features \(age, income, color, smoker\) but the data has 2 feature columns/],
    ];
    for (const [args, pattern] of cases) {
      const r = await run(args, dir);
      expect(r.code, args.join(' ')).toBe(1);
      const errLines = r.err.trim().split('\n').filter((l) => !l.startsWith('backend:'));
      expect(errLines, args.join(' ')).toHaveLength(1);
      expect(errLines[0], args.join(' ')).toMatch(pattern);
    }
    const bad = await run(['train', '--data', 'real.csv', '--scaling', 'robust', '--rows', '2', '--cols', '2', '--out', 'o.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--scaling expects one of zscore, minmax, none/);
  });

  it('help for inspect and impute', async () => {
    for (const c of ['inspect', 'impute']) {
      const r = await run([c, '--help'], dir);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: somkit/);
    }
  });
});
