import { expect, it } from 'vitest';
import { registry, type MapData } from '@somkit/plugin-api';
import './register.js';
import { ascii } from './index.js';

it('after importing ./register, the renderer resolves by name, with options', () => {
  expect(registry.list('renderer')).toContain('somkit-renderer-ascii/ascii');
  const r = registry.resolve('renderer', { name: 'somkit-renderer-ascii/ascii', options: { cellWidth: 1, legend: false } });
  expect(r.name).toBe(ascii().name);
  const m: MapData = { type: 'hit', values: Float32Array.from([0, 1]), rows: 1, cols: 2, topology: 'rectangular', pbc: false };
  expect(r.render(m)).toBe('.@');
});
