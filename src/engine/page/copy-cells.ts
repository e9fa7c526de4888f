/**
 * Copying cells between pages. Style ids, grapheme offsets and link ids are page-local, so a
 * copy across pages re-interns each one in the destination. A copy returns false when the
 * destination runs out of style, grapheme or link capacity; the PageList then grows that
 * page (to an oversized one) and retries.
 */
import {
  CONTENT_MASK, CP_MASK, GRAPHEME_BIT, HYPERLINK_BIT, ROW_HAS_GRAPHEME, ROW_HAS_LINK, ROW_HAS_STYLE,
  ROW_WRAP_CONT, ROW_WRAPPED, STYLE_SHIFT, Wide, WIDTH_MASK, WIDTH_SHIFT,
} from './cell.js';
import type { Page } from './page.js';
import { STYLE_WORDS } from './style-table.js';

/** Which capacity ran out, so the caller knows what to grow. */
export const enum CopyFail { None = 0, Styles = 1, Graphemes = 2, Links = 3 }

const scratchCps: number[] = [];

/**
 * Copy cells [x0, x1) of src row `sr` onto dst row `dr` at the same columns, replacing
 * what was there. Row wrap flags are copied when the whole row is copied.
 */
export function copyCells(dst: Page, dr: number, src: Page, sr: number, x0: number, x1: number, dx = x0): CopyFail {
  // dBase is offset so that dBase + x addresses dst column dx + (x - x0).
  const dBase = dst.rowStart(dr) + dx - x0;
  const sBase = src.rowStart(sr);
  const dEnd = dx + (x1 - x0);
  // Blank cells need no copy: the source is blank from sExt on, the destination from dExt on
  // (rowExtent), so only [x0, xEnd) is copied and only the old non-blank part is released.
  const dSlot = dst.rowSlot[dr];
  const dExt = dst.rowExtent[dSlot];
  const xEnd = Math.min(x1, Math.max(x0, src.extentOf(sr)));
  const dClear = Math.min(dEnd, Math.max(dx, dExt));
  const dFlags = dst.rowFlags[dr];
  if (dFlags & (ROW_HAS_STYLE | ROW_HAS_GRAPHEME | ROW_HAS_LINK)) dst.releaseCells(dBase + x0, dBase + x0 + (dClear - dx), dFlags);
  dst.fillCells(dBase + x0, dBase + x0 + (dClear - dx), 0, 0);
  const sFlags = src.rowFlags[sr];
  const whole = x0 === 0 && dx === 0 && x1 >= dst.cols;
  if (whole) dst.rowFlags[dr] = sFlags & (ROW_WRAPPED | ROW_WRAP_CONT);
  // Now: blank right of dExt past dEnd, of xEnd inside [dx, dEnd), of min(dExt, dx) left of dx.
  // Raised before the loop so that a copy that fails half-way leaves a valid upper bound.
  const copied = dx + (xEnd - x0);
  const ext = dExt > dEnd ? dExt : Math.max(Math.min(dExt, dx), copied);
  dst.rowExtent[dSlot] = Math.max(ext, dExt);
  x1 = xEnd;

  if (dst === src) {
    // Same page: ids stay valid; add references, copy graphemes by re-storing.
    for (let x = x0; x < x1; x++) {
      const w = src.wordAt(sBase + x);
      const s = src.styleAt(sBase + x);
      if (s !== 0) { dst.styles.ref(s); dst.rowFlags[dr] |= ROW_HAS_STYLE; }
      dst.setStyleAt(dBase + x, s);
      if ((w & GRAPHEME_BIT) !== 0) {
        src.cellCodepoints(sBase + x, scratchCps);
        if (!dst.storeGrapheme(dr, dBase + x, scratchCps, scratchCps.length, w & ~CP_MASK & ~GRAPHEME_BIT & ~HYPERLINK_BIT, 0)) return CopyFail.Graphemes;
      } else {
        dst.setWordAt(dBase + x, w & ~HYPERLINK_BIT);
      }
      if ((w & HYPERLINK_BIT) !== 0) {
        const k = src.links.get(sBase + x);
        const e = k === undefined ? undefined : src.linkTable[k];
        if (e !== undefined && k !== undefined) { e.refs++; dst.setCellLink(dr, x + dx - x0, k); }
      }
    }
    dst.rowExtent[dSlot] = ext;
    return CopyFail.None;
  }

  let lastSrcStyle = 0;
  let lastDstStyle = 0;
  const rec = src.styles.records;
  for (let x = x0; x < x1; x++) {
    const w = src.wordAt(sBase + x);
    const s = src.styleAt(sBase + x);
    if (s !== 0) {
      let id: number;
      if (s === lastSrcStyle) {
        id = lastDstStyle;
        dst.styles.ref(id);
      } else {
        const o = s * STYLE_WORDS;
        id = dst.styles.internFields(rec[o], rec[o + 1], rec[o + 2], rec[o + 3]);
        if (id < 0) return CopyFail.Styles;
        lastSrcStyle = s;
        lastDstStyle = id;
      }
      dst.setStyleAt(dBase + x, id);
      dst.rowFlags[dr] |= ROW_HAS_STYLE;
    }
    if ((w & GRAPHEME_BIT) !== 0) {
      src.cellCodepoints(sBase + x, scratchCps);
      if (!dst.storeGrapheme(dr, dBase + x, scratchCps, scratchCps.length, w & ~CP_MASK & ~GRAPHEME_BIT & ~HYPERLINK_BIT, 0)) return CopyFail.Graphemes;
    } else {
      dst.setWordAt(dBase + x, w & ~HYPERLINK_BIT);
    }
    if ((w & HYPERLINK_BIT) !== 0) {
      const e = src.linkOf(sBase + x);
      if (e !== undefined) {
        const k = dst.internLink(e.uri, e.id);
        if (k < 0) return CopyFail.Links;
        dst.setCellLink(dr, x + dx - x0, k);
      }
    }
  }
  dst.rowExtent[dSlot] = ext;
  return CopyFail.None;
}

