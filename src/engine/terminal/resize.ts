/**
 * Resize. A column change reflows the primary screen: soft-wrapped rows are joined into
 * logical lines and re-wrapped at the new width (as xterm.js and Ghostty do), wide
 * characters that no longer fit leave a spacer head and move down, and the cursor keeps
 * its place in its logical line. The alternate screen is not reflowed (xterm.js does not
 * either): its rows are cut or padded. A row change pushes lines into the scrollback or
 * pulls them back, removing blank rows below the cursor first (xterm.js's rule).
 *
 * Line sizes (DECDWL/DECDHL, line-size.ts) stay with their text: a double-size row holds
 * cols/2 columns, so a logical line of double-size rows is re-wrapped at the new cols/2 and
 * every row it makes has its size; it is never joined with a row of another size (a
 * double-width row that wrapped into a single-width one gives two lines). The alternate
 * screen's rows keep their size as they are cut or padded, as xterm keeps each line's.
 */
import {
  CONTENT_MASK, ROW_SIZE_MASK, ROW_WRAP_CONT, ROW_WRAPPED, SPACER_HEAD_BITS, Wide, WIDTH_MASK, WIDTH_SHIFT,
} from '../page/cell.js';
import { CopyFail, copyCells } from '../page/copy-cells.js';
import type { Page } from '../page/page.js';
import { PageList } from '../page/page-list.js';
import { repairWide } from './edit.js';
import type { Screen } from './screen.js';
import type { Terminal } from './terminal.js';
import { resizeTabs } from './tabs.js';

export function resizeTerminal(t: Terminal, cols: number, rows: number): void {
  if (cols !== t.cols) {
    // Reflow renumbers the primary's lines: shell-integration marks move with their rows.
    const oldFirst = t.primary.list.droppedRows;
    t.semantic.reflowed(oldFirst, reflowScreen(t.primary, cols, true), cols);
    if (t.alt !== null) reflowScreen(t.alt, cols, false);
    t.tabs = resizeTabs(t.tabs, cols);
  }
  if (rows !== t.rows) {
    resizeRows(t.primary, rows);
    if (t.alt !== null) resizeRows(t.alt, rows);
  }
  t.cols = cols;
  t.rows = rows;
  t.scrollTop = 0;
  t.scrollBottom = rows - 1;
  t.leftMargin = 0;
  t.rightMargin = cols - 1;
  for (const s of [t.primary, t.alt]) {
    if (s === null) continue;
    clampCursor(s, cols, rows);
  }
}

function clampCursor(s: Screen, cols: number, rows: number): void {
  for (const c of [s.cursor, s.saved]) {
    if (c === null) continue;
    c.x = Math.min(c.x, cols - 1);
    c.y = Math.max(0, Math.min(c.y, rows - 1));
    if (c.pendingWrap && c.x < cols - 1) c.pendingWrap = false;
  }
}

function resizeRows(s: Screen, rows: number): void {
  const list = s.list;
  const c = s.cursor;
  if (rows > list.rows) {
    const grow = rows - list.rows;
    const pulled = Math.min(grow, list.scrollbackRows);
    list.rows += pulled;
    c.y += pulled;
    for (let k = pulled; k < grow; k++) { list.rows++; list.appendRow(); }
    // appendRow counted the new rows as screen rows already; keep totals consistent.
  } else {
    for (let k = list.rows; k > rows; k--) {
      if (c.y < list.rows - 1) {
        list.popRow();
        list.rows--;
      } else {
        list.rows--;
        c.y--;
      }
    }
    list.pruneToLimit();
  }
  if (c.y < 0) c.y = 0;
}

/** Columns a row of size bits `size` holds at `cols`: all, or half on a double-size row. */
function rowWidth(size: number, cols: number): number {
  return size === 0 ? cols : Math.max(1, cols >> 1);
}

/**
 * Length of row r that reflow keeps: up to the last written cell (the whole row when wrapped,
 * its cols/2 columns on a double-size row).
 */
function usedLength(p: Page, r: number): number {
  const base = p.rowStart(r);
  const cols = p.cols;
  if ((p.rowFlags[r] & ROW_WRAPPED) !== 0) {
    const width = rowWidth(p.rowFlags[r] & ROW_SIZE_MASK, cols);
    const last = (p.content[base + width - 1] & WIDTH_MASK) >>> WIDTH_SHIFT;
    return last === Wide.SpacerHead ? width - 1 : width;
  }
  let n = cols;
  while (n > 0 && (p.content[base + n - 1] & CONTENT_MASK) === 0) n--;
  return n;
}

