import { describe, expect, it } from 'vitest';
import { defineDistance, registry, SomError, isSomError, assertPlugin } from './index.js';

const fake = defineDistance('test/fake', () => ({ pairwise: (x) => x }));

describe('registry', () => {
  it('resolves objects, names and specs', () => {
    registry.register('distance', 'test/fake', fake);
    const p = fake();
    expect(registry.resolve('distance', p)).toBe(p);
    expect(registry.resolve('distance', 'test/fake').name).toBe('test/fake');
    expect(registry.resolve('distance', { name: 'test/fake' }).kind).toBe('distance');
    expect(registry.list('distance')).toContain('test/fake');
    registry.unregister('distance', 'test/fake');
  });
  it('throws ERR_UNKNOWN_PLUGIN naming the registered plugins and the register entry', () => {
    registry.register('distance', 'test/a', fake);
    try {
      registry.resolve('distance', 'nope');
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
      expect((e as SomError).message).toMatch(/test\/a/);
      expect((e as SomError).message).toMatch(/@somkit\/kernels\/register/);
    }
    registry.unregister('distance', 'test/a');
  });
  it('rejects wrong kind and api versions', () => {
    expect(() => assertPlugin('neighborhood', fake())).toThrow(/kind 'neighborhood'/);
    expect(() => assertPlugin('distance', { ...fake(), apiVersion: 3 })).toThrow(SomError);
    expect(() => assertPlugin('engine', { ...fake(), kind: 'engine', apiVersion: 1 })).toThrow(SomError);
  });
  it('keeps the first registration of a taken name unless override', () => {
    const other = defineDistance('test/dup', () => ({ pairwise: (x) => x }));
    const another = defineDistance('test/dup', () => ({ pairwise: (x) => x }));
    registry.register('distance', 'test/dup', other);
    registry.register('distance', 'test/dup', another);
    registry.register('distance', 'test/dup', another, { override: true });
    expect(registry.has('distance', 'test/dup')).toBe(true);
    registry.unregister('distance', 'test/dup');
  });
  it('plugins are frozen with JSON options', () => {
    const p = fake();
    expect(Object.isFrozen(p)).toBe(true);
    expect(p.apiVersion).toBe(2);
    expect(() => defineDistance<any>('x', () => ({ pairwise: (x) => x }))({ f: () => 1 } as any)).toThrow(/JSON/);
  });
});
