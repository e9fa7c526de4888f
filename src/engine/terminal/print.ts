/**
 * Printing: the hot path. Writes runs of code points into the active screen with autowrap
 * (DEC pending-wrap semantics), insert mode, wide characters (head + spacer tail, spacer head
 * when a wide char wraps), grapheme joining (combining marks, ZWJ sequences, flag pairs) and
 * G0/G1 charsets. One style lookup per run and per row change; nothing allocated per cell.
 */
import {
  CONTENT_MASK, CP_MASK, GRAPHEME_BIT, HYPERLINK_BIT, ROW_HAS_STYLE, SPACER_HEAD_BITS,
  SPACER_TAIL_BITS, STYLE_SHIFT, WIDE_BITS, Wide, WIDTH_MASK, WIDTH_SHIFT,
} from '../page/cell.js';
import { CopyFail } from '../page/copy-cells.js';
import type { Page } from '../page/page.js';
import { Charset } from '../stream/actions.js';
import {
  codepointProps, PROP_EXTEND, PROP_PICTO, PROP_RI, PROP_WIDTH,
} from '../unicode/width.js';
import { translateCharset } from './charsets.js';
import type { Terminal } from './terminal.js';

const ZWJ = 0x200d;
/** Cells the ASCII fast path must not overwrite blindly (wide halves, linked cells). Module-local so it folds. */
const ASCII_BLOCKERS = (3 << 21) | (1 << 24);

