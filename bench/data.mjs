// Data helpers the bench scripts share (pure: no tfjs, no packages).

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Columns of `x` [n, d] standardised to mean 0 and population sd 1 (a constant column stays 0); a new Float32Array. */
export function zscore(x, n, d) {
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - m) ** 2;
    const sd = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) out[i * d + j] = (x[i * d + j] - m) / sd;
  }
  return out;
}

/**
 * Gaussian blobs, the blobs-v1 recipe of ../shared/bench/datasets.py with a JS generator
 * (mulberry32 + Box–Muller; other numbers than numpy's): `centers` centres uniform in [−10, 10]^d,
 * std 1, each row's centre drawn at random; standardised per feature.
 * @returns `data` [n, d] float32 and `target` [n], the centre of each row
 */
export function blobs(n, d, centers = 10, seed = 42) {
  const r = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const c = Array.from({ length: centers * d }, () => r() * 20 - 10);
  const x = new Float64Array(n * d);
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    target[i] = Math.floor(r() * centers);
    for (let j = 0; j < d; j++) x[i * d + j] = c[target[i] * d + j] + normal();
  }
  return { data: zscore(x, n, d), target };
}
