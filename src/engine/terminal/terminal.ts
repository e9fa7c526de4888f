/**
 * The Terminal: owns the parser chain, both screens, modes, margins and tab stops, and
 * implements the semantic `Handler` the stream decodes into. VT operations that need more
 * than a few lines live per family (print.ts, edit.ts, cursor-moves.ts, scrolling.ts,
 * save-restore.ts, screen-switch.ts, set-mode.ts, resets.ts, resize.ts); text and snapshots
 * are produced by format/. Replies (DA, DSR/CPR, DECRQM, XTVERSION, colour queries) leave
 * through `onReply`, to be written back to the program.
 */
import { Parser } from '../parser/parser.js';
import { Stream } from '../stream/stream.js';
import {
  Charset, type EraseMode, type Handler, type PromptMark, SgrKind, type TabClearMode,
} from '../stream/actions.js';
import { applySgr, applySgrParams } from './attributes.js';
import { dispatchSgrFrom } from '../stream/sgr.js';
import type { ParamsView } from '../parser/parser-handler.js';
import { defaultPool, type PagePool } from '../pool/page-pool.js';
import { Modes } from './modes.js';
import { AmplifyBudget, parseMetered, repeatPreceding } from './amplify.js';
import { printAsciiRun, printRun } from './print.js';
import { Cursor, Screen } from './screen.js';
import * as moves from './cursor-moves.js';
import * as scrolling from './scrolling.js';
import { restoreCursor, saveCursor } from './save-restore.js';
import { restoreDecModes, saveDecModes, setMode } from './set-mode.js';
import { fullReset, softReset } from './resets.js';
import * as edit from './edit.js';
import { ProtectMode } from './edit.js';
import * as columns from './column-edit.js';
import * as rect from './rect-ops.js';
import { lineSizeOf, setLineSize } from './line-size.js';
import type { LineSize } from '../page/cell.js';
import { resizeTerminal } from './resize.js';
import * as reports from './reports.js';
import { parseColorSpec, formatColorSpec } from './color-spec.js';
import { PALETTE_ENTRIES, SPECIAL_COLOR_BASE } from './palette.js';
import { answerChecksum } from './report-checksum.js';
import { modeReply, modeState } from './report-modes.js';
import { answerStatusString } from './report-status.js';
import { termcapReply } from './report-termcap.js';
import { windowOp } from './report-window.js';
import { ReplyBudget } from './reply-budget.js';
import { TitleStack } from './title-stack.js';
import { defaultTabs } from './tabs.js';
import { type CommandEvent, SemanticPrompt } from './semantic-prompt.js';

export interface TerminalOptions {
  cols: number;
  rows: number;
  /** Scrollback limit in lines (primary screen). Default 1000. */
  scrollback?: number;
  pool?: PagePool;
  /** Label for pool accounting and the leak audit (e.g. a session id). */
  label?: string;
  /** Bytes the terminal answers with (DA, CPR, ...), to be written to the program. */
  onReply?: (data: string) => void;
  onTitle?: (title: string) => void;
  onBell?: () => void;
  onCommand?: (e: CommandEvent) => void; // a shell command started or finished (semantic-prompt.ts)
}

let nextLabel = 1;

export const MAX_COLS = 4096;
export const MAX_ROWS = 4096;

