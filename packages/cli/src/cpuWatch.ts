import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** CPU shares of a timed region: this process's, and everyone else's (other processes, steal). */
export interface CpuShares {
  /** This process's CPU time (all its threads) over wall time × cores. */
  own_cpu_share: number;
  /** Machine-wide busy CPU time minus this process's, over wall time × cores: ~0 when the run had the machine to itself, 0.5 on 2 cores when something else held a full core. */
  foreign_cpu_share: number;
}

/** USER_HZ: the unit of /proc/stat (100 on every Linux build Node supports). */
const CLOCK_TICKS = 100;

/** Busy seconds of the whole machine so far (user … steal in /proc/stat's `cpu` line), or undefined off Linux. */
function busySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return (v.reduce((a, b) => a + b, 0) - idle) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * Starts watching CPU use — the same measure as `CpuWatch` in ../shared/bench/bench_common.py, so
 * somkit's bench lines can be read next to the Python peers'. Call the returned function at the end
 * of the timed region; it returns undefined where /proc/stat cannot be read, and for regions
 * shorter than `minSeconds` (/proc/stat counts in 10 ms ticks, so shorter regions give noise).
 */
export function watchCpu(minSeconds = 0.5): () => CpuShares | undefined {
  const t0 = performance.now();
  const b0 = busySeconds();
  const c0 = process.cpuUsage();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const b1 = busySeconds();
    if (b0 === undefined || b1 === undefined || !(wall >= minSeconds) || !(wall > 0)) return undefined;
    const c = process.cpuUsage(c0);
    const own = (c.user + c.system) / 1e6;
    const cores = availableParallelism();
    return { own_cpu_share: own / (wall * cores), foreign_cpu_share: Math.max(0, (b1 - b0 - own) / (wall * cores)) };
  };
}