/** Returns the new absolute line of each old row (index: old history row) up to the last kept. */
function reflowScreen(s: Screen, cols: number, reflow: boolean): Int32Array {
  const old = s.list;
  const c = s.cursor;
  const total = old.totalRows;
  const cursorAbs = total - old.rows + c.y;
  // NOTE: with a wrap pending the cursor logically stands just past the last column; reflow
  // keeps it after that character rather than on it.
  const cx = c.x + (reflow && c.pendingWrap ? 1 : 0);
  // Rows below both the cursor and the last written row are dropped, then re-padded.
  let lastAbs = total - 1;
  while (lastAbs > cursorAbs) {
    const p = old.pinHistory(lastAbs);
    if (usedLength(p, old.pinRow) > 0) break;
    lastAbs--;
  }
  // NOTE: no pruning while building: narrowing can make more rows than `total`, and `dy`
  // indexes rows from the start. The limit is applied once the list is complete.
  const next = new PageList(old.pool, old.label, cols, 1, Number.POSITIVE_INFINITY);
  // Reflowed history is new history: numbering resumes past all of the old.
  next.droppedRows = old.historyEnd;
  let dy = 0; // current destination row (absolute in `next`)
  let dx = 0;
  let size = 0; // the line size bits of the logical line being written
  let width = cols; // the columns each of its rows holds
  let cursorWidth = cols;
  let newCursorAbs = -1;
  let newCursorX = 0;
  const rowMap = new Int32Array(lastAbs + 1);
  const dstRow = (): [Page, number] => {
    const p = next.pinHistory(dy);
    return [p, next.pinRow];
  };
  const newRow = (wrapped: boolean): void => {
    if (wrapped) {
      const [p, r] = dstRow();
      p.rowFlags[r] |= ROW_WRAPPED;
    }
    next.appendRow();
    dy++;
    dx = 0;
    if (wrapped) {
      const [p, r] = dstRow();
      p.rowFlags[r] |= ROW_WRAP_CONT | size;
    }
  };

  for (let a = 0; a <= lastAbs; a++) {
    const src = old.pinHistory(a);
    const sr = old.pinRow;
    const rowSize = src.rowFlags[sr] & ROW_SIZE_MASK;
    const continues = (src.rowFlags[sr] & ROW_WRAP_CONT) !== 0 && a > 0 && rowSize === size;
    if (a > 0) {
      if (reflow && continues) { /* same logical line: keep writing */ } else newRow(false);
    }
    if (a === 0 || !reflow || !continues) {
      size = rowSize;
      width = reflow ? rowWidth(size, cols) : cols;
      if (size !== 0) { const [p, r] = dstRow(); p.rowFlags[r] |= size; }
    }
    rowMap[a] = next.droppedRows + dy;
    let len = reflow ? usedLength(src, sr) : Math.min(cols, old.cols);
    const isCursorRow = a === cursorAbs;
    if (isCursorRow && reflow) len = Math.max(len, Math.min(cx, old.cols));
    if (isCursorRow) cursorWidth = width;
    let x = 0;
    while (x < len) {
      if (dx >= width) {
        if (!reflow) break;
        newRow(true);
        continue;
      }
      const w = (src.content[src.rowStart(sr) + x] & WIDTH_MASK) >>> WIDTH_SHIFT;
      if (w === Wide.SpacerHead) { x++; continue; }
      // NOTE: a wide char cannot fit a 1-column screen at all: wrapping it would loop forever
      // (fuzz regression). It is dropped, head and tail.
      if (w === Wide.Wide && width < 2) { x += 2; continue; }
      if (w === Wide.Wide && dx === width - 1) {
        if (!reflow) break;
        const [p, r] = dstRow();
        p.setCell(r, dx, SPACER_HEAD_BITS, 0);
        newRow(true);
        continue;
      }
      // Copy a run that fits; keep wide pairs together.
      let n = Math.min(len - x, width - dx);
      const lastW = (src.content[src.rowStart(sr) + x + n - 1] & WIDTH_MASK) >>> WIDTH_SHIFT;
      if (lastW === Wide.Wide && x + n < old.cols) n--;
      if (n <= 0) { newRow(true); continue; }
      // The cursor maps only once the destination row of its cell is known (after any wrap).
      if (isCursorRow && cx >= x && cx < x + n && newCursorAbs < 0) { newCursorAbs = dy; newCursorX = dx + (cx - x); }
      copyRun(next, dy, dx, src, sr, x, n);
      x += n;
      dx += n;
    }
    if (isCursorRow && newCursorAbs < 0) {
      newCursorAbs = dy;
      newCursorX = dx + Math.max(0, cx - len);
    }
  }
  if (newCursorAbs < 0) { newCursorAbs = dy; newCursorX = 0; }
  // Repair any wide pairs cut by truncation (alternate screen).
  if (!reflow) for (let k = 0; k <= dy; k++) { const p = next.pinHistory(k); repairWide(p, next.pinRow); }
  const rows = old.rows;
  const built = dy + 1;
  for (let k = built; k < rows; k++) next.appendRow();
  next.rows = rows;
  next.maxScrollback = old.maxScrollback;
  next.pruneToLimit();
  const newTotal = next.totalRows;
  const dropped = Math.max(built, rows) - newTotal;
  c.y = Math.max(0, Math.min(rows - 1, newCursorAbs - dropped - (newTotal - rows)));
  // Just past the last column of a reflowed row is a pending wrap, as xterm.js parks it.
  c.pendingWrap = reflow && newCursorX === cursorWidth;
  c.x = Math.min(newCursorX, cursorWidth - 1);
  old.dispose();
  s.list = next;
  return rowMap;
}

function copyRun(dst: PageList, dy: number, dx: number, src: Page, sr: number, x: number, n: number): void {
  for (;;) {
    const p = dst.pinHistory(dy);
    const r = dst.pinRow;
    const kept = ROW_WRAPPED | ROW_WRAP_CONT | ROW_SIZE_MASK;
    const keep = p.rowFlags[r] & kept;
    const fail = copyCells(p, r, src, sr, x, x + n, dx);
    p.rowFlags[r] = (p.rowFlags[r] & ~kept) | keep;
    if (fail === CopyFail.None) return;
    dst.growPageAt(dst.pages.indexOf(p), fail);
  }
}