/**
 * Blank the half of a wide char cut at the boundary between columns x-1 and x of row r: a
 * copy or clear of a column range (scrolls inside left/right margins) can separate a head
 * from its spacer tail (fuzz regression). No-op at the row edges and for intact pairs.
 */
export function repairWideBoundary(p: Page, r: number, x: number): void {
  if (x <= 0 || x >= p.cols) return;
  const base = p.rowStart(r);
  const left = (p.content[base + x - 1] & WIDTH_MASK) >>> WIDTH_SHIFT; // width bits: either layout
  const right = (p.content[base + x] & WIDTH_MASK) >>> WIDTH_SHIFT;
  if (left === Wide.Wide && right !== Wide.SpacerTail) p.setCell(r, x - 1, 0, 0);
  if (right === Wide.SpacerTail && left !== Wide.Wide) p.setCell(r, x, 0, 0);
}

/**
 * Copy every row of `src` into `dst`, an empty page with the same columns and at least src's
 * capacity in every respect (a page that grows). Style ids, grapheme offsets and link ids are
 * kept as they are, so this is a copy of memory rather than a re-interning of every cell.
 * Rows land in identity slots.
 */
export function copyPageInto(dst: Page, src: Page): void {
  const cols = src.cols;
  const sc = src.capacity;
  const dc = dst.capacity;
  if (dst.size !== 0 || dst.cols !== cols || dc.rows < src.size || dc.styles < sc.styles ||
    dc.graphemeWords < sc.graphemeWords || dc.links < sc.links) {
    throw new Error('copyPageInto needs an empty page at least as large as its source');
  }
  dst.styles.copyFrom(src.styles);
  dst.styleCountsHigh = src.styleCountsHigh;
  if (src.graphemeUsed > 0) dst.graphemes.set(src.graphemes.subarray(0, src.graphemeUsed));
  dst.graphemeUsed = src.graphemeUsed;
  for (let r = 0; r < src.size; r++) {
    dst.appendRow();
    const from = src.rowStart(r);
    const to = dst.rowStart(r);
    const ext = src.extentOf(r);
    if (dst.packed === src.packed) {
      dst.content.set(src.content.subarray(from, from + ext), to);
      dst.styleIds.set(src.styleIds.subarray(from, from + ext), to); // no-op when packed
    } else if (src.packed) {
      // Packed to split (a standard page growing): the ids move out of the words.
      for (let k = 0; k < ext; k++) {
        const w = src.content[from + k];
        dst.content[to + k] = w & CONTENT_MASK;
        dst.styleIds[to + k] = w >>> STYLE_SHIFT;
      }
    } else {
      // Split to packed: only when every id fits a packed word (dst's table is at least src's).
      for (let k = 0; k < ext; k++) dst.content[to + k] = src.content[from + k] | (src.styleIds[from + k] << STYLE_SHIFT);
    }
    dst.rowFlags[r] = src.rowFlags[r];
    dst.extendRow(r, ext);
  }
  if (src.links.size > 0) {
    // Link ids stay; cell indexes move from src's physical slots to dst's identity slots.
    const rowOfSlot = new Int32Array(sc.rows).fill(-1);
    for (let r = 0; r < src.size; r++) rowOfSlot[src.rowSlot[r]] = r;
    for (const [i, k] of src.links) {
      const r = rowOfSlot[Math.floor(i / cols)];
      if (r >= 0) dst.links.set(r * cols + (i % cols), k);
    }
  }
  dst.adoptLinkTable(src);
}
