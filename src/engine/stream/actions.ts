/**
 * Semantic terminal actions: the named operations that `Stream` decodes parser actions into
 * (Ghostty's stream.zig shape). The Terminal implements `Handler`; tests implement a
 * recording Handler. Counts and positions here are 1-based exactly as ECMA-48 gives them
 * *after* defaults were applied (a missing or 0 count is already 1), so the Terminal never
 * re-derives defaults. Row/column arguments to `setCursorPos` are 1-based.
 */
import type { ParamsView } from '../parser/parser-handler.js';

/** Colour as a packed number: see `color.ts` in page/. Kept here as a type alias for the API. */
export type PackedColor = number;

/** ED / EL modes (0 below/right, 1 above/left, 2 all, 3 scrollback for ED). */
export type EraseMode = 0 | 1 | 2 | 3;

/** Tab clear: 0 at cursor, 3 all. */
export type TabClearMode = 0 | 3;

/** Underline style per `CSI 4:x m`. */
export const enum Underline { None = 0, Single = 1, Double = 2, Curly = 3, Dotted = 4, Dashed = 5 }

/** Character set designations for G0..G3. */
export const enum Charset { Ascii = 0, DecSpecial = 1, Uk = 2 }

/**
 * One SGR attribute change. `Stream` splits `CSI 1;38;2;255;0;0;4:3 m` into a sequence of
 * these so the Terminal applies them one by one to the cursor style.
 */
export const enum SgrKind {
  Reset = 0,
  Bold, Faint, Italic, Underline, Blink, Inverse, Invisible, Strikethrough, Overline,
  ResetBoldFaint, ResetItalic, ResetUnderline, ResetBlink, ResetInverse, ResetInvisible,
  ResetStrikethrough, ResetOverline,
  /** value: PackedColor */ Fg, /** value: PackedColor */ Bg, /** value: PackedColor */ UnderlineColor,
  DefaultFg, DefaultBg, DefaultUnderlineColor,
}

/** OSC 133 marks (FinalTerm semantic prompts): what the shell says it is doing from here on. */
export const enum PromptMark {
  /** A (and N, P;k=i): the prompt starts. */
  PromptStart = 0,
  /** B: the prompt ends; what follows is the command being typed. */
  InputStart = 1,
  /** C: the command runs; what follows is its output. */
  OutputStart = 2,
  /** D: the command finished (with an exit status when given). */
  CommandEnd = 3,
}

/**
 * ANSI modes (`CSI Pm h/l`) and DEC private modes (`CSI ? Pm h/l`) are reported with
 * `ansi` true/false and their number; the Terminal owns what they mean.
 */
export interface ModeRef { readonly ansi: boolean; readonly mode: number }

export interface Handler {
  // --- text ---
  /** Printable code points; `cps[start..end)` valid only during the call. */
  print(cps: Uint32Array, start: number, end: number): void;
  /**
   * Optional fast path: printable ASCII straight from the input, from `data[start]` (printable)
   * up to the first non-printable byte or `end`; returns the index of that byte (see
   * ParserHandler.printAscii).
   */
  printAscii?(data: Uint8Array, start: number, end: number): number;
  /** REP — CSI Ps b: repeat the last printed grapheme `count` times. */
  repeatPreceding(count: number): void;
  /** Any action but a print happened: a following REP has nothing to repeat. */
  cancelRepeat?(): void;

  // --- C0 ---
  bell(): void;
  backspace(): void;
  horizontalTab(count: number): void;
  /** LF, VT, FF all land here (they behave as LF, plus CR when LNM is set). */
  linefeed(): void;
  carriageReturn(): void;
  /** SO/SI: invoke G1/G0 into GL. */
  invokeCharset(g: 0 | 1 | 2 | 3): void;

  // --- cursor ---
  cursorUp(count: number): void;            // CUU
  cursorDown(count: number): void;          // CUD
  cursorForward(count: number): void;       // CUF
  cursorBackward(count: number): void;      // CUB
  /** VPR (+n) / VPB (-n): row relative to the current one, clamped as CUP clamps. */
  cursorRowRelative(delta: number): void;
  /** HPR (+n) / HPB (-n): column relative to the current one, clamped as CUP clamps. */
  cursorColRelative(delta: number): void;
  cursorNextLine(count: number): void;      // CNL
  cursorPrevLine(count: number): void;      // CPL
  /** CHA / HPA: 1-based column. */
  setCursorCol(col: number): void;
  /** VPA: 1-based row. */
  setCursorRow(row: number): void;
  /** CUP / HVP: 1-based row, col (relative to the origin when DECOM is set). */
  setCursorPos(row: number, col: number): void;
  cursorForwardTab(count: number): void;    // CHT
  cursorBackwardTab(count: number): void;   // CBT
  saveCursor(): void;                       // DECSC, and CSI s when DECSLRM is off
  restoreCursor(): void;                    // DECRC, CSI u
  /** DECSCUSR — CSI Ps SP q (cursor shape; kept for snapshots). */
  setCursorStyle(style: number): void;

