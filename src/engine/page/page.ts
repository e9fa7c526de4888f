/**
 * One page: a fixed block of rows in a single ArrayBuffer, with its own style table,
 * grapheme arena and hyperlink table, so it can later be compressed, archived or restored
 * on its own. Pages never point at each other; the PageList links them.
 *
 * The page kind is part of the type: `SmallPage`, `StandardPage` and `LargePage` (the three
 * pooled size classes, recyclable) and `OversizedPage` (allocated outside the pool for a larger capacity).
 * Only the pooled kinds have `reinit`, each to its own class's capacity and checked against its
 * own buffer size, and the pool keeps one free list per class typed by kind: recycling a page
 * into another class (Ghostty's oversized-as-standard scrollback leak) cannot be written
 * without a cast, and the leak audit catches it if it is.
 */
import {
  CONTENT_MASK, CP_MASK, GRAPHEME_BIT, HYPERLINK_BIT, ROW_HAS_GRAPHEME, ROW_HAS_LINK, ROW_HAS_STYLE,
  STYLE_BITS, STYLE_SHIFT, WIDTH_MASK,
} from './cell.js';
import {
  type Capacity, largeCapacity, LARGE_PAGE_BYTES, layoutFor, smallCapacity, SMALL_PAGE_BYTES, STANDARD_PAGE_BYTES,
  standardCapacity,
} from './capacity.js';
import { StyleTable, STYLE_WORDS } from './style-table.js';

/** Longest grapheme kept, in code points; further marks are dropped (bounds arena abuse). */
export const MAX_GRAPHEME_CPS = 32;

/**
 * Up to this many cells a plain loop clears faster than two TypedArray#fill calls, each a
 * call into the runtime costing about what 25 cells of the loop do (measured, Node 20).
 */
const SHORT_CLEAR = 48;

/** A packed page's styleIds: empty, so a fill or copyWithin of it is a no-op (the words carry the ids). */
const NO_IDS = new Uint16Array(0);
/**
 * NOTE: module scratch for styleIdArray: a packed page's ids unpacked, valid until the next call
 * (its readers use it synchronously, one page at a time).
 */
let unpackedIds = new Uint16Array(0);

export interface LinkEntry {
  uri: string;
  id: string;
  refs: number;
}

abstract class PageBase {
  capacity!: Capacity;
  /** Rows in use (0..capacity.rows). */
  size = 0;
  /** Cell words (cell.ts); on a packed page they carry the style ids too. */
  content!: Uint32Array;
  /** Split pages: the cells' style ids. Packed pages: empty (use styleAt / setStyleAt). */
  styleIds!: Uint16Array;
  rowSlot!: Uint16Array;
  rowFlags!: Uint8Array;
  /**
   * Per physical row slot (so it moves with the slot when rows are rotated or swapped): every
   * cell at or right of this column is blank (content 0, style 0). An upper bound: anything
   * that may write a non-blank cell raises it, clears lower it. Lets the print path write into
   * the blank part of a row without reading it, and clears skip what is blank already.
   * NOTE: kept beside the buffer, not in it: it is derived (the codec stores each row's used
   * width anyway) and adding it to the layout would change every standard capacity.
   */
  rowExtent!: Uint16Array;
  graphemes!: Uint32Array;
  styles!: StyleTable;
  /** A clear left style counts high since the last recount (see recountStyles). */
  styleCountsHigh = false;
  /** Arena words handed out (bump allocator; `compactGraphemes` reclaims garbage). */
  graphemeUsed = 0;
  /** Physical cell index -> link id. Only cells with HYPERLINK_BIT have an entry. */
  links = new Map<number, number>();
  linkTable: (LinkEntry | undefined)[] = [];
  private linkCount = 0;

  constructor(readonly buffer: ArrayBuffer) {}

  abstract readonly kind: 'small' | 'standard' | 'large' | 'oversized';
  /**
   * The cell layout (cell.ts), fixed per class: standard pages are packed (style id in the
   * word's bits 25..31), large and oversized pages split (a Uint16 style array).
   */
  abstract readonly packed: boolean;
  /** Bytes this page's metadata says it occupies. The leak audit compares it with the real buffer size. */
  abstract readonly allocatedBytes: number;

  get cols(): number { return this.capacity.cols; }