export function printRun(t: Terminal, cps: Uint32Array, start: number, end: number): void {
  const screen = t.active;
  const c = screen.cursor;
  const list = screen.list;
  const charset = c.charsets[c.gl];
  let page: Page | null = null;
  let row = 0;
  let base = 0;
  let styleId = 0;
  let linkId = -1;
  let right = t.rightEdge();

  for (let i = start; i < end; i++) {
    let cp = cps[i];
    let w: number;
    if (cp < 0x7f && cp >= 0x20) {
      if (charset !== Charset.Ascii) cp = translateCharset(charset, cp);
      w = cp < 0x7f ? 1 : codepointProps(cp) & PROP_WIDTH;
    } else {
      const props = codepointProps(cp);
      if (joinsPrevious(t, props, cp)) {
        if (page !== null) { dropRefs(page, styleId, linkId); page = null; styleId = 0; linkId = -1; }
        appendToPrevious(t, cp);
        if ((props & PROP_RI) !== 0) { widenFlag(t); right = t.rightEdge(); }
        continue;
      }
      w = props & PROP_WIDTH;
      if (w === 0) continue;
    }

    if (c.pendingWrap) {
      if (page !== null) { dropRefs(page, styleId, linkId); page = null; styleId = 0; linkId = -1; }
      if (t.modes.autowrap) {
        t.wrapLine();
        right = t.rightEdge();
      } else {
        c.pendingWrap = false;
      }
    }
    if (w === 2 && c.x >= right - 1) {
      if (right - t.leftEdge() < 2) continue; // a 1-column region cannot hold it
      if (!t.modes.autowrap) continue;
      // Leave a spacer head in the last column and wrap (xterm, Ghostty).
      if (page !== null) { dropRefs(page, styleId, linkId); page = null; styleId = 0; linkId = -1; }
      const p = list.pinActive(c.y);
      // The spacer head may land on half of a wide char: blank its other half (fuzz regression).
      const hw = (p.content[p.rowStart(list.pinRow) + c.x] & WIDTH_MASK) >>> WIDTH_SHIFT;
      if (hw === Wide.SpacerTail && c.x > 0) p.setCell(list.pinRow, c.x - 1, 0, 0);
      else if (hw === Wide.Wide && c.x + 1 < t.cols) p.setCell(list.pinRow, c.x + 1, 0, 0);
      p.setCell(list.pinRow, c.x, SPACER_HEAD_BITS, 0);
      t.wrapLine();
      right = t.rightEdge();
    }
    if (t.modes.insert) {
      // IRM: shift the rest of the line right to make room (may intern the fill style).
      if (page !== null) { dropRefs(page, styleId, linkId); page = null; styleId = 0; linkId = -1; }
      t.insertBlanks(w);
    }
    if (page === null) {
      styleId = list.internStyle(c.y, c.style);
      page = list.pinPage; // internStyle pinned row c.y
      row = list.pinRow;
      base = page.rowStart(row);
      if (c.link !== null) {
        linkId = page.internLink(c.link.uri, c.link.id);
        if (linkId < 0) {
          if (page !== null) { dropRefs(page, styleId, linkId); page = null; styleId = 0; linkId = -1; }
          list.growPageOfActive(c.y, CopyFail.Links);
          i--; // retry this code point on the grown page
          continue;
        }
      }
    }
    const p: Page = page;
    if (cp < 0x7f && linkId < 0 && charset === Charset.Ascii && !t.modes.insert) {
      const n = writeAscii(p, base, c.x, right, styleId, cps, i, end);
      if (n > 0) {
        p.extendRow(row, c.x + n);
        if (styleId !== 0) p.rowFlags[row] |= ROW_HAS_STYLE;
        i += n - 1;
        t.lastCp = cps[i];
        t.lastWidth = 1;
        const x = c.x + n;
        if (x >= right) {
          c.x = right - 1;
          c.pendingWrap = true;
        } else {
          c.x = x;
        }
        continue;
      }
    }
    const x = c.x;
    const idx = base + x;
    // Overwriting half of a wide char clears the other half.
    const old = p.content[idx];
    const oldWide = (old & WIDTH_MASK) >>> WIDTH_SHIFT;
    if (oldWide === Wide.SpacerTail && x > 0) p.setCell(row, x - 1, 0, 0);
    if (w === 2) {
      if (x + 1 < t.cols) {
        const next = p.content[idx + 1];
        if (((next & WIDTH_MASK) >>> WIDTH_SHIFT) === Wide.Wide && x + 2 < t.cols) p.setCell(row, x + 2, 0, 0);
      }
    } else if (oldWide === Wide.Wide && x + 1 < t.cols) {
      p.setCell(row, x + 1, 0, 0);
    }
    if (styleId !== 0) p.styles.refs[styleId]++;
    p.setCell(row, x, w === 2 ? cp | WIDE_BITS : cp, styleId);
    if (linkId >= 0) { p.linkTable[linkId]!.refs++; p.setCellLink(row, x, linkId); }
    if (w === 2) {
      if (styleId !== 0) p.styles.refs[styleId]++;
      p.setCell(row, x + 1, SPACER_TAIL_BITS, styleId);
      if (linkId >= 0) { p.linkTable[linkId]!.refs++; p.setCellLink(row, x + 1, linkId); }
    }
    if (styleId !== 0) p.rowFlags[row] |= ROW_HAS_STYLE;
    t.lastCp = cp;
    t.lastWidth = w;
    if (x + w >= right) {
      c.x = right - 1;
      c.pendingWrap = true;
    } else {
      c.x = x + w;
    }
  }
  if (page !== null) { dropRefs(page, styleId, linkId); page = null; styleId = 0; linkId = -1; }
}

/**
 * Fast path: write the run of printable ASCII starting at cps[i] into row cells from column
 * x, stopping at `right`, at a non-ASCII code point, or at a cell that holds half of a wide
 * char or a link (those need the general path). A cell keeps its style reference when the
 * style does not change, so plain text touches no reference counts. Returns cells written.
 *
 * Reference counts are settled once per run, not per cell: the new style's count goes up by
 * the cells that took it, and each run of cells that held one old style is released with one
 * `unrefN`. The caller holds a reference on `styleId` throughout, so releasing old styles can
 * never free it, and the counts end up exactly as per-cell updates would leave them.
 */
