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

  /** The bytes written, in a Buffer of their own; the sink starts empty again, in a new buffer of the same size. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.n);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.n = 0;
    return out;
  }

  /** The bytes written, without a copy; the sink must not be used again. */
  takeAll(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

/** ASCII `s` as bytes (fragments built once). */
export function asciiBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
