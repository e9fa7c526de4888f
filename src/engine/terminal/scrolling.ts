/**
 * Scrolling and margins: IND, RI, NEL's index, SU/SD, the soft wrap's line feed, DECSTBM and
 * DECSLRM. Scrolling moves only the region's rows, and only its columns under DECLRMM.
 */
import { ROW_WRAP_CONT, ROW_WRAPPED } from '../page/cell.js';
import { scrollRowsDown, scrollRowsUp } from '../page/region-scroll.js';
import { saveCursor } from './save-restore.js';
import type { Terminal } from './terminal.js';

/** IND: down one line, scrolling the region when at its bottom margin. */
export function index(t: Terminal): void {
  const c = t.cursor;
  c.pendingWrap = false;
  if (c.y === t.scrollBottom) {
    if (!t.inHorizontalMargins()) return;
    scrollRegionUp(t, 1, true);
  } else if (c.y < t.rows - 1) {
    c.y++;
  }
}

/** RI: up one line, scrolling the region down when at its top margin. */
export function reverseIndex(t: Terminal): void {
  const c = t.cursor;
  c.pendingWrap = false;
  if (c.y === t.scrollTop) {
    if (!t.inHorizontalMargins()) return;
    const [x0, x1] = t.scrollCols();
    scrollRowsDown(t.active.list, t.scrollTop, t.scrollBottom, 1, x0, x1, c.style);
  } else if (c.y > 0) {
    c.y--;
  }
}

/** Soft wrap from print: mark this row as wrapping, move to the next line's left edge. */
export function wrapLine(t: Terminal): void {
  const c = t.cursor;
  const list = t.active.list;
  // Flags travel with their row through scrolling, so mark before and after the index.
  list.pinActive(c.y).rowFlags[list.pinRow] |= ROW_WRAPPED;
  index(t);
  list.pinActive(c.y).rowFlags[list.pinRow] |= ROW_WRAP_CONT;
  c.x = t.leftEdge();
  c.pendingWrap = false;
}

/** Scroll the region up by n. `fromIndex`: the scrolled-off lines may enter scrollback. */
export function scrollRegionUp(t: Terminal, n: number, fromIndex: boolean): void {
  const lr = t.modes.leftRightMargins;
  const x0 = lr ? t.leftMargin : 0;
  const x1 = lr ? t.rightMargin + 1 : t.cols;
  // As xterm.js: lines scrolled off a region that starts at the top of the primary screen
  // by a linefeed go to the scrollback; SU never adds scrollback.
  const toHistory = fromIndex && t.scrollTop === 0 && t.active === t.primary && x0 === 0 && x1 === t.cols;
  scrollRowsUp(t.active.list, t.scrollTop, t.scrollBottom, n, x0, x1, t.cursor.style, toHistory);
}

/** SD — CSI Ps T  @vt SD */
export function scrollDown(t: Terminal, count: number): void {
  const [x0, x1] = t.scrollCols();
  scrollRowsDown(t.active.list, t.scrollTop, t.scrollBottom, Math.min(count, t.rows), x0, x1, t.cursor.style);
}

/** DECSTBM — CSI Ps ; Ps r  @vt DECSTBM */
export function setTopBottomMargin(t: Terminal, top: number, bottom: number): void {
  const tp = (top || 1) - 1;
  const b = (bottom === 0 ? t.rows : Math.min(bottom, t.rows)) - 1;
  if (tp >= b) return;
  t.scrollTop = tp;
  t.scrollBottom = b;
  t.setCursorPos(1, 1);
}

/** DECSLRM — CSI Pl ; Pr s  @vt DECSLRM */
export function setLeftRightMargin(t: Terminal, left: number, right: number): void {
  if (!t.modes.leftRightMargins) {
    // Without DECLRMM, `CSI Pl ; Pr s` is SCOSC: xterm and xterm.js save the cursor.
    saveCursor(t);
    return;
  }
  const l = (left || 1) - 1;
  const r = (right === 0 ? t.cols : Math.min(right, t.cols)) - 1;
  if (l >= r) return;
  t.leftMargin = l;
  t.rightMargin = r;
  t.setCursorPos(1, 1);
}
