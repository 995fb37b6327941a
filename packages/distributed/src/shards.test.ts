import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { writeNpyFile } from '@somkit/datasets/node';
import { splitRows } from './splitRows.js';
import { shardDataFile } from './shardDataFile.js';
import { openBuiltinShard } from './openBuiltinShard.js';

async function rows(it: AsyncIterable<{ data: Float32Array; shape: [number, number] }>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const c of it) for (let i = 0; i < c.shape[0]; i++) out.push([...c.data.subarray(i * c.shape[1], (i + 1) * c.shape[1])]);
  return out;
}

describe('splitRows', () => {
  it('splits into contiguous ranges differing by at most one row, never empty', () => {
    expect(splitRows(10, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(splitRows(2_000, 8).every(([a, b]) => b - a === 250)).toBe(true);
    expect(splitRows(3, 8)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(splitRows(5, 1)).toEqual([[0, 5]]);
    for (const bad of [[0, 2], [5, 0], [1.5, 2]] as const) expect(() => splitRows(bad[0], bad[1])).toThrow(/splitRows/);
  });
});

describe('shardDataFile and openBuiltinShard', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-shards-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('.npy: reads only the header; the shards together yield every row once, in order', async () => {
    const path = join(dir, 'x.npy');
    const data = Float32Array.from({ length: 23 * 3 }, (_, i) => i);
    await writeNpyFile(path, data, [23, 3]);
    const f = await shardDataFile(path, 4);
    expect([f.n, f.d, f.shards.length]).toEqual([23, 3, 4]);
    expect(f.shards[0]).toEqual({ kind: 'npy', path, rowStart: 0, rowEnd: 6 });
    const all: number[][] = [];
    for (const s of f.shards) all.push(...(await rows(openBuiltinShard(s, 4))));
    expect(all.flat()).toEqual([...data]);
  });

  it('.csv with a label column: row ranges of the data rows, labels left out', async () => {
    const path = join(dir, 'x.csv');
    await writeFile(path, 'a,b,y\n' + Array.from({ length: 7 }, (_, i) => `${i},${-i},c${i % 2}`).join('\n') + '\n');
    const f = await shardDataFile(path, 3, { labelColumn: 'y' });
    expect([f.n, f.d]).toEqual([7, 2]);
    expect(f.shards[1]).toEqual({ kind: 'csv', path, labelColumn: 'y', rowStart: 3, rowEnd: 5 });
    expect(await rows(openBuiltinShard(f.shards[1]!, 1))).toEqual([[3, -3], [4, -4]]);
    await expect(rows(openBuiltinShard({ kind: 'csv', path, labelColumn: 'y', rowStart: 5, rowEnd: 9 }))).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_INPUT'));
  });

  it('clear errors: missing file (ERR_IO), unknown kind, malformed descriptor, labelColumn on .npy', async () => {
    await expect(rows(openBuiltinShard({ kind: 'npy', path: join(dir, 'none.npy'), rowStart: 0, rowEnd: 1 }))).rejects.toSatisfy((e) => isSomError(e, 'ERR_IO'));
    expect(() => openBuiltinShard({ kind: 'parquet', path: 'x' })).toThrow(/openShard/);
    expect(() => openBuiltinShard({ kind: 'npy', path: 'x', rowStart: 3, rowEnd: 1 })).toThrow(/Malformed npy shard/);
    await expect(shardDataFile(join(dir, 'x.npy'), 2, { labelColumn: 'y' })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_INPUT'));
    await expect(shardDataFile(join(dir, 'none.npy'), 2)).rejects.toSatisfy((e) => isSomError(e, 'ERR_IO'));
  });
});