function writeAscii(p: Page, base: number, x: number, right: number, styleId: number, cps: Uint32Array, i: number, end: number): number {
  if (p.packed) return writeAsciiPacked(p, base, x, right, styleId, cps, i, end);
  const content = p.content;
  const ids = p.styleIds;
  const stop = i + Math.min(end - i, right - x);
  const start = i;
  let idx = base + x;
  let taken = 0;
  let oldId = 0;
  let oldN = 0;
  for (; i < stop; i++, idx++) {
    const cp = cps[i];
    if (cp >= 0x7f || cp < 0x20) break;
    if ((content[idx] & ASCII_BLOCKERS) !== 0) break;
    const os = ids[idx];
    if (os !== styleId) {
      taken++;
      if (os !== oldId) {
        if (oldN !== 0) p.styles.unrefN(oldId, oldN);
        oldId = os;
        oldN = 0;
      }
      oldN++;
      ids[idx] = styleId;
    }
    content[idx] = cp;
  }
  settleRefs(p, styleId, taken, oldId, oldN);
  return i - start;
}

/**
 * writeAscii over raw input bytes (the parser's printAscii fast path); same reference rules.
 * NOTE: deliberately a copy rather than one function over `ArrayLike<number>`: each loop then
 * reads one typed-array kind (Uint8Array here, Uint32Array there) and stays monomorphic.
 */
function writeAsciiBytes(p: Page, base: number, x: number, right: number, styleId: number, data: Uint8Array, i: number, end: number): number {
  if (p.packed) return writeAsciiBytesPacked(p, base, x, right, styleId, data, i, end);
  const content = p.content;
  const ids = p.styleIds;
  const stop = i + Math.min(end - i, right - x);
  const start = i;
  let idx = base + x;
  let taken = 0;
  let oldId = 0;
  let oldN = 0;
  let runs = 0;
  for (; i < stop; i++, idx++) {
    const b = data[i];
    if (b < 0x20 || b >= 0x7f) break;
    if ((content[idx] & ASCII_BLOCKERS) !== 0) break;
    const os = ids[idx];
    if (os !== styleId) {
      if (os !== oldId) {
        if (oldId !== 0) {
          if (runs === RELEASE_RUNS) break; // the caller comes back for the rest
          releaseIds[runs] = oldId;
          releaseCounts[runs++] = oldN;
        }
        oldId = os;
        oldN = 0;
      }
      taken++;
      oldN++;
      ids[idx] = styleId;
    }
    content[idx] = b;
  }
  releaseRuns(p, runs);
  settleRefsReturning(p, styleId, taken, oldId, oldN);
  return i - start;
}

/**
 * writeAsciiBytes where the row is blank (at or right of its extent): stores only, nothing to
 * read or release, and the row's extent moves to the end of the run. Gives back the caller's
 * reference on `styleId` as writeAsciiBytes does. Returns cells written.
 */
function writeBlankBytes(p: Page, row: number, x: number, right: number, styleId: number, data: Uint8Array, i: number, end: number): number {
  if (p.packed) return writeBlankBytesPacked(p, row, x, right, styleId, data, i, end);
  const content = p.content;
  const ids = p.styleIds;
  const slot = p.rowSlot[row];
  const stop = i + Math.min(end - i, right - x);
  const start = i;
  let idx = slot * p.capacity.cols + x;
  for (; i < stop; i++, idx++) {
    const b = data[i];
    if (b < 0x20 || b >= 0x7f) break;
    content[idx] = b;
    ids[idx] = styleId;
  }
  const n = i - start;
  if (n > 0) p.rowExtent[slot] = x + n;
  if (styleId !== 0) p.styles.unrefN(styleId, 1 - n);
  return n;
}

// --- the same three loops for packed pages (cell.ts): the style id is the word's top bits, so
// each cell is one load and one store. Kept as separate functions so that each loop touches
// one layout only (no per-cell branch on the layout).

