#!/usr/bin/env python3
"""MiniSom with its defaults on one dataset; prints one JSON line (QE, TE, class purity).

    MINISOM_PATH=/tmp/minisom python3 bench/minisom_defaults.py DATA.npy LABELS.npy ROWS COLS [EPOCHS]

MiniSom's defaults: MiniSom(rows, cols, d) — sigma 1, learning rate 0.5, asymptotic decay of
both per iteration, Gaussian, weights uniform in [-1, 1) normalised to unit length (no
random_weights_init / pca_weights_init), random_seed 42 — trained with
som.train(data, EPOCHS * n, random_order=True): one sample per update, EPOCHS passes' worth.
QE, TE and purity are computed here on the final weights with somkit's definitions (QE: mean
Euclidean distance to the BMU; TE: share of samples whose two best units are not 8-neighbours,
grid distance > 1.42; purity: sum over units of the majority class count / n). MiniSom itself is
imported from MINISOM_PATH and never part of this repository.
"""

import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.environ.get("MINISOM_PATH", "/tmp/minisom"))
from minisom import MiniSom  # noqa: E402


def main() -> None:
    data_path, labels_path, rows, cols = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    x = np.load(data_path).astype(np.float64)
    y = np.load(labels_path).astype(np.int64)
    n, d = x.shape
    t0 = time.perf_counter()
    som = MiniSom(rows, cols, d, random_seed=42)
    som.train(x, epochs * n, random_order=True)
    seconds = time.perf_counter() - t0
    w = som.get_weights().reshape(rows * cols, d)
    d2 = (w * w).sum(1)[None, :] - 2.0 * x @ w.T + (x * x).sum(1)[:, None]
    top2 = np.argsort(d2, axis=1, kind="stable")[:, :2]
    bmu = top2[:, 0]
    qe = float(np.linalg.norm(x - w[bmu], axis=1).mean())
    r1, c1 = np.divmod(top2[:, 0], cols)
    r2, c2 = np.divmod(top2[:, 1], cols)
    te = float((np.sqrt((r1 - r2) ** 2 + (c1 - c2) ** 2) > 1.42).mean())
    counts = np.zeros((rows * cols, int(y.max()) + 1), dtype=np.int64)
    np.add.at(counts, (bmu, y), 1)
    purity = float(counts.max(1).sum() / n)
    print(json.dumps({"qe": qe, "te": te, "purity": purity, "seconds": seconds, "rows": rows, "cols": cols}))


if __name__ == "__main__":
    main()
