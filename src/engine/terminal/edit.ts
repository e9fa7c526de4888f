/**
 * Editing operations: ICH, DCH, ECH, IL, DL, EL, ED, DECSEL, DECSED, DECALN. Erased and
 * inserted cells take only the cursor's background colour (BCE, as xterm). Halves of wide
 * characters cut by an operation are blanked so no row ever holds a lone head or spacer.
 * Protected cells (DECSCA, SPA) survive the erases that honour protection (`honours`).
 */
import { HYPERLINK_BIT, ROW_HAS_LINK, ROW_HAS_STYLE, ROW_SIZE_MASK, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import type { Page } from '../page/page.js';
import { scrollRowsDown, scrollRowsUp } from '../page/region-scroll.js';
import { ATTR_PROTECTED, STYLE_WORDS, StyleValue } from '../page/style-table.js';
import type { EraseMode } from '../stream/actions.js';
import type { Terminal } from './terminal.js';

const fillScratch = new StyleValue();

function fillFor(t: Terminal): StyleValue {
  fillScratch.reset();
  fillScratch.bg = t.cursor.style.bg;
  return fillScratch;
}

function wideOf(p: Page, i: number): number {
  return (p.content[i] & WIDTH_MASK) >>> WIDTH_SHIFT;
}

/** Blank any wide-char half whose partner is missing in row r. */
export function repairWide(p: Page, r: number): void {
  const base = p.rowStart(r);
  const cols = p.cols;
  for (let x = 0; x < cols; x++) {
    const w = wideOf(p, base + x);
    if (w === Wide.Wide) {
      if (x + 1 >= cols || wideOf(p, base + x + 1) !== Wide.SpacerTail) p.setCell(r, x, 0, 0);
      else x++;
    } else if (w === Wide.SpacerTail) {
      p.setCell(r, x, 0, 0);
    }
  }
}

/** Move link map entries of cells [from, to) in row base by `delta` columns. */
function moveLinks(p: Page, base: number, from: number, to: number, delta: number): void {
  const moved: [number, number][] = [];
  for (let x = from; x < to; x++) {
    const i = base + x;
    const k = p.links.get(i);
    if (k !== undefined) { moved.push([i + delta, k]); p.links.delete(i); }
  }
  for (const [i, k] of moved) p.links.set(i, k);
}

/** Shift cells [x, right) of the cursor row by n: right (insert) or left (delete). */
function shiftRow(t: Terminal, n: number, insert: boolean): void {
  const c = t.cursor;
  if (!t.inHorizontalMargins()) return;
  shiftCells(t, c.y, c.x, t.rightEdge(), n, insert);
  c.pendingWrap = false;
}

/**
 * Shift cells [x, right) of active row y by n: right (insert, blanks at x) or left (delete,
 * blanks at right - n). Blanks take the cursor's background. ICH/DCH, and per row DECIC,
 * DECDC, SL, SR, DECBI, DECFI (column-edit.ts).
 */
export function shiftCells(t: Terminal, y: number, x: number, right: number, n: number, insert: boolean): void {
  n = Math.min(n, right - x);
  if (n <= 0) return;
  const list = t.active.list;
  const fill = list.internStyle(y, fillFor(t));
  const p = list.pinActive(y);
  const r = list.pinRow;
  const base = p.rowStart(r);
  const flags = p.rowFlags[r];
  // Inserting moves content right (by n at most); a coloured fill is content too.
  if (insert) p.extendRow(r, Math.min(right, p.extentOf(r) + n));
  if (fill !== 0) p.extendRow(r, right);
  if (insert) {
    p.releaseCells(base + right - n, base + right, flags);
    p.moveCells(base + x + n, base + x, base + right - n);
    if (flags & ROW_HAS_LINK) moveLinksRight(p, base, x, right - n, n);
    p.fillCells(base + x, base + x + n, 0, fill);
  } else {
    p.releaseCells(base + x, base + x + n, flags);
    p.moveCells(base + x, base + x + n, base + right);
    if (flags & ROW_HAS_LINK) moveLinks(p, base, x + n, right, -n);
    p.fillCells(base + right - n, base + right, 0, fill);
  }
  if (fill !== 0) {
    p.styles.refs[fill] += n;
    p.rowFlags[r] |= ROW_HAS_STYLE;
    p.styles.unref(fill);
  }
  // Cells that now carry a stale HYPERLINK bit (blanked above) must not keep it.
  for (let i = base; i < base + p.cols; i++) {
    if ((p.content[i] & HYPERLINK_BIT) !== 0 && !p.links.has(i)) p.content[i] &= ~HYPERLINK_BIT;
  }
  repairWide(p, r);
}

function moveLinksRight(p: Page, base: number, from: number, to: number, delta: number): void {
  moveLinks(p, base, from, to, delta);
}

/** ICH — CSI Ps @  @vt ICH */
export function insertChars(t: Terminal, n: number): void { shiftRow(t, n, true); }

/** DCH — CSI Ps P  @vt DCH */
export function deleteChars(t: Terminal, n: number): void { shiftRow(t, n, false); }

/** Clear [x0, x1) of active row y, widening the range to whole wide characters. */
export function eraseRange(t: Terminal, y: number, x0: number, x1: number): void {
  const list = t.active.list;
  const p = list.pinActive(y);
  const base = p.rowStart(list.pinRow);
  if (x0 > 0 && x0 < t.cols && wideOf(p, base + x0) === Wide.SpacerTail) x0--;
  if (x1 < t.cols && x1 > 0 && wideOf(p, base + x1) === Wide.SpacerTail) x1++;
  list.clearActiveRow(y, x0, x1, fillFor(t));
}

/**
 * Which family of protection was used last (xterm's protected_mode): DECSCA sets Dec, SPA
 * sets Iso. It decides which erases skip protected cells (see `honours`).
 */
export const enum ProtectMode { Off = 0, Iso = 1, Dec = 2 }

/**
 * xterm's do_erase_line/do_erase_display: the selective erases (DECSEL, DECSED) skip protected
 * cells whatever marked them; the plain ones (EL, ED, ECH) only under ISO protection (SPA/EPA).
 */
function honours(t: Terminal, selective: boolean): boolean {
  return selective ? t.protectMode !== ProtectMode.Off : t.protectMode === ProtectMode.Iso;
}

function isProtected(p: Page, i: number): boolean {
  const s = p.styleAt(i);
  return s !== 0 && (p.styles.records[s * STYLE_WORDS + 3] & ATTR_PROTECTED) !== 0;
}

const segments: number[] = [];

/**
 * eraseRange, leaving protected cells (DECSCA 1, SPA) as they are. Returns whether it met a
 * protected cell. O(x1 - x0).
 */
export function eraseErasable(t: Terminal, y: number, x0: number, x1: number): boolean {
  if (x0 >= x1) return false;
  const list = t.active.list;
  const p = list.pinActive(y);
  const r = list.pinRow;
  if ((p.rowFlags[r] & ROW_HAS_STYLE) === 0) { eraseRange(t, y, x0, x1); return false; }
  const base = p.rowStart(r);
  const end = Math.min(x1, p.extentOf(r));
  // Segments first: an erase may move the row to a grown page.
  segments.length = 0;
  let start = x0;
  for (let x = x0; x < end; x++) {
    if (!isProtected(p, base + x)) continue;
    if (start < x) segments.push(start, x);
    start = x + 1;
  }
  if (start < x1) segments.push(start, x1);
  const found = segments.length !== 2 || segments[0] !== x0 || segments[1] !== x1;
  for (let k = 0; k < segments.length; k += 2) eraseRange(t, y, segments[k]!, segments[k + 1]!);
  return found;
}

/** eraseRange as eraseErasable's twin: protection ignored, so nothing protected is met. */
function eraseAll(t: Terminal, y: number, x0: number, x1: number): boolean {
  eraseRange(t, y, x0, x1);
  return false;
}

/** Row y's line-size bits (cell.ts ROW_SIZE_MASK). */
function rowSize(t: Terminal, y: number): number {
  const list = t.active.list;
  return list.pinActive(y).rowFlags[list.pinRow] & ROW_SIZE_MASK;
}

/** Put back the size bits a whole-row clear took (EL and ECH keep a line's size). */
function restoreRowSize(t: Terminal, y: number, size: number): void {
  const list = t.active.list;
  list.pinActive(y).rowFlags[list.pinRow] |= size;
}

/** ECH — CSI Ps X (skips protected cells under SPA protection, as xterm)  @vt ECH */
export function eraseChars(t: Terminal, n: number): void {
  const c = t.cursor;
  const x1 = Math.min(t.cols, c.x + n);
  const size = t.lineSizesUsed ? rowSize(t, c.y) : 0;
  if (honours(t, false)) eraseErasable(t, c.y, c.x, x1);
  else eraseRange(t, c.y, c.x, x1);
  if (size !== 0) restoreRowSize(t, c.y, size);
  c.pendingWrap = false;
}

/** EL — CSI Ps K / DECSEL — CSI ? Ps K  @vt EL @vt DECSEL */
export function eraseInLine(t: Terminal, mode: EraseMode, selective = false): void {
  const c = t.cursor;
  const erase = honours(t, selective) ? eraseErasable : eraseRange;
  // EL keeps the line's size (DECDWL…); only new and ED-erased lines become single-width.
  const size = t.lineSizesUsed ? rowSize(t, c.y) : 0;
  if (mode === 0) erase(t, c.y, c.x, t.cols);
  else if (mode === 1) erase(t, c.y, 0, c.x + 1);
  else if (mode === 2) erase(t, c.y, 0, t.cols);
  if (size !== 0) restoreRowSize(t, c.y, size);
  c.pendingWrap = false;
}

/** ED — CSI Ps J / DECSED — CSI ? Ps J  @vt ED (3: scrollback) @vt DECSED */
export function eraseInDisplay(t: Terminal, mode: EraseMode, selective = false): void {
  const c = t.cursor;
  if (mode === 3) {
    t.active.list.clearHistory();
    return;
  }
  const honour = honours(t, selective);
  if (honour) {
    // xterm: from the home position ED 0 is ED 2, from the last cell ED 1 is; an ED 2 that
    // met no protected cell forgets the protection family.
    if (mode === 0 && c.x === 0 && c.y === 0) mode = 2;
    else if (mode === 1 && c.x === t.cols - 1 && c.y === t.rows - 1) mode = 2;
  }
  const erase = honour ? eraseErasable : eraseAll;
  const from = mode === 0 ? c.y + 1 : 0;
  const to = mode === 1 ? c.y : t.rows;
  let found = false;
  if (mode === 0) found = erase(t, c.y, c.x, t.cols);
  else if (mode === 1) found = erase(t, c.y, 0, c.x + 1);
  for (let y = mode === 2 ? 0 : from; y < (mode === 2 ? t.rows : to); y++) found = erase(t, y, 0, t.cols) || found;
  if (honour && mode === 2 && !found) t.protectMode = ProtectMode.Off;
  c.pendingWrap = false;
}

/** IL — CSI Ps L  @vt IL */
export function insertLines(t: Terminal, n: number): void {
  const c = t.cursor;
  if (c.y < t.scrollTop || c.y > t.scrollBottom || !t.inHorizontalMargins()) return;
  const [x0, x1] = t.scrollCols();
  scrollRowsDown(t.active.list, c.y, t.scrollBottom, n, x0, x1, fillFor(t));
  c.x = t.leftEdge();
  c.pendingWrap = false;
}

/** DL — CSI Ps M  @vt DL */
export function deleteLines(t: Terminal, n: number): void {
  const c = t.cursor;
  if (c.y < t.scrollTop || c.y > t.scrollBottom || !t.inHorizontalMargins()) return;
  const [x0, x1] = t.scrollCols();
  scrollRowsUp(t.active.list, c.y, t.scrollBottom, n, x0, x1, fillFor(t), false);
  c.x = t.leftEdge();
  c.pendingWrap = false;
}

/** DECALN — ESC # 8: fill the screen with E, reset margins, home the cursor. */
export function screenAlignment(t: Terminal): void {
  t.scrollTop = 0; t.scrollBottom = t.rows - 1;
  t.leftMargin = 0; t.rightMargin = t.cols - 1;
  const list = t.active.list;
  for (let y = 0; y < t.rows; y++) {
    list.clearActiveRow(y, 0, t.cols, new StyleValue());
    const p = list.pinActive(y);
    const base = p.rowStart(list.pinRow);
    p.content.fill(0x45, base, base + t.cols);
    p.extendRow(list.pinRow, t.cols);
  }
  t.cursor.x = 0; t.cursor.y = 0; t.cursor.pendingWrap = false;
}

/** DECSCA — CSI Ps " q: 1 protects what is written from now on; 0 and 2 do not.  @vt DECSCA */
export function setCharProtection(t: Terminal, ps: number): void {
  t.protectMode = ProtectMode.Dec;
  const s = t.cursor.style;
  if (ps === 1) s.flags |= ATTR_PROTECTED;
  else if (ps === 0 || ps === 2) s.flags &= ~ATTR_PROTECTED;
}

/** SPA — ESC V / EPA — ESC W: characters written in between are ISO-protected.  @vt SPA @vt EPA */
export function setProtectedArea(t: Terminal, on: boolean): void {
  const s = t.cursor.style;
  if (on) {
    t.protectMode = ProtectMode.Iso;
    s.flags |= ATTR_PROTECTED;
  } else {
    s.flags &= ~ATTR_PROTECTED;
  }
}
