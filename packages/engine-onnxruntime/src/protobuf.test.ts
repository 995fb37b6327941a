import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bmuGraph } from './bmuGraph.js';
import { minibatchGivenStepGraph, minibatchStepsGraph } from './minibatchStepsGraph.js';
import { neighborhoodProductGraph } from './neighborhoodProductGraph.js';
import { sumsGraph } from './sumsGraph.js';
import { attr, encodeModel } from './onnxModel.js';
import { ProtoWriter } from './protobuf.js';

const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Test-side decoder of one message level: field number → raw values (varints as bigint). */
function decode(bytes: Uint8Array): Map<number, Array<bigint | Uint8Array>> {
  const out = new Map<number, Array<bigint | Uint8Array>>();
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (i < bytes.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    let value: bigint | Uint8Array;
    if ((tag & 7) === 0) value = varint();
    else if ((tag & 7) === 2) {
      const len = Number(varint());
      value = bytes.subarray(i, i + len);
      i += len;
    } else if ((tag & 7) === 5) {
      value = bytes.subarray(i, i + 4);
      i += 4;
    } else throw new Error(`wire type ${tag & 7}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

describe('ProtoWriter', () => {
  it('writes varints as protobuf does (negative int64 as 10-byte two’s complement)', () => {
    const v = (n: number | bigint): string => hex(new ProtoWriter().varint(n).finish());
    expect(v(0)).toBe('00');
    expect(v(1)).toBe('01');
    expect(v(127)).toBe('7f');
    expect(v(128)).toBe('8001');
    expect(v(300)).toBe('ac02');
    expect(v(-1)).toBe('ffffffffffffffffff01');
    expect(v(2 ** 53 - 1)).toBe('ffffffffffffff0f');
    expect(v(2n ** 63n - 1n)).toBe('ffffffffffffffff7f');
    expect(() => new ProtoWriter().varint(0.5)).toThrow(RangeError);
  });

  it('writes tags, floats, strings, packed numbers and nested messages', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
    expect(hex(new ProtoWriter().packedFloats(7, [1, -2]).finish())).toBe('3a080000803f000000c0');
    expect(hex(new ProtoWriter().message(3, (m) => m.int(1, 150)).finish())).toBe('1a03089601');
    // Growth past the initial buffer keeps every byte.
    const big = new Uint8Array(1000).map((_, i) => i & 0xff);
    const out = new ProtoWriter().bytes(9, big).finish();
    expect(out.length).toBe(1 + 2 + 1000);
    expect([...out.subarray(3)]).toEqual([...big]);
  });
});

describe('encodeModel', () => {
  it('writes ModelProto fields: ir_version 8, opset 17 of the default domain, the graph', () => {
    const m = decode(sumsGraph());
    expect(m.get(1)).toEqual([8n]);
    const opset = decode(m.get(8)![0] as Uint8Array);
    expect(opset.get(2)).toEqual([17n]);
    expect(opset.has(1)).toBe(false);
    const graph = decode(m.get(7)![0] as Uint8Array);
    expect(new TextDecoder().decode(graph.get(2)![0] as Uint8Array)).toBe('somkit_neuron_sums');
    expect(graph.get(11)).toHaveLength(3);
    // The graphs are a few hundred bytes (the minibatch loop with its body under 3 kB).
    expect(sumsGraph().length).toBeLessThan(600);
    expect(bmuGraph({ sqrt: true }).length).toBeLessThan(1000);
    expect(neighborhoodProductGraph('windows').length).toBeLessThan(1000);
    expect(minibatchStepsGraph({ sqrt: true, layout: 'elements', transposed: true }).length).toBeLessThan(3000);
  });

  it('onnxruntime loads the graphs with symbolic (dynamic) dimensions', async () => {
    const s = await ort.InferenceSession.create(bmuGraph({ sqrt: true }));
    expect(s.inputNames).toEqual(['X', 'W', 'K']);
    expect(s.outputNames).toEqual(['indices', 'distances']);
    expect(s.inputMetadata[0]).toMatchObject({ name: 'X', type: 'float32', shape: ['n', 'd'] });
    expect(s.outputMetadata[0]).toMatchObject({ name: 'indices', type: 'int32', shape: ['n', 'k'] });
    await s.release();
  });

  it('onnxruntime loads every graph of the engine, in both table layouts and both codebook orientations', async () => {
    const graphs: Array<[Uint8Array, string[]]> = [[sumsGraph(), ['S']]];
    for (const layout of ['windows', 'elements'] as const) {
      for (const transposed of [false, true]) {
        graphs.push([minibatchStepsGraph({ sqrt: true, layout, transposed }), ['W2', 'indices', 'distances']]);
        graphs.push([minibatchStepsGraph({ sqrt: false, layout, transposed }), ['W2', 'indices', 'distances']]);
        graphs.push([minibatchGivenStepGraph(layout, transposed), ['W2']]);
      }
      graphs.push([neighborhoodProductGraph(layout), ['Y']]);
    }
    for (const [bytes, outputs] of graphs) {
      const s = await ort.InferenceSession.create(bytes);
      expect(s.outputNames).toEqual(outputs);
      await s.release();
    }
  });

  it('every attribute kind and initializer type round-trips through onnxruntime', async () => {
    const bytes = encodeModel({
      graph: {
        name: 'kinds',
        nodes: [
          { op: 'Constant', inputs: [], outputs: ['c'], attributes: { value_floats: attr.floats([0.5, -1.5]) } },
          { op: 'Transpose', inputs: ['X'], outputs: ['t'], attributes: { perm: attr.ints([1, 0]) } },
          { op: 'LeakyRelu', inputs: ['t'], outputs: ['l'], attributes: { alpha: attr.float(0.25) } },
          { op: 'Add', inputs: ['l', 'bias'], outputs: ['a'] },
          { op: 'Mul', inputs: ['a', 'c'], outputs: ['Y'] },
          { op: 'Pad', inputs: ['X', 'pads'], outputs: ['P'], attributes: { mode: attr.string('edge') } },
          { op: 'Cast', inputs: ['P'], outputs: ['Pi'], attributes: { to: attr.int(6) } },
        ],
        inputs: [{ name: 'X', type: 'float', shape: [2, 'm'] }],
        outputs: [
          { name: 'Y', type: 'float', shape: ['m', 2] },
          { name: 'Pi', type: 'int32', shape: [2, 'm2'] },
        ],
        initializers: [
          { name: 'bias', type: 'float', dims: [1, 2], values: [10, 20] },
          { name: 'pads', type: 'int64', dims: [4], values: [0, 1, 0, 0] },
        ],
      },
    });
    const s = await ort.InferenceSession.create(bytes);
    const out = await s.run({ X: new ort.Tensor('float32', Float32Array.from([1, -4, 3, 8]), [2, 2]) });
    // X = [[1, -4], [3, 8]] → Xᵀ = [[1, 3], [-4, 8]] → leaky → [[1, 3], [-1, 8]] → +bias → [[11, 23], [9, 28]] → ·[0.5, −1.5]
    expect([...(out.Y!.data as Float32Array)]).toEqual([5.5, -34.5, 4.5, -42]);
    expect(out.Y!.dims).toEqual([2, 2]);
    // Edge padding of one column on the left: [[1, 1, -4], [3, 3, 8]].
    expect([...(out.Pi!.data as Int32Array)]).toEqual([1, 1, -4, 3, 3, 8]);
    await s.release();
  });

  it('refuses an initializer whose values do not fill its dims', () => {
    expect(() =>
      encodeModel({ graph: { name: 'bad', nodes: [], inputs: [], outputs: [], initializers: [{ name: 'b', type: 'float', dims: [2, 2], values: [1] }] } }),
    ).toThrow(/dims \[2, 2\] hold 4 values, got 1/);
  });
});
