"""scikit-learn side of bench/regression.mjs (Debian python3-sklearn, /usr/bin/python3).

  /usr/bin/python3 bench/regression_sklearn.py OUTDIR SEED

Exports scikit-learn's diabetes data (442 x 10, target: disease progression after one year) as
OUTDIR/train.csv and OUTDIR/test.csv (80/20 split, train_test_split(random_state=SEED)) in the
original (unscaled) units, then prints one JSON line per baseline with its held-out RMSE:
k-NN regression (k = 5, features z-scored on the training split) and linear regression.
The CSVs stay outside the repository.
"""
import json
import sys

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

out, seed = sys.argv[1], int(sys.argv[2])
ds = load_diabetes(scaled=False)
x, y = ds.data, ds.target
xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=seed)
names = list(ds.feature_names)
for path, xs, ys in ((f"{out}/train.csv", xtr, ytr), (f"{out}/test.csv", xte, yte)):
    with open(path, "w") as f:
        f.write(",".join(names + ["progression"]) + "\n")
        for row, t in zip(xs, ys):
            f.write(",".join(repr(float(v)) for v in row) + f",{float(t)!r}\n")


def rmse(model):
    model.fit(xtr, ytr)
    return float(np.sqrt(np.mean((model.predict(xte) - yte) ** 2)))


print(json.dumps({"seed": seed, "method": "sklearn knn (k=5, z-scored)", "rmse": rmse(make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=5)))}))
print(json.dumps({"seed": seed, "method": "sklearn linear regression", "rmse": rmse(LinearRegression())}))