/** writeAscii on a packed page. */
function writeAsciiPacked(p: Page, base: number, x: number, right: number, styleId: number, cps: Uint32Array, i: number, end: number): number {
  const content = p.content;
  const sbits = styleId << STYLE_SHIFT;
  const stop = i + Math.min(end - i, right - x);
  const start = i;
  let idx = base + x;
  let taken = 0;
  let oldId = 0;
  let oldN = 0;
  for (; i < stop; i++, idx++) {
    const cp = cps[i];
    if (cp >= 0x7f || cp < 0x20) break;
    const old = content[idx];
    if ((old & ASCII_BLOCKERS) !== 0) break;
    const os = old >>> STYLE_SHIFT;
    if (os !== styleId) {
      taken++;
      if (os !== oldId) {
        if (oldN !== 0) p.styles.unrefN(oldId, oldN);
        oldId = os;
        oldN = 0;
      }
      oldN++;
    }
    content[idx] = cp | sbits;
  }
  settleRefs(p, styleId, taken, oldId, oldN);
  return i - start;
}

/** writeAsciiBytes on a packed page. */
function writeAsciiBytesPacked(p: Page, base: number, x: number, right: number, styleId: number, data: Uint8Array, i: number, end: number): number {
  const content = p.content;
  const sbits = styleId << STYLE_SHIFT;
  const stop = i + Math.min(end - i, right - x);
  const start = i;
  let idx = base + x;
  let taken = 0;
  let oldId = 0;
  let oldN = 0;
  let runs = 0;
  for (; i < stop; i++, idx++) {
    const b = data[i];
    if (b < 0x20 || b >= 0x7f) break;
    const old = content[idx];
    if ((old & ASCII_BLOCKERS) !== 0) break;
    const os = old >>> STYLE_SHIFT;
    if (os !== styleId) {
      if (os !== oldId) {
        if (oldId !== 0) {
          if (runs === RELEASE_RUNS) break; // the caller comes back for the rest
          releaseIds[runs] = oldId;
          releaseCounts[runs++] = oldN;
        }
        oldId = os;
        oldN = 0;
      }
      taken++;
      oldN++;
    }
    content[idx] = b | sbits;
  }
  releaseRuns(p, runs);
  settleRefsReturning(p, styleId, taken, oldId, oldN);
  return i - start;
}

/** writeBlankBytes on a packed page. */
function writeBlankBytesPacked(p: Page, row: number, x: number, right: number, styleId: number, data: Uint8Array, i: number, end: number): number {
  const content = p.content;
  const sbits = styleId << STYLE_SHIFT;
  const slot = p.rowSlot[row];
  const stop = i + Math.min(end - i, right - x);
  const start = i;
  let idx = slot * p.capacity.cols + x;
  for (; i < stop; i++, idx++) {
    const b = data[i];
    if (b < 0x20 || b >= 0x7f) break;
    content[idx] = b | sbits;
  }
  const n = i - start;
  if (n > 0) p.rowExtent[slot] = x + n;
  if (styleId !== 0) p.styles.unrefN(styleId, 1 - n);
  return n;
}

/**
 * Old-style runs a write loop overwrote, released after the loop: a loop without calls lets
 * the JIT keep the typed arrays' checks out of it (bench throughput: tui +3%, styled +1%).
 * A run that fills the buffer stops early and the caller comes back for the rest.
 */
const RELEASE_RUNS = 64;
const releaseIds = new Uint16Array(RELEASE_RUNS);
const releaseCounts = new Uint32Array(RELEASE_RUNS);

function releaseRuns(p: Page, runs: number): void {
  for (let k = 0; k < runs; k++) p.styles.unrefN(releaseIds[k], releaseCounts[k]);
}

/**
 * settleRefs for a caller that also gives back the reference it held on `styleId` for the
 * run (printAsciiRun): one update instead of an add and an unref.
 */
function settleRefsReturning(p: Page, styleId: number, taken: number, oldId: number, oldN: number): void {
  if (oldN !== 0) p.styles.unrefN(oldId, oldN);
  if (styleId !== 0) p.styles.unrefN(styleId, 1 - taken);
}

