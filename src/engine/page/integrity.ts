/**
 * Cell-level integrity checks for one page (tests, fuzzing and TERMPOOL_SLOW_CHECKS). They
 * recompute from the cells what the page's side tables claim and throw on the first
 * disagreement:
 *   - wide pairs: every wide head (width kind 1) is followed by a spacer tail (kind 2) in the
 *     same row, and every spacer tail is preceded by a head;
 *   - graphemes: every GRAPHEME cell points at an entry [len, cp...] inside the used arena,
 *     and its row carries ROW_HAS_GRAPHEME (compaction and clears skip rows without it);
 *   - styles: every style id is below the table capacity and has a non-zero reference count,
 *     each count equals the number of cells holding that id (nothing is held between writes;
 *     after a clear, `styleCountsHigh`, at least that number: clears leave counts high until
 *     recountStyles), the live count matches, and rows with styled cells carry ROW_HAS_STYLE;
 *   - links: a cell has HYPERLINK_BIT exactly when the link map has an entry for it, the
 *     entry names a live link whose reference count equals its cells, and the row carries
 *     ROW_HAS_LINK;
 *   - row slots are distinct, and rows beyond `size` are blank (appendRow does not clear);
 *   - extents: every cell at or right of its row's rowExtent is blank (the print fast path
 *     writes there without reading, clears skip it).
 * NOTE: O(capacity cells) per page; never called on the hot path.
 */
import {
  CONTENT_MASK, CP_MASK, GRAPHEME_BIT, HYPERLINK_BIT, ROW_HAS_GRAPHEME, ROW_HAS_LINK, ROW_HAS_STYLE, Wide,
  WIDTH_MASK, WIDTH_SHIFT,
} from './cell.js';
import { MAX_GRAPHEME_CPS, type Page } from './page.js';

function fail(p: Page, msg: string): never {
  throw new Error(`page integrity (${p.kind} ${p.cols}x${p.capacity.rows}): ${msg}`);
}

