import type { Rng } from './Rng.js';

/** A symmetric positive semi-definite [d, d] matrix: row-major, or as the product `v ↦ M·v`. */
export type SymmetricOperator = Float64Array | ((v: Float64Array) => Float64Array);

/**
 * Top-k eigenpairs of a symmetric positive semi-definite matrix by orthogonal (subspace)
 * iteration with Rayleigh–Ritz; deterministic given the generator. Pass `m` as a function for
 * wide data: with `v ↦ Xᵀ(X·v)` for centred rows X [n, d] each iteration costs O(n·d·k) and no
 * [d, d] matrix is built (2,000 features: 4 M entries and O(d³) work for a full solve).
 * @param m - [d, d] row-major, or the product `v ↦ M·v` ([d] → [d])
 * @returns the k eigenvectors ([d] each, largest-magnitude component positive) and eigenvalues, descending
 */
export function topEigen(m: SymmetricOperator, d: number, k: number, rng: Rng): { vectors: Float64Array[]; values: number[] } {
  const apply = typeof m === 'function' ? m : (v: Float64Array): Float64Array => matVec(m, v, d);
  let v: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const col = new Float64Array(d);
    for (let i = 0; i < d; i++) col[i] = rng.normal();
    v.push(col);
  }
  orthonormalize(v);
  let prev = new Array<number>(k).fill(0);
  for (let iter = 0; iter < 1000; iter++) {
    const mv = v.map((col) => apply(col));
    const vals = v.map((col, c) => dot(col, mv[c]!));
    v = mv;
    orthonormalize(v);
    const done = vals.every((val, c) => Math.abs(val - prev[c]!) <= 1e-12 * Math.max(1, Math.abs(val)));
    prev = vals;
    if (done && iter > 5) break;
  }
  // A second Gram–Schmidt pass for k ≠ 2: on rank-deficient input the later columns are rounding
  // noise, which one pass leaves far from orthogonal, and Rayleigh–Ritz needs an orthonormal basis.
  // (k = 2 keeps its closed form unchanged: the PCA init's codebooks stay bit for bit.)
  if (k !== 2) orthonormalize(v);
  // Rayleigh–Ritz on the converged subspace, so close eigenvalues come out separated and ordered.
  const mv = v.map((col) => apply(col));
  const h = v.map((ci) => mv.map((mj) => dot(ci, mj)));
  if (k === 2) {
    const [a, b, c] = [h[0]![0]!, h[0]![1]!, h[1]![1]!];
    const tr = (a + c) / 2;
    const disc = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const l1 = tr + disc;
    const l2 = tr - disc;
    // Eigenvector of the 2×2 for l1.
    let e1: [number, number] = Math.abs(b) > 1e-300 ? [l1 - c, b] : a >= c ? [1, 0] : [0, 1];
    const len = Math.hypot(e1[0], e1[1]);
    e1 = [e1[0] / len, e1[1] / len];
    const e2: [number, number] = [-e1[1], e1[0]];
    const combine = (e: [number, number]): Float64Array => {
      const out = new Float64Array(d);
      for (let i = 0; i < d; i++) out[i] = e[0] * v[0]![i]! + e[1] * v[1]![i]!;
      return canonicalSign(out);
    };
    return { vectors: [combine(e1), combine(e2)], values: [l1, l2] };
  }
  // k ≠ 2: rotate the subspace by the eigenvectors of its k × k projection (cyclic Jacobi).
  const small = smallEigen(h, k);
  const vectors = small.vectors.map((e) => {
    const out = new Float64Array(d);
    for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) out[i] = out[i]! + e[c]! * v[c]![i]!;
    return canonicalSign(out);
  });
  return { vectors, values: small.values };
}

/**
 * Eigenpairs of a small symmetric matrix (the Rayleigh–Ritz projection) by cyclic Jacobi
 * rotations, eigenvalues descending. O(k³) per sweep: for k of a few only.
 */
function smallEigen(h: number[][], k: number): { values: number[]; vectors: Float64Array[] } {
  const a = h.map((row) => Float64Array.from(row));
  const v = Array.from({ length: k }, (_, i) => Float64Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) (p === q ? (scale += a[p]![p]! ** 2) : (off += a[p]![q]! ** 2));
    if (off <= 1e-30 * Math.max(scale, 1e-300)) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const [arp, arq] = [a[r]![p]!, a[r]![q]!];
          a[r]![p] = c * arp - s * arq;
          a[r]![q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const [apr, aqr] = [a[p]![r]!, a[q]![r]!];
          a[p]![r] = c * apr - s * aqr;
          a[q]![r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const [vrp, vrq] = [v[r]![p]!, v[r]![q]!];
          v[r]![p] = c * vrp - s * vrq;
          v[r]![q] = s * vrp + c * vrq;
        }
      }
    }
  }
  // Column j of v is the eigenvector of a[j][j].
  const order = Array.from({ length: k }, (_, j) => j).sort((x, y) => a[y]![y]! - a[x]![x]!);
  return { values: order.map((j) => a[j]![j]!), vectors: order.map((j) => Float64Array.from({ length: k }, (_, r) => v[r]![j]!)) };
}

/** Flips a vector so its largest-magnitude component is positive (deterministic orientation). */
function canonicalSign(v: Float64Array): Float64Array {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  if (v[best]! < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
  return v;
}

function matVec(m: Float64Array, v: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += m[row + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Subtracts from `col` its projections on the (orthonormal) columns `v[0 … c)`. */
function project(col: Float64Array, v: Float64Array[], c: number): void {
  for (let p = 0; p < c; p++) {
    const proj = dot(col, v[p]!);
    for (let i = 0; i < col.length; i++) col[i] = col[i]! - proj * v[p]![i]!;
  }
}

/**
 * Gram–Schmidt in place. A column whose remainder is rounding noise (below 1e-12 of its length:
 * rank-deficient input, where M·v lies in the span of the earlier columns) is replaced by a unit
 * vector orthogonal to the earlier ones, never by the normalised noise.
 */
function orthonormalize(v: Float64Array[]): void {
  for (let c = 0; c < v.length; c++) {
    const col = v[c]!;
    const before = Math.sqrt(dot(col, col));
    project(col, v, c);
    let len = Math.sqrt(dot(col, col));
    if (!(len > 1e-12 * before) || len < 1e-300) {
      // Degenerate: the first coordinate axis (from c on) with a substantial remainder.
      for (let t = 0; t < col.length; t++) {
        col.fill(0);
        col[(c + t) % col.length] = 1;
        project(col, v, c);
        len = Math.sqrt(dot(col, col));
        if (len > 0.5 || t === col.length - 1) break;
      }
      len ||= 1;
    }
    for (let i = 0; i < col.length; i++) col[i] = col[i]! / len;
  }
}
