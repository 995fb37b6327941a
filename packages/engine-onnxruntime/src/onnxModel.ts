/**
 * The subset of the ONNX model format (onnx/onnx.proto3) this engine writes: a ModelProto with one
 * opset import and a GraphProto of nodes, typed inputs/outputs (dynamic dimensions by name) and
 * constant initializers. Field numbers below are the ones in onnx.proto3. Internal.
 */
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const ELEM = Object.freeze({ float: 1, int32: 6, int64: 7, bool: 9 } as const);
export type ElemType = keyof typeof ELEM;

/** AttributeProto.AttributeType values used here. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_GRAPH = 5;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

/** A node attribute: the ONNX type is explicit, since `2` could be an INT or a FLOAT. */
export type Attribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'graph'; readonly value: OnnxGraph };

/** Attribute constructors: `attr.int(1)`, `attr.float(-2)`, `attr.ints([1])`. */
export const attr = Object.freeze({
  int: (value: number): Attribute => ({ type: 'int', value }),
  float: (value: number): Attribute => ({ type: 'float', value }),
  string: (value: string): Attribute => ({ type: 'string', value }),
  ints: (value: readonly number[]): Attribute => ({ type: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ type: 'floats', value }),
  /** A subgraph (the `body` of `Loop`); it may read the outer graph's values by name. */
  graph: (value: OnnxGraph): Attribute => ({ type: 'graph', value }),
});

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: Readonly<Record<string, Attribute>>;
}

/** A typed graph input or output; a string dimension is symbolic (dim_param), i.e. dynamic. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: ElemType;
  readonly shape: ReadonlyArray<number | string>;
}

/** A constant tensor stored in the graph (raw little-endian data). */
export interface OnnxInitializer {
  readonly name: string;
  readonly type: ElemType;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers?: readonly OnnxInitializer[];
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  /** Default-domain opset version (default 17). */
  readonly opset?: number;
  /** ModelProto.ir_version (default 8, the IR of opset 17). */
  readonly irVersion?: number;
  readonly producer?: string;
}

function writeAttribute(w: ProtoWriter, name: string, a: Attribute): void {
  // AttributeProto: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, type = 20.
  w.string(1, name);
  switch (a.type) {
    case 'float':
      w.float(2, a.value).int(20, ATTR_FLOAT);
      break;
    case 'int':
      w.int(3, a.value).int(20, ATTR_INT);
      break;
    case 'string':
      w.string(4, a.value).int(20, ATTR_STRING);
      break;
    case 'floats':
      w.packedFloats(7, a.value).int(20, ATTR_FLOATS);
      break;
    case 'ints':
      w.packedInts(8, a.value).int(20, ATTR_INTS);
      break;
    case 'graph':
      w.message(6, (g) => writeGraph(g, a.value)).int(20, ATTR_GRAPH);
      break;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name !== undefined) w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, a] of Object.entries(n.attributes ?? {})) w.message(5, (m) => writeAttribute(m, k, a));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  // ValueInfoProto: name = 1, type = 2 → TypeProto: tensor_type = 1 → TypeProto.Tensor:
  // elem_type = 1, shape = 2 → TensorShapeProto: dim = 1 → Dimension: dim_value = 1, dim_param = 2.
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ELEM[v.type]);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function rawData(t: OnnxInitializer): Uint8Array {
  const count = t.values.length;
  if (t.type === 'float') return new Uint8Array(Float32Array.from(t.values).buffer);
  if (t.type === 'int32') return new Uint8Array(Int32Array.from(t.values).buffer);
  if (t.type === 'bool') return Uint8Array.from(t.values, (v) => (v === 0 ? 0 : 1));
  const out = new BigInt64Array(count);
  for (let i = 0; i < count; i++) out[i] = BigInt(t.values[i] as number);
  return new Uint8Array(out.buffer);
}

function writeInitializer(w: ProtoWriter, t: OnnxInitializer): void {
  // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, the host order
  // of every platform onnxruntime-node ships for).
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (expected !== t.values.length) throw new RangeError(`initializer ${t.name}: dims [${t.dims.join(', ')}] hold ${expected} values, got ${t.values.length}`);
  w.packedInts(1, t.dims);
  w.int(2, ELEM[t.type]);
  w.string(8, t.name);
  w.bytes(9, rawData(t));
}

function writeGraph(g: ProtoWriter, graph: OnnxGraph): void {
  // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
  for (const n of graph.nodes) g.message(1, (m) => writeNode(m, n));
  g.string(2, graph.name);
  for (const t of graph.initializers ?? []) g.message(5, (m) => writeInitializer(m, t));
  // Initializers are also listed as inputs before IR 4; from IR 4 on they need not be.
  for (const v of graph.inputs) g.message(11, (m) => writeValueInfo(m, v));
  for (const v of graph.outputs) g.message(12, (m) => writeValueInfo(m, v));
}

/**
 * Serialises a model to ONNX protobuf bytes, ready for `InferenceSession.create(bytes)`.
 *
 * ```ts
 * const bytes = encodeModel({ graph: { name: 'mm', nodes: [{ op: 'MatMul', inputs: ['A', 'B'], outputs: ['Y'] }],
 *   inputs: [{ name: 'A', type: 'float', shape: ['m', 'k'] }, { name: 'B', type: 'float', shape: ['k', 'n'] }],
 *   outputs: [{ name: 'Y', type: 'float', shape: ['m', 'n'] }] } });
 * ```
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8.
  w.int(1, model.irVersion ?? 8);
  w.string(2, model.producer ?? '@somkit/engine-onnxruntime');
  w.string(3, '1');
  w.message(7, (g) => writeGraph(g, model.graph));
  // OperatorSetIdProto: domain = 1 ('' = the default ai.onnx domain, so omitted), version = 2.
  w.message(8, (o) => o.int(2, model.opset ?? 17));
  return w.finish();
}
