/**
 * Byte-level DEC/ANSI parser: raw pty bytes → ParserHandler calls.
 *
 * Owns the parse state between `parse()` chunks: the vt100.net state machine position
 * (https://vt100.net/emu/dec_ansi_parser, see table.ts), the UTF-8 decoder and the parameter
 * and intermediate collectors. String payloads are collected by osc-collector.ts and
 * dcs-collector.ts (bounded scratch buffers). Knows nothing of screens.
 *
 * Input is UTF-8 decoded first, then the state machine runs on code points, so decoded
 * U+0080..U+009F are C1 controls (U+009B = CSI, U+009D = OSC, U+0090 = DCS, U+009C = ST...)
 * while a raw 0x9B byte is ill-formed UTF-8 and becomes U+FFFD (same as xterm.js).
 *
 * Hot path: in ground state, runs of printable code points are copied into one reusable
 * Uint32Array and handed over with a single print(). Nothing is allocated per byte or per
 * sequence (OSC strings allocate the string they deliver, nothing else).
 *
 * NOTE: the parser itself never throws; an exception thrown by the handler propagates and
 * leaves the parser consistent only up to the sequence that was being dispatched.
 */
import type { ParserHandler } from './parser-handler.js';
import { MAX_PARAM_VALUE, Params } from './params.js';

/** Values below this can take any further decimal digit without passing MAX_PARAM_VALUE. */
const DIGITS_SAFE = Math.floor(MAX_PARAM_VALUE / 10);
/** At exactly DIGITS_SAFE, the digits that still fit. */
const MAX_LAST_DIGIT = MAX_PARAM_VALUE % 10;
import { Utf8Decoder, UTF8_NEED_MORE, UTF8_REPROCESS, REPLACEMENT_CHAR } from './utf8.js';
import { OscCollector } from './osc-collector.js';
import { DcsCollector } from './dcs-collector.js';
import {
  TRANSITION_TABLE,
  NUM_CLASSES,
  CLASS_NON_ASCII,
  TRANSITION,
  S_GROUND,
  S_ESCAPE,
  S_CSI_ENTRY,
  S_CSI_PARAM,
  S_SOS_PM_APC_STRING,
  S_OSC_STRING,
  S_DCS_ENTRY,
  S_DCS_PASSTHROUGH,
  S_DCS_IGNORE,
  A_IGNORE,
  A_PRINT,
  A_EXECUTE,
  A_COLLECT,
  A_PREFIX,
  A_PARAM,
  A_ESC_DISPATCH,
  A_CSI_DISPATCH,
  A_DCS_PUT,
  A_OSC_PUT,
} from './table.js';

/** Code points per print() call at most; longer runs are split. */
export const PRINT_CHUNK = 4096;
export { OSC_MAX_LENGTH } from './osc-collector.js';
export { DCS_CHUNK } from './dcs-collector.js';

const BEL = 0x07;
const ESC = 0x1b;
const CAN = 0x18;
const SUB = 0x1a;
const BACKSLASH = 0x5c;

/** Whether ASCII byte `b` right after ESC dispatches `ESC b` at once (the table's own answer). */
function dispatchesAfterEsc(b: number): boolean {
  return ((TRANSITION_TABLE[S_ESCAPE * NUM_CLASSES + b]! >> 4) & 0x0f) === A_ESC_DISPATCH;
}

export class Parser {
  private readonly handler: ParserHandler;
  private state = S_GROUND;
  private readonly decoder = new Utf8Decoder();
  private readonly printBuf = new Uint32Array(PRINT_CHUNK);

  // Sequence collectors, cleared on entry to escape / csi_entry / dcs_entry.
  private readonly params = new Params();
  private prefix = 0;
  private intermediates = 0;
  private intermediateCount = 0;

  /** The ESC that just ended a string is the first half of ST: swallow its `\`. */
  private escEndedString = false;

  /** OSC payload, delivered whole at osc_end (bounded: OSC_MAX_LENGTH). */
  private readonly osc = new OscCollector();
  /** DCS payload, handed over in pieces: flushed when full, on unhook and at the end of parse(). */
  private readonly dcs: DcsCollector;

  /**
   * Whether the handler has printAscii. NOTE: a flag and a method call on the handler rather
   * than a bound function: every parser's bound function is a different call target, so the
   * JIT could not inline the call once two terminals had run; `h.printAscii` stays monomorphic.
   */
  private readonly hasPrintAscii: boolean;

