/**
 * Streaming UTF-8 decoder for the parser: one byte in, at most one code point out.
 *
 * Owns only the partial-sequence state that survives between `Parser.parse()` chunks.
 * Error handling follows the WHATWG Encoding Standard "UTF-8 decoder" algorithm
 * (https://encoding.spec.whatwg.org/#utf-8-decoder), which replaces each *maximal subpart*
 * of an ill-formed sequence with one U+FFFD. Overlong forms (C0, C1, E0 80..9F, F0 80..8F),
 * surrogates (ED A0..BF) and code points above U+10FFFF (F4 90.., F5..FF) are rejected by
 * narrowing the allowed range of the second byte, exactly as the spec does.
 */

/** `push()` result: the byte was consumed, the sequence is not complete yet. */
export const UTF8_NEED_MORE = -1;
/**
 * `push()` result: the pending sequence was ill-formed at this byte. The caller emits U+FFFD
 * and feeds the *same byte* again (the spec's "prepend byte to stream"); the decoder has
 * already reset, so the second push cannot return UTF8_REPROCESS again.
 */
export const UTF8_REPROCESS = -2;

export const REPLACEMENT_CHAR = 0xfffd;

export class Utf8Decoder {
  /** Continuation bytes still expected; 0 when between sequences. Read by the parser's fast path. */
  needed = 0;
  private seen = 0;
  private cp = 0;
  // Allowed range of the next continuation byte; narrowed after E0/ED/F0/F4 leads.
  private lower = 0x80;
  private upper = 0xbf;

  /**
   * Feed one byte. Returns a code point (>= 0), UTF8_NEED_MORE, or UTF8_REPROCESS.
   * Bytes that can never start a sequence (80..C1, F5..FF) return U+FFFD directly.
   */
  push(b: number): number {
    if (this.needed === 0) {
      if (b < 0x80) return b;
      if (b >= 0xc2 && b <= 0xdf) {
        this.needed = 1;
        this.cp = b & 0x1f;
        return UTF8_NEED_MORE;
      }
      if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) this.lower = 0xa0; // overlong 3-byte
        else if (b === 0xed) this.upper = 0x9f; // surrogates D800..DFFF
        this.needed = 2;
        this.cp = b & 0x0f;
        return UTF8_NEED_MORE;
      }
      if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) this.lower = 0x90; // overlong 4-byte
        else if (b === 0xf4) this.upper = 0x8f; // > U+10FFFF
        this.needed = 3;
        this.cp = b & 0x07;
        return UTF8_NEED_MORE;
      }
      return REPLACEMENT_CHAR;
    }
    if (b < this.lower || b > this.upper) {
      this.reset();
      return UTF8_REPROCESS;
    }
    this.lower = 0x80;
    this.upper = 0xbf;
    this.cp = (this.cp << 6) | (b & 0x3f);
    if (++this.seen === this.needed) {
      const cp = this.cp;
      this.reset();
      return cp;
    }
    return UTF8_NEED_MORE;
  }

  /** Drop any partial sequence (the spec would emit U+FFFD at end of stream; a terminal stream never ends). */
  reset(): void {
    this.needed = 0;
    this.seen = 0;
    this.cp = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }
}

/**
 * Encode `cp` as UTF-8 into `out` at `pos`; returns the new position. The caller guarantees
 * 4 free bytes. Used to hand DCS payloads on as bytes after they went through the decoder.
 */
export function encodeUtf8(cp: number, out: Uint8Array, pos: number): number {
  if (cp < 0x80) {
    out[pos++] = cp;
  } else if (cp < 0x800) {
    out[pos++] = 0xc0 | (cp >> 6);
    out[pos++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    out[pos++] = 0xe0 | (cp >> 12);
    out[pos++] = 0x80 | ((cp >> 6) & 0x3f);
    out[pos++] = 0x80 | (cp & 0x3f);
  } else {
    out[pos++] = 0xf0 | (cp >> 18);
    out[pos++] = 0x80 | ((cp >> 12) & 0x3f);
    out[pos++] = 0x80 | ((cp >> 6) & 0x3f);
    out[pos++] = 0x80 | (cp & 0x3f);
  }
  return pos;
}
