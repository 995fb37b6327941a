import * as tf from '@tensorflow/tfjs-core';
import type {
  BmuJob,
  BmuResult,
  EngineKernels,
  MinibatchStepsJob,
  MinibatchStepsResult,
  NeighborhoodProductJob,
  NeighborhoodTable,
  NeuronSumsJob,
  NeuronSumsResult,
  SearchContext,
  SearchStrategy,
} from '@somkit/plugin-api';
import { observedSumsByBmu, sumsByBmu } from './sumsByBmu.js';

/** The search the reference kernels run: the model's strategy. */
export interface ReferenceSearch {
  readonly strategy: SearchStrategy;
  readonly ctx: SearchContext;
}

/** Core's tfjs kernels plus `close()`, which frees the tensors they cache for one training call. */
export interface ReferenceKernels extends Required<EngineKernels> {
  close(): void;
}

/** Largest [rows, u] kernel block the reference neighbourhood product materialises (16 MiB of float32). */
const BLOCK_ELEMENTS = 4_194_304;

/** The values of several tensors, concatenated, in one read. */
async function readAll(ts: tf.Tensor[]): Promise<ArrayLike<number>> {
  if (ts.length === 1) return ts[0]!.data();
  const all = tf.tidy(() => tf.concat(ts.map((t) => tf.reshape(t, [-1]))));
  try {
    return await all.data();
  } finally {
    all.dispose();
  }
}

/** k best units of `x` [n, d] against `w` [u, d] through the strategy (async form preferred). The caller disposes the result. */
export async function strategySearch(s: ReferenceSearch, x: tf.Tensor2D, w: tf.Tensor2D, k: number): Promise<{ indices: tf.Tensor2D; distances: tf.Tensor2D }> {
  const st = s.strategy;
  return st.searchAsync ? st.searchAsync(x, w, k, s.ctx) : st.search(x, w, k, s.ctx);
}

/**
 * The reference implementation of every engine kernel, on the active tfjs backend, searching with
 * the model's strategy (so with an approximate strategy the reference kernels are approximate in
 * the same way). Engines are held to these results by the conformance suite.
 * @param samples - the training samples as both host array and tensor: a job whose `x` is that
 *   array uses the tensor instead of uploading it again
 */
