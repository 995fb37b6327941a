import { describe, expect, it } from 'vitest';
import { watchCpu } from './cpuWatch.js';

describe('watchCpu', () => {
  it.skipIf(process.platform !== 'linux')('reports this process\'s and the rest of the machine\'s CPU shares of a busy region (reads Linux /proc/stat; skipped on other platforms)', () => {
    const end = watchCpu(0.3);
    const t0 = performance.now();
    let x = 0;
    while (performance.now() - t0 < 400) x += Math.sqrt(x + 1);
    const s = end();
    expect(x).toBeGreaterThan(0);
    expect(s).toBeDefined();
    // One busy thread on N cores: at most 1/N of the machine plus tick noise (10 ms in 400 ms).
    expect(s!.own_cpu_share).toBeGreaterThan(0);
    expect(s!.own_cpu_share).toBeLessThanOrEqual(1.05);
    expect(s!.foreign_cpu_share).toBeGreaterThanOrEqual(0);
    expect(s!.foreign_cpu_share).toBeLessThanOrEqual(1.05);
  });

  it('gives nothing for a region shorter than its minimum (10 ms ticks would be noise)', () => {
    expect(watchCpu(0.5)()).toBeUndefined();
  });
});
