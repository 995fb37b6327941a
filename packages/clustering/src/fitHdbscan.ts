import { SomError, type AbortSignalLike } from '@somkit/plugin-api';
import { toDense, type DenseMatrix, type Points } from './Points.js';
import { checkAbort } from './checkAbort.js';
import { unitWeights } from './unitWeights.js';

/** Options of {@link fitHdbscan}. */
export interface HdbscanOptions {
  /** Smallest group that counts as a cluster (≥ 2): points, or Σ weight with `weights`. Default 5. */
  minClusterSize?: number | undefined;
  /**
   * Neighbours that make a point a core point, counting the point itself (scikit-learn's
   * convention): the core distance is the distance to the `minSamples`-th nearest point
   * including itself. Default `minClusterSize`.
   */
  minSamples?: number | undefined;
  /**
   * [n] point weights (for a codebook: each unit's hit count). Points of weight 0 (units no
   * sample maps to, which interpolate between groups) are left out and labelled noise (−1).
   * The others carry their weight as mass: `minClusterSize` and the stabilities count Σ weight
   * (samples) instead of points, while `minSamples` still counts points. With every weight 1
   * the result is the unweighted one.
   */
  weights?: ArrayLike<number> | undefined;
  signal?: AbortSignalLike | undefined;
}

/** What {@link fitHdbscan} returns. */
export interface HdbscanFit {
  /** [n] cluster of each point, 0-based; −1 = noise. */
  labels: Int32Array;
  /** Clusters found (labels 0..k−1). 0 when everything is noise. */
  k: number;
  /** Points labelled −1. */
  nNoise: number;
  /** [n] core distances (distance to the minSamples-th nearest point, itself included); NaN for points left out by a zero weight. */
  coreDistances: Float64Array;
  /** Excess-of-mass stability of each selected cluster, by label. */
  stabilities: number[];
  minClusterSize: number;
  minSamples: number;
}

/**
 * HDBSCAN (Campello, Moulavi & Sander 2013; the `hdbscan` library's algorithm), our own
 * implementation: core distances, the mutual-reachability graph, its minimum spanning tree by
 * Prim's algorithm on the dense graph (distances computed on the fly, no n×n matrix), the
 * single-linkage hierarchy, the tree condensed with `minClusterSize`, and excess-of-mass
 * cluster selection (the root is never selected). Points outside every selected cluster get
 * label −1. Time O(n²·d), memory O(n).
 *
 * ```ts
 * const { labels, k, nNoise } = fitHdbscan(points, { minClusterSize: 10 });
 * ```
 * @param points - [n, d], Euclidean distance
 * @throws SomError ERR_INVALID_CONFIG for minClusterSize < 2 or minSamples < 1
 */
export function fitHdbscan(points: Points, options: HdbscanOptions = {}): HdbscanFit {
  return fitHdbscanDense(toDense(points), options);
}

/** {@link fitHdbscan} on a validated matrix. */
export function fitHdbscanDense(x: DenseMatrix, options: HdbscanOptions = {}): HdbscanFit {
  const minClusterSize = options.minClusterSize ?? 5;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new SomError('ERR_INVALID_CONFIG', `minClusterSize: expected an integer ≥ 2, got ${String(options.minClusterSize)}.`);
  }
  const minSamples = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new SomError('ERR_INVALID_CONFIG', `minSamples: expected an integer ≥ 1, got ${String(options.minSamples)}.`);
  }
  let mass: Float64Array | undefined;
  if (options.weights !== undefined) {
    const w = unitWeights(options.weights, x.n);
    mass = w;
    const keep: number[] = [];
    for (let i = 0; i < x.n; i++) if (w[i]! > 0) keep.push(i);
    if (keep.length < x.n) {
      // Cluster the points that carry weight, then spread the result back over all n.
      const sub = new Float64Array(keep.length * x.d);
      keep.forEach((i, r) => sub.set(x.data.subarray(i * x.d, (i + 1) * x.d), r * x.d));
      const fit = fitHdbscanDense({ data: sub, n: keep.length, d: x.d }, { minClusterSize, minSamples, weights: keep.map((i) => w[i]!), signal: options.signal });
      const labels = new Int32Array(x.n).fill(-1);
      const coreDistances = new Float64Array(x.n).fill(NaN);
      keep.forEach((i, r) => {
        labels[i] = fit.labels[r]!;
        coreDistances[i] = fit.coreDistances[r]!;
      });
      return { ...fit, labels, coreDistances, nNoise: fit.nNoise + x.n - keep.length };
    }
  }
  const { n } = x;
  const core = coreDistances(x, Math.min(minSamples, n), options.signal);
  if (n === 1) {
    return { labels: Int32Array.of(-1), k: 0, nNoise: 1, coreDistances: core, stabilities: [], minClusterSize, minSamples };
  }
  const mst = primMst(x, core, options.signal);
  const m = mass ?? new Float64Array(n).fill(1);
  const tree = singleLinkage(mst, n, m);
  const condensed = condense(tree, n, minClusterSize, m);
  const { labels, k, stabilities } = selectAndLabel(condensed, n);
  let nNoise = 0;
  for (const l of labels) if (l < 0) nNoise++;
  return { labels, k, nNoise, coreDistances: core, stabilities, minClusterSize, minSamples };
}

