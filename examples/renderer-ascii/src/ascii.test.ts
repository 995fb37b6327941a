// Rendering rules, use on maps of a trained SOM, and the unregistered name. Never imports './register.js'.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { describeBackends } from '@somkit/testing';
import { isJson, isSomError, registry, type MapData } from '@somkit/plugin-api';
import { buildMap, SOM } from '@somkit/core';
import { ascii } from './index.js';

const map = (values: number[], rows: number, cols: number, extra: Partial<MapData> = {}): MapData => ({
  type: 'hit',
  values: Float32Array.from(values),
  rows,
  cols,
  topology: 'rectangular',
  pbc: false,
  ...extra,
});

describe('ascii renderer', () => {
  it('is a frozen renderer plugin (kind, name, apiVersion 2, JSON options)', () => {
    const r = ascii({ cellWidth: 1 });
    expect(Object.isFrozen(r)).toBe(true);
    expect(r).toMatchObject({ kind: 'renderer', name: 'somkit-renderer-ascii/ascii', apiVersion: 2, options: { cellWidth: 1 } });
    expect(isJson(r.options)).toBe(true);
    expect(ascii().options).toBeUndefined();
  });

  it('scales values linearly from min to max onto the ramp', () => {
    const out = ascii().render(map([0, 1, 2, 3, 4, 5], 2, 3));
    // levels round(v/5 · 8) on '.:-=+*#%@' → 0 2 3 5 6 8
    expect(out).toBe(['hit — 2×3 rectangular', '..--==', '**##@@', '.:-=+*#%@  0 … 5'].join('\n'));
  });

  it('shifts odd rows of hexagonal maps by half a cell, prints NaN units as empty', () => {
    const out = ascii({ legend: true, empty: '?' }).render(map([0, Number.NaN, 2, 2], 2, 2, { topology: 'hexagonal', pbc: true, label: 'U-matrix' }));
    expect(out.split('\n')).toEqual(['U-matrix — 2×2 hexagonal, toroidal', '..??', ' @@@@', '.:-=+*#%@  0 … 2', "'?' = no value"]);
  });

  it('takes per-call style over its options; a constant map prints at the top of the ramp', () => {
    expect(ascii({ ramp: 'ab' }).render(map([7, 7, 7], 1, 3), { legend: false, cellWidth: 1 })).toBe('bbb');
  });

  it('refuses bad options and a values array that does not match rows·cols', () => {
    expect(() => ascii({ ramp: 'x' })).toThrow(/ramp/);
    expect(() => ascii({ cellWidth: 0 })).toThrow(/cellWidth/);
    expect(() => ascii().render(map([1, 2, 3], 2, 2))).toThrow(/expected 2·2 = 4 values, got 3/);
  });

  it('without registration, the name fails with ERR_UNKNOWN_PLUGIN naming the package to import', () => {
    try {
      registry.resolve('renderer', 'somkit-renderer-ascii/ascii');
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
      expect((e as Error).message).toContain("import 'somkit-renderer-ascii/register'");
    }
  });
});

describeBackends(['cpu', 'wasm'], () => {
  it("renders the hit map and U-matrix of a trained hexagonal SOM (core's buildMap → MapData)", async () => {
    const before = tf.memory().numTensors;
    let s = 5;
    const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const data = Array.from({ length: 90 }, (_, i) => [i % 3, (i % 3) * 2, 1].map((c) => c + 0.2 * next()));
    const som = new SOM({ rows: 4, cols: 6, dims: 3, epochs: 4, topology: 'hexagonal', sigma: 1.5 });
    await som.fit(data);
    const hits = await buildMap(som, 'hit', { data });
    const text = ascii().render(hits);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${hits.label ?? hits.type} — 4×6 hexagonal`);
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines[2]!.startsWith(' ')).toBe(true);
    expect(lines[5]).toMatch(/^\.:-=\+\*#%@ {2}0 … \d+$/);
    const umatrix = ascii({ cellWidth: 1 }).render(await buildMap(som, 'distance'), { legend: false });
    expect(umatrix.split('\n').map((l) => l.trim().length)).toEqual([6, 6, 6, 6]);
    som.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
