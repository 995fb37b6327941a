import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSomError, type SomError, type SomErrorCode } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataFile, writeNpyFile } from './node.js';
import { parseNpy } from './parseNpy.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'somkit-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fails(p: Promise<unknown>, code: SomErrorCode): Promise<SomError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(isSomError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return err as SomError;
}

describe('readDataFile', () => {
  it('reads a .csv with a label column', async () => {
    const path = join(dir, 'small.CSV');
    await writeFile(path, 'a,b,species\n1,2,x\n3,4,y\n');
    const t = await readDataFile(path, { labelColumn: 'species' });
    expect(t).toEqual({
      data: Float32Array.from([1, 2, 3, 4]),
      n: 2,
      d: 2,
      featureNames: ['a', 'b'],
      labels: Int32Array.from([0, 1]),
      labelNames: ['x', 'y'],
    });
  });

  it('reads a 2-D .npy written by writeNpyFile', async () => {
    const path = join(dir, 'm.npy');
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 4);
    await writeNpyFile(path, data, [4, 3]);
    expect(await readDataFile(path)).toEqual({ data, n: 4, d: 3 });
    expect(parseNpy(new Uint8Array(await readFile(path))).shape).toEqual([4, 3]);
  });

  it('reads a numpy-written .npy fixture', async () => {
    const t = await readDataFile(new URL('./fixtures/f8_2x3.npy', import.meta.url).pathname);
    expect([t.n, t.d]).toEqual([2, 3]);
    expect(t.featureNames).toBeUndefined();
  });

  it('rejects 1-D and 3-D .npy with ERR_SHAPE_MISMATCH', async () => {
    const one = join(dir, 'one.npy');
    await writeNpyFile(one, new Float32Array(5), [5]);
    expect((await fails(readDataFile(one), 'ERR_SHAPE_MISMATCH')).message).toContain('got shape [5]');
    const three = join(dir, 'three.npy');
    await writeNpyFile(three, new Float32Array(8), [2, 2, 2]);
    expect((await fails(readDataFile(three), 'ERR_SHAPE_MISMATCH')).message).toContain('got shape [2, 2, 2]');
  });

  it('rejects an empty .npy with ERR_EMPTY_INPUT', async () => {
    const path = join(dir, 'empty.npy');
    await writeNpyFile(path, new Float32Array(0), [0, 3]);
    await fails(readDataFile(path), 'ERR_EMPTY_INPUT');
  });

  it('rejects CSV options for .npy with ERR_INVALID_INPUT', async () => {
    const path = join(dir, 'm2.npy');
    await writeNpyFile(path, new Float32Array(4), [2, 2]);
    expect((await fails(readDataFile(path, { labelColumn: 'y' }), 'ERR_INVALID_INPUT')).message).toContain('labelColumn');
  });

  it('rejects other extensions with ERR_INVALID_INPUT', async () => {
    expect((await fails(readDataFile(join(dir, 'x.json')), 'ERR_INVALID_INPUT')).message).toContain(".csv or .npy, got '.json'");
    expect((await fails(readDataFile(join(dir, 'noext')), 'ERR_INVALID_INPUT')).message).toContain('no extension');
  });

  it('missing file → ERR_IO naming the path', async () => {
    const path = join(dir, 'missing.csv');
    const e = await fails(readDataFile(path), 'ERR_IO');
    expect(e.message).toContain(path);
    expect(e.cause).toBeDefined();
    await fails(readDataFile(join(dir, 'missing.npy')), 'ERR_IO');
  });

  it('passes CSV errors through', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'a,b\n1,oops\n');
    expect((await fails(readDataFile(path), 'ERR_PARSE')).message).toContain('Line 2, column "b"');
  });
});

describe('writeNpyFile', () => {
  it('unwritable path → ERR_IO', async () => {
    await fails(writeNpyFile(join(dir, 'no', 'such', 'dir.npy'), new Float32Array(1), [1]), 'ERR_IO');
  });

  it('bad shape → ERR_SHAPE_MISMATCH', async () => {
    await fails(writeNpyFile(join(dir, 'x.npy'), new Float32Array(3), [2]), 'ERR_SHAPE_MISMATCH');
  });
});

describe('npyChunks', () => {
  it('reads a 2-D .npy in row chunks equal to the whole file', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { npyChunks, writeNpyFile } = await import('./node.js');
    const dir = await mkdtemp(join(tmpdir(), 'npychunks-'));
    const data = Float32Array.from({ length: 37 * 3 }, (_, i) => i * 0.5);
    await writeNpyFile(join(dir, 'x.npy'), data, [37, 3]);
    const got: number[] = [];
    const sizes: number[] = [];
    for await (const c of npyChunks(join(dir, 'x.npy'), { rows: 10 })) {
      sizes.push(c.shape[0]);
      expect(c.shape[1]).toBe(3);
      got.push(...c.data);
    }
    expect(sizes).toEqual([10, 10, 10, 7]);
    expect(got).toEqual([...data]);
    await writeNpyFile(join(dir, 'v.npy'), data, [111]);
    await expect((async () => { for await (const _ of npyChunks(join(dir, 'v.npy'))) void _; })()).rejects.toThrow(/2-D/);
    await expect((async () => { for await (const _ of npyChunks(join(dir, 'missing.npy'))) void _; })()).rejects.toThrow(/Cannot read/);
  });
  it('reads a row range (rowStart/rowEnd) in bounded chunks', async () => {
    const { npyChunks, writeNpyFile, readNpyHeader } = await import('./node.js');
    const path = join(dir, 'range.npy');
    const data = Float32Array.from({ length: 25 * 2 }, (_, i) => i);
    await writeNpyFile(path, data, [25, 2]);
    expect(await readNpyHeader(path)).toMatchObject({ dtype: '<f4', shape: [25, 2] });
    const sizes: number[] = [];
    const got: number[] = [];
    for await (const c of npyChunks(path, { rows: 4, rowStart: 7, rowEnd: 18 })) {
      sizes.push(c.shape[0]);
      got.push(...c.data);
    }
    expect(sizes).toEqual([4, 4, 3]);
    expect(got).toEqual([...data.subarray(14, 36)]);
    const empty: unknown[] = [];
    for await (const c of npyChunks(path, { rowStart: 25 })) empty.push(c);
    expect(empty).toEqual([]);
    const drain = async (o: object): Promise<void> => {
      for await (const _ of npyChunks(path, o)) void _;
    };
    await fails(drain({ rowStart: 3, rowEnd: 26 }), 'ERR_INVALID_INPUT');
    await fails(drain({ rowStart: 5, rowEnd: 4 }), 'ERR_INVALID_INPUT');
    await fails(drain({ rowStart: -1 }), 'ERR_INVALID_INPUT');
    await fails(readNpyHeader(join(dir, 'nope.npy')), 'ERR_IO');
  });
});

describe('readTable', () => {
  it('reads a .csv with a schema; other extensions → ERR_INVALID_INPUT', async () => {
    const { readTable } = await import('./node.js');
    const path = join(dir, 'mixed.csv');
    await writeFile(path, 'x,color,y\n1.5,red,0\nNA,blue,1\n');
    const t = await readTable(path, { labelColumn: 'y' });
    expect(t.columns.map((c) => [c.name, c.type, c.role, c.missing])).toEqual([['x', 'numeric', 'feature', 1], ['color', 'categorical', 'feature', 0], ['y', 'categorical', 'label', 0]]);
    await fails(readTable(join(dir, 'x.npy')), 'ERR_INVALID_INPUT');
    await fails(readTable(join(dir, 'absent.csv')), 'ERR_IO');
  });
});
