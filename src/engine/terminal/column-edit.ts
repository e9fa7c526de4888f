/**
 * Horizontal scrolling and column editing (VT420, ECMA-48): SL, SR, DECIC, DECDC, DECBI,
 * DECFI. All of them act on the rows of the scroll region and the columns between the
 * left/right margins (DECSLRM), and do nothing when the cursor is outside either — xterm's
 * xtermColScroll. Columns shift per row with ICH/DCH's cell move (edit.ts), so the work is
 * O(region area), at most the screen's.
 */
import { shiftCells } from './edit.js';
import type { Terminal } from './terminal.js';

/** xterm: the cursor must be inside the top/bottom and left/right margins. */
function cursorInRegion(t: Terminal): boolean {
  const c = t.cursor;
  return c.y >= t.scrollTop && c.y <= t.scrollBottom && c.x >= t.leftMargin && c.x <= t.rightMargin;
}

/** Insert (true) or delete n columns at column x in every row of the scroll region. */
function columnScroll(t: Terminal, n: number, insert: boolean, x: number): void {
  if (n <= 0 || !cursorInRegion(t)) return;
  const right = t.rightMargin + 1;
  for (let y = t.scrollTop; y <= t.scrollBottom; y++) shiftCells(t, y, x, right, n, insert);
}

/** SL — CSI Ps SP @: the region's columns move left by Ps, blanks come in at the right margin.  @vt SL */
export function scrollLeft(t: Terminal, n: number): void { columnScroll(t, n, false, t.leftMargin); }

/** SR — CSI Ps SP A: the region's columns move right by Ps, blanks come in at the left margin.  @vt SR */
export function scrollRight(t: Terminal, n: number): void { columnScroll(t, n, true, t.leftMargin); }

/** DECIC — CSI Ps ' }: insert Ps blank columns at the cursor column, region rows only.  @vt DECIC */
export function insertColumns(t: Terminal, n: number): void { columnScroll(t, n, true, t.cursor.x); }

/** DECDC — CSI Ps ' ~: delete Ps columns at the cursor column, region rows only.  @vt DECDC */
export function deleteColumns(t: Terminal, n: number): void { columnScroll(t, n, false, t.cursor.x); }

/** DECBI — ESC 6: left one column; at the left margin the region's columns move right instead.  @vt DECBI */
export function backIndex(t: Terminal): void {
  const c = t.cursor;
  const margin = t.modes.leftRightMargins ? t.leftMargin : 0;
  if (c.x > margin) {
    c.x--;
    c.pendingWrap = false;
  } else if (c.x === margin) {
    columnScroll(t, 1, true, c.x);
  }
}

/** DECFI — ESC 9: right one column; at the right margin the region's columns move left instead.  @vt DECFI */
export function forwardIndex(t: Terminal): void {
  const c = t.cursor;
  const margin = t.modes.leftRightMargins ? t.rightMargin : t.cols - 1;
  if (c.x < margin) {
    c.x++;
    c.pendingWrap = false;
  } else if (c.x === margin) {
    columnScroll(t, 1, false, t.modes.leftRightMargins ? t.leftMargin : 0);
  }
}