  // --- scrolling / index ---
  index(): void;                            // IND
  reverseIndex(): void;                     // RI
  nextLine(): void;                         // NEL
  scrollUp(count: number): void;            // SU
  scrollDown(count: number): void;          // SD
  /** DECSTBM: 1-based top/bottom; 0 means "default" (whole screen). */
  setTopBottomMargin(top: number, bottom: number): void;
  /** DECSLRM: 1-based left/right; 0 means default. Only takes effect with mode 69. */
  setLeftRightMargin(left: number, right: number): void;

  // --- editing ---
  insertChars(count: number): void;         // ICH
  deleteChars(count: number): void;         // DCH
  eraseChars(count: number): void;          // ECH
  insertLines(count: number): void;         // IL
  deleteLines(count: number): void;         // DL
  eraseInLine(mode: EraseMode, selective: boolean): void;     // EL / DECSEL
  eraseInDisplay(mode: EraseMode, selective: boolean): void;  // ED / DECSED
  /** DECALN: fill with 'E'. */
  screenAlignmentTest(): void;
  /** DECSWL / DECDWL / DECDHL (ESC # 5 / 6 / 3 / 4): the cursor row's size, a LineSize (0–3). */
  setLineSize(size: 0 | 1 | 2 | 3): void;
  scrollLeft(count: number): void;          // SL — CSI Ps SP @
  scrollRight(count: number): void;         // SR — CSI Ps SP A
  insertColumns(count: number): void;       // DECIC — CSI Ps ' }
  deleteColumns(count: number): void;       // DECDC — CSI Ps ' ~
  backIndex(): void;                        // DECBI — ESC 6
  forwardIndex(): void;                     // DECFI — ESC 9
  /**
   * Rectangles (rect-ops.ts): 1-based Pt;Pl;Pb;Pr with 0 for a missing or default edge.
   * DECFRA — CSI Pch ; Pt ; Pl ; Pb ; Pr $ x.
   */
  fillRectangle(ch: number, top: number, left: number, bottom: number, right: number): void;
  /** DECERA — CSI Pt;Pl;Pb;Pr $ z, and DECSERA — … $ { (`selective`: protected cells stay). */
  eraseRectangle(top: number, left: number, bottom: number, right: number, selective: boolean): void;
  /** DECCRA — CSI Pts;Pls;Pbs;Prs;Pps;Ptd;Pld;Ppd $ v (pages dropped). */
  copyRectangle(top: number, left: number, bottom: number, right: number, dstTop: number, dstLeft: number): void;
  /** DECCARA — CSI Pt;Pl;Pb;Pr;Ps… $ r, and DECRARA — … $ t (`reverse`). */
  changeRectangleAttributes(reverse: boolean, top: number, left: number, bottom: number, right: number, attrs: number[]): void;
  /** DECSACE — CSI Ps * x. */
  setAttributeChangeExtent(ps: number): void;
  /** DECSCA — CSI Ps " q: 1 protects the characters written from now on, 0/2 does not. */
  setCharProtection(ps: number): void;
  /** SPA — ESC V (true) / EPA — ESC W (false): ISO protected area start and end. */
  setProtectedArea(on: boolean): void;

  // --- tabs ---
  setTabStop(): void;                       // HTS
  clearTabStop(mode: TabClearMode): void;   // TBC

  // --- charsets ---
  /** SCS: designate `charset` into G`g` (ESC ( 0, ESC ) B, ...). */
  designateCharset(g: 0 | 1 | 2 | 3, charset: Charset): void;

