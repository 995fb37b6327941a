/**
 * What one open engine session holds: the runtime, the graphs' ORT sessions it uses and its
 * per-session caches (small constant tensors, tables by object identity). Internal.
 */
import { SomError, type EngineContext, type NeighborhoodTable } from '@somkit/plugin-api';
import { separableInputs } from './separableInputs.js';
import type { GatheredLayout } from './kernelRowNodes.js';
import { checkTable, tableInputs, type TableInputs } from './tableInputs.js';
import { session, type OrtModule, type OrtSession, type OrtTensor, type SessionSettings } from './ortRuntime.js';

/** The state behind one {@link EngineSession} of the onnxruntime engine. */
export class EngineState {
  /** Whether the distance is euclidean (√ of the squared distance) rather than sqeuclidean. */
  readonly sqrt: boolean;
  private closed = false;
  private readonly kTensors = new Map<number, OrtTensor>();
  private readonly negOnesTensors = new Map<number, OrtTensor>();
  /** Tables by object identity: core passes the same table to every call of an epoch. */
  private tables = new WeakMap<NeighborhoodTable, TableInputs<GatheredLayout>>();
  /** The minibatch steps' form of the tables (`'separable'` where it applies), by object identity. */
  private stepTables = new WeakMap<NeighborhoodTable, TableInputs>();

  constructor(
    readonly ort: OrtModule,
    readonly settings: SessionSettings,
    /** Bound on the elements of one [rows, u] score block (the `maxBlockElements` option). */
    readonly maxBlock: number,
    readonly ctx: EngineContext,
    /**
     * Fewest samples per search call (1 when `maxBlockElements` was given, else 256): on large
     * maps ⌊maxBlock / u⌋ rows get so few (26 at 40 000 units) that per-call costs dominate.
     */
    readonly minRows = 1,
  ) {
    this.sqrt = ctx.distance.name !== 'sqeuclidean';
  }

  /**
   * The ORT session of a graph (process-wide cache, see `ortRuntime.ts`), optionally with its own
   * intra-op thread count.
   * @throws SomError `ERR_BACKEND_UNSUPPORTED` when it cannot be created
   */
  async graph(key: string, build: () => Uint8Array, threads?: number): Promise<OrtSession> {
    const settings = threads === undefined ? this.settings : { ...this.settings, intraOpNumThreads: threads };
    const s = await session(key, build, settings);
    if (typeof s === 'string') {
      throw new SomError('ERR_BACKEND_UNSUPPORTED', `Engine 'onnxruntime' cannot run here: ${s}. Use engine: 'auto' or 'tfjs'.`);
    }
    return s;
  }

  /**
   * Fails when the session was closed.
   * @throws SomError `ERR_INVALID_INPUT`
   */
  checkOpen(kernel: string): void {
    if (this.closed) {
      throw new SomError('ERR_INVALID_INPUT', `onnxruntime ${kernel}: the engine session was closed. Open a new one with engine.open(ctx).`);
    }
  }

  /** The int64 [1] `K` input. */
  k(k: number): OrtTensor {
    let t = this.kTensors.get(k);
    if (t === undefined) this.kTensors.set(k, (t = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1])));
    return t;
  }

  /** The minus-ones input of the step graphs: [b, 1], or [1, b] for the transposed ones. */
  negOnes(b: number, transposed: boolean): OrtTensor {
    const key = transposed ? -b : b;
    let t = this.negOnesTensors.get(key);
    if (t === undefined) this.negOnesTensors.set(key, (t = new this.ort.Tensor('float32', new Float32Array(b).fill(-1), transposed ? [1, b] : [b, 1])));
    return t;
  }

  /**
   * A table as graph inputs, checked and built once per table object.
   * @throws SomError `ERR_SHAPE_MISMATCH` for a table that does not fit `units`
   */
  table(table: NeighborhoodTable, units: number, where: string): TableInputs<GatheredLayout> {
    let t = this.tables.get(table);
    if (t === undefined || t.feeds.BASE!.dims[0] !== units) {
      checkTable(table, units, where);
      t = tableInputs(this.ort, table);
      this.tables.set(table, t);
    }
    return t;
  }

  /**
   * A table as the minibatch step graphs read it: {@link separableInputs} when the table is
   * separable, else {@link table}'s form. Checked and built once per table object.
   * @throws SomError `ERR_SHAPE_MISMATCH` for a table that does not fit `units`
   */
  stepTable(table: NeighborhoodTable, units: number, where: string): TableInputs {
    let t = this.stepTables.get(table);
    if (t === undefined || (t.feeds.SEP_ROW ?? t.feeds.BASE)!.dims[0] !== units) {
      checkTable(table, units, where);
      t = separableInputs(this.ort, table) ?? this.table(table, units, where);
      this.stepTables.set(table, t);
    }
    return t;
  }

  /** Drops the caches; later kernel calls fail. Idempotent. */
  close(): void {
    this.closed = true;
    this.kTensors.clear();
    this.negOnesTensors.clear();
    this.tables = new WeakMap();
    this.stepTables = new WeakMap();
  }
}