  constructor(handler: ParserHandler) {
    this.handler = handler;
    this.dcs = new DcsCollector(handler);
    this.hasPrintAscii = handler.printAscii !== undefined;
  }

  /** Back to ground, dropping any partial sequence or UTF-8 character (no callbacks). */
  reset(): void {
    this.state = S_GROUND;
    this.decoder.reset();
    this.clear();
    this.escEndedString = false;
    this.osc.reset();
    this.dcs.clear();
  }

  /** Parse `data[start..end)`. Sequences and UTF-8 characters may straddle calls. */
  parse(data: Uint8Array, start = 0, end: number = data.length): void {
    if (start < 0) start = 0;
    if (end > data.length) end = data.length;
    const h = this.handler;
    const dec = this.decoder;
    const buf = this.printBuf;
    let i = start;
    while (i < end) {
      // 0. Hot loop for what most output is made of: ASCII runs, C0 controls and all-ASCII
      // CSIs back to back in ground state. Runs without going through the code point
      // machinery below; anything else (UTF-8, other escapes, a CSI cut by the chunk end or
      // by an unusual byte) leaves it for the general path, with the state exactly as the
      // table would have it.
      if (this.hasPrintAscii && this.state === S_GROUND && dec.needed === 0) {
        i = this.groundFast(data, i, end);
        if (i >= end) break;
      }
      // 1. Next code point.
      let b = data[i]!;
      let cp: number;
      if (b < 0x80 && dec.needed === 0) {
        cp = b;
        i++;
      } else {
        cp = dec.push(b);
        if (cp === UTF8_NEED_MORE) {
          i++;
          continue;
        }
        if (cp === UTF8_REPROCESS) cp = REPLACEMENT_CHAR; // byte i is fed again next round
        else i++;
      }

      // 2a. Ground, pure ASCII: hand the bytes over in place (no copy) when the handler can.
      if (this.hasPrintAscii && this.state === S_GROUND && cp >= 0x20 && cp < 0x7f && dec.needed === 0) {
        i = h.printAscii!(data, i - 1, end);
        if (i >= end || data[i]! < 0x80) continue;
        // Non-ASCII follows: continue with the decoding run below.
        cp = dec.push(data[i]!);
        if (cp === UTF8_NEED_MORE) { i++; continue; }
        if (cp === UTF8_REPROCESS) cp = REPLACEMENT_CHAR;
        else i++;
      }

      // 2. Ground fast path: gather the whole printable run.
      if (this.state === S_GROUND && cp >= 0x20 && (cp < 0x7f || cp >= 0xa0)) {
        let n = 0;
        buf[n++] = cp;
        cp = -1;
        let pending = false; // a multi-byte character is half read
        while (i < end) {
          b = data[i]!;
          if (b >= 0x20 && b < 0x7f && !pending) {
            // ASCII after non-ASCII (a CJK or emoji cell in a line of text): back to the byte
            // path, which writes the rest of the line without copying it into code points.
            if (this.hasPrintAscii) break;
            buf[n++] = b;
            i++;
            if (n === PRINT_CHUNK) {
              h.print(buf, 0, n);
              n = 0;
            }
            continue;
          }
          if (b < 0x80 && !pending) {
            cp = b; // C0 control or DEL: leave the run
            i++;
            break;
          }
          let r = dec.push(b);
          if (r === UTF8_NEED_MORE) {
            pending = true;
            i++;
            continue;
          }
          pending = false;
          if (r === UTF8_REPROCESS) r = REPLACEMENT_CHAR;
          else i++;
          if (r < 0xa0) {
            cp = r; // decoded C1 control
            break;
          }
          buf[n++] = r;
          if (n === PRINT_CHUNK) {
            h.print(buf, 0, n);
            n = 0;
          }
        }
        if (n > 0) h.print(buf, 0, n);
        if (cp < 0) continue;
      }

      // 3. Common ground-state cases without a table lookup: C0 controls and `ESC [`.
      if (this.state === S_GROUND && cp < 0x20) {
        if (cp !== ESC) {
          h.execute(cp); // CAN/SUB too: in ground their transition is just execute
          continue;
        }
        if (i < end && data[i] === 0x5b) {
          i = this.csiFast(data, i + 1, end);
          continue;
        }
      }

      // 4. State machine; then bulk-consume string payload (OSC/DCS/APC...) if we are in one.
      this.step(cp);
      if (this.state >= S_SOS_PM_APC_STRING && i < end) i = this.stringFast(data, i, end);
    }
    // Hand over DCS payload per write so that nothing accumulates across calls.
    this.dcs.flush();
  }