  // --- attributes ---
  /** One SGR change. `value` is a PackedColor for Fg/Bg/UnderlineColor, an Underline for Underline. */
  setAttribute(kind: SgrKind, value: number): void;
  /**
   * Optional fast path: a whole `CSI Pm m`. A handler that has it decodes the parameters
   * itself (the Terminal applies the common forms straight to its style and hands the rest to
   * `dispatchSgrFrom`); handlers without it get the `setAttribute` calls.
   */
  selectGraphicRendition?(params: ParamsView): void;

  // --- modes ---
  setMode(ansi: boolean, mode: number, enabled: boolean): void;
  /** XTSAVE — CSI ? Pm s: remember the listed DEC private modes. */
  saveDecModes(modes: number[]): void;
  /** XTRESTORE — CSI ? Pm r: set the listed DEC private modes back to what XTSAVE kept. */
  restoreDecModes(modes: number[]): void;
  /** DECRQM — CSI ? Ps $ p / CSI Ps $ p: the Terminal replies with DECRPM. */
  requestMode(ansi: boolean, mode: number): void;
  /** DECKPAM / DECKPNM. */
  setKeypadApplication(enabled: boolean): void;

  // --- resets ---
  fullReset(): void;                        // RIS
  softReset(): void;                        // DECSTR

  // --- reports (answers go out through the Terminal's reply callback) ---
  /** DA1 (prefix 0), DA2 (prefix '>'), DA3 (prefix '='). */
  deviceAttributes(kind: 'primary' | 'secondary' | 'tertiary'): void;
  /** DSR: 5 status, 6 cursor position (CPR); `dec` for the `CSI ? 6 n` form (DECXCPR). */
  deviceStatusReport(code: number, dec: boolean): void;
  /** XTVERSION — CSI > q. */
  reportVersion(): void;
  /** Window ops (CSI t): size reports, the title stack (22/23); others are ignored. */
  windowOp(op: number, a: number, b: number): void;
  /** DECRQSS — DCS $ q Pt ST: `setting` is Pt (`m`, `r`, ` q`, `"p`…); the Terminal answers DECRPSS. */
  requestStatusString(setting: string): void;
  /** XTGETTCAP — DCS + q Pt ST: `names` is Pt, hex-encoded names separated by `;`. */
  requestTermcap(names: string): void;
  /**
   * DECRQCRA — CSI Pi ; Pg ; Pt ; Pl ; Pb ; Pr * y: `id` is Pi (-1 when absent), the rectangle
   * is 1-based with 0 for a missing or default edge; Pg (the page) is dropped.
   */
  requestChecksum(id: number, top: number, left: number, bottom: number, right: number): void;
  /** XTCHECKSUM — CSI Ps # y: `ps` (0 when absent) selects how DECRQCRA computes its checksum. */
  setChecksumExtension(ps: number): void;

  // --- OSC ---
  /** OSC 0 / 2 (and 1, icon name, which we fold into the title only for OSC 0). */
  setTitle(title: string): void;
  /** OSC 8: `uri` empty ends the link. `id` may be empty. */
  setHyperlink(id: string, uri: string): void;
  /** OSC 10/11/12 with `?`: reply with the current colour. index: 10 fg, 11 bg, 12 cursor. */
  queryDynamicColor(index: number, terminator: 'bel' | 'st'): void;
  /** OSC 10/11/12 set (value kept as given, e.g. "rgb:ff/00/00" or "#ff0000"). */
  setDynamicColor(index: number, value: string): void;
  /**
   * OSC 4 ; n ; ? — query palette entry n (0..255, then the special colours 256..260); OSC 5 ;
   * c ; ? asks for 256 + c with `opcode` 5, answered in OSC 5's form.
   */
  queryPaletteColor(index: number, terminator: 'bel' | 'st', opcode?: 4 | 5): void;
  /** OSC 4 / OSC 5 set (entry as for the query) / OSC 104, 105 ; c reset (index -1: all). */
  setPaletteColor(index: number, value: string): void;
  resetPaletteColor(index: number): void;
  /** OSC 105 without parameters: the special colours (256..260) back to their defaults. */
  resetSpecialColors(): void;
  /** OSC 110–119: dynamic colour `index` (10–19) back to its default. */
  resetDynamicColor(index: number): void;
  /** OSC 133 A/B/C/D (semantic-osc.ts). `exitCode`: D's status when given, else null; `nonce`: its `nonce=` option. */
  semanticMark(mark: PromptMark, exitCode: number | null, nonce: string | null): void;
  /** OSC 7: the shell's working directory, a decoded absolute path. */
  setWorkingDirectory(path: string): void;
}
