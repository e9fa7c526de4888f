/**
 * DCS payload collection for the parser: what comes between a DCS's final byte (hook) and its
 * terminator (unhook), re-encoded as UTF-8 and handed over through `dcsPut` in pieces.
 *
 * Owns one fixed DCS_CHUNK buffer: it is flushed when full, on unhook and at the end of every
 * `parse()` call, so nothing accumulates across writes and the parser's memory stays bounded
 * however long the string is. Whoever consumes the payload (stream/dcs.ts) bounds its own.
 */
import type { ParserHandler } from './parser-handler.js';
import { encodeUtf8 } from './utf8.js';

/** DCS payload is forwarded through dcsPut in pieces of at most this many bytes. */
export const DCS_CHUNK = 4096;

export class DcsCollector {
  private readonly buf = new Uint8Array(DCS_CHUNK);
  private len = 0;

  constructor(private readonly handler: ParserHandler) {}

  /** Drop what is buffered without handing it over (hook, parser reset). */
  clear(): void { this.len = 0; }

  /** dcs_put: one code point of payload. */
  put(cp: number): void {
    if (this.len > DCS_CHUNK - 4) this.flush();
    this.len = encodeUtf8(cp, this.buf, this.len);
  }

  /**
   * Bulk dcs_put for the parser's string fast path: takes printable ASCII (0x20..0x7e) from
   * `data[i..end)`; returns the index of the first byte it did not take.
   */
  putAscii(data: Uint8Array, i: number, end: number): number {
    const buf = this.buf;
    let len = this.len;
    while (i < end) {
      const b = data[i]!;
      if (b < 0x20 || b > 0x7e) break;
      if (len === DCS_CHUNK) {
        this.len = len;
        this.flush();
        len = 0;
      }
      buf[len++] = b;
      i++;
    }
    this.len = len;
    return i;
  }

  /** Hand over what is buffered, if anything. */
  flush(): void {
    const n = this.len;
    if (n === 0) return;
    this.len = 0;
    this.handler.dcsPut(this.buf, 0, n);
  }

  /** unhook: the rest of the payload, then the end (`aborted` by CAN/SUB or not). */
  end(aborted: boolean): void {
    this.flush();
    this.handler.dcsUnhook(aborted);
  }
}