export class Terminal implements Handler {
  cols: number;
  rows: number;
  readonly pool: PagePool;
  readonly label: string;
  readonly maxScrollback: number;
  readonly modes = new Modes();
  primary: Screen;
  alt: Screen | null = null;
  active: Screen;
  /** Scroll region, 0-based inclusive. */
  scrollTop = 0;
  scrollBottom: number;
  leftMargin = 0;
  rightMargin: number;
  tabs: Uint8Array;
  /** Which protection (DECSCA or SPA) was used last: which erases skip protected cells (edit.ts). */
  protectMode: ProtectMode = ProtectMode.Off;
  /** DECSACE Ps: 2 for DECCARA/DECRARA on a rectangle, else (0, 1) on the stream of cells. */
  attrChangeExtent = 0;
  /** XTCHECKSUM Ps: how DECRQCRA computes its checksum (report-checksum.ts; 0 = DEC's). */
  checksumExtension = 0;
  /** DEC private modes kept by XTSAVE (`CSI ? Pm s`), by number. */
  savedDecModes = new Map<number, boolean>();
  /** Set once a row was made double-size (line-size.ts): until then no row's size is looked up. */
  lineSizesUsed = false;
  title = '';
  cursorShape = 0;
  /** Last printed code point and width, for REP; 0 once anything but a print happened. */
  lastCp = 0;
  lastWidth = 0;
  /** Cells REP and DECALN (3 bytes, a screen of cells) may still produce: amplify.ts. */
  readonly amplify: AmplifyBudget;
  bytesParsed = 0;
  /**
   * Colours set by OSC 10–19 and OSC 4/5, kept as xterm answers them (`rgb:rrrr/gggg/bbbb`);
   * paletteOverrides holds OSC 4's 0..255 and the special colours at 256..260 (palette.ts).
   */
  dynamicColors: (string | undefined)[] = [];
  paletteOverrides = new Map<number, string>();
  /** XTPUSHTITLE / XTPOPTITLE (CSI 22/23 t). */
  readonly titles = new TitleStack();
  /** Reply bytes each write may still produce (reply-budget.ts). */
  readonly replyBudget = new ReplyBudget();
  onReply: (data: string) => void;
  onTitle?: (title: string) => void;
  onBell?: () => void;
  readonly semantic: SemanticPrompt; // shell integration: OSC 133 marks, OSC 7 cwd, command history
  private readonly parser: Parser;
  private disposed = false;
  /** Set by `seal()`: a terminal restored from an archive is read, never written or resized. */
  private sealed = false;

  constructor(opts: TerminalOptions) {
    const cols = clampDim(opts.cols, MAX_COLS, 'cols');
    const rows = clampDim(opts.rows, MAX_ROWS, 'rows');
    this.cols = cols;
    this.rows = rows;
    this.pool = opts.pool ?? defaultPool;
    this.label = opts.label ?? `term-${nextLabel++}`;
    this.maxScrollback = Math.max(0, Math.floor(opts.scrollback ?? 1000));
    this.onReply = opts.onReply ?? (() => {});
    this.onTitle = opts.onTitle;
    this.onBell = opts.onBell;
    this.primary = new Screen(this.pool, this.label, cols, rows, this.maxScrollback);
    this.active = this.primary;
    this.scrollBottom = rows - 1;
    this.rightMargin = cols - 1;
    this.tabs = defaultTabs(cols);
    this.amplify = new AmplifyBudget(cols, rows);
    this.semantic = new SemanticPrompt(this, opts.onCommand);
    this.parser = new Parser(new Stream(this));
  }

  // ---------------------------------------------------------------- public API

  write(data: Uint8Array | string): void {
    if (this.disposed) throw new Error('terminal disposed');
    if (this.sealed) throw new Error('terminal is read-only (restored from an archive)');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.replyBudget.refill();
    parseMetered(this, this.parser, bytes);
  }

  resize(cols: number, rows: number): void {
    cols = clampDim(cols, MAX_COLS, 'cols');
    rows = clampDim(rows, MAX_ROWS, 'rows');
    if (cols === this.cols && rows === this.rows) return;
    if (this.sealed) throw new Error('terminal is read-only (restored from an archive)');
    resizeTerminal(this, cols, rows);
  }

  /** Make the terminal read-only: `write` and `resize` throw from now on (reads still work). */
  seal(): void { this.sealed = true; }

  get isSealed(): boolean { return this.sealed; }

  get cursor(): Cursor { return this.active.cursor; }
  get altActive(): boolean { return this.active !== this.primary; }

  /** Lines of scrollback above the primary screen. */
  get scrollbackLength(): number { return this.primary.list.scrollbackRows; }

