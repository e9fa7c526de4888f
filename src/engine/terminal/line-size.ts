/**
 * Line size: DECSWL (ESC # 5), DECDWL (ESC # 6), DECDHL top/bottom half (ESC # 3 / ESC # 4).
 * The size is an attribute of the row (page row flags, cell.ts), so it moves with the row when
 * it scrolls; a row erased whole (ED, scrolling in a blank row, DECALN) is single-width again.
 * The characters stay as written: text output is unchanged, the renderers draw the row at
 * double width (and double height, one half per row). On a double-size row only the left half
 * of the columns is shown, so the cursor and printing stop at column cols/2 there (xterm).
 */
import { LineSize, ROW_SIZE_MASK, ROW_SIZE_SHIFT } from '../page/cell.js';
import type { Terminal } from './terminal.js';

/** ESC # 3/4/5/6 on the cursor's row.  @vt DECDHL @vt DECSWL @vt DECDWL */
export function setLineSize(t: Terminal, size: LineSize): void {
  const list = t.active.list;
  const c = t.cursor;
  const p = list.pinActive(c.y);
  const r = list.pinRow;
  p.rowFlags[r] = (p.rowFlags[r] & ~ROW_SIZE_MASK) | (size << ROW_SIZE_SHIFT);
  if (size !== LineSize.Single) {
    t.lineSizesUsed = true;
    const half = Math.max(1, t.cols >> 1);
    if (c.x >= half) { c.x = half - 1; c.pendingWrap = false; }
  }
}

/** The size of active row y. */
export function lineSizeOf(t: Terminal, y: number): LineSize {
  const list = t.active.list;
  const p = list.pinActive(y);
  return ((p.rowFlags[list.pinRow] & ROW_SIZE_MASK) >>> ROW_SIZE_SHIFT) as LineSize;
}
