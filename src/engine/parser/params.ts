/**
 * CSI/DCS parameter storage for the parser: `Params implements ParamsView`.
 *
 * Owns the parser's single, reused parameter scratch (typed arrays, no per-sequence
 * allocation). Accepts ECMA-48 `;`-separated parameters and the ITU T.416 / xterm colon
 * sub-parameters (`4:3`, `38:2::255:0:0`), modelled on xterm.js `common/parser/Params.ts`.
 *
 * Hostile input is absorbed, never thrown on: parameters past MAX_PARAMS and sub-parameters
 * past MAX_SUB_PARAMS are dropped, and values saturate at MAX_PARAM_VALUE (as xterm.js does).
 */
import type { ParamsView } from './parser-handler.js';

/** Top-level parameters kept per sequence; DEC terminals keep 16, xterm.js 32. */
export const MAX_PARAMS = 32;
/** Sub-parameters kept per sequence, across all parameters. */
export const MAX_SUB_PARAMS = 64;
/** Values saturate here instead of overflowing Int32. */
export const MAX_PARAM_VALUE = 0x7fffffff;

// NOTE: -1 marks an empty (defaulted) slot, so a literal 0 stays distinguishable from "absent".
const EMPTY = -1;

export class Params implements ParamsView {
  length = 0;
  private readonly values = new Int32Array(MAX_PARAMS);
  /** Index of each parameter's first sub-parameter in `subs`. */
  private readonly subStart = new Uint16Array(MAX_PARAMS);
  private readonly subCount = new Uint16Array(MAX_PARAMS);
  private readonly subs = new Int32Array(MAX_SUB_PARAMS);
  private subTotal = 0;
  /** Digits currently go to the last sub-parameter rather than to the parameter itself. */
  private inSub = false;
  /** Too many parameters (or sub-parameters): further digits are discarded. */
  private dropDigits = false;
  /** A parameter past MAX_PARAMS was started: keeps later `:`/digits off the last stored one. */
  private overflowed = false;

  /** Forget everything: the "clear" action of the vt100.net state machine. */
  reset(): void {
    // Sub-parameter counts are zeroed here, only after a sequence that had any, so that
    // pushing a parameter need not write them (invariant: subCount[k] = 0 for k >= length).
    if (this.subTotal !== 0) this.subCount.fill(0);
    this.length = 0;
    this.subTotal = 0;
    this.inSub = false;
    this.dropDigits = false;
    this.overflowed = false;
  }

  /** Add decimal digit `d` (0..9) to the current parameter or sub-parameter. */
  addDigit(d: number): void {
    if (this.length === 0) this.open();
    if (this.dropDigits) return;
    if (this.inSub) {
      const k = this.subTotal - 1;
      const v = this.subs[k]!;
      this.subs[k] = v < 0 ? d : Math.min(v * 10 + d, MAX_PARAM_VALUE);
    } else {
      const k = this.length - 1;
      const v = this.values[k]!;
      this.values[k] = v < 0 ? d : Math.min(v * 10 + d, MAX_PARAM_VALUE);
    }
  }

  /**
   * Store a whole number into the current, still empty (sub-)parameter: what `addDigit`
   * would leave after its digits (the parser's CSI fast path accumulates digits itself).
   */
  setDigits(v: number): void {
    if (this.length === 0) this.open();
    if (this.dropDigits) return;
    // NOTE: callers only use it on a slot that has no digits yet.
    if (this.inSub) this.subs[this.subTotal - 1] = Math.min(v, MAX_PARAM_VALUE);
    else this.values[this.length - 1] = Math.min(v, MAX_PARAM_VALUE);
  }

  /**
   * Append a whole top-level parameter (`v` -1 for empty): what `nextParam`/`addDigit` would
   * build for it. Used by the parser's CSI fast path; subsequent `addDigit`/`nextSub` calls
   * continue this parameter exactly as if its digits had come one by one.
   */
  pushValue(v: number): void {
    if (this.length >= MAX_PARAMS) {
      this.overflowed = true;
      this.dropDigits = true;
      this.inSub = false;
      return;
    }
    this.values[this.length++] = v > MAX_PARAM_VALUE ? MAX_PARAM_VALUE : v;
    this.inSub = false;
    this.dropDigits = false;
  }

  /**
   * pushValue for a sequence without sub-parameters so far (the parser's CSI fast path, `v`
   * already saturated): `inSub` and `dropDigits` can only be false then, so the common case
   * is one store.
   */
  pushPlain(v: number): void {
    if (this.length < MAX_PARAMS) this.values[this.length++] = v;
    else this.pushValue(v);
  }

  /** `;` — start a new (empty) top-level parameter. */
  nextParam(): void {
    if (this.length === 0) this.open();
    this.open();
  }

  /** `:` — start a new (empty) sub-parameter of the current parameter. */
  nextSub(): void {
    if (this.length === 0) this.open();
    if (this.overflowed || this.subTotal >= MAX_SUB_PARAMS) {
      this.inSub = true;
      this.dropDigits = true;
      return;
    }
    const k = this.length - 1;
    // The first sub-parameter of a parameter fixes where its run starts.
    if (this.subCount[k] === 0) this.subStart[k] = this.subTotal;
    this.subs[this.subTotal++] = EMPTY;
    this.subCount[k]++;
    this.inSub = true;
    this.dropDigits = false;
  }

  private open(): void {
    if (this.length >= MAX_PARAMS) {
      this.overflowed = true;
      this.dropDigits = true;
      this.inSub = false;
      return;
    }
    this.values[this.length++] = EMPTY;
    this.inSub = false;
    this.dropDigits = false;
  }

  get(i: number, dflt: number): number {
    if (i < 0 || i >= this.length) return dflt;
    const v = this.values[i]!;
    return v < 0 ? dflt : v;
  }

  isEmpty(i: number): boolean {
    return i >= 0 && i < this.length && this.values[i]! < 0;
  }

  subLength(i: number): number {
    return i >= 0 && i < this.length ? this.subCount[i]! : 0;
  }

  sub(i: number, j: number, dflt: number): number {
    if (i < 0 || i >= this.length || j < 0 || j >= this.subCount[i]!) return dflt;
    const v = this.subs[this.subStart[i]! + j]!;
    return v < 0 ? dflt : v;
  }

  /**
   * Debug/test view: `CSI 38:2::1:2:3;1m` → `[[38, 2, -1, 1, 2, 3], 1]` (-1 = empty).
   * Allocates; never call on the hot path.
   */
  toArray(): (number | number[])[] {
    const out: (number | number[])[] = [];
    for (let i = 0; i < this.length; i++) {
      const v = this.values[i]!;
      const n = this.subCount[i]!;
      if (n === 0) {
        out.push(v);
      } else {
        const a = [v];
        for (let j = 0; j < n; j++) a.push(this.subs[this.subStart[i]! + j]!);
        out.push(a);
      }
    }
    return out;
  }
}