  /** Release every page. The terminal cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.primary.dispose();
    this.alt?.dispose();
    this.alt = null;
  }

  get isDisposed(): boolean { return this.disposed; }

  // ---------------------------------------------------------------- geometry helpers

  /** Exclusive right edge for printing/wrapping at the cursor (half the screen on a double-size row). */
  rightEdge(): number {
    const edge = this.modes.leftRightMargins && this.cursor.x <= this.rightMargin ? this.rightMargin + 1 : this.cols;
    if (this.lineSizesUsed && lineSizeOf(this, this.cursor.y) !== 0) return Math.min(edge, Math.max(1, this.cols >> 1));
    return edge;
  }

  leftEdge(): number {
    return this.modes.leftRightMargins && this.cursor.x >= this.leftMargin ? this.leftMargin : 0;
  }

  /** Region columns [x0, x1) that scrolling affects. */
  scrollCols(): [number, number] {
    return this.modes.leftRightMargins ? [this.leftMargin, this.rightMargin + 1] : [0, this.cols];
  }

  /** Whether the cursor is inside the left/right margins (always true without DECLRMM). */
  inHorizontalMargins(): boolean {
    const x = this.cursor.x;
    return !this.modes.leftRightMargins || (x >= this.leftMargin && x <= this.rightMargin);
  }

  /** Soft wrap from print: mark this row as wrapping, move to the next line's left edge. */
  wrapLine(): void { scrolling.wrapLine(this); }

  insertBlanks(n: number): void { edit.insertChars(this, n); }

  reply(s: string): void { if (this.replyBudget.take(s.length)) this.onReply(s); }

  // ---------------------------------------------------------------- Handler: text

  print(cps: Uint32Array, start: number, end: number): void {
    printRun(this, cps, start, end);
  }

  printAscii(data: Uint8Array, start: number, end: number): number {
    return printAsciiRun(this, data, start, end);
  }

  repeatPreceding(count: number): void { repeatPreceding(this, count); }
  cancelRepeat(): void { this.lastCp = 0; }

  bell(): void { this.onBell?.(); }

  backspace(): void { moves.backspace(this); }

  horizontalTab(count: number): void { this.cursorForwardTab(count); }

  linefeed(): void {
    this.index();
    if (this.modes.lineFeedNewLine) this.cursor.x = this.leftEdge();
  }

  carriageReturn(): void { moves.carriageReturn(this); }

  invokeCharset(g: 0 | 1 | 2 | 3): void { this.cursor.gl = g; }

  // ---------------------------------------------------------------- Handler: cursor

  cursorUp(n: number): void { moves.cursorUp(this, n); }
  cursorDown(n: number): void { moves.cursorDown(this, n); }
  cursorForward(n: number): void { moves.cursorForward(this, n); }
  cursorBackward(n: number): void { moves.cursorBackward(this, n); }
  cursorRowRelative(delta: number): void { moves.cursorRowRelative(this, delta); }
  cursorColRelative(delta: number): void { moves.cursorColRelative(this, delta); }

  cursorNextLine(n: number): void { this.cursorDown(n); this.cursor.x = this.leftEdge(); }
  cursorPrevLine(n: number): void { this.cursorUp(n); this.cursor.x = this.leftEdge(); }

  setCursorCol(col: number): void { moves.setCursorCol(this, col); }
  setCursorRow(row: number): void { moves.setCursorRow(this, row); }

  setCursorPos(row: number, col: number): void {
    this.setCursorRow(row);
    this.setCursorCol(col);
  }

  cursorForwardTab(count: number): void { moves.cursorForwardTab(this, count); }
  cursorBackwardTab(count: number): void { moves.cursorBackwardTab(this, count); }
  saveCursor(): void { saveCursor(this); }
  restoreCursor(): void { restoreCursor(this); }

  // xterm keeps one blink flag for DECSCUSR and `CSI ? 12 h/l`: 0 and odd styles blink.
  setCursorStyle(style: number): void { this.cursorShape = style; this.modes.cursorBlink = style === 0 || style % 2 === 1; }

  // ---------------------------------------------------------------- Handler: scrolling

  index(): void { scrolling.index(this); }
  reverseIndex(): void { scrolling.reverseIndex(this); }

