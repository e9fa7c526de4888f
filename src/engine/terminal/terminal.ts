/**
 * The Terminal: owns the parser chain, both screens, modes, margins and tab stops, and
 * implements the semantic `Handler` the stream decodes into. VT operations that need more
 * than a few lines live per family in print.ts, edit.ts and resize.ts; text and snapshots
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
import { ansiModeState, decModeState, Modes, MouseEncoding, MouseTracking } from './modes.js';
import { AmplifyBudget, parseMetered, repeatPreceding } from './amplify.js';
import { printAsciiRun, printRun } from './print.js';
import { ROW_WRAP_CONT, ROW_WRAPPED } from '../page/cell.js';
import { scrollRowsDown, scrollRowsUp } from '../page/region-scroll.js';
import { Cursor, Screen } from './screen.js';
import * as edit from './edit.js';
import { resizeTerminal } from './resize.js';
import * as reports from './reports.js';
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
  title = '';
  cursorShape = 0;
  /** Last printed code point and width, for REP. */
  lastCp = 0;
  lastWidth = 0;
  /** Cells REP and DECALN (3 bytes, a screen of cells) may still produce: amplify.ts. */
  readonly amplify: AmplifyBudget;
  bytesParsed = 0;
  dynamicColors: (string | undefined)[] = [];
  paletteOverrides = new Map<number, string>();
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

  /** Exclusive right edge for printing/wrapping at the cursor. */
  rightEdge(): number {
    if (this.modes.leftRightMargins && this.cursor.x <= this.rightMargin) return this.rightMargin + 1;
    return this.cols;
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
  wrapLine(): void {
    const c = this.cursor;
    const list = this.active.list;
    // Flags travel with their row through scrolling, so mark before and after the index.
    list.pinActive(c.y).rowFlags[list.pinRow] |= ROW_WRAPPED;
    this.index();
    list.pinActive(c.y).rowFlags[list.pinRow] |= ROW_WRAP_CONT;
    c.x = this.leftEdge();
    c.pendingWrap = false;
  }

  insertBlanks(n: number): void { edit.insertChars(this, n); }

  reply(s: string): void { this.onReply(s); }

  // ---------------------------------------------------------------- Handler: text

  print(cps: Uint32Array, start: number, end: number): void {
    printRun(this, cps, start, end);
  }

  printAscii(data: Uint8Array, start: number, end: number): number {
    return printAsciiRun(this, data, start, end);
  }

  repeatPreceding(count: number): void { repeatPreceding(this, count); }

  bell(): void { this.onBell?.(); }

  backspace(): void {
    const c = this.cursor;
    c.pendingWrap = false;
    if (c.x > this.leftEdge()) c.x--;
    else if (c.x > 0 && !this.modes.leftRightMargins) c.x--;
  }

  horizontalTab(count: number): void { this.cursorForwardTab(count); }

  linefeed(): void {
    this.index();
    if (this.modes.lineFeedNewLine) this.cursor.x = this.leftEdge();
  }

  carriageReturn(): void {
    const c = this.cursor;
    c.x = this.modes.leftRightMargins && c.x >= this.leftMargin ? this.leftMargin : 0;
    c.pendingWrap = false;
  }

  invokeCharset(g: 0 | 1 | 2 | 3): void { this.cursor.gl = g; }

  // ---------------------------------------------------------------- Handler: cursor

  cursorUp(n: number): void {
    const c = this.cursor;
    const top = c.y >= this.scrollTop ? this.scrollTop : 0;
    c.y = Math.max(top, c.y - n);
    c.pendingWrap = false;
  }

  cursorDown(n: number): void {
    const c = this.cursor;
    const bottom = c.y <= this.scrollBottom ? this.scrollBottom : this.rows - 1;
    c.y = Math.min(bottom, c.y + n);
    c.pendingWrap = false;
  }

  cursorForward(n: number): void {
    const c = this.cursor;
    const right = this.modes.leftRightMargins && c.x <= this.rightMargin ? this.rightMargin : this.cols - 1;
    c.x = Math.min(right, c.x + n);
    c.pendingWrap = false;
  }

  cursorBackward(n: number): void {
    const c = this.cursor;
    const left = this.modes.leftRightMargins && c.x >= this.leftMargin ? this.leftMargin : 0;
    c.x = Math.max(left, c.x - n);
    c.pendingWrap = false;
  }

  cursorNextLine(n: number): void { this.cursorDown(n); this.cursor.x = this.leftEdge(); }
  cursorPrevLine(n: number): void { this.cursorUp(n); this.cursor.x = this.leftEdge(); }

  setCursorCol(col: number): void {
    const c = this.cursor;
    const origin = this.modes.origin && this.modes.leftRightMargins;
    const x = (origin ? this.leftMargin : 0) + col - 1;
    c.x = clamp(x, 0, origin ? this.rightMargin : this.cols - 1);
    c.pendingWrap = false;
  }

  setCursorRow(row: number): void {
    const c = this.cursor;
    const y = (this.modes.origin ? this.scrollTop : 0) + row - 1;
    c.y = clamp(y, 0, this.modes.origin ? this.scrollBottom : this.rows - 1);
    c.pendingWrap = false;
  }

  setCursorPos(row: number, col: number): void {
    this.setCursorRow(row);
    this.setCursorCol(col);
  }

  cursorForwardTab(count: number): void {
    const c = this.cursor;
    const right = this.rightEdge() - 1;
    const x0 = c.x;
    for (let k = 0; k < count && c.x < right; k++) {
      do c.x++; while (c.x < right && this.tabs[c.x] === 0);
    }
    // A tab that cannot move (already in the last column) keeps a pending wrap (xterm.js, tmux).
    if (c.x !== x0) c.pendingWrap = false;
  }

  cursorBackwardTab(count: number): void {
    const c = this.cursor;
    const left = this.leftEdge();
    for (let k = 0; k < count && c.x > left; k++) {
      do c.x--; while (c.x > left && this.tabs[c.x] === 0);
    }
    c.pendingWrap = false;
  }

  saveCursor(): void {
    const s = this.active;
    s.saved ??= new Cursor();
    s.saved.copyFrom(s.cursor);
    s.saved.originMode = this.modes.origin;
  }

  restoreCursor(): void {
    const s = this.active;
    const c = s.cursor;
    if (s.saved === null) {
      c.x = 0; c.y = 0; c.style.reset(); c.pendingWrap = false;
      c.charsets = [Charset.Ascii, Charset.Ascii, Charset.Ascii, Charset.Ascii]; c.gl = 0;
      this.modes.origin = false;
      return;
    }
    c.copyFrom(s.saved);
    this.modes.origin = s.saved.originMode;
    c.x = Math.min(c.x, this.cols - 1);
    c.y = Math.min(c.y, this.rows - 1);
  }

  setCursorStyle(style: number): void { this.cursorShape = style; }

  // ---------------------------------------------------------------- Handler: scrolling

  /** IND: down one line, scrolling the region when at its bottom margin. */
  index(): void {
    const c = this.cursor;
    c.pendingWrap = false;
    if (c.y === this.scrollBottom) {
      if (!this.inHorizontalMargins()) return;
      this.scrollRegionUp(1, true);
    } else if (c.y < this.rows - 1) {
      c.y++;
    }
  }

  reverseIndex(): void {
    const c = this.cursor;
    c.pendingWrap = false;
    if (c.y === this.scrollTop) {
      if (!this.inHorizontalMargins()) return;
      const [x0, x1] = this.scrollCols();
      scrollRowsDown(this.active.list, this.scrollTop, this.scrollBottom, 1, x0, x1, c.style);
    } else if (c.y > 0) {
      c.y--;
    }
  }

  nextLine(): void {
    this.index();
    this.cursor.x = this.leftEdge();
  }

  /** Scroll the region up by n. `fromIndex`: the scrolled-off lines may enter scrollback. */
  scrollRegionUp(n: number, fromIndex: boolean): void {
    const lr = this.modes.leftRightMargins;
    const x0 = lr ? this.leftMargin : 0;
    const x1 = lr ? this.rightMargin + 1 : this.cols;
    // As xterm.js: lines scrolled off a region that starts at the top of the primary screen
    // by a linefeed go to the scrollback; SU never adds scrollback.
    const toHistory = fromIndex && this.scrollTop === 0 && this.active === this.primary && x0 === 0 && x1 === this.cols;
    scrollRowsUp(this.active.list, this.scrollTop, this.scrollBottom, n, x0, x1, this.cursor.style, toHistory);
  }

  scrollUp(count: number): void {
    this.scrollRegionUp(Math.min(count, this.rows), false);
  }

  scrollDown(count: number): void {
    const [x0, x1] = this.scrollCols();
    scrollRowsDown(this.active.list, this.scrollTop, this.scrollBottom, Math.min(count, this.rows), x0, x1, this.cursor.style);
  }

  setTopBottomMargin(top: number, bottom: number): void {
    const t = (top || 1) - 1;
    const b = (bottom === 0 ? this.rows : Math.min(bottom, this.rows)) - 1;
    if (t >= b) return;
    this.scrollTop = t;
    this.scrollBottom = b;
    this.setCursorPos(1, 1);
  }

  setLeftRightMargin(left: number, right: number): void {
    if (!this.modes.leftRightMargins) {
      // Without DECLRMM, `CSI Pl ; Pr s` is SCOSC: xterm and xterm.js save the cursor.
      this.saveCursor();
      return;
    }
    const l = (left || 1) - 1;
    const r = (right === 0 ? this.cols : Math.min(right, this.cols)) - 1;
    if (l >= r) return;
    this.leftMargin = l;
    this.rightMargin = r;
    this.setCursorPos(1, 1);
  }

  // ---------------------------------------------------------------- Handler: editing

  insertChars(count: number): void { edit.insertChars(this, count); }
  deleteChars(count: number): void { edit.deleteChars(this, count); }
  eraseChars(count: number): void { edit.eraseChars(this, count); }
  insertLines(count: number): void { edit.insertLines(this, count); }
  deleteLines(count: number): void { edit.deleteLines(this, count); }
  eraseInLine(mode: EraseMode, _selective: boolean): void { edit.eraseInLine(this, mode); }
  eraseInDisplay(mode: EraseMode, _selective: boolean): void { edit.eraseInDisplay(this, mode); }
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
    if (params.length === 0 || (params.length === 1 && params.subLength(0) === 0 && params.get(0, 0) === 0)) { s.reset(); return; }
    const i = applySgrParams(s, params);
    if (i < params.length) dispatchSgrFrom(this, params, i);
  }

  // ---------------------------------------------------------------- Handler: modes

  setMode(ansi: boolean, mode: number, on: boolean): void {
    const m = this.modes;
    if (ansi) {
      if (mode === 4) m.insert = on;
      else if (mode === 20) m.lineFeedNewLine = on;
      return;
    }
    switch (mode) {
      case 1: m.appCursor = on; break;
      case 5: m.reverseVideo = on; break;
      case 6: m.origin = on; this.setCursorPos(1, 1); break;
      case 7: m.autowrap = on; if (!on) this.cursor.pendingWrap = false; break;
      case 12: m.cursorBlink = on; break;
      case 25: m.cursorVisible = on; break;
      case 66: m.appKeypad = on; break;
      case 69:
        m.leftRightMargins = on;
        if (!on) { this.leftMargin = 0; this.rightMargin = this.cols - 1; }
        break;
      case 9: case 1000: case 1002: case 1003:
        m.mouseTracking = on ? (mode as MouseTracking) : MouseTracking.None;
        break;
      case 1005: case 1006: case 1015: case 1016:
        if (on) m.mouseEncoding = mode as MouseEncoding;
        else if (m.mouseEncoding === mode) m.mouseEncoding = MouseEncoding.Default;
        break;
      case 1004: m.focusEvents = on; break;
      case 1007: m.altScroll = on; break;
      case 2004: m.bracketedPaste = on; break;
      case 2026: m.synchronizedOutput = on; break;
      case 47: this.switchScreen(on, false, false); break;
      case 1047: this.switchScreen(on, false, true); break;
      case 1048: if (on) this.saveCursor(); else this.restoreCursor(); break;
      case 1049: this.switchScreen(on, true, true); break;
      default: break;
    }
  }

  /** 47 / 1047 / 1049. `saveRestore`: DECSC on enter, DECRC on leave (1049). */
  private switchScreen(on: boolean, saveRestore: boolean, clear: boolean): void {
    if (on) {
      if (this.active !== this.primary) return;
      if (saveRestore) this.saveCursor();
      if (this.alt === null) this.alt = new Screen(this.pool, this.label, this.cols, this.rows, 0);
      else if (clear) this.clearScreen(this.alt);
      this.alt.cursor.copyFrom(this.primary.cursor);
      this.active = this.alt;
    } else {
      if (this.active === this.primary) return;
      const alt = this.active;
      // xterm has one cursor for both screens: leaving 47/1047 keeps its position (1049 then
      // restores the saved one below).
      const pc = this.primary.cursor;
      pc.style.set(alt.cursor.style);
      pc.x = alt.cursor.x; pc.y = alt.cursor.y; pc.pendingWrap = alt.cursor.pendingWrap;
      this.active = this.primary;
      if (clear) {
        // The alternate screen's contents are gone on leaving: give its pages back now.
        alt.dispose();
        this.alt = null;
      }
      if (saveRestore) this.restoreCursor();
    }
  }

  private clearScreen(s: Screen): void {
    for (let y = 0; y < this.rows; y++) s.list.clearActiveRow(y, 0, this.cols, s.cursor.style);
  }

  requestMode(ansi: boolean, mode: number): void {
    const state = ansi ? ansiModeState(this.modes, mode) : decModeState(this.modes, mode, this.altActive);
    this.reply(`\x1b[${ansi ? '' : '?'}${mode};${state}$y`);
  }

  setKeypadApplication(enabled: boolean): void { this.modes.appKeypad = enabled; }

  // ---------------------------------------------------------------- Handler: resets

  fullReset(): void {
    const historyEnd = this.primary.list.historyEnd;
    this.primary.dispose();
    this.alt?.dispose();
    this.alt = null;
    this.primary = new Screen(this.pool, this.label, this.cols, this.rows, this.maxScrollback);
    this.primary.list.droppedRows = historyEnd; // scrollbackEnd never goes back on a reset
    this.active = this.primary;
    Object.assign(this.modes, new Modes());
    this.scrollTop = 0; this.scrollBottom = this.rows - 1;
    this.leftMargin = 0; this.rightMargin = this.cols - 1;
    this.tabs = defaultTabs(this.cols);
    this.title = '';
    this.cursorShape = 0;
    this.lastCp = 0;
    this.dynamicColors = [];
    this.paletteOverrides.clear();
    this.semantic.reset();
  }

  softReset(): void {
    const m = this.modes;
    m.cursorVisible = true; m.insert = false; m.origin = false; m.autowrap = true;
    m.appCursor = false; m.appKeypad = false; m.leftRightMargins = false;
    this.scrollTop = 0; this.scrollBottom = this.rows - 1;
    this.leftMargin = 0; this.rightMargin = this.cols - 1;
    const c = this.cursor;
    c.style.reset(); c.pendingWrap = false; c.gl = 0;
    c.charsets = [Charset.Ascii, Charset.Ascii, Charset.Ascii, Charset.Ascii];
    this.active.saved = null;
  }

  // ---------------------------------------------------------------- Handler: reports

  deviceAttributes(kind: 'primary' | 'secondary' | 'tertiary'): void { this.reply(reports.deviceAttributes(kind)); }

  deviceStatusReport(code: number, dec: boolean): void {
    if (code === 5) { this.reply(reports.OPERATING_STATUS_OK); return; }
    if (code !== 6) return;
    const c = this.cursor;
    const row = c.y + 1 - (this.modes.origin ? this.scrollTop : 0);
    const col = c.x + 1 - (this.modes.origin && this.modes.leftRightMargins ? this.leftMargin : 0);
    this.reply(reports.cursorPosition(row, col, dec));
  }

  reportVersion(): void { this.reply(reports.VERSION); }

  windowOp(op: number, _a: number, _b: number): void {
    const r = reports.windowReport(op, this.rows, this.cols);
    if (r !== null) this.reply(r);
  }

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

  setDynamicColor(index: number, value: string): void { this.dynamicColors[index] = value; }

  queryPaletteColor(index: number, terminator: 'bel' | 'st'): void {
    if (index < 0 || index > 255) return;
    this.reply(reports.paletteColor(index, this.paletteOverrides.get(index), terminator));
  }

  setPaletteColor(index: number, value: string): void {
    if (index >= 0 && index <= 255) this.paletteOverrides.set(index, value);
  }

  resetPaletteColor(index: number): void {
    if (index < 0) this.paletteOverrides.clear();
    else this.paletteOverrides.delete(index);
  }
  semanticMark(mark: PromptMark, exitCode: number | null): void { this.semantic.mark(mark, exitCode); }
  setWorkingDirectory(path: string): void { this.semantic.setCwd(path); }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function clampDim(v: number, max: number, name: string): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`${name} must be an integer in 1..${max}, got ${v}`);
  return v;
}