  protected layout(cap: Capacity): void {
    this.styleCountsHigh = false;
    const l = layoutFor(cap, this.packed);
    if (l.total > this.buffer.byteLength) throw new Error('page layout exceeds its buffer');
    const cells = cap.rows * cap.cols;
    this.capacity = cap;
    this.content = new Uint32Array(this.buffer, l.content, cells);
    this.styleIds = this.packed ? NO_IDS : new Uint16Array(this.buffer, l.styleIds, cells);
    this.rowSlot = new Uint16Array(this.buffer, l.rowSlot, cap.rows);
    this.rowFlags = new Uint8Array(this.buffer, l.rowFlags, cap.rows);
    if (this.rowExtent === undefined || this.rowExtent.length < cap.rows) this.rowExtent = new Uint16Array(cap.rows);
    else this.rowExtent.fill(0);
    this.graphemes = new Uint32Array(this.buffer, l.graphemes, cap.graphemeWords);
    this.styles = new StyleTable(
      new Uint32Array(this.buffer, l.styleRecs, cap.styles * STYLE_WORDS),
      new Uint32Array(this.buffer, l.styleRefs, cap.styles),
      new Uint16Array(this.buffer, l.buckets, l.bucketCount),
    );
    for (let i = 0; i < cap.rows; i++) this.rowSlot[i] = i;
    this.size = 0;
    this.graphemeUsed = 0;
    this.links.clear();
    this.linkTable.length = 0;
    this.linkCount = 0;
  }

  /** Index of the first cell of logical row `r`. */
  rowStart(r: number): number {
    return this.rowSlot[r] * this.capacity.cols;
  }

  /** Column from which logical row r is blank (see rowExtent). */
  extentOf(r: number): number {
    return this.rowExtent[this.rowSlot[r]];
  }

  /** Cells of logical row r left of column x1 may now be non-blank. */
  extendRow(r: number, x1: number): void {
    const s = this.rowSlot[r];
    if (this.rowExtent[s] < x1) this.rowExtent[s] = x1;
  }

  // --- cell accessors: the same for both layouts (cell.ts) ---

  /** Style id of physical cell i. */
  styleAt(i: number): number {
    return this.packed ? this.content[i] >>> STYLE_SHIFT : this.styleIds[i];
  }

  /** Set the style id of physical cell i (references are the caller's). */
  setStyleAt(i: number, style: number): void {
    if (this.packed) this.content[i] = (this.content[i] & CONTENT_MASK) | (style << STYLE_SHIFT);
    else this.styleIds[i] = style;
  }

  /**
   * Every cell's style id in one Uint16 array, for readers written over one (lines-json-text.ts):
   * a split page's own array; a packed page's ids unpacked into a scratch array that the next
   * call overwrites (about 30 us for a page, once a page read).
   */
  styleIdArray(): Uint16Array {
    if (!this.packed) return this.styleIds;
    const c = this.content;
    if (unpackedIds.length < c.length) unpackedIds = new Uint16Array(c.length);
    const ids = unpackedIds;
    for (let i = 0; i < c.length; i++) ids[i] = c[i] >>> STYLE_SHIFT;
    return ids;
  }

  /** Content word of physical cell i, without a packed page's style bits. */
  wordAt(i: number): number {
    return this.content[i] & CONTENT_MASK;
  }

  /** Set the content of physical cell i, keeping its style. */
  setWordAt(i: number, word: number): void {
    this.content[i] = (this.content[i] & STYLE_BITS) | word;
  }

  /** Cells [from, to) all become `word` with style `style` (references are the caller's). */
  fillCells(from: number, to: number, word: number, style: number): void {
    if (this.packed) {
      this.content.fill(word | (style << STYLE_SHIFT), from, to);
    } else {
      this.content.fill(word, from, to);
      this.styleIds.fill(style, from, to);
    }
  }

  /** Move cells [start, end) to `target` (copyWithin over words and styles; references move with them). */
  moveCells(target: number, start: number, end: number): void {
    this.content.copyWithin(target, start, end);
    if (!this.packed) this.styleIds.copyWithin(target, start, end);
  }

  /** Append a blank row; returns its index. Caller checks `size < capacity.rows`. */
  appendRow(): number {
    const r = this.size++;
    this.rowFlags[r] = 0;
    return r;
  }