/** Distance to the m-th nearest point, the point itself counting as the first (distance 0). */
function coreDistances(x: DenseMatrix, m: number, signal: AbortSignalLike | undefined): Float64Array {
  const { data, n, d } = x;
  const out = new Float64Array(n);
  if (m <= 1) return out;
  const buf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) checkAbort(signal, 'HDBSCAN');
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[oi + t]! - data[oj + t]!;
        s += diff * diff;
      }
      buf[j] = s;
    }
    out[i] = Math.sqrt(quickselect(buf, n, m - 1));
  }
  return out;
}

/** The value of rank `r` (0-based) among the first `len` entries; reorders `a`. */
function quickselect(a: Float64Array, len: number, r: number): number {
  let lo = 0;
  let hi = len - 1;
  while (hi > lo) {
    // Median of three as the pivot.
    const mid = (lo + hi) >>> 1;
    const p = median3(a[lo]!, a[mid]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < p) i++;
      while (a[j]! > p) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (r <= j) hi = j;
    else if (r >= i) lo = i;
    else return a[r]!;
  }
  return a[r]!;
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

interface Mst {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/** Prim's MST of the mutual-reachability graph max(core_a, core_b, ‖a − b‖). O(n²·d). */
function primMst(x: DenseMatrix, core: Float64Array, signal: AbortSignalLike | undefined): Mst {
  const { data, n, d } = x;
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const from = new Int32Array(n - 1);
  const to = new Int32Array(n - 1);
  const weight = new Float64Array(n - 1);
  let v = 0;
  inTree[0] = 1;
  for (let e = 0; e < n - 1; e++) {
    if ((e & 255) === 0) checkAbort(signal, 'HDBSCAN');
    const ov = v * d;
    const cv = core[v]!;
    let next = -1;
    let nextW = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j] === 1) continue;
      const floor = cv > core[j]! ? cv : core[j]!;
      // Only compute the distance when it can improve j's best edge.
      if (floor < best[j]!) {
        const oj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[ov + t]! - data[oj + t]!;
          s += diff * diff;
        }
        const dist = Math.sqrt(s);
        const mr = dist > floor ? dist : floor;
        if (mr < best[j]!) {
          best[j] = mr;
          parent[j] = v;
        }
      }
      if (best[j]! < nextW) {
        nextW = best[j]!;
        next = j;
      }
    }
    from[e] = parent[next]!;
    to[e] = next;
    weight[e] = nextW;
    inTree[next] = 1;
    v = next;
  }
  return { from, to, weight };
}

/** Single-linkage merge tree: node n + i is the i-th merge (scipy's linkage layout). */
interface LinkageTree {
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  /** Mass under each merge: its number of points, or the sum of their weights. */
  size: Float64Array;
}

function singleLinkage(mst: Mst, n: number, mass: Float64Array): LinkageTree {
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort((a, b) => mst.weight[a]! - mst.weight[b]! || a - b);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[a] !== r) {
      const next = parent[a]!;
      parent[a] = r;
      a = next;
    }
    return r;
  };
  const left = new Int32Array(n - 1);
  const right = new Int32Array(n - 1);
  const distance = new Float64Array(n - 1);
  const size = new Float64Array(n - 1);
  const sizeOf = (node: number): number => (node < n ? mass[node]! : size[node - n]!);
  for (let i = 0; i < n - 1; i++) {
    const e = order[i]!;
    const a = find(mst.from[e]!);
    const b = find(mst.to[e]!);
    const node = n + i;
    left[i] = a;
    right[i] = b;
    distance[i] = mst.weight[e]!;
    size[i] = sizeOf(a) + sizeOf(b);
    parent[a] = node;
    parent[b] = node;
  }
  return { left, right, distance, size };
}

/**
 * Condensed tree as parallel arrays of edges parent → child. Clusters are numbered 0 (root),
 * 1, 2, … in breadth-first order, so a parent's id is below its children's; point children
 * are stored with `childIsPoint = 1` and `childSize` = the point's mass (1 unweighted).
 */
interface CondensedTree {
  parent: number[];
  child: number[];
  childIsPoint: number[];
  lambda: number[];
  childSize: number[];
  clusters: number;
}