export function referenceKernels(search: ReferenceSearch, samples?: { host: Float32Array; tensor: tf.Tensor2D }): ReferenceKernels {
  // Tensors of the last kernel table (one per epoch), kept across the calls of an epoch.
  let table: { source: NeighborhoodTable; values: tf.Tensor1D; base: tf.Tensor1D; offsetCol: tf.Tensor2D; offsetRow: tf.Tensor2D } | undefined;
  const tableTensors = (t: NeighborhoodTable): NonNullable<typeof table> => {
    if (table?.source !== t) {
      if (table) tf.dispose([table.values, table.base, table.offsetCol, table.offsetRow]);
      const u = t.offset.length;
      table = {
        source: t,
        values: tf.tensor1d(t.values, 'float32'),
        base: tf.tensor1d(t.base, 'int32'),
        offsetCol: tf.tensor2d(t.offset, [u, 1], 'int32'),
        offsetRow: tf.tensor2d(t.offset, [1, u], 'int32'),
      };
    }
    return table;
  };
  /** The samples as a tensor: the training tensor when `x` is its host copy, else a new upload (flagged for disposal). */
  const samplesTensor = (x: Float32Array, n: number, d: number): { t: tf.Tensor2D; owned: boolean } =>
    samples !== undefined && x === samples.host ? { t: samples.tensor, owned: false } : { t: tf.tensor2d(x, [n, d], 'float32'), owned: true };

  const bmu = async (job: BmuJob): Promise<BmuResult> => {
    const { t: x, owned } = samplesTensor(job.x, job.samples, job.dims);
    const w = tf.tensor2d(job.weights, [job.units, job.dims], 'float32');
    try {
      const r = await strategySearch(search, x, w, job.k);
      try {
        const [indices, distances] = await Promise.all([r.indices.data(), r.distances.data()]);
        return { indices: indices as Int32Array, distances: distances as Float32Array };
      } finally {
        tf.dispose([r.indices, r.distances]);
      }
    } finally {
      w.dispose();
      if (owned) x.dispose();
    }
  };

  return {
    bmu,

    async neuronSums(job: NeuronSumsJob): Promise<NeuronSumsResult> {
      const found = job.given !== undefined ? { indices: job.given.indices.slice(), distances: job.given.distances.slice() } : await bmu(job);
      if (job.missing === true) return { ...found, ...observedSumsByBmu(job.x, found.indices, job.samples, job.units, job.dims, job.k) };
      return { ...found, sums: sumsByBmu(job.x, found.indices, job.samples, job.units, job.dims, job.k) };
    },

    async minibatchSteps(job: MinibatchStepsJob): Promise<MinibatchStepsResult> {
      const { rows, batch: b, steps, units: u, dims: d, k } = job;
      const tt = tableTensors(job.kernel);
      const { t: x, owned } = samplesTensor(job.x, job.samples, d);
      // Each step's search result stays on the backend; all are read once at the end of the call
      // (no device sync per step on GPU backends).
      const found: Array<{ indices: tf.Tensor2D; distances: tf.Tensor2D }> = [];
      let w = tf.tensor2d(job.weights, [u, d], 'float32');
      try {
        for (let j = 0; j < steps; j++) {
          const xb = tf.tidy(() => tf.gather(x, tf.tensor1d(rows.subarray(j * b, (j + 1) * b), 'int32'))) as tf.Tensor2D;
          try {
            const top = job.given !== undefined
              ? { indices: tf.tensor2d(job.given.indices.subarray(0, b * k), [b, k], 'int32'), distances: tf.tensor2d(job.given.distances.subarray(0, b * k), [b, k], 'float32') }
              : await strategySearch(search, xb, w, k);
            found.push(top);
            const next = tf.tidy(() => {
              // [u, b] kernel columns h(unit, bmu_i) = values[base[bmu_i] + offset[unit]].
              const bmu = tf.reshape(tf.slice(top.indices, [0, 0], [b, 1]), [b]);
              const at = tf.add(tt.offsetCol, tf.reshape(tf.gather(tt.base, bmu), [1, b]));
              const h = tf.reshape(tf.gather(tt.values, at), [u, b]) as tf.Tensor2D;
              if (job.missing === true) {
                // Observed dimensions only: W ← W ∘ (1 − H·M) + H·X̃, M [b, d] the 0/1 mask, X̃ the batch with missing cells as 0.
                const nan = tf.isNaN(xb);
                const mb = tf.cast(tf.logicalNot(nan), 'float32') as tf.Tensor2D;
                const xf = tf.where(nan, tf.zerosLike(xb), xb) as tf.Tensor2D;
                return tf.add(tf.mul(w, tf.sub(1, tf.matMul(h, mb))), tf.matMul(h, xf)) as tf.Tensor2D;
              }
              return tf.add(tf.mul(w, tf.sub(1, tf.sum(h, 1, true))), tf.matMul(h, xb)) as tf.Tensor2D;
            });
            w.dispose();
            w = next;
          } finally {
            xb.dispose();
          }
        }
        const [weights, indices, distances] = await Promise.all([
          w.data(),
          readAll(found.map((f) => f.indices)),
          readAll(found.map((f) => f.distances)),
        ]);
        return { weights: new Float32Array(weights as Float32Array), indices: Int32Array.from(indices), distances: Float32Array.from(distances) };
      } finally {
        w.dispose();
        for (const f of found) tf.dispose([f.indices, f.distances]);
        if (owned) x.dispose();
      }
    },

    async neighborhoodProduct(job: NeighborhoodProductJob): Promise<Float32Array> {
      const { units: u, columns: c } = job;
      const tt = tableTensors(job.kernel);
      const m = tf.tensor2d(job.m, [u, c], 'float32');
      const out = new Float32Array(u * c);
      const block = Math.max(1, Math.floor(BLOCK_ELEMENTS / u));
      try {
        for (let r0 = 0; r0 < u; r0 += block) {
          const r = Math.min(block, u - r0);
          const part = tf.tidy(() => {
            const at = tf.add(tf.reshape(tf.slice(tt.base, [r0], [r]), [r, 1]), tt.offsetRow);
            return tf.matMul(tf.reshape(tf.gather(tt.values, at), [r, u]) as tf.Tensor2D, m);
          });
          try {
            out.set((await part.data()) as Float32Array, r0 * c);
          } finally {
            part.dispose();
          }
        }
        return out;
      } finally {
        m.dispose();
      }
    },

    close(): void {
      if (table) tf.dispose([table.values, table.base, table.offsetCol, table.offsetRow]);
      table = undefined;
    },
  };
}
