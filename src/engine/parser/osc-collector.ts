/**
 * OSC string collection for the parser: the payload between `OSC` and its terminator (BEL or
 * ST), kept as UTF-16 code units and delivered whole as one string.
 *
 * Owns the bounded scratch buffer: it starts small, grows by doubling up to OSC_MAX_LENGTH,
 * and a string that would pass that limit is dropped whole while the parser keeps consuming
 * up to its terminator (memory stays bounded whatever the input). Knows nothing of OSC
 * commands: stream/osc.ts decodes the string.
 */

/** OSC strings longer than this (in UTF-16 code units) are dropped whole. */
export const OSC_MAX_LENGTH = 1 << 20;

const OSC_INITIAL = 256;

export class OscCollector {
  private buf = new Uint16Array(OSC_INITIAL);
  private bytes = new Uint8Array(this.buf.buffer);
  private len = 0;
  /** The string passed OSC_MAX_LENGTH: nothing more is kept and nothing is delivered. */
  private overflow = false;
  private readonly utf16 = new TextDecoder('utf-16le');

  /** osc_start: a new string begins. */
  start(): void {
    this.len = 0;
    this.overflow = false;
  }

  /** Drop any partial string and give back a grown buffer (parser reset). */
  reset(): void {
    this.start();
    if (this.buf.length > OSC_INITIAL) {
      this.buf = new Uint16Array(OSC_INITIAL);
      this.bytes = new Uint8Array(this.buf.buffer);
    }
  }

  /** osc_put: one code point of payload. */
  put(cp: number): void {
    if (this.overflow) return;
    const need = this.len + (cp > 0xffff ? 2 : 1);
    if (need > this.buf.length) {
      if (need > OSC_MAX_LENGTH) {
        // Too long: drop the whole sequence but keep consuming up to its terminator.
        this.overflow = true;
        this.len = 0;
        return;
      }
      const grown = new Uint16Array(Math.min(this.buf.length * 2, OSC_MAX_LENGTH));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
      this.bytes = new Uint8Array(grown.buffer);
    }
    if (cp > 0xffff) {
      const c = cp - 0x10000;
      this.buf[this.len++] = 0xd800 | (c >> 10);
      this.buf[this.len++] = 0xdc00 | (c & 0x3ff);
    } else {
      this.buf[this.len++] = cp;
    }
  }

  /**
   * Bulk osc_put for the parser's string fast path: takes bytes 0x20..0x7f from `data[i..end)`
   * and returns the index of the first byte it did not take (a control, ESC, non-ASCII).
   */
  putAscii(data: Uint8Array, i: number, end: number): number {
    if (this.overflow) {
      while (i < end && data[i]! >= 0x20 && data[i]! <= 0x7f) i++;
      return i;
    }
    let buf = this.buf;
    let len = this.len;
    while (i < end) {
      const b = data[i]!;
      if (b < 0x20 || b > 0x7f) break;
      if (len === buf.length) {
        this.len = len;
        this.put(b); // grows, or flips to overflow
        i++;
        if (this.overflow) return this.putAscii(data, i, end);
        buf = this.buf;
        len = this.len;
        continue;
      }
      buf[len++] = b;
      i++;
    }
    this.len = len;
    return i;
  }

  /** osc_end: the string, or null when it was aborted (CAN/SUB) or too long. Clears either way. */
  end(aborted: boolean): string | null {
    const len = this.len;
    const dropped = aborted || this.overflow;
    this.len = 0;
    this.overflow = false;
    if (dropped) return null;
    return len === 0 ? '' : this.utf16.decode(this.bytes.subarray(0, len * 2));
  }
}
