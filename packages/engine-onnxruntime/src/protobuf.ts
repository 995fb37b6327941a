/**
 * A minimal protocol-buffers *encoder*: just the wire types ONNX models need (varint, 32-bit,
 * length-delimited). Internal; see `onnxModel.ts` for the messages built on it.
 *
 * Wire format (protobuf encoding spec): every field is `tag = (field << 3) | wireType` as a
 * varint, then the value — a varint (wire type 0), 4 little-endian bytes (5), or a varint
 * length followed by that many bytes (2: strings, bytes, sub-messages, packed repeated numbers).
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Appends protobuf fields to a growable byte buffer. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /**
   * A base-128 varint. Negative integers are written as their 64-bit two's complement (10 bytes),
   * as protobuf does for `int64`/`int32`.
   */
  varint(value: number | bigint): this {
    let v = typeof value === 'bigint' ? value : BigInt(value);
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`varint: ${value} is not a safe integer`);
    if (v < 0n) v = BigInt.asUintN(64, v);
    // Fast path for the common small values.
    if (v < 0x80n) {
      this.byte(Number(v));
      return this;
    }
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
    return this;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** `int32`/`int64`/`enum`/`bool` field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    return this.varint(value);
  }

  /** `float` field (fixed 32-bit, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
    return this;
  }

  /** `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  /** `string` field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** Embedded message field: `build` writes the sub-message's fields. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const sub = new ProtoWriter();
    build(sub);
    return this.bytes(field, sub.finish());
  }

  /** Packed repeated `int64`/`int32` field. */
  packedInts(field: number, values: ReadonlyArray<number | bigint>): this {
    const sub = new ProtoWriter();
    for (const v of values) sub.varint(v);
    return this.bytes(field, sub.finish());
  }

  /** Packed repeated `float` field. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
    return this.bytes(field, bytes);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
