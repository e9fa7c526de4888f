/**
 * The contract between the byte-level parser and whatever consumes its actions.
 *
 * Modelled on alacritty/vte's `Perform`: the parser knows nothing about screens, it only
 * turns bytes into these calls (vt100.net DEC/ANSI state machine). Everything is numeric
 * and reuses scratch storage so that nothing is allocated per byte.
 */

/**
 * CSI / DCS parameters with colon sub-parameters (e.g. `4:3`, `38:2::255:0:0`).
 *
 * NOTE: the instance handed to a callback is the parser's scratch object; it is only valid
 * during that call. Copy what you need.
 */
export interface ParamsView {
  /** Number of top-level (semicolon-separated) parameters. `CSI m` has 0; `CSI ;m` has 2. */
  readonly length: number;
  /** Value of parameter `i`, or `dflt` when it is absent or empty (0 is "default" per ECMA-48 only where the caller says so). */
  get(i: number, dflt: number): number;
  /** True when parameter `i` was present but empty (e.g. the first one in `CSI ;5H`). */
  isEmpty(i: number): boolean;
  /** Number of colon sub-parameters following parameter `i` (for `4:3` → 1). */
  subLength(i: number): number;
  /** Sub-parameter `j` of parameter `i`; `dflt` when empty (`38:2::1:2:3` has an empty colour-space slot). */
  sub(i: number, j: number, dflt: number): number;
}

/**
 * Intermediates and the private marker are packed into one number so that dispatch stays
 * allocation-free: `prefix` is the private marker byte (`?`, `>`, `<`, `=`) or 0, and
 * `intermediates` holds up to 2 intermediate bytes (0x20..0x2f), first in the low byte.
 * E.g. `CSI ? 1049 h` → prefix 0x3f, intermediates 0; `CSI 2 SP q` → intermediates 0x20;
 * `ESC ( 0` → intermediates 0x28, final 0x30.
 */
export interface ParserHandler {
  /** A run of printable code points (already UTF-8 decoded; invalid bytes became U+FFFD).
   * `cps[start..end)` is parser scratch: valid only during the call. */
  print(cps: Uint32Array, start: number, end: number): void;
  /**
   * Optional fast path: printable ASCII (0x20..0x7e) straight from the input bytes, so the
   * hottest case is not copied into code points first. `data[start]` is printable; the
   * handler prints bytes from there while they are printable and before `end`, and returns
   * the index of the first byte it did not print. NOTE: the handler finds the run's end
   * itself, so each byte is scanned once (while being written), not once here and once there.
   * Handlers without it get the same run through `print`.
   */
  printAscii?(data: Uint8Array, start: number, end: number): number;
  /** C0 control (0x00..0x1f except ESC, plus 0x7f is ignored) or 8-bit C1 control (0x80..0x9f). */
  execute(code: number): void;
  csiDispatch(prefix: number, params: ParamsView, intermediates: number, final: number): void;
  escDispatch(intermediates: number, final: number): void;
  /** Complete OSC string (terminated by BEL or ST), UTF-8 decoded, e.g. "0;title" or "8;id=x;http://a".
   * `terminator` says which one ended it, so that replies (OSC 4/10/11/12 queries) can use the same;
   * optional for compatibility, consumers treat a missing one as 'st'. */
  oscDispatch(data: string, terminator?: 'bel' | 'st'): void;
  /** DCS start; data then arrives through dcsPut and ends with dcsUnhook. Bounded in size by the parser. */
  dcsHook(prefix: number, params: ParamsView, intermediates: number, final: number): void;
  dcsPut(data: Uint8Array, start: number, end: number): void;
  /** DCS end. `aborted`: CAN or SUB cut the string short (xterm then acts on nothing of it). */
  dcsUnhook(aborted?: boolean): void;
}