  nextLine(): void {
    this.index();
    this.cursor.x = this.leftEdge();
  }

  /** Scroll the region up by n. `fromIndex`: the scrolled-off lines may enter scrollback. */
  scrollRegionUp(n: number, fromIndex: boolean): void { scrolling.scrollRegionUp(this, n, fromIndex); }
  scrollUp(count: number): void { this.scrollRegionUp(Math.min(count, this.rows), false); }
  scrollDown(count: number): void { scrolling.scrollDown(this, count); }
  setTopBottomMargin(top: number, bottom: number): void { scrolling.setTopBottomMargin(this, top, bottom); }
  setLeftRightMargin(left: number, right: number): void { scrolling.setLeftRightMargin(this, left, right); }

  // ---------------------------------------------------------------- Handler: editing

  insertChars(count: number): void { edit.insertChars(this, count); }
  deleteChars(count: number): void { edit.deleteChars(this, count); }
  eraseChars(count: number): void { edit.eraseChars(this, count); }
  insertLines(count: number): void { edit.insertLines(this, count); }
  deleteLines(count: number): void { edit.deleteLines(this, count); }
  eraseInLine(mode: EraseMode, selective: boolean): void { edit.eraseInLine(this, mode, selective); }
  eraseInDisplay(mode: EraseMode, selective: boolean): void { edit.eraseInDisplay(this, mode, selective); }
  scrollLeft(count: number): void { columns.scrollLeft(this, count); }
  scrollRight(count: number): void { columns.scrollRight(this, count); }
  insertColumns(count: number): void { columns.insertColumns(this, count); }
  deleteColumns(count: number): void { columns.deleteColumns(this, count); }
  backIndex(): void { columns.backIndex(this); }
  forwardIndex(): void { columns.forwardIndex(this); }
  fillRectangle(ch: number, top: number, left: number, bottom: number, right: number): void {
    rect.fillArea(this, ch, top, left, bottom, right);
  }
  eraseRectangle(top: number, left: number, bottom: number, right: number, selective: boolean): void {
    if (selective) rect.selectiveEraseArea(this, top, left, bottom, right);
    else rect.eraseArea(this, top, left, bottom, right);
  }
  copyRectangle(top: number, left: number, bottom: number, right: number, dstTop: number, dstLeft: number): void {
    rect.copyArea(this, top, left, bottom, right, dstTop, dstLeft);
  }
  changeRectangleAttributes(reverse: boolean, top: number, left: number, bottom: number, right: number, attrs: number[]): void {
    rect.changeAreaAttributes(this, reverse, top, left, bottom, right, attrs);
  }
  setAttributeChangeExtent(ps: number): void { rect.setAttributeChangeExtent(this, ps); }
  setCharProtection(ps: number): void { edit.setCharProtection(this, ps); }
  setProtectedArea(on: boolean): void { edit.setProtectedArea(this, on); }
  setLineSize(size: LineSize): void { setLineSize(this, size); }
  screenAlignmentTest(): void { if (this.amplify.spend(this.cols * this.rows)) edit.screenAlignment(this); }

  // ---------------------------------------------------------------- Handler: tabs, charsets

  setTabStop(): void { this.tabs[this.cursor.x] = 1; }

  clearTabStop(mode: TabClearMode): void {
    if (mode === 0) this.tabs[this.cursor.x] = 0;
    else if (mode === 3) this.tabs.fill(0);
  }

  designateCharset(g: 0 | 1 | 2 | 3, charset: Charset): void {
    this.cursor.charsets[g] = charset;
  }

  // ---------------------------------------------------------------- Handler: SGR

  setAttribute(kind: SgrKind, value: number): void { applySgr(this.cursor.style, kind, value); }

  selectGraphicRendition(params: ParamsView): void {
    const s = this.active.cursor.style;
    // `CSI m` and `CSI 0 m` are most of what is sent (a reset after every coloured word).
    if (params.length === 0 || (params.length === 1 && params.subLength(0) === 0 && params.get(0, 0) === 0)) { s.resetRendition(); return; }
    const i = applySgrParams(s, params);
    if (i < params.length) dispatchSgrFrom(this, params, i);
  }