  /**
   * Ground state, no partial UTF-8 character, handler with printAscii: consume ASCII runs,
   * C0 controls other than ESC, `ESC [` CSIs (`;`-separated parameters of up to three digits and
   * a final inline, the rest through csiFast) and ESC + final / ESC + intermediate + final until something else comes
   * (non-ASCII, DEL, another escape, a CSI that left ground). Returns the index of the first
   * byte it did not consume.
   */
  private groundFast(data: Uint8Array, i: number, end: number): number {
    const h = this.handler;
    while (i < end) {
      const b = data[i]!;
      if (b >= 0x20) {
        if (b >= 0x7f) {
          // A CJK or emoji cell in a line of text: decode it here and stay in the loop.
          const j = b === 0x7f ? i : this.printUtf8Run(data, i, end);
          if (j === i) return i;
          i = j;
        } else {
          i = h.printAscii!(data, i, end);
        }
      } else if (b !== ESC) {
        h.execute(b); // CAN/SUB too: in ground their transition is just execute
        i++;
      } else {
        if (i + 1 >= end) return i;
        const f = data[i + 1]!;
        if (f === 0x5b) {
          // `ESC [` then parameters of up to three digits separated by `;`, then a final (SGR,
          // CUP, VPA, EL, DECSTBM...: most of what cursor-addressed output sends) without
          // entering csiFast: the same parameters as csiFast's pushPlain. Anything else (a
          // prefix, `:`, an intermediate, a fourth digit, the chunk end) starts csiFast over.
          this.clear();
          const params = this.params;
          let k = i + 2;
          let fin = 0;
          while (k < end) {
            let v = -1;
            let d = (data[k]! - 0x30) >>> 0;
            if (d <= 9) {
              v = d;
              d = ++k < end ? (data[k]! - 0x30) >>> 0 : 10;
              if (d <= 9) {
                v = v * 10 + d;
                d = ++k < end ? (data[k]! - 0x30) >>> 0 : 10;
                if (d <= 9) { v = v * 10 + d; k++; }
              }
              if (k >= end) break;
            }
            const c = data[k]!;
            if (c === 0x3b) { params.pushPlain(v); k++; continue; }
            if (c >= 0x40 && c <= 0x7e) {
              if (v >= 0 || params.length > 0) params.pushPlain(v);
              fin = c;
            }
            break;
          }
          if (fin !== 0) {
            this.escEndedString = false;
            h.csiDispatch(0, params, 0, fin);
            i = k + 1;
            continue;
          }
          i = this.csiFast(data, i + 2, end);
          if (this.state !== S_GROUND) return i;
        } else if (f >= 0x20 && f <= 0x2f && i + 2 < end && data[i + 2]! >= 0x30 && data[i + 2]! <= 0x7e) {
          // `ESC ( B` (terminfo's sgr0 before every `CSI m`), `ESC # 8`...: one intermediate
          // then a final, as the table does it (escape → collect → esc_dispatch → ground).
          this.clear();
          this.escEndedString = false;
          h.escDispatch(f, data[i + 2]!);
          i += 3;
        } else if (f < 0x80 && dispatchesAfterEsc(f)) {
          // `ESC 7`, `ESC 8`, `ESC M`, `ESC =`...: escape → esc_dispatch → ground, as the
          // table does it (entered from ground, so `ESC \` is not a string terminator here).
          this.clear();
          this.escEndedString = false;
          h.escDispatch(0, f);
          i += 2;
        } else {
          return i;
        }
      }
    }
    return i;
  }

