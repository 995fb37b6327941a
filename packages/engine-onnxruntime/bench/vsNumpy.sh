#!/usr/bin/env bash
# Interleaves the minibatchSteps kernel (bench/kernels.mjs) with the numpy reference of the same
# rule (../../shared/bench/bench_ref_numpy.py), so both are timed in the same minutes.
#   bench/vsNumpy.sh GRID N D [ROUNDS] [STEPS_PER_CALL]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ref="${SOMKIT_BENCH_REF:-$here/../../../../shared/bench/bench_ref_numpy.py}"
grid="$1"; n="$2"; d="$3"; rounds="${4:-3}"; steps="${5:-4}"
for r in $(seq "$rounds"); do
  node "$here/kernels.mjs" minibatch --grid "$grid" --n "$n" --d "$d" --batch 256 --steps "$steps" --rounds 1
  python3 "$ref" --n "$n" --d "$d" --grid "$grid" --epochs 1 --batch 256 2>/dev/null | tail -1 |
    python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print(json.dumps({"engine":"ref-numpy","grid":j["grid"],"n":j["n"],"d":j["d"],"seconds":j["train_seconds"],"samples_per_second":j["samples_per_second"],"foreign_cpu_share":j["foreign_cpu_share"]}))'
done