  /** Clear cells [x0, x1) of row r to blank with style `fill` (already interned in this page). */
  clearCells(r: number, x0: number, x1: number, fill: number): void {
    const slot = this.rowSlot[r];
    const ext = this.rowExtent[slot];
    if (fill === 0) {
      // Cells at or right of the extent are blank already.
      if (x1 >= ext) {
        x1 = ext;
        if (x1 <= x0) return;
        this.rowExtent[slot] = x0;
      }
    } else if (ext < x1) {
      this.rowExtent[slot] = x1;
    }
    if (x1 <= x0) return;
    const base = slot * this.capacity.cols;
    const flags = this.rowFlags[r];
    // Styles are not released here: their counts stay high (an upper bound) until the table
    // fills and recountStyles() makes them exact (see there).
    if (flags & ROW_HAS_LINK) this.releaseCells(base + x0, base + x1, flags & ~ROW_HAS_STYLE);
    if (flags & ROW_HAS_STYLE) this.styleCountsHigh = true;
    const from = base + x0;
    const to = base + x1;
    if (this.packed) {
      const content = this.content;
      const word = fill << STYLE_SHIFT;
      if (to - from <= SHORT_CLEAR) for (let i = from; i < to; i++) content[i] = word;
      else content.fill(word, from, to);
    } else if (to - from <= SHORT_CLEAR) {
      const content = this.content;
      const ids = this.styleIds;
      for (let i = from; i < to; i++) { content[i] = 0; ids[i] = fill; }
    } else {
      this.content.fill(0, from, to);
      this.styleIds.fill(fill, from, to);
    }
    if (fill !== 0) {
      this.styles.refs[fill] += x1 - x0;
      this.rowFlags[r] = flags | ROW_HAS_STYLE;
    }
  }

  /** Drop the style/link references of cells [from, to) before they are overwritten. */
  releaseCells(from: number, to: number, flags: number): void {
    if ((flags & ROW_HAS_STYLE) !== 0) {
      // Runs of one style are released with one table update.
      let i = from;
      while (i < to) {
        const s = this.styleAt(i);
        let j = i + 1;
        while (j < to && this.styleAt(j) === s) j++;
        if (s !== 0) this.styles.unrefN(s, j - i);
        i = j;
      }
    }
    if ((flags & ROW_HAS_LINK) !== 0) {
      const content = this.content;
      for (let i = from; i < to; i++) if ((content[i] & HYPERLINK_BIT) !== 0) this.unlinkCell(i);
    }
  }

  /**
   * Make every style count exact from the cells (clears leave them high) and free the styles
   * no cell uses. Returns how many were freed. Rows pruned into a head trim still count: they
   * stay in the page until it is released.
   */
  recountStyles(): number {
    if (!this.styleCountsHigh) return 0; // exact already
    this.styleCountsHigh = false;
    const st = this.styles;
    const counts = new Uint32Array(st.capacity);
    const cols = this.capacity.cols;
    const ids = this.styleIds;
    const content = this.content;
    for (let r = 0; r < this.size; r++) {
      if ((this.rowFlags[r] & ROW_HAS_STYLE) === 0) continue;
      const slot = this.rowSlot[r];
      const base = slot * cols;
      const end = base + this.rowExtent[slot];
      if (this.packed) for (let i = base; i < end; i++) counts[content[i] >>> STYLE_SHIFT]++;
      else for (let i = base; i < end; i++) counts[ids[i]]++;
    }
    return st.resetCounts(counts);
  }

  /** Write one cell. `style` must already carry one reference for this cell. */
  setCell(r: number, x: number, word: number, style: number): void {
    const slot = this.rowSlot[r];
    const i = slot * this.capacity.cols + x;
    if ((word | style) !== 0 && this.rowExtent[slot] <= x) this.rowExtent[slot] = x + 1;
    const old = this.styleAt(i);
    if (old !== 0) this.styles.unref(old);
    if ((this.content[i] & HYPERLINK_BIT) !== 0) this.unlinkCell(i);
    if (this.packed) {
      this.content[i] = word | (style << STYLE_SHIFT);
    } else {
      this.content[i] = word;
      this.styleIds[i] = style;
    }
    if (style !== 0) this.rowFlags[r] |= ROW_HAS_STYLE;
  }

  // --- graphemes ---

  /** The code points of cell index `i` (physical). */
  cellCodepoints(i: number, out: number[]): number[] {
    out.length = 0;
    const w = this.content[i];
    if ((w & GRAPHEME_BIT) === 0) {
      const cp = w & CP_MASK;
      if (cp !== 0) out.push(cp);
      return out;
    }
    const off = w & CP_MASK;
    const len = this.graphemes[off];
    for (let k = 1; k <= len; k++) out.push(this.graphemes[off + k]);
    return out;
  }