function condense(tree: LinkageTree, n: number, minClusterSize: number, mass: Float64Array): CondensedTree {
  const root = 2 * n - 2;
  const out: CondensedTree = { parent: [], child: [], childIsPoint: [], lambda: [], childSize: [], clusters: 1 };
  const sizeOf = (node: number): number => (node < n ? mass[node]! : tree.size[node - n]!);
  // λ = 1/distance; a zero distance (duplicate points) gets a λ above every finite one, so it
  // keeps its order without turning stabilities into ∞ − ∞.
  let maxLambda = 0;
  for (const dist of tree.distance) if (dist > 0) maxLambda = Math.max(maxLambda, 1 / dist);
  const zeroLambda = maxLambda > 0 ? 2 * maxLambda : 1;
  const lambdaOf = (node: number): number => {
    const dist = tree.distance[node - n]!;
    return dist > 0 ? 1 / dist : zeroLambda;
  };
  const add = (parent: number, child: number, isPoint: boolean, lambda: number, size: number): void => {
    out.parent.push(parent);
    out.child.push(child);
    out.childIsPoint.push(isPoint ? 1 : 0);
    out.lambda.push(lambda);
    out.childSize.push(size);
  };
  /** Every point under `node` falls out of `cluster` at `lambda`. */
  const dropAll = (node: number, cluster: number, lambda: number): void => {
    const stack = [node];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v < n) add(cluster, v, true, lambda, mass[v]!);
      else stack.push(tree.left[v - n]!, tree.right[v - n]!);
    }
  };
  // Breadth-first over internal nodes that still carry a cluster label.
  const label = new Map<number, number>([[root, 0]]);
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const cluster = label.get(node)!;
    const l = tree.left[node - n]!;
    const r = tree.right[node - n]!;
    const lambda = lambdaOf(node);
    const ls = sizeOf(l);
    const rs = sizeOf(r);
    // A single point is never a cluster of its own, however heavy (unweighted, minClusterSize ≥ 2 ensures it).
    const lBig = l >= n && ls >= minClusterSize;
    const rBig = r >= n && rs >= minClusterSize;
    if (lBig && rBig) {
      for (const [c, size] of [[l, ls], [r, rs]] as const) {
        const id = out.clusters++;
        add(cluster, id, false, lambda, size);
        label.set(c, id);
        queue.push(c);
      }
    } else if (!lBig && !rBig) {
      dropAll(l, cluster, lambda);
      dropAll(r, cluster, lambda);
    } else {
      // The small side falls out; the big side carries the same cluster on.
      const [big, small] = lBig ? [l, r] : [r, l];
      dropAll(small, cluster, lambda);
      label.set(big, cluster);
      queue.push(big);
    }
  }
  return out;
}

/** Excess-of-mass selection and labelling (the root cluster 0 is never selected). */
function selectAndLabel(t: CondensedTree, n: number): { labels: Int32Array; k: number; stabilities: number[] } {
  const c = t.clusters;
  const birth = new Float64Array(c); // root is born at λ = 0
  const parentOf = new Int32Array(c).fill(-1);
  const children: number[][] = Array.from({ length: c }, () => []);
  for (let e = 0; e < t.parent.length; e++) {
    if (t.childIsPoint[e] === 0) {
      birth[t.child[e]!] = t.lambda[e]!;
      parentOf[t.child[e]!] = t.parent[e]!;
      children[t.parent[e]!]!.push(t.child[e]!);
    }
  }
  const stability = new Float64Array(c);
  for (let e = 0; e < t.parent.length; e++) {
    const p = t.parent[e]!;
    stability[p]! += (t.lambda[e]! - birth[p]!) * t.childSize[e]!;
  }
  const selected = new Uint8Array(c);
  const ownStability = Float64Array.from(stability);
  // Children have larger ids than their parent: visit from the leaves up, skipping the root.
  for (let node = c - 1; node >= 1; node--) {
    let sub = 0;
    for (const ch of children[node]!) sub += stability[ch]!;
    if (children[node]!.length > 0 && sub > stability[node]!) {
      stability[node] = sub;
    } else {
      selected[node] = 1;
      const stack = [...children[node]!];
      while (stack.length > 0) {
        const v = stack.pop()!;
        selected[v] = 0;
        stack.push(...children[v]!);
      }
    }
  }
  // Nearest selected ancestor (or self) of each cluster; parents are numbered before children.
  const owner = new Int32Array(c).fill(-1);
  for (let node = 1; node < c; node++) owner[node] = selected[node] === 1 ? node : owner[parentOf[node]!]!;
  const ids: number[] = [];
  for (let node = 1; node < c; node++) if (selected[node] === 1) ids.push(node);
  const labelOf = new Map<number, number>(ids.map((id, i) => [id, i]));
  const labels = new Int32Array(n).fill(-1);
  for (let e = 0; e < t.parent.length; e++) {
    if (t.childIsPoint[e] === 1) {
      const o = owner[t.parent[e]!]!;
      labels[t.child[e]!] = o < 0 ? -1 : labelOf.get(o)!;
    }
  }
  return { labels, k: ids.length, stabilities: ids.map((id) => ownStability[id]!) };
}
