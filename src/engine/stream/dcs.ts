/**
 * DCS requests: `DCS $ q Pt ST` (DECRQSS) and `DCS + q Pt ST` (XTGETTCAP) → Handler calls.
 *
 * Owns recognising the two (by intermediate and final byte, no private marker, no parameters,
 * as xterm's do_dcs does) and their payload, kept in one fixed buffer of DCS_REQUEST_MAX bytes:
 * the parser hands a DCS over in pieces and never holds it whole, and nothing here grows either.
 * A DECRQSS longer than that matches no setting and is answered as invalid (as xterm would); an
 * XTGETTCAP longer than that is dropped unanswered (1 KiB is ~250 capability names). A string
 * cut short by CAN or SUB is answered by nothing, as in xterm. Every other DCS (sixel, DECUDK,
 * DECRSPS, tmux passthrough …) is consumed and ignored.
 */
import type { ParamsView } from '../parser/parser-handler.js';
import type { Handler } from './actions.js';

/** Bytes of a DECRQSS / XTGETTCAP payload kept. */
export const DCS_REQUEST_MAX = 1024;

const enum Kind { None = 0, StatusString = 1, Termcap = 2 }

const Q = 0x71;       // 'q'
const DOLLAR = 0x24;  // '$'
const PLUS = 0x2b;    // '+'

export class DcsRequests {
  private kind = Kind.None;
  private readonly buf = new Uint8Array(DCS_REQUEST_MAX);
  private len = 0;
  private overflow = false;
  private readonly latin1 = new TextDecoder('latin1');

  hook(prefix: number, params: ParamsView, intermediates: number, final: number): void {
    this.len = 0;
    this.overflow = false;
    this.kind = Kind.None;
    if (prefix !== 0 || params.length !== 0 || final !== Q) return;
    if (intermediates === DOLLAR) this.kind = Kind.StatusString;
    else if (intermediates === PLUS) this.kind = Kind.Termcap;
  }

  put(data: Uint8Array, start: number, end: number): void {
    if (this.kind === Kind.None || this.overflow) return;
    if (this.len + (end - start) > DCS_REQUEST_MAX) {
      this.overflow = true;
      return;
    }
    this.buf.set(data.subarray(start, end), this.len);
    this.len += end - start;
  }

  unhook(h: Handler, aborted: boolean): void {
    const kind = this.kind;
    this.kind = Kind.None;
    if (kind === Kind.None || aborted) return;
    // Requests are ASCII; anything else simply matches nothing.
    const payload = this.latin1.decode(this.buf.subarray(0, this.len));
    if (kind === Kind.StatusString) h.requestStatusString(this.overflow ? '' : payload);
    else if (!this.overflow) h.requestTermcap(payload);
  }
}