  /** Base code point of a cell (first code point of its grapheme). */
  baseCodepoint(i: number): number {
    const w = this.content[i];
    if ((w & GRAPHEME_BIT) === 0) return w & CP_MASK;
    return this.graphemes[(w & CP_MASK) + 1];
  }

  /**
   * Append code point `cp` to the grapheme in row r, col x. Returns false when the arena is
   * full even after compaction (the PageList then moves the rows to a larger page).
   */
  appendToGrapheme(r: number, x: number, cp: number): boolean {
    const i = this.rowStart(r) + x;
    const w = this.content[i];
    const g = this.graphemes;
    let len: number;
    let srcOff = -1;
    if ((w & GRAPHEME_BIT) === 0) {
      len = 1;
    } else {
      srcOff = w & CP_MASK;
      len = g[srcOff];
      if (len >= MAX_GRAPHEME_CPS) return true; // silently bounded
    }
    const need = len + 2;
    if (this.graphemeUsed + need > g.length) {
      this.compactGraphemes();
      if (this.graphemeUsed + need > g.length) return false;
      // Compaction may have moved our source entry.
      if (srcOff >= 0) srcOff = this.content[i] & CP_MASK;
    }
    const off = this.graphemeUsed;
    g[off] = len + 1;
    if (srcOff < 0) g[off + 1] = w & CP_MASK;
    else g.copyWithin(off + 1, srcOff + 1, srcOff + 1 + len);
    g[off + len + 1] = cp;
    this.graphemeUsed = off + need;
    this.content[i] = (w & ~CP_MASK) | GRAPHEME_BIT | off;
    this.rowFlags[r] |= ROW_HAS_GRAPHEME;
    this.extendRow(r, x + 1);
    return true;
  }

  /** Copy a whole grapheme entry from another (or this) page into cell index `i`; false if full. */
  storeGrapheme(r: number, i: number, cps: ArrayLike<number>, n: number, widthBits: number, extraBits: number): boolean {
    const need = n + 1;
    if (this.graphemeUsed + need > this.graphemes.length) {
      this.compactGraphemes();
      if (this.graphemeUsed + need > this.graphemes.length) return false;
    }
    const off = this.graphemeUsed;
    this.graphemes[off] = n;
    for (let k = 0; k < n; k++) this.graphemes[off + 1 + k] = cps[k];
    this.graphemeUsed = off + need;
    this.content[i] = (this.content[i] & STYLE_BITS) | off | GRAPHEME_BIT | widthBits | extraBits;
    this.rowFlags[r] |= ROW_HAS_GRAPHEME;
    this.extendRow(r, i - this.rowStart(r) + 1);
    return true;
  }

  /** Live grapheme words (what compaction would keep). */
  graphemeLiveWords(): number {
    let words = 0;
    for (let r = 0; r < this.size; r++) {
      if ((this.rowFlags[r] & ROW_HAS_GRAPHEME) === 0) continue;
      const base = this.rowStart(r);
      for (let x = 0; x < this.capacity.cols; x++) {
        const w = this.content[base + x];
        if ((w & GRAPHEME_BIT) !== 0) words += this.graphemes[w & CP_MASK] + 1;
      }
    }
    return words;
  }

  /** Rewrite the arena with only the entries cells still reference. */
  compactGraphemes(): void {
    const g = this.graphemes;
    const tmp = new Uint32Array(g.length);
    let used = 0;
    for (let r = 0; r < this.size; r++) {
      if ((this.rowFlags[r] & ROW_HAS_GRAPHEME) === 0) continue;
      const base = this.rowStart(r);
      let any = false;
      for (let x = 0; x < this.capacity.cols; x++) {
        const i = base + x;
        const w = this.content[i];
        if ((w & GRAPHEME_BIT) === 0) continue;
        any = true;
        const off = w & CP_MASK;
        const len = g[off];
        tmp.set(g.subarray(off, off + len + 1), used);
        this.content[i] = (w & ~CP_MASK) | used;
        used += len + 1;
      }
      if (!any) this.rowFlags[r] &= ~ROW_HAS_GRAPHEME;
    }
    g.set(tmp.subarray(0, used));
    g.fill(0, used);
    this.graphemeUsed = used;
  }

  // --- hyperlinks ---

  /** Id of link (uri, id) with one more reference, or -1 when the table is full. */
  internLink(uri: string, id: string): number {
    const t = this.linkTable;
    let free = -1;
    for (let k = 0; k < t.length; k++) {
      const e = t[k];
      if (e === undefined) { if (free < 0) free = k; continue; }
      if (e.uri === uri && e.id === id) { e.refs++; return k; }
    }
    if (this.linkCount >= this.capacity.links) return -1;
    if (free < 0) free = t.length;
    t[free] = { uri, id, refs: 1 };
    this.linkCount++;
    return free;
  }

