/**
 * Cursor movement: BS, CR, CUU/CUD/CUF/CUB, CNL/CPL, CHA/VPA/CUP, CHT/CBT. Each clears the
 * pending wrap; vertical moves stop at the scroll region's edge when they start inside it,
 * horizontal ones at the left/right margins (DECLRMM) likewise.
 */
import { ROW_WRAPPED } from '../page/cell.js';
import { lineSizeOf } from './line-size.js';
import type { Terminal } from './terminal.js';

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** BS — moves left; stops at the left margin, or column 0 outside it (reverse wrap: CUB 1). */
export function backspace(t: Terminal): void {
  const c = t.cursor;
  if (t.modes.autowrap && (t.modes.reverseWrap || t.modes.reverseWrapExtended)) { reverseWrapLeft(t, 1); return; }
  c.pendingWrap = false;
  if (c.x > t.leftEdge()) c.x--;
  else if (c.x > 0 && !t.modes.leftRightMargins) c.x--;
}

/**
 * CUB/BS under reverse wraparound (modes 7 and 45, or 1045), as xterm and Ghostty: a pending
 * wrap uses up one of the moves; at the left margin the cursor goes on from the right margin
 * of the row above — with 45 only when that row soft-wrapped into this one and never above the
 * top margin, with 1045 over any row and from the top margin round to the bottom one.
 */
function reverseWrapLeft(t: Terminal, n: number): void {
  const c = t.cursor;
  const extended = t.modes.reverseWrapExtended;
  if (c.pendingWrap) { n--; c.pendingWrap = false; }
  const lr = t.modes.leftRightMargins;
  const left = lr && c.x >= t.leftMargin ? t.leftMargin : 0;
  const right = lr ? t.rightMargin : t.cols - 1;
  const top = c.y >= t.scrollTop ? t.scrollTop : 0;
  const bottom = c.y <= t.scrollBottom ? t.scrollBottom : t.rows - 1;
  // Bounded: a screen's worth of cells at most, however large n is.
  n = Math.min(n, t.cols * t.rows);
  const list = t.active.list;
  for (;;) {
    const step = Math.min(c.x - left, n);
    c.x -= step;
    n -= step;
    if (n === 0) return;
    if (c.y === top) {
      if (!extended) return;
      c.y = bottom;
    } else {
      if (!extended && (list.pinActive(c.y - 1).rowFlags[list.pinRow] & ROW_WRAPPED) === 0) return;
      c.y--;
    }
    c.x = right;
    n--;
  }
}

/** CR — to the left margin when at or right of it, else column 0. */
export function carriageReturn(t: Terminal): void {
  const c = t.cursor;
  c.x = t.modes.leftRightMargins && c.x >= t.leftMargin ? t.leftMargin : 0;
  c.pendingWrap = false;
}

/** CUU — CSI Ps A  @vt CUU */
export function cursorUp(t: Terminal, n: number): void {
  const c = t.cursor;
  const top = c.y >= t.scrollTop ? t.scrollTop : 0;
  c.y = Math.max(top, c.y - n);
  c.pendingWrap = false;
}

/** CUD — CSI Ps B  @vt CUD */
export function cursorDown(t: Terminal, n: number): void {
  const c = t.cursor;
  const bottom = c.y <= t.scrollBottom ? t.scrollBottom : t.rows - 1;
  c.y = Math.min(bottom, c.y + n);
  c.pendingWrap = false;
}

/** CUF — CSI Ps C  @vt CUF */
export function cursorForward(t: Terminal, n: number): void {
  const c = t.cursor;
  const right = t.modes.leftRightMargins && c.x <= t.rightMargin ? t.rightMargin : t.cols - 1;
  c.x = Math.min(right, lastColumn(t), c.x + n);
  c.pendingWrap = false;
}

/** The last column the cursor row shows: cols/2 - 1 on a double-size row (xterm's LineMaxCol). */
function lastColumn(t: Terminal): number {
  if (!t.lineSizesUsed || lineSizeOf(t, t.cursor.y) === 0) return t.cols - 1;
  return Math.max(1, t.cols >> 1) - 1;
}

/** CUB — CSI Ps D  @vt CUB */
export function cursorBackward(t: Terminal, n: number): void {
  const c = t.cursor;
  if (t.modes.autowrap && (t.modes.reverseWrap || t.modes.reverseWrapExtended)) { reverseWrapLeft(t, n); return; }
  const left = t.modes.leftRightMargins && c.x >= t.leftMargin ? t.leftMargin : 0;
  c.x = Math.max(left, c.x - n);
  c.pendingWrap = false;
}

/** CHA / HPA — 1-based column, relative to the left margin under DECOM + DECLRMM. */
export function setCursorCol(t: Terminal, col: number): void {
  const c = t.cursor;
  const origin = t.modes.origin && t.modes.leftRightMargins;
  const x = (origin ? t.leftMargin : 0) + col - 1;
  c.x = clamp(x, 0, Math.min(origin ? t.rightMargin : t.cols - 1, lastColumn(t)));
  c.pendingWrap = false;
}

/** VPA — 1-based row, relative to the scroll region under DECOM. */
export function setCursorRow(t: Terminal, row: number): void {
  const c = t.cursor;
  const y = (t.modes.origin ? t.scrollTop : 0) + row - 1;
  c.y = clamp(y, 0, t.modes.origin ? t.scrollBottom : t.rows - 1);
  c.pendingWrap = false;
}

/**
 * VPR / VPB — CSI Pn e / CSI Pn k: CUP to the row n away (xterm's CursorSet): clamped to the
 * screen, or to the scroll region under DECOM, so from above the region it goes on past it.
 */
export function cursorRowRelative(t: Terminal, delta: number): void {
  const rel = t.cursor.y - (t.modes.origin ? t.scrollTop : 0);
  setCursorRow(t, Math.max(1, rel + 1 + delta));
}

/** HPR / HPB — CSI Pn a / CSI Pn j: CUP to the column n away (xterm's CursorSet). */
export function cursorColRelative(t: Terminal, delta: number): void {
  const origin = t.modes.origin && t.modes.leftRightMargins;
  const rel = t.cursor.x - (origin ? t.leftMargin : 0);
  setCursorCol(t, Math.max(1, rel + 1 + delta));
}

/** CHT / HT — to the next tab stop, at most the right edge. */
export function cursorForwardTab(t: Terminal, count: number): void {
  const c = t.cursor;
  const right = t.rightEdge() - 1;
  const x0 = c.x;
  for (let k = 0; k < count && c.x < right; k++) {
    do c.x++; while (c.x < right && t.tabs[c.x] === 0);
  }
  // A tab that cannot move (already in the last column) keeps a pending wrap (xterm.js, tmux).
  if (c.x !== x0) c.pendingWrap = false;
}

/**
 * CBT — CSI Ps Z: back to the previous tab stop, at most to column 1 — to the left margin only
 * under DECOM (xterm's TabToPrevStop; Ghostty the same).  @vt CBT
 */
export function cursorBackwardTab(t: Terminal, count: number): void {
  const c = t.cursor;
  const left = t.modes.origin && t.modes.leftRightMargins ? t.leftMargin : 0;
  for (let k = 0; k < count && c.x > left; k++) {
    do c.x--; while (c.x > left && t.tabs[c.x] === 0);
  }
  c.pendingWrap = false;
}
