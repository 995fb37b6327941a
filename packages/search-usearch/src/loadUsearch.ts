/**
 * Loading the native `usearch` module, once, synchronously (so `supports()` can answer). Internal.
 */
import { createRequire } from 'node:module';

/** The metric kinds this package asks usearch for. */
export type UsearchMetric = 'l2sq' | 'ip';

/** The part of a usearch `Index` this package uses (usearch 2.x JavaScript API). */
export interface UsearchIndex {
  /** Adds `keys.length` vectors, row-major, with `threads` threads (0 = all cores). */
  add(keys: BigUint64Array, vectors: Float32Array, threads: number): void;
  /**
   * k nearest keys per query row. For one query row usearch returns a single `Matches` (no
   * `counts`, arrays cut to the found count); for several, `BatchMatches` with `counts`.
   */
  search(vectors: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array; counts?: BigUint64Array };
  size(): number;
}

/** The part of the usearch module this package uses. */
export interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: UsearchMetric;
    quantization: 'f32';
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => UsearchIndex;
}

let loaded: { usearch: UsearchModule } | { error: string } | undefined;

const firstLine = (e: unknown): string => String((e as { message?: unknown } | null)?.message ?? e).split('\n')[0] ?? '';

/**
 * The usearch module (its CommonJS entry, which loads the prebuilt `usearch.node` for this
 * platform), or why it could not be loaded.
 */
export function loadUsearch(): UsearchModule | string {
  if (loaded === undefined) {
    try {
      const mod = createRequire(import.meta.url)('usearch') as Partial<UsearchModule> & { default?: Partial<UsearchModule> };
      const Index = mod.Index ?? mod.default?.Index;
      if (typeof Index !== 'function') throw new Error('the module has no Index class');
      loaded = { usearch: { Index } };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      loaded = {
        error:
          code === 'MODULE_NOT_FOUND'
            ? 'the usearch package is not installed (pnpm add usearch; with pnpm add allowBuilds: { usearch: false } to pnpm-workspace.yaml — the prebuilt binary ships in the package)'
            : `the usearch native module could not be loaded on ${process.platform}-${process.arch}: ${firstLine(e)}`,
      };
    }
  }
  return 'usearch' in loaded ? loaded.usearch : loaded.error;
}
