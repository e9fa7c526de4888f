/**
 * Scrolling a region of a PageList's active rows (IND/RI at a margin, SU/SD, IL/DL), and the
 * row moves it is made of.
 *
 * Owns how rows move: a region inside one page rotates row slots (no cell is copied); a
 * region over a page boundary copies cells row by row; rows below a top-anchored region that
 * feeds the scrollback are swapped back into place. Kept apart from page-list.ts, which owns
 * the pages themselves (append, prune, compress, pin).
 */
import { CopyFail, copyCells, repairWideBoundary } from './copy-cells.js';
import { oversizedCapacity } from './capacity.js';
import type { Page } from './page.js';
import type { PageList } from './page-list.js';
import type { StyleValue } from './style-table.js';

/**
 * Scroll rows [top, bottom] up by n within columns [x0, x1): the top n rows are lost (or,
 * when `toHistory`, become scrollback), the bottom n come in blank with `fill`.
 */
export function scrollRowsUp(
  list: PageList, top: number, bottom: number, n: number, x0: number, x1: number, fill: StyleValue, toHistory: boolean,
): void {
  n = Math.min(n, bottom - top + 1);
  if (n <= 0) return;
  const full = x0 === 0 && x1 >= list.cols;
  if (toHistory && top === 0 && full) {
    // The region's top rows join the scrollback: append blank rows at the bottom of the
    // list, then move the rows below the region back down so they stay in place.
    for (let k = 0; k < n; k++) {
      list.appendRow();
      for (let y = list.rows - 1; y > bottom; y--) swapActiveRows(list, y, y - 1);
      // A new row is blank already; only a background colour needs painting.
      if (fill.bg !== 0) list.clearActiveRow(bottom, 0, list.cols, fill);
    }
    return;
  }
  if (full && sameSinglePage(list, top, bottom)) {
    const p = list.pinActive(top);
    const r0 = list.pinRow;
    rotateSlots(p, r0, r0 + (bottom - top), n);
    for (let y = bottom - n + 1; y <= bottom; y++) list.clearActiveRow(y, 0, list.cols, fill);
    return;
  }
  for (let y = top; y + n <= bottom; y++) list.copyActiveRow(y, y + n, x0, x1);
  for (let y = bottom - n + 1; y <= bottom; y++) list.clearActiveRow(y, x0, x1, fill);
  if (!full) repairColumnEdges(list, top, bottom, x0, x1);
}

/** Scroll rows [top, bottom] down by n within [x0, x1); the top n come in blank. */
export function scrollRowsDown(
  list: PageList, top: number, bottom: number, n: number, x0: number, x1: number, fill: StyleValue,
): void {
  n = Math.min(n, bottom - top + 1);
  if (n <= 0) return;
  const full = x0 === 0 && x1 >= list.cols;
  if (full && sameSinglePage(list, top, bottom)) {
    const p = list.pinActive(top);
    const r0 = list.pinRow;
    const len = bottom - top + 1;
    rotateSlots(p, r0, r0 + len - 1, len - n);
    for (let y = top; y < top + n; y++) list.clearActiveRow(y, 0, list.cols, fill);
    return;
  }
  for (let y = bottom; y - n >= top; y--) list.copyActiveRow(y, y - n, x0, x1);
  for (let y = top; y < top + n; y++) list.clearActiveRow(y, x0, x1, fill);
  if (!full) repairColumnEdges(list, top, bottom, x0, x1);
}

/** After a scroll of columns [x0, x1) only: no wide char may straddle either edge. */
function repairColumnEdges(list: PageList, top: number, bottom: number, x0: number, x1: number): void {
  for (let y = top; y <= bottom; y++) {
    const p = list.pinActive(y);
    repairWideBoundary(p, list.pinRow, x0);
    repairWideBoundary(p, list.pinRow, x1);
  }
}

function sameSinglePage(list: PageList, top: number, bottom: number): boolean {
  const a = list.pinActive(top);
  return list.pinActive(bottom) === a;
}

/** Exchange two active rows (slot swap within a page; cell copy across pages). */
function swapActiveRows(list: PageList, a: number, b: number): void {
  const pa = list.pinActive(a);
  const ra = list.pinRow;
  const pb = list.pinActive(b);
  const rb = list.pinRow;
  if (pa === pb) {
    const s = pa.rowSlot[ra]; pa.rowSlot[ra] = pa.rowSlot[rb]; pa.rowSlot[rb] = s;
    const f = pa.rowFlags[ra]; pa.rowFlags[ra] = pa.rowFlags[rb]; pa.rowFlags[rb] = f;
    return;
  }
  // Rare (region straddles a page boundary): go through a blank temporary row.
  swapThroughScratch(list, a, b);
}

/**
 * Copy b's cells into a temporary one-row page, a onto b, then the temporary onto a. The
 * temporary grows until it holds b's row (fuzz find: a row of 171 styles).
 */
function swapThroughScratch(list: PageList, a: number, b: number): void {
  const pool = list.pool;
  let tmp = pool.allocateOversized(oversizedCapacity(list.cols, { rows: 1 }), list);
  try {
    let fail: CopyFail;
    for (;;) {
      tmp.appendRow();
      const pb = list.pinActive(b);
      fail = copyCells(tmp, 0, pb, list.pinRow, 0, list.cols);
      if (fail === CopyFail.None) break;
      const c = tmp.capacity;
      const bigger = pool.allocateOversized(oversizedCapacity(list.cols, {
        rows: 1,
        styles: fail === CopyFail.Styles ? c.styles * 2 : c.styles,
        graphemeWords: fail === CopyFail.Graphemes ? c.graphemeWords * 2 : c.graphemeWords,
        links: fail === CopyFail.Links ? c.links * 2 : c.links,
      }), list);
      pool.release(tmp);
      tmp = bigger;
    }
    list.copyActiveRow(b, a, 0, list.cols);
    for (;;) {
      const pa = list.pinActive(a);
      fail = copyCells(pa, list.pinRow, tmp, 0, 0, list.cols);
      if (fail === CopyFail.None) break;
      list.growPageOfActive(a, fail);
    }
  } finally {
    pool.release(tmp);
  }
}

let slotScratch = new Uint16Array(256);
let flagScratch = new Uint8Array(256);

/** Rotate logical rows [a, b] of page p up by n (row a+n becomes row a), flags included. */
function rotateSlots(p: Page, a: number, b: number, n: number): void {
  const len = b - a + 1;
  n %= len;
  if (n === 0) return;
  const slots = p.rowSlot;
  const flags = p.rowFlags;
  if (n <= 2) {
    // The common case (one line at a time): shift in place, no temporaries.
    for (let k = 0; k < n; k++) {
      const s0 = slots[a];
      const f0 = flags[a];
      for (let r = a; r < b; r++) {
        slots[r] = slots[r + 1];
        flags[r] = flags[r + 1];
      }
      slots[b] = s0;
      flags[b] = f0;
    }
    return;
  }
  if (slotScratch.length < len) {
    slotScratch = new Uint16Array(len);
    flagScratch = new Uint8Array(len);
  }
  // Rows a..a+n-1 move to the end; everything else moves up by n (memmove, no allocation).
  slotScratch.set(p.rowSlot.subarray(a, a + n));
  flagScratch.set(p.rowFlags.subarray(a, a + n));
  p.rowSlot.copyWithin(a, a + n, b + 1);
  p.rowFlags.copyWithin(a, a + n, b + 1);
  p.rowSlot.set(slotScratch.subarray(0, n), b + 1 - n);
  p.rowFlags.set(flagScratch.subarray(0, n), b + 1 - n);
}
