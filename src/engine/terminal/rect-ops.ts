/**
 * Rectangular area operations (VT420; xterm's ScrnFillRectangle, ScrnCopyRectangle,
 * ScrnWipeRectangle, ScrnMarkRectangle): DECFRA fill, DECERA erase, DECSERA selective erase,
 * DECCRA copy, DECCARA change and DECRARA reverse attributes, and DECSACE, which makes the
 * last two act on the stream of cells from the first corner to the second instead.
 *
 * Coordinates are 1-based (Pt;Pl;Pb;Pr, 0 or missing = the default edge), relative to the
 * scroll region and left/right margins under DECOM and limited to them, else clamped to the
 * screen; a rectangle with top > bottom or left > right does nothing (xterm's xtermParseRect).
 * The work is O(rectangle area), so at most one screen's cells for any parameters.
 */
import { CopyFail } from '../page/copy-cells.js';
import { GRAPHEME_BIT, HYPERLINK_BIT, ROW_HAS_STYLE, WIDTH_MASK } from '../page/cell.js';
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_FAINT, ATTR_INVERSE, StyleValue, UNDERLINE_MASK, UNDERLINE_SHIFT,
} from '../page/style-table.js';
import { eraseErasable, eraseRange, repairWide } from './edit.js';
import type { Terminal } from './terminal.js';

/** 0-based inclusive rectangle. */
interface Area { top: number; left: number; bottom: number; right: number }

/** xterm's xtermParseRect: 1-based Pt/Pl/Pb/Pr (0 = default) → 0-based area, or null. */
export function parseArea(t: Terminal, top: number, left: number, bottom: number, right: number): Area | null {
  const origin = t.modes.origin;
  const minRow = origin ? t.scrollTop : 0;
  const maxRow = origin ? t.scrollBottom : t.rows - 1;
  const lr = origin && t.modes.leftRightMargins;
  const minCol = lr ? t.leftMargin : 0;
  const maxCol = lr ? t.rightMargin : t.cols - 1;
  const a: Area = {
    top: top > 0 ? Math.min(top - 1 + minRow, maxRow) : minRow,
    left: left > 0 ? Math.min(left - 1 + minCol, maxCol) : minCol,
    bottom: bottom > 0 ? Math.min(bottom - 1 + minRow, maxRow) : maxRow,
    right: right > 0 ? Math.min(right - 1 + minCol, maxCol) : maxCol,
  };
  return a.top > a.bottom || a.left > a.right ? null : a;
}

/**
 * DECFRA — CSI Pch ; Pt ; Pl ; Pb ; Pr $ x: fill with character Pch (32–126 or 160–255, as
 * xterm accepts) in the current rendition.  @vt DECFRA
 */
export function fillArea(t: Terminal, ch: number, top: number, left: number, bottom: number, right: number): void {
  if (!((ch >= 32 && ch <= 126) || (ch >= 160 && ch <= 255))) return;
  const a = parseArea(t, top, left, bottom, right);
  if (a === null) return;
  const list = t.active.list;
  const n = a.right - a.left + 1;
  for (let y = a.top; y <= a.bottom; y++) {
    eraseRange(t, y, a.left, a.right + 1);
    const id = list.internStyle(y, t.cursor.style);
    const p = list.pinPage;
    const r = list.pinRow;
    const base = p.rowStart(r);
    p.fillCells(base + a.left, base + a.right + 1, ch, id);
    p.extendRow(r, a.right + 1);
    if (id !== 0) {
      p.styles.refs[id] += n - 1; // internStyle's reference is the first cell's
      p.rowFlags[r] |= ROW_HAS_STYLE;
    }
  }
}

/** DECERA — CSI Pt ; Pl ; Pb ; Pr $ z: erase to blanks (background colour kept, as ED).  @vt DECERA */
export function eraseArea(t: Terminal, top: number, left: number, bottom: number, right: number): void {
  const a = parseArea(t, top, left, bottom, right);
  if (a === null) return;
  for (let y = a.top; y <= a.bottom; y++) eraseRange(t, y, a.left, a.right + 1);
}

/** DECSERA — CSI Pt ; Pl ; Pb ; Pr $ {: erase what is not protected (DECSCA, SPA).  @vt DECSERA */
export function selectiveEraseArea(t: Terminal, top: number, left: number, bottom: number, right: number): void {
  const a = parseArea(t, top, left, bottom, right);
  if (a === null) return;
  for (let y = a.top; y <= a.bottom; y++) eraseErasable(t, y, a.left, a.right + 1);
}

