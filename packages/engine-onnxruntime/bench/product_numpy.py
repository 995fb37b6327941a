"""numpy reference of the neighborhoodProduct kernel: G @ m with G [u, u] precomputed (not timed)."""
import argparse, json, time
import numpy as np
p = argparse.ArgumentParser(); p.add_argument('--grid', type=int, default=100); p.add_argument('--c', type=int, default=33); p.add_argument('--rounds', type=int, default=2)
a = p.parse_args(); g, c = a.grid, a.c; u = g * g
r, q = np.divmod(np.arange(u), g)
G = np.empty((u, u), np.float32)
sigma = g / 4
for i in range(0, u, 1000):  # row blocks, so no [u, u, 2] temporary
    d2 = ((r[i:i+1000, None] - r[None, :]) ** 2 + (q[i:i+1000, None] - q[None, :]) ** 2).astype(np.float32)
    G[i:i+1000] = np.exp(-d2 / np.float32(2 * sigma * sigma))
m = np.random.default_rng(3).uniform(-2, 2, (u, c)).astype(np.float32)
for _ in range(a.rounds):
    t0 = time.perf_counter(); y = G @ m; dt = time.perf_counter() - t0
    print(json.dumps({"engine": "numpy G @ m", "mode": "product", "grid": g, "units": u, "columns": c, "seconds": round(dt, 4), "gflops_eq": round(2 * u * u * c / dt / 1e9, 2)}))