  // ---------------------------------------------------------------- Handler: modes

  setMode(ansi: boolean, mode: number, on: boolean): void { setMode(this, ansi, mode, on); }
  saveDecModes(modes: number[]): void { saveDecModes(this, modes); }
  restoreDecModes(modes: number[]): void { restoreDecModes(this, modes); }

  requestMode(ansi: boolean, mode: number): void { this.reply(modeReply(ansi, mode, modeState(this, ansi, mode))); }

  setKeypadApplication(enabled: boolean): void { this.modes.appKeypad = enabled; }

  // ---------------------------------------------------------------- Handler: resets

  fullReset(): void { fullReset(this); }
  softReset(): void { softReset(this); }

  // ---------------------------------------------------------------- Handler: reports

  deviceAttributes(kind: 'primary' | 'secondary' | 'tertiary'): void { this.reply(reports.deviceAttributes(kind)); }

  deviceStatusReport(code: number, dec: boolean): void {
    if (code === 5 && !dec) { this.reply(reports.OPERATING_STATUS_OK); return; }
    if (code !== 6) {
      const r = dec ? reports.decStatusReport(code) : null;
      if (r !== null) this.reply(r);
      return;
    }
    const c = this.cursor;
    const row = c.y + 1 - (this.modes.origin ? this.scrollTop : 0);
    const col = c.x + 1 - (this.modes.origin && this.modes.leftRightMargins ? this.leftMargin : 0);
    this.reply(reports.cursorPosition(row, col, dec));
  }

  reportVersion(): void { this.reply(reports.VERSION); }

  windowOp(op: number, a: number, b: number): void { windowOp(this, op, a, b); }
  requestStatusString(setting: string): void { this.reply(answerStatusString(this, setting)); }
  requestTermcap(names: string): void { this.reply(termcapReply(names)); }
  requestChecksum(id: number, top: number, left: number, bottom: number, right: number): void {
    answerChecksum(this, id, top, left, bottom, right);
  }
  setChecksumExtension(ps: number): void { this.checksumExtension = ps; }

  // ---------------------------------------------------------------- Handler: OSC

  setTitle(title: string): void {
    this.title = title;
    this.onTitle?.(title);
  }

  setHyperlink(id: string, uri: string): void {
    this.cursor.link = uri === '' ? null : { id, uri };
  }

  queryDynamicColor(index: number, terminator: 'bel' | 'st'): void {
    this.reply(reports.dynamicColor(index, this.dynamicColors[index], terminator));
  }

  setDynamicColor(index: number, value: string): void {
    const rgb = parseColorSpec(value);
    if (rgb >= 0) this.dynamicColors[index] = formatColorSpec(rgb);
  }

  resetDynamicColor(index: number): void { this.dynamicColors[index] = undefined; }

  queryPaletteColor(index: number, terminator: 'bel' | 'st', opcode: 4 | 5 = 4): void {
    if (index < 0 || index >= PALETTE_ENTRIES) return;
    this.reply(reports.paletteColor(index, this.paletteOverrides.get(index), terminator, opcode));
  }

  setPaletteColor(index: number, value: string): void {
    const rgb = parseColorSpec(value);
    if (index >= 0 && index < PALETTE_ENTRIES && rgb >= 0) this.paletteOverrides.set(index, formatColorSpec(rgb));
  }

  resetPaletteColor(index: number): void {
    if (index < 0) this.paletteOverrides.clear();
    else this.paletteOverrides.delete(index);
  }

  resetSpecialColors(): void {
    for (let i = SPECIAL_COLOR_BASE; i < PALETTE_ENTRIES; i++) this.paletteOverrides.delete(i);
  }
  semanticMark(mark: PromptMark, exitCode: number | null, nonce: string | null): void { this.semantic.mark(mark, exitCode, nonce); }
  setWorkingDirectory(path: string): void { this.semantic.setCwd(path); }
}

function clampDim(v: number, max: number, name: string): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`${name} must be an integer in 1..${max}, got ${v}`);
  return v;
}