/** End of a write run: add the new style's references, release the last run of old ones. */
function settleRefs(p: Page, styleId: number, taken: number, oldId: number, oldN: number): void {
  if (styleId !== 0 && taken !== 0) p.styles.refs[styleId] += taken;
  if (oldN !== 0) p.styles.unrefN(oldId, oldN);
}

const asciiScratch = new Uint32Array(4096);

/**
 * Print the printable ASCII starting at data[start] (printable), straight from the input
 * bytes, up to the first non-printable byte or `end`; returns where it stopped. The run's end
 * is found while writing (one pass over the bytes). Anything unusual (a G0/G1 charset,
 * insert mode, an open hyperlink, a wide char or link in the way) goes through `printRun`,
 * so both paths write identical cells.
 */
export function printAsciiRun(t: Terminal, data: Uint8Array, start: number, end: number): number {
  const c = t.active.cursor;
  if (c.charsets[c.gl] !== Charset.Ascii || t.modes.insert || c.link !== null) return printAsciiGeneral(t, data, start, end);
  const list = t.active.list;
  let i = start;
  while (i < end) {
    const b = data[i];
    if (b < 0x20 || b >= 0x7f) break; // end of the run
    if (c.pendingWrap) {
      if (t.modes.autowrap) t.wrapLine();
      else c.pendingWrap = false;
    }
    const right = t.rightEdge();
    // internStyle leaves the cursor row pinned (pinPage/pinRow), so no second lookup.
    const styleId = list.internStyle(c.y, c.style);
    const p = list.pinPage;
    const row = list.pinRow;
    // Both give back the reference internStyle took. Left of the row's extent cells may hold
    // anything; from it on they are blank (a run that crosses it comes round again).
    const ext = p.rowExtent[p.rowSlot[row]];
    const n = c.x >= ext
      ? writeBlankBytes(p, row, c.x, right, styleId, data, i, end)
      : writeAsciiBytes(p, p.rowStart(row), c.x, right, styleId, data, i, Math.min(end, i + (ext - c.x)));
    if (styleId !== 0 && n > 0) p.rowFlags[row] |= ROW_HAS_STYLE;
    if (n === 0) {
      // A wide char or linked cell at the cursor: let the general path handle one char.
      asciiScratch[0] = data[i];
      printRun(t, asciiScratch, 0, 1);
      i++;
      continue;
    }
    i += n;
    t.lastCp = data[i - 1];
    t.lastWidth = 1;
    const x = c.x + n;
    if (x >= right) {
      c.x = right - 1;
      c.pendingWrap = true;
    } else {
      c.x = x;
    }
  }
  return i;
}

/**
 * printAsciiRun under a charset, insert mode or an open link: the run as code points through
 * printRun. A function of its own to keep the common path short.
 */
function printAsciiGeneral(t: Terminal, data: Uint8Array, start: number, end: number): number {
  let stop = start;
  while (stop < end && data[stop] >= 0x20 && data[stop] < 0x7f) stop++;
  for (let i = start; i < stop; i += asciiScratch.length) {
    const n = Math.min(asciiScratch.length, stop - i);
    for (let k = 0; k < n; k++) asciiScratch[k] = data[i + k];
    printRun(t, asciiScratch, 0, n);
  }
  return stop;
}

/** Give back the references a print run holds on its current page. */
function dropRefs(p: Page, styleId: number, linkId: number): void {
  if (styleId !== 0) p.styles.unref(styleId);
  if (linkId >= 0) p.unrefLink(linkId);
}

/** Column of the cell a combining code point attaches to, or -1. */
function previousCellX(t: Terminal): number {
  const c = t.active.cursor;
  let x = c.pendingWrap ? c.x : c.x - 1;
  if (x < 0) return -1;
  const p = t.active.list.pinActive(c.y);
  const w = p.content[p.rowStart(t.active.list.pinRow) + x];
  if (((w & WIDTH_MASK) >>> WIDTH_SHIFT) === Wide.SpacerTail && x > 0) x--;
  return x;
}