  /** Attach link `link` (one reference already taken) to cell (r, x). */
  setCellLink(r: number, x: number, link: number): void {
    const i = this.rowStart(r) + x;
    if ((this.content[i] & HYPERLINK_BIT) !== 0) this.unlinkCell(i);
    this.content[i] |= HYPERLINK_BIT;
    this.extendRow(r, x + 1);
    this.links.set(i, link);
    this.rowFlags[r] |= ROW_HAS_LINK;
  }

  linkOf(i: number): LinkEntry | undefined {
    const k = this.links.get(i);
    return k === undefined ? undefined : this.linkTable[k];
  }

  unlinkCell(i: number): void {
    const k = this.links.get(i);
    this.content[i] &= ~HYPERLINK_BIT;
    if (k === undefined) return;
    this.links.delete(i);
    this.unrefLink(k);
  }

  /** Drop one reference to link k; the entry is freed at zero. */
  unrefLink(k: number): void {
    const e = this.linkTable[k];
    if (e !== undefined && --e.refs <= 0) {
      this.linkTable[k] = undefined;
      this.linkCount--;
    }
  }

  get linksInUse(): number { return this.linkCount; }

  /** Copies of src's link entries under the same ids (copyPageInto; this page has none yet). */
  adoptLinkTable(src: PageBase): void {
    this.linkTable = src.linkTable.map((e) => (e === undefined ? undefined : { ...e }));
    this.linkCount = src.linkCount;
  }

  /** Width bits and flags of a content word, without its code point. */
  static widthBits(word: number): number { return word & WIDTH_MASK; }
}

/** A pool-sized page. Only these are recycled. */
export class StandardPage extends PageBase {
  readonly kind = 'standard' as const;
  readonly packed = true as const;
  readonly allocatedBytes = STANDARD_PAGE_BYTES;

  constructor(buffer: ArrayBuffer, cols: number) {
    super(buffer);
    this.reinit(cols);
  }

  /** Lay the page out afresh for `cols` columns (recycling). Zeroes every byte. */
  reinit(cols: number): void {
    const cap = standardCapacity(cols);
    if (cap === null) throw new Error(`${cols} columns do not fit a standard page`);
    new Uint8Array(this.buffer).fill(0);
    this.layout(cap);
  }
}

/** A page of the small pooled class (a quiet screen's rows). Recycled only as a SmallPage. */
export class SmallPage extends PageBase {
  readonly kind = 'small' as const;
  readonly packed = true as const;
  readonly allocatedBytes = SMALL_PAGE_BYTES;

  constructor(buffer: ArrayBuffer, cols: number) {
    super(buffer);
    this.reinit(cols);
  }

  /** Lay the page out afresh for `cols` columns (recycling). Zeroes every byte. */
  reinit(cols: number): void {
    const cap = smallCapacity(cols);
    if (cap === null) throw new Error(`${cols} columns do not fit a small page`);
    new Uint8Array(this.buffer).fill(0);
    this.layout(cap);
  }
}

/** A page of the large pooled class (colourful output). Recycled only as a LargePage. */
export class LargePage extends PageBase {
  readonly kind = 'large' as const;
  readonly packed = false as const;
  readonly allocatedBytes = LARGE_PAGE_BYTES;

  constructor(buffer: ArrayBuffer, cols: number) {
    super(buffer);
    this.reinit(cols);
  }

  /** Lay the page out afresh for `cols` columns (recycling). Zeroes every byte. */
  reinit(cols: number): void {
    const cap = largeCapacity(cols);
    if (cap === null) throw new Error(`${cols} columns do not fit a large page`);
    new Uint8Array(this.buffer).fill(0);
    this.layout(cap);
  }
}

/** A page larger than the standard budget, allocated outside the pool and freed on release. */
export class OversizedPage extends PageBase {
  readonly kind = 'oversized' as const;
  readonly packed = false as const;
  readonly allocatedBytes: number;

  constructor(buffer: ArrayBuffer, cap: Capacity) {
    super(buffer);
    this.allocatedBytes = layoutFor(cap, false).total;
    this.layout(cap);
  }
}

export type Page = SmallPage | StandardPage | LargePage | OversizedPage;
/** The pooled kinds: recycled, each within its own class. */
export type PooledPage = SmallPage | StandardPage | LargePage;