  /**
   * Ground state, no partial character: print the run of complete, well-formed, printable
   * (>= U+00A0) UTF-8 characters starting at data[i]; returns where it stopped. Anything
   * else (a sequence cut by the chunk end, an invalid byte, a C1 control) is left to the
   * general path and its decoder, so the two paths print identical code points.
   */
  private printUtf8Run(data: Uint8Array, i: number, end: number): number {
    const buf = this.printBuf;
    let n = 0;
    while (i < end && n < PRINT_CHUNK) {
      const b0 = data[i]!;
      let cp: number;
      let len: number;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        if (i + 1 >= end) break;
        const b1 = data[i + 1]!;
        if ((b1 & 0xc0) !== 0x80) break;
        cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
        if (cp < 0xa0) break; // C1 control
        len = 2;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        if (i + 2 >= end) break;
        const b1 = data[i + 1]!;
        const b2 = data[i + 2]!;
        // E0: no overlongs (A0..BF); ED: no surrogates (80..9F).
        if (b1 < (b0 === 0xe0 ? 0xa0 : 0x80) || b1 > (b0 === 0xed ? 0x9f : 0xbf) || (b2 & 0xc0) !== 0x80) break;
        cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        len = 3;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        if (i + 3 >= end) break;
        const b1 = data[i + 1]!;
        const b2 = data[i + 2]!;
        const b3 = data[i + 3]!;
        // F0: no overlongs (90..BF); F4: nothing past U+10FFFF (80..8F).
        if (b1 < (b0 === 0xf0 ? 0x90 : 0x80) || b1 > (b0 === 0xf4 ? 0x8f : 0xbf) || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) break;
        cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
        len = 4;
      } else {
        break;
      }
      buf[n++] = cp;
      i += len;
    }
    if (n > 0) this.handler.print(buf, 0, n);
    return i;
  }

  /**
   * `ESC [` has just been read in ground at `data[i-1]`: parse the usual all-ASCII CSI
   * (`[?]digits;:...final`) in a tight loop. Stops at the first byte it does not handle,
   * leaving the state exactly as the table would (csi_entry / csi_param), so the general
   * machine resumes seamlessly. Returns the index of the first unconsumed byte.
   */
  private csiFast(data: Uint8Array, i: number, end: number): number {
    this.clear();
    this.escEndedString = false;
    this.state = S_CSI_ENTRY;
    if (i >= end) return i;
    const params = this.params;
    let b = data[i]!;
    if (b >= 0x3c && b <= 0x3f) {
      this.prefix = b;
      this.state = S_CSI_PARAM;
      i++;
    }
    // Digits are accumulated here and each parameter is stored once (`pushValue`), which
    // builds exactly what addDigit/nextParam would. `open`: the current parameter is already
    // in `params` (it has sub-parameters), so digits go through setDigits instead.
    const start = i;
    let v = -1;
    let open = false;
    let colons = false; // no sub-parameter yet: parameters take Params.pushPlain
    while (i < end) {
      b = data[i]!;
      const d = (b - 0x30) >>> 0;
      if (d <= 9) {
        // int32 arithmetic only (no overflow checks in the JIT's code); saturates exactly as
        // Math.min(v * 10 + d, MAX_PARAM_VALUE) does in Params.addDigit.
        v = v < 0 ? d : v < DIGITS_SAFE ? v * 10 + d : v === DIGITS_SAFE && d <= MAX_LAST_DIGIT ? DIGITS_SAFE * 10 + d : MAX_PARAM_VALUE;
        i++;
        continue;
      }
      if (b === 0x3b) {
        if (!colons) params.pushPlain(v);
        else if (!open) params.pushValue(v);
        else if (v >= 0) params.setDigits(v);
        open = false;
      } else if (b === 0x3a) {
        if (!open) params.pushValue(v);
        else if (v >= 0) params.setDigits(v);
        params.nextSub();
        open = true;
        colons = true;
      } else if (b >= 0x40 && b <= 0x7e) {
        if (i > start) {
          if (!colons) params.pushPlain(v);
          else if (!open) params.pushValue(v);
          else if (v >= 0) params.setDigits(v);
        }
        this.state = S_GROUND;
        this.handler.csiDispatch(this.prefix, params, 0, b);
        return i + 1;
      } else break; // intermediates, controls, private markers mid-way...: table
      v = -1;
      i++;
    }
    // Leaving mid-sequence: hand the parameter in progress to the table path.
    if (i > start) {
      if (!open) params.pushValue(v);
      else if (v >= 0) params.setDigits(v);
      this.state = S_CSI_PARAM;
    }
    return i;
  }

  /**
   * Bulk path for string states: copies/skips plain ASCII payload without a table lookup per
   * byte. Stops at anything else (controls, ESC, non-ASCII that must be decoded: it could be
   * U+009C ST), leaving that byte to the general machine. Only called between code points.
   */
  private stringFast(data: Uint8Array, i: number, end: number): number {
    switch (this.state) {
      case S_OSC_STRING:
        return this.osc.putAscii(data, i, end);
      case S_DCS_PASSTHROUGH:
        return this.dcs.putAscii(data, i, end);
      case S_SOS_PM_APC_STRING:
      case S_DCS_IGNORE:
        while (i < end) {
          const b = data[i]!;
          if (b >= 0x80 || b === ESC || b === CAN || b === SUB) break;
          i++;
        }
        return i;
      default:
        return i;
    }
  }

  /** One code point through the transition table (vt100.net: exit, transition, entry). */
  private step(cp: number): void {
    const h = this.handler;
    const state = this.state;
    const t = TRANSITION_TABLE[state * NUM_CLASSES + (cp < CLASS_NON_ASCII ? cp : CLASS_NON_ASCII)]!;
    const next = t & 0x0f;

    if (t & TRANSITION) {
      // Exit action of the state being left.
      if (state === S_OSC_STRING) this.oscEnd(cp);
      else if (state === S_DCS_PASSTHROUGH) this.dcs.end(cp === CAN || cp === SUB);
    }

    switch ((t >> 4) & 0x0f) {
      case A_IGNORE:
        break;
      case A_PRINT:
        this.printBuf[0] = cp;
        h.print(this.printBuf, 0, 1);
        break;
      case A_EXECUTE:
        h.execute(cp);
        break;
      case A_COLLECT:
        if (this.intermediateCount < 2) this.intermediates |= cp << (8 * this.intermediateCount);
        this.intermediateCount++; // > 2 makes the sequence undispatchable (cannot be packed)
        break;
      case A_PREFIX:
        this.prefix = cp;
        break;
      case A_PARAM:
        if (cp === 0x3b) this.params.nextParam();
        else if (cp === 0x3a) this.params.nextSub();
        else this.params.addDigit(cp - 0x30);
        break;
      case A_ESC_DISPATCH:
        if (this.intermediateCount > 2) break;
        // `ESC \` right after an OSC/DCS/SOS/PM/APC string is its ST, not a sequence of its own.
        if (cp === BACKSLASH && this.intermediateCount === 0 && this.escEndedString) break;
        h.escDispatch(this.intermediates, cp);
        break;
      case A_CSI_DISPATCH:
        if (this.intermediateCount > 2) break;
        h.csiDispatch(this.prefix, this.params, this.intermediates, cp);
        break;
      case A_DCS_PUT:
        this.dcs.put(cp);
        break;
      case A_OSC_PUT:
        this.osc.put(cp);
        break;
    }

    if (t & TRANSITION) {
      // Entry action of the new state.
      switch (next) {
        case S_ESCAPE:
          this.clear();
          // States 7..13 are the string states (SOS/PM/APC, OSC, every DCS state).
          this.escEndedString = state >= S_SOS_PM_APC_STRING;
          break;
        case S_CSI_ENTRY:
        case S_DCS_ENTRY:
          this.clear();
          break;
        case S_OSC_STRING:
          this.osc.start();
          break;
        case S_DCS_PASSTHROUGH:
          // hook: the final byte that got us here is `cp`. Intermediates that cannot be
          // packed make the DCS unrecognisable: swallow it like dcs_ignore would.
          if (this.intermediateCount > 2) {
            this.state = S_DCS_IGNORE;
            return;
          }
          this.dcs.clear();
          h.dcsHook(this.prefix, this.params, this.intermediates, cp);
          break;
      }
    }
    this.state = next;
  }

  private clear(): void {
    this.params.reset();
    this.prefix = 0;
    this.intermediates = 0;
    this.intermediateCount = 0;
  }

  /** osc_end: dispatch unless aborted (CAN/SUB) or oversized. */
  private oscEnd(cp: number): void {
    const str = this.osc.end(cp === CAN || cp === SUB);
    if (str !== null) this.handler.oscDispatch(str, cp === BEL ? 'bel' : 'st');
  }
}
