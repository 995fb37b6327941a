import type { Grid } from '@somkit/geometry';

/** Threshold on the squared plane distance of the two best units for TE: 8-neighbours on rectangular (√2), 6 on hexagonal (1). */
export const TE_PLANE_DIST2 = 1.5 * 1.5;

/**
 * The one QE/TE statistic of somkit, accumulated over search results in plain arrays: the sum of
 * each sample's distance to its BMU (QE numerator) and the count of samples whose two best units
 * are not grid neighbours (TE numerator; 8-neighbourhood on rectangular grids, 6 on hexagonal,
 * torus-aware). Training passes, `evaluate`, streaming and distributed shards all use it.
 */
export class PassStats {
  qeSum = 0;
  teCount = 0;
  n = 0;

  constructor(private readonly grid: Grid) {}

  /**
   * Adds `rows` samples' search results.
   * @param indices - [rows, k] best units, nearest first
   * @param distances - [rows, k] their distances
   */
  add(indices: Int32Array, distances: Float32Array, rows: number, k: number): void {
    let qe = 0;
    let te = 0;
    const g = this.grid;
    for (let i = 0; i < rows; i++) {
      qe += distances[i * k]!;
      if (k > 1 && g.planeDistance2(indices[i * k]!, indices[i * k + 1]!) > TE_PLANE_DIST2) te++;
    }
    this.addTotals(qe, te, rows);
  }

  /** Adds the totals of a pass counted elsewhere (merged shard sums: Σ QE, TE count, samples). */
  addTotals(qeSum: number, teCount: number, n: number): void {
    this.qeSum += qeSum;
    this.teCount += teCount;
    this.n += n;
  }

  /** Mean QE, NaN for no samples. */
  get qe(): number {
    return this.n > 0 ? this.qeSum / this.n : Number.NaN;
  }

  /** TE fraction; NaN for no samples or a 1-unit map. */
  get te(): number {
    return this.n > 0 && this.grid.units >= 2 ? this.teCount / this.n : Number.NaN;
  }
}