/** Scratch for DECCRA: one source row's cells, captured before the destination is written. */
const rowWords: number[] = [];
const rowStyles: StyleValue[] = [];
const rowGraphemes: (number[] | null)[] = [];
const rowLinks: ({ uri: string; id: string } | null)[] = [];

/**
 * DECCRA — CSI Pts ; Pls ; Pbs ; Prs ; Pps ; Ptd ; Pld ; Ppd $ v: copy the source rectangle so
 * its top-left lands at Ptd;Pld (pages ignored: there is one), clipped to the screen (to the
 * margins under DECOM). Overlaps copy as if through a buffer: rows go in the order that reads
 * each source row before it is overwritten, each row is read whole before it is written.
 * A cell keeps its OSC 8 hyperlink as it keeps its rendition (xterm has no hyperlinks; a link
 * is part of the cell here, as in Ghostty and xterm.js).  @vt DECCRA
 */
export function copyArea(
  t: Terminal, top: number, left: number, bottom: number, right: number, dstTop: number, dstLeft: number,
): void {
  const a = parseArea(t, top, left, bottom, right);
  if (a === null) return;
  const d = parseArea(t, dstTop, dstLeft, 0, 0);
  if (d === null) return;
  const height = Math.min(a.bottom - a.top, d.bottom - d.top) + 1;
  const width = Math.min(a.right - a.left, d.right - d.left) + 1;
  const down = d.top > a.top;
  for (let k = 0; k < height; k++) {
    const i = down ? height - 1 - k : k;
    captureRow(t, a.top + i, a.left, width);
    writeRow(t, d.top + i, d.left, width);
  }
}

function captureRow(t: Terminal, y: number, x0: number, width: number): void {
  const list = t.active.list;
  const p = list.pinActive(y);
  const base = p.rowStart(list.pinRow);
  for (let k = 0; k < width; k++) {
    const i = base + x0 + k;
    const w = p.content[i];
    rowWords[k] = w & ~GRAPHEME_BIT & (0x1fffff | WIDTH_MASK);
    const s = (rowStyles[k] ??= new StyleValue());
    const id = p.styleAt(i);
    if (id === 0) s.reset(); else p.styles.read(id, s);
    rowGraphemes[k] = (w & GRAPHEME_BIT) !== 0 ? p.cellCodepoints(i, []) : null;
    const link = (w & HYPERLINK_BIT) !== 0 ? p.linkOf(i) : undefined;
    rowLinks[k] = link === undefined ? null : { uri: link.uri, id: link.id };
  }
}

function writeRow(t: Terminal, y: number, x0: number, width: number): void {
  const list = t.active.list;
  eraseRange(t, y, x0, x0 + width);
  for (let k = 0; k < width; k++) {
    const s = rowStyles[k]!;
    for (;;) {
      const id = list.internStyle(y, s);
      const p = list.pinPage;
      const r = list.pinRow;
      const g = rowGraphemes[k];
      if (g === null) { p.setCell(r, x0 + k, rowWords[k]!, id); break; }
      p.setCell(r, x0 + k, 0, id);
      if (p.storeGrapheme(r, p.rowStart(r) + x0 + k, g, g.length, rowWords[k]! & WIDTH_MASK, 0)) {
        p.extendRow(r, x0 + k + 1);
        break;
      }
      list.growPageOfActive(y, CopyFail.Graphemes);
    }
    const link = rowLinks[k];
    if (link != null) linkCell(t, y, x0 + k, link.uri, link.id);
  }
  repairWide(list.pinActive(y), list.pinRow);
}

/** Give cell (y, x) of the active screen link (uri, id), growing its page when its link table is full. */
function linkCell(t: Terminal, y: number, x: number, uri: string, id: string): void {
  const list = t.active.list;
  for (;;) {
    const p = list.pinActive(y);
    const r = list.pinRow;
    const k = p.internLink(uri, id);
    if (k >= 0) { p.setCellLink(r, x, k); return; }
    list.growPageOfActive(y, CopyFail.Links);
  }
}

