import { mulberry32 } from '@somkit/geometry';
import type { UsearchIndex, UsearchMetric, UsearchModule } from './loadUsearch.js';

/** Maps with fewer units than this are indexed on one thread (see {@link UnitIndex.build}). */
const SEQUENTIAL_BUILD_UNITS = 256;

/** Graph settings of one index build (see `UsearchSearchOptions`). */
export interface IndexSettings {
  readonly connectivity: number;
  readonly expansionAdd: number;
  readonly expansionSearch: number;
  readonly threads: number;
}

/** Smallest norm a vector is divided by (as somkit's `cosine`), so a zero vector stays zero. */
const MIN_NORM = 1e-12;

/**
 * A copy of `a` [rows, d] with every row divided by max(‖row‖, 1e-12): for the cosine distance,
 * the index stores unit vectors and uses usearch's `ip` metric (1 − dot), which then equals
 * somkit's cosine distance, zero vectors included (distance 1 to everything).
 */
export function normalizeRows(a: Float32Array, d: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < a.length; r += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[r + j]! * a[r + j]!;
    const inv = 1 / Math.max(Math.sqrt(s), MIN_NORM);
    for (let j = 0; j < d; j++) out[r + j] = a[r + j]! * inv;
  }
  return out;
}

/** The permutation of 0…n−1 the index inserts units in (Fisher–Yates on mulberry32, fixed seed). */
export function permutation(n: number): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  const next = mulberry32(0x5eed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * usearch's score of two rows in plain JS (squared L2 for `l2sq`, 1 − dot for `ip`), for the
 * rare rows the graph search returned fewer than k units for.
 */
function score(metric: UsearchMetric, a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  if (metric === 'l2sq') {
    for (let j = 0; j < d; j++) {
      const t = a[ai + j]! - b[bi + j]!;
      s += t * t;
    }
    return s;
  }
  for (let j = 0; j < d; j++) s += a[ai + j]! * b[bi + j]!;
  return 1 - s;
}

/**
 * An HNSW index over one codebook [u, d] (unit i stored under key i). Internal.
 *
 * The build inserts units in a fixed pseudo-random order ({@link permutation}); with one thread
 * the graph (and so every search result) is a function of the codebook and the settings alone:
 * usearch draws node levels from a default-seeded generator per thread context.
 */
export class UnitIndex {
  private constructor(
    private readonly index: UsearchIndex,
    /** The stored vectors (normalised rows for `ip`), kept for the exact fill-in. */
    private readonly w: Float32Array,
    readonly units: number,
    readonly dims: number,
    readonly metric: UsearchMetric,
    private readonly threads: number,
  ) {}

  /**
   * Builds the index.
   * @param w - codebook [u, d] row-major, already normalised for `ip`
   */
  static build(mod: UsearchModule, w: Float32Array, units: number, dims: number, metric: UsearchMetric, s: IndexSettings): UnitIndex {
    const index = new mod.Index({
      dimensions: dims,
      metric,
      quantization: 'f32',
      connectivity: s.connectivity,
      expansion_add: s.expansionAdd,
      expansion_search: s.expansionSearch,
      multi: false,
    });
    // Insert in a fixed pseudo-random order: a codebook comes in grid order, neighbours next to
    // each other, and an HNSW graph built from spatially sorted insertions links poorly across
    // the map (measured: recall@1 stuck at 0.93 on a trained 100 × 100 map whatever the expansion).
    const order = permutation(units);
    const keys = new BigUint64Array(units);
    const rows = new Float32Array(units * dims);
    for (let i = 0; i < units; i++) {
      const unit = order[i]!;
      keys[i] = BigInt(unit);
      rows.set(w.subarray(unit * dims, (unit + 1) * dims), i * dims);
    }
    // usearch reserves one search context per add thread: searches may use at most this many.
    // Small maps are built (and so searched) on one thread: concurrent insertion into a graph of a
    // few dozen nodes occasionally linked it poorly (a 2-thread build of 24 units returned a wrong
    // 3rd-nearest unit in one CI run), and such a build takes well under a millisecond anyway.
    const threads = units < SEQUENTIAL_BUILD_UNITS ? 1 : s.threads;
    index.add(keys, rows, threads);
    return new UnitIndex(index, w, units, dims, metric, threads);
  }

  /**
   * k nearest units per query row, ascending by (score, unit index), so equal scores list the
   * lower unit first (as the exact brute force does among the units it returns).
   * @param x - queries [n, d] row-major, already normalised for `ip`
   * @returns [n, k] unit indices and raw usearch scores (squared L2 or 1 − dot)
   */
  query(x: Float32Array, n: number, k: number): { indices: Int32Array; scores: Float32Array } {
    const r = this.index.search(x, k, this.threads);
    const indices = new Int32Array(n * k);
    const scores = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const found = r.counts === undefined ? r.keys.length : Number(r.counts[i]);
      const o = i * k;
      if (found < k) {
        this.fillExact(x, i, k, indices, scores);
        continue;
      }
      for (let j = 0; j < k; j++) {
        indices[o + j] = Number(r.keys[o + j]);
        scores[o + j] = r.distances[o + j]!;
      }
      // Insertion sort of the k (≤ a few) entries by (score, index).
      for (let j = 1; j < k; j++) {
        const si = scores[o + j]!;
        const ii = indices[o + j]!;
        let m = j - 1;
        while (m >= 0 && (scores[o + m]! > si || (scores[o + m] === si && indices[o + m]! > ii))) {
          scores[o + m + 1] = scores[o + m]!;
          indices[o + m + 1] = indices[o + m]!;
          m--;
        }
        scores[o + m + 1] = si;
        indices[o + m + 1] = ii;
      }
    }
    return { indices, scores };
  }

  /** Exact k nearest units of query row i, in plain JS (used when the graph search found fewer). */
  private fillExact(x: Float32Array, i: number, k: number, indices: Int32Array, scores: Float32Array): void {
    const d = this.dims;
    const all = Array.from({ length: this.units }, (_, u) => ({ u, s: score(this.metric, x, i * d, this.w, u * d, d) }));
    all.sort((a, b) => a.s - b.s || a.u - b.u);
    for (let j = 0; j < k; j++) {
      indices[i * k + j] = all[j]!.u;
      scores[i * k + j] = all[j]!.s;
    }
  }
}
