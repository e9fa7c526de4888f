/**
 * A growing byte buffer that large text answers are written into as UTF-8 (issue 27). A JSON
 * snapshot of 10,000 lines is 27 MB built from ~1.6 M small pieces: concatenated as strings they
 * form a rope that Node then flattens and encodes when it is written to the socket, which took
 * most of the read's time (node --cpu-prof: Buffer's createFromString, 2.7 of 4.6 s). Bytes
 * copied straight into one buffer cost a few ns each.
 */
export class ByteSink {
  buf: Buffer;
  /** Bytes written so far. */
  n = 0;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initial));
  }

  /** Room for `k` more bytes. */
  ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }

  /** Appends `s` as UTF-8. */
  string(s: string): void {
    this.ensure(s.length * 3);
    this.n += this.buf.write(s, this.n, 'utf8');
  }

  /** Appends the bytes of `b` (a small precomputed fragment). */
  bytes(b: Uint8Array): void {
    const len = b.length;
    this.ensure(len);
    const buf = this.buf;
    let n = this.n;
    for (let k = 0; k < len; k++) buf[n++] = b[k]!;
    this.n = n;
  }

  /** Appends one byte (caller ensured room). */
  byte(v: number): void {
    this.buf[this.n++] = v;
  }

  /**
   * Buffers given back (`recycle`) for the next `take`. NOTE: a large answer written in slices
   * (render/stream.ts) otherwise takes ~27 MB of fresh memory a 10,000-line JSON read, and
   * touching fresh pages cost more than writing the JSON (node: 27 MB of new Buffers filled,
   * ~90 ms of CPU, half of it in the kernel, against ~8 ms for the same bytes in reused ones).
   */
  private spare: Buffer[] = [];

  /** The bytes written, in a Buffer of their own; the sink starts empty again, in a spare or new buffer of the same size. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.n);
    const len = this.buf.length;
    let next = this.spare.pop();
    while (next !== undefined && next.length < len) next = this.spare.pop();
    this.buf = next ?? Buffer.allocUnsafe(len);
    this.n = 0;
    return out;
  }

  /**
   * Gives back a Buffer `take` returned, once its bytes are no longer read anywhere (written to
   * the socket); `take` writes into it again. Only whole buffers of the sink's own (large, not
   * slices of Node's shared pool) are kept, at most two.
   */
  recycle(chunk: Buffer): void {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength < 64 * 1024 || this.spare.length >= 2) return;
    this.spare.push(Buffer.from(chunk.buffer, 0, chunk.buffer.byteLength));
  }

  /** The bytes written, without a copy; the sink must not be used again. */
  takeAll(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

/** NOTE: one kept alive for good, for the reason page-codec.ts's KEPT_READER gives. */
export const KEPT_SINK = new ByteSink(16);

/** ASCII `s` as bytes (fragments built once). */
export function asciiBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
