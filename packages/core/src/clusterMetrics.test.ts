import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from './SOM.js';
import { clusterStats } from './clusterStats.js';
import { codebookError } from './codebookError.js';

// A 1 × 3 map with units at 0, 10 and 20 on a line (dims 1), and samples placed by hand.
async function lineSom(): Promise<SOM> {
  const som = new SOM({ rows: 1, cols: 3, dims: 1 });
  await som.setWeights([[0], [10], [20]]);
  return som;
}

describe("fastsom's codebook_err and cluster_stats", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('codebookError counts outsiders inside each unit’s farthest-member radius, ÷ units·samples', async () => {
    const som = await lineSom();
    // BMUs 0, 0, 1, 1, 2: radii r0 = 4, r1 = 4, r2 = 0. The nearest outsider of each unit is 6 away: 0.
    expect(await codebookError(som, [[0], [4], [6], [14], [20]])).toBe(0);
    som.dispose();
    const plane = new SOM({ rows: 1, cols: 2, dims: 2 });
    await plane.setWeights([[0, 0], [10, 0]]);
    // Unit 0's members (4, 0) and (0, 9): radius 9. Unit 1's member (6, 0) is 6 from unit 0 < 9: one
    // outsider. Unit 1's radius is 4 and both of unit 0's members are farther (6 and 13.5): 1 / (2·3).
    expect(await codebookError(plane, [[4, 0], [0, 9], [6, 0]])).toBeCloseTo(1 / 6, 12);
    // Another member of unit 1 at (10, 7) (radius 7) puts (4, 0) inside unit 1's ball too (6 < 7): 2 / (2·4).
    expect(await codebookError(plane, [[4, 0], [0, 9], [6, 0], [10, 7]])).toBeCloseTo(2 / 8, 12);
    plane.dispose();
  });

  it('clusterStats: log std of the used units’ hits, mean farthest-member distance, empty units', async () => {
    const som = await lineSom();
    const s = await clusterStats(som, [[0], [1], [3], [10], [11]]);
    expect([...s.hits]).toEqual([3, 2, 0]);
    expect(s.emptyUnits).toBe(1);
    // std of [3, 2] with n − 1 = 1: √0.5.
    expect(s.logHitStd).toBeCloseTo(Math.log(Math.sqrt(0.5)), 6);
    expect(s.meanMaxDistance).toBeCloseTo((3 + 1) / 2, 6);
    som.dispose();
  });
});
