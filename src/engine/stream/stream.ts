/**
 * Stream: the parser's `ParserHandler`, turning raw parser actions into the named calls of a
 * semantic `Handler` (Ghostty's stream.zig shape, alacritty/vte's Perform → ansi::Handler).
 *
 * Owns nothing but the dispatch: decoding lives per family in csi.ts, sgr.ts, esc.ts and
 * osc.ts. `print` passes the parser's scratch run straight through, so nothing is allocated
 * on the text hot path.
 */
import type { ParamsView, ParserHandler } from '../parser/parser-handler.js';
import type { Handler } from './actions.js';
import { dispatchCsi } from './csi.js';
import { dispatchEsc, executeControl } from './esc.js';
import { dispatchOsc } from './osc.js';
import { DcsRequests } from './dcs.js';

export class Stream implements ParserHandler {
  /** DECRQSS / XTGETTCAP payload (dcs.ts); other DCS strings are consumed and ignored. */
  private readonly dcs = new DcsRequests();

  constructor(private readonly handler: Handler) {}

  print(cps: Uint32Array, start: number, end: number): void {
    this.printedLast = true;
    this.handler.print(cps, start, end);
  }

  /**
   * ASCII runs straight from the input bytes; copied to code points for handlers without the
   * fast path. Kept tiny (the copy is a method of its own) so the parser's hot loop inlines it.
   */
  printAscii(data: Uint8Array, start: number, end: number): number {
    const h = this.handler;
    this.printedLast = true;
    return h.printAscii !== undefined ? h.printAscii(data, start, end) : this.printAsciiAsCodePoints(data, start, end);
  }

  private printAsciiAsCodePoints(data: Uint8Array, start: number, end: number): number {
    const h = this.handler;
    let stop = start;
    while (stop < end && data[stop]! >= 0x20 && data[stop]! < 0x7f) stop++;
    const buf = this.asciiBuf;
    for (let i = start; i < stop; i += buf.length) {
      const n = Math.min(buf.length, stop - i);
      for (let k = 0; k < n; k++) buf[k] = data[i + k]!;
      h.print(buf, 0, n);
    }
    return stop;
  }

  private readonly asciiBuf = new Uint32Array(4096);

  // NOTE: REP repeats only a graphic character printed immediately before it (xterm,
  // xterm.js): every action that is not a print, REP itself included, ends that chance. The
  // handler is told once, by the first action after a print (`endPrint`), not on every one.
  private printedLast = false;

  private endPrint(): void {
    if (this.printedLast) {
      this.printedLast = false;
      this.handler.cancelRepeat?.();
    }
  }

  execute(code: number): void {
    this.endPrint();
    executeControl(this.handler, code);
  }

  csiDispatch(prefix: number, params: ParamsView, intermediates: number, final: number): void {
    dispatchCsi(this.handler, prefix, params, intermediates, final);
    this.endPrint();
  }

  escDispatch(intermediates: number, final: number): void {
    this.endPrint();
    dispatchEsc(this.handler, intermediates, final);
  }

  /** A parser that does not report the terminator gets ST replies (the 7-bit `ESC \`). */
  oscDispatch(data: string, terminator: 'bel' | 'st' = 'st'): void {
    this.endPrint();
    dispatchOsc(this.handler, data, terminator);
  }

  dcsHook(prefix: number, params: ParamsView, intermediates: number, final: number): void {
    this.endPrint();
    this.dcs.hook(prefix, params, intermediates, final);
  }

  dcsPut(data: Uint8Array, start: number, end: number): void { this.dcs.put(data, start, end); }

  dcsUnhook(aborted = false): void { this.dcs.unhook(this.handler, aborted); }
}