/** The attributes DECCARA/DECRARA know: 0 (all), 1 bold, 4 underline, 5 blink, 7 inverse, and 22/24/25/27 off. */
const ATTR_ALL = ATTR_BOLD | ATTR_BLINK | ATTR_INVERSE | (1 << UNDERLINE_SHIFT);

/** DECSACE — CSI Ps * x: 2 rectangle, 0/1 stream (the default).  @vt DECSACE */
export function setAttributeChangeExtent(t: Terminal, ps: number): void {
  if (ps >= 0 && ps <= 2) t.attrChangeExtent = ps;
}

/**
 * DECCARA — CSI Pt ; Pl ; Pb ; Pr ; Ps… $ r (set) and DECRARA — … $ t (reverse): change the
 * renditions of the cells in the area (in DECSACE's stream or rectangle extent). Colours,
 * characters and protection are left as they are.  @vt DECCARA @vt DECRARA
 */
export function changeAreaAttributes(
  t: Terminal, reverse: boolean, top: number, left: number, bottom: number, right: number, attrs: number[],
): void {
  const a = parseArea(t, top, left, bottom, right);
  if (a === null) return;
  let set = 0;
  let clear = 0;
  for (const ps of attrs.length === 0 ? [0] : attrs) {
    switch (ps) {
      case 0: if (reverse) set |= ATTR_ALL; else clear |= ATTR_ALL | ATTR_FAINT | UNDERLINE_MASK; break;
      case 1: set |= ATTR_BOLD; break;
      case 4: set |= 1 << UNDERLINE_SHIFT; break;
      case 5: set |= ATTR_BLINK; break;
      case 7: set |= ATTR_INVERSE; break;
      case 22: if (!reverse) clear |= ATTR_BOLD | ATTR_FAINT; break;
      case 24: if (!reverse) clear |= UNDERLINE_MASK; break;
      case 25: if (!reverse) clear |= ATTR_BLINK; break;
      case 27: if (!reverse) clear |= ATTR_INVERSE; break;
      default: break;
    }
  }
  if ((set | clear) === 0) return;
  const stream = t.attrChangeExtent !== 2;
  for (let y = a.top; y <= a.bottom; y++) {
    const x0 = stream && y > a.top ? 0 : a.left;
    const x1 = stream && y < a.bottom ? t.cols - 1 : a.right;
    restyleRow(t, y, x0, x1 + 1, set, clear, reverse);
  }
}

const scratch = new StyleValue();

/** Give cells [x0, x1) of row y new flags: toggled by `set` when reversing, else set | cleared. */
function restyleRow(t: Terminal, y: number, x0: number, x1: number, set: number, clear: number, reverse: boolean): void {
  const list = t.active.list;
  let lastOld = -1;
  let lastNew = 0; // one reference held on it while the row is walked
  for (let x = x0; x < x1; x++) {
    let p = list.pinActive(y);
    let r = list.pinRow;
    let i = p.rowStart(r) + x;
    const old = p.styleAt(i);
    if (old !== lastOld) {
      if (old === 0) scratch.reset(); else p.styles.read(old, scratch);
      let f = scratch.flags;
      if (reverse) {
        // Underline reverses between none and single, whatever style it had.
        const ul = (f & UNDERLINE_MASK) !== 0;
        f ^= set & ~UNDERLINE_MASK;
        if ((set & UNDERLINE_MASK) !== 0) f = (f & ~UNDERLINE_MASK) | (ul ? 0 : 1 << UNDERLINE_SHIFT);
      } else {
        f = (f & ~clear) | set;
        if ((set & UNDERLINE_MASK) !== 0) f = (f & ~UNDERLINE_MASK) | (1 << UNDERLINE_SHIFT);
      }
      scratch.flags = f;
      lastOld = old;
      const next = list.internStyle(y, scratch);
      p = list.pinPage;
      r = list.pinRow;
      i = p.rowStart(r) + x;
      p.styles.unref(lastNew);
      lastNew = next;
    }
    if (lastNew === old) continue;
    if (lastNew !== 0) { p.styles.ref(lastNew); p.rowFlags[r] |= ROW_HAS_STYLE; }
    if (old !== 0) p.styles.unref(old);
    p.setStyleAt(i, lastNew);
    if (lastNew !== 0) p.extendRow(r, x + 1);
  }
  list.pinActive(y).styles.unref(lastNew);
}