/**
 * The grapheme (base and marks) of the cell printed last, for REP, or null when that cell is a
 * single code point or no longer holds `t.lastCp`.
 */
export function lastPrintedGrapheme(t: Terminal): number[] | null {
  const x = previousCellX(t);
  if (x < 0) return null;
  const list = t.active.list;
  const p = list.pinActive(t.active.cursor.y);
  const w = p.content[p.rowStart(list.pinRow) + x];
  if ((w & GRAPHEME_BIT) === 0) return null;
  const off = w & CP_MASK;
  const len = p.graphemes[off];
  if (p.graphemes[off + 1] !== t.lastCp) return null;
  return Array.from(p.graphemes.subarray(off + 1, off + 1 + len));
}

function joinsPrevious(t: Terminal, props: number, cp: number): boolean {
  if ((props & PROP_EXTEND) !== 0) return previousCellX(t) >= 0;
  if ((props & (PROP_PICTO | PROP_RI)) === 0) return false;
  const x = previousCellX(t);
  if (x < 0) return false;
  const list = t.active.list;
  const p = list.pinActive(t.active.cursor.y);
  const i = p.rowStart(list.pinRow) + x;
  const w = p.content[i];
  if ((props & PROP_PICTO) !== 0) {
    // GB11: pictograph ZWJ × pictograph.
    if ((w & GRAPHEME_BIT) === 0) return false;
    const off = w & CP_MASK;
    const len = p.graphemes[off];
    return p.graphemes[off + len] === ZWJ && (codepointProps(p.graphemes[off + 1]) & PROP_PICTO) !== 0;
  }
  // GB12/13: a flag is exactly two regional indicators. A flag is 2 columns (one per RI, as
  // xterm.js and wcwidth count them), so with a wrap pending the second RI prints on its own.
  void cp;
  if (t.active.cursor.pendingWrap) return false;
  return (w & GRAPHEME_BIT) === 0 && (codepointProps(w & CP_MASK) & PROP_RI) !== 0 && (w & CP_MASK) >= 0x1f1e6;
}

function appendToPrevious(t: Terminal, cp: number): void {
  const x = previousCellX(t);
  if (x < 0) return;
  const list = t.active.list;
  const y = t.active.cursor.y;
  for (;;) {
    const p = list.pinActive(y);
    const r = list.pinRow;
    if ((p.content[p.rowStart(r) + x] & CONTENT_MASK) === 0) return; // nothing to attach to
    if (p.appendToGrapheme(r, x, cp)) return;
    list.growPageOfActive(y, CopyFail.Graphemes);
  }
}


/**
 * A completed flag (two regional indicators) takes 2 columns like the two RIs it joined:
 * make the cell before the cursor a wide head and the cursor cell its spacer tail.
 */
function widenFlag(t: Terminal): void {
  const c = t.active.cursor;
  const x = c.x - 1;
  const right = t.rightEdge();
  if (x < 0 || c.pendingWrap || c.x >= right) return;
  const list = t.active.list;
  const p = list.pinActive(c.y);
  const row = list.pinRow;
  const i = p.rowStart(row) + x;
  if (((p.content[i] & WIDTH_MASK) >>> WIDTH_SHIFT) !== Wide.Narrow) return;
  // The tail overwrites the cursor cell: a wide char there loses its own tail.
  if (((p.content[i + 1] & WIDTH_MASK) >>> WIDTH_SHIFT) === Wide.Wide && x + 2 < t.cols) p.setCell(row, x + 2, 0, 0);
  const style = p.styleAt(i);
  if (style !== 0) p.styles.refs[style]++;
  p.setCell(row, x + 1, SPACER_TAIL_BITS, style);
  const link = p.links.get(i);
  if (link !== undefined) { p.linkTable[link]!.refs++; p.setCellLink(row, x + 1, link); }
  p.content[i] |= WIDE_BITS;
  if (x + 2 >= right) {
    c.x = right - 1;
    c.pendingWrap = true;
  } else {
    c.x = x + 2;
  }
}