/** Throws when any row of `p` breaks a cell invariant (see the file header). */
export function assertPageIntegrity(p: Page): void {
  const cols = p.cols;
  const cap = p.capacity;
  const content = p.content;
  const ids = p.styleIds;
  const styles = p.styles;
  if (p.size < 0 || p.size > cap.rows) fail(p, `size ${p.size} outside 0..${cap.rows}`);
  if (p.graphemeUsed < 0 || p.graphemeUsed > p.graphemes.length) fail(p, `graphemeUsed ${p.graphemeUsed} outside the arena`);
  const styleCells = new Uint32Array(styles.capacity);
  const linkCells = new Map<number, number>();
  const seenSlots = new Uint8Array(cap.rows);
  let linkedCells = 0;

  for (let r = 0; r < cap.rows; r++) {
    const slot = p.rowSlot[r];
    if (slot >= cap.rows) fail(p, `row ${r} slot ${slot} outside the page`);
    if (seenSlots[slot] !== 0) fail(p, `row ${r} slot ${slot} used twice`);
    seenSlots[slot] = 1;
    const base = slot * cols;
    if (r >= p.size) {
      // Branch-free OR first: on small screens most of a page is unused rows, and this scan
      // was most of the fuzzer's time. Locate the culprit only when there is one.
      let any = 0;
      if (p.packed) for (let x = base, end = base + cols; x < end; x++) any |= content[x];
      else for (let x = base, end = base + cols; x < end; x++) any |= content[x] | ids[x];
      if (any !== 0) {
        for (let x = 0; x < cols; x++) {
          if (content[base + x] !== 0 || p.styleAt(base + x) !== 0) fail(p, `unused row ${r} col ${x} not blank`);
        }
      }
      continue;
    }
    const flags = p.rowFlags[r];
    const ext = p.rowExtent[slot];
    if (ext > cols) fail(p, `row ${r}: extent ${ext} past ${cols} columns`);
    for (let x = 0; x < cols; x++) {
      const i = base + x;
      const w = content[i] & CONTENT_MASK;
      // A split page's words never carry style bits (the packed layout's only).
      if (!p.packed && content[i] !== w) fail(p, `row ${r} col ${x}: style bits in a split page's word`);
      const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
      if (wide === Wide.Wide) {
        if (x + 1 >= cols) fail(p, `row ${r} col ${x}: wide head in the last column`);
        if (((content[i + 1] & WIDTH_MASK) >>> WIDTH_SHIFT) !== Wide.SpacerTail) fail(p, `row ${r} col ${x}: wide head without a spacer tail`);
      } else if (wide === Wide.SpacerTail) {
        if (x === 0 || ((content[i - 1] & WIDTH_MASK) >>> WIDTH_SHIFT) !== Wide.Wide) fail(p, `row ${r} col ${x}: spacer tail without a wide head`);
      }
      if ((w & GRAPHEME_BIT) !== 0) {
        if ((flags & ROW_HAS_GRAPHEME) === 0) fail(p, `row ${r} col ${x}: grapheme cell in a row without ROW_HAS_GRAPHEME`);
        const off = w & CP_MASK;
        if (off >= p.graphemeUsed) fail(p, `row ${r} col ${x}: grapheme offset ${off} past used ${p.graphemeUsed}`);
        const len = p.graphemes[off];
        if (len < 1 || len > MAX_GRAPHEME_CPS) fail(p, `row ${r} col ${x}: grapheme length ${len}`);
        if (off + 1 + len > p.graphemeUsed) fail(p, `row ${r} col ${x}: grapheme entry ${off}+${len} past used ${p.graphemeUsed}`);
      }
      const s = p.styleAt(i);
      if (s !== 0) {
        if (s >= styles.capacity) fail(p, `row ${r} col ${x}: style id ${s} >= capacity ${styles.capacity}`);
        if (styles.refs[s] === 0) fail(p, `row ${r} col ${x}: style id ${s} has no references`);
        if ((flags & ROW_HAS_STYLE) === 0) fail(p, `row ${r} col ${x}: styled cell in a row without ROW_HAS_STYLE`);
        styleCells[s]++;
      }
      const k = p.links.get(i);
      if ((w & HYPERLINK_BIT) !== 0) {
        if (k === undefined) fail(p, `row ${r} col ${x}: HYPERLINK bit without a link map entry`);
        if ((flags & ROW_HAS_LINK) === 0) fail(p, `row ${r} col ${x}: linked cell in a row without ROW_HAS_LINK`);
        if (p.linkTable[k] === undefined) fail(p, `row ${r} col ${x}: link ${k} is not live`);
        linkCells.set(k, (linkCells.get(k) ?? 0) + 1);
        linkedCells++;
      } else if (k !== undefined) {
        fail(p, `row ${r} col ${x}: link map entry without the HYPERLINK bit`);
      }
      // Last, so that a cell broken in a more specific way is reported as that.
      if (x >= ext && (w !== 0 || s !== 0)) fail(p, `row ${r} col ${x}: not blank at or right of the row's extent ${ext}`);
    }
  }

  // Rows pruned into headTrim still count: they stay in the page until it is released.
  let live = 0;
  for (let s = 1; s < styles.capacity; s++) {
    // Clears leave counts high (recountStyles makes them exact): then never below the cells.
    const bad = p.styleCountsHigh ? styles.refs[s] < styleCells[s] : styles.refs[s] !== styleCells[s];
    if (bad) fail(p, `style ${s}: ${styles.refs[s]} references for ${styleCells[s]} cells`);
    if (styles.refs[s] !== 0) live++;
  }
  if (live !== styles.count) fail(p, `style table counts ${styles.count} live styles, cells use ${live}`);
  if (p.links.size !== linkedCells) fail(p, `link map has ${p.links.size} entries for ${linkedCells} linked cells`);
  let liveLinks = 0;
  for (let k = 0; k < p.linkTable.length; k++) {
    const e = p.linkTable[k];
    if (e === undefined) continue;
    liveLinks++;
    const n = linkCells.get(k) ?? 0;
    if (e.refs !== n) fail(p, `link ${k}: ${e.refs} references for ${n} cells`);
  }
  if (liveLinks !== p.linksInUse) fail(p, `link table counts ${p.linksInUse} live links, found ${liveLinks}`);
  if (liveLinks > cap.links) fail(p, `${liveLinks} live links above capacity ${cap.links}`);
}
