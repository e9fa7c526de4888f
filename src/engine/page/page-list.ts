/**
 * A terminal screen's rows (scrollback + active area) over a sequence of pages.
 *
 * NOTE on the container: pages live in a plain array used as a deque, not a linked list.
 * A terminal holds few pages (10,000 lines of 80 columns are ~40 standard pages), the hot
 * paths touch only the last one or two (the active area), and pruning removes one page at
 * the head: an O(pages) shift of a short array is cheaper than pointer chasing and keeps
 * index-based scrollback reads simple.
 *
 * Rows are addressed as active rows (0 = top of the screen) or history rows (0 = oldest
 * kept line). `headTrim` hides already-pruned rows of the head page so the scrollback limit
 * is exact in lines; the head page goes back to the pool (the one `release` path) as soon as
 * all its rows are pruned, which is what lets the next new page reuse it.
 * Rows moving within the active area (region scrolls, IL/DL) are region-scroll.ts's.
 *
 * Quiet screens: `compactScreen` (the owner's sweep) moves the screen's rows into one small
 * page (capacity.ts) and leaves the rows above them in the pages they were in, now entirely
 * above the screen and so compressible: a quiet terminal holds 32 KiB of hot page, not the
 * 128 KiB standard page (or two) its screen happened to sit in.
 *
 * Cold pages: a node is either a Page or a CompressedPage. `compressCold` compresses every page
 * that lies entirely above the active area and was not created, read (`pinHistory`) or restored
 * during the last `pool.compressIdlePages` epoch ticks (a tick: a page appended or restored);
 * its buffer goes back through `release`. The owner calls it when the terminal is quiet (never
 * on the write path); reads call it too, so walking history leaves few pages restored. `pinHistory` and
 * `pinActive` restore a compressed node in place before returning it, so callers only ever see
 * Pages. NOTE: a Page returned by a pin stays valid until the next appendRow or pin of another
 * page: compression only touches pages idle for >= 2 ticks, and one restore is one tick.
 */
import { ROW_SIZE_MASK, ROW_WRAP_CONT, ROW_WRAPPED } from './cell.js';
import {
  grownStyleCapacity, largeFits, oversizedCapacity, smallCapacity, STANDARD_GRAPHEME_WORDS, STANDARD_LINKS,
  STANDARD_STYLES, standardCapacity,
} from './capacity.js';
import { CopyFail, copyCells, copyPageInto } from './copy-cells.js';
import { CompressedPage, compressPage, restoreInto } from './compressed-page.js';
import type { Page } from './page.js';
import { StyleValue } from './style-table.js';
import type { PageOwner, PagePool } from '../pool/page-pool.js';

/** One entry of a PageList: a page, or a cold page in compressed form. */
export type PageNode = Page | CompressedPage;

export class PageList implements PageOwner {
  pages: PageNode[] = [];
  /** Pruned rows still physically in pages[0]. */
  headTrim = 0;
  /** Rows in all pages minus headTrim. */
  totalRows = 0;
  /**
   * Rows that have left the top of the scrollback (pruned, ED 3), ever. With scrollbackRows it
   * numbers history so that pruning does not shift it (see Terminal.scrollbackEnd).
   */
  droppedRows = 0;
  /**
   * Result of the last `pin*` call (scratch, avoids allocating a pair per lookup). Read only
   * right after a pin; cleared when its page is released (see releaseNode).
   */
  pinPage!: Page;
  pinRow = 0;
  private disposed = false;
  /** Epoch ticks so far: pages appended plus pages restored (the clock of the idle rule). */
  private epoch = 0;
  /** Epoch at which each live page was last created, read or restored. */
  private readonly touched = new Map<Page, number>();
  /** Last page stamped by pinHistory and when: repeated reads of one page cost no map write. */
  private lastTouched: Page | null = null;
  private lastTouchedEpoch = -1;

  constructor(
    readonly pool: PagePool,
    readonly label: string,
    public cols: number,
    public rows: number,
    public maxScrollback: number,
  ) {
    pool.register(this);
    for (let i = 0; i < rows; i++) this.appendRow();
  }

  get scrollbackRows(): number { return this.totalRows - this.rows; }

  /** Rows that ever entered the scrollback: droppedRows + scrollbackRows (Terminal.scrollbackEnd). */
  get historyEnd(): number { return this.droppedRows + this.scrollbackRows; }

  /** Live (uncompressed) pages only. */
  forEachPage(fn: (page: Page) => void): void {
    for (const p of this.pages) if (p.kind !== 'compressed') fn(p);
  }

  forEachCompressed(fn: (rec: CompressedPage) => void): void {
    for (const p of this.pages) if (p.kind === 'compressed') fn(p);
  }

  /** Release every page; the list is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.pages) this.releaseNode(p);
    this.pages = [];
    this.touched.clear();
    this.lastTouched = null;
    this.totalRows = 0;
    this.headTrim = 0;
    this.pool.unregister(this);
  }

  /** The one way a node leaves the list: pages through `release`, compressed ones dropped. */
  private releaseNode(node: PageNode): void {
    if (node.kind === 'compressed') {
      this.pool.releaseCompressed(node, 'dropped');
    } else {
      this.touched.delete(node);
      if (this.lastTouched === node) this.lastTouched = null;
      // NOTE: the scratch pin must not keep a released page alive: once the pool drops it (its
      // free list is bounded) its 128 KiB would stay resident outside every ledger, one page
      // per quiet terminal (the sweep's last pin is a page it then compresses).
      if (this.pinPage === node) this.pinPage = undefined as unknown as Page;
      this.pool.release(node);
    }
  }

  private newPage(): Page {
    const std = standardCapacity(this.cols);
    // NOTE: the tail holds the bottom active row, so it is never compressed.
    const tail = this.pages[this.pages.length - 1] as Page | undefined;
    if (std !== null && tail !== undefined && tail.kind !== 'standard') {
      tail.recountStyles(); // its count is what decides; clears leave it high
      // A program that outgrew the standard budget on the previous page (colourful output,
      // emoji, links) will most likely do it again: start the next page at the capacity the
      // last one ended up needing instead of growing (copying) it step by step: the large
      // pooled class when that holds it (the common case: colourful output needs styles
      // only), else oversized. When the previous page used little of that, a standard page.
      const need = {
        rows: std.rows,
        styles: tail.styles.count > (STANDARD_STYLES * 3) / 4 ? tail.capacity.styles : 0,
        graphemeWords: tail.graphemeUsed > (STANDARD_GRAPHEME_WORDS * 3) / 4 ? tail.capacity.graphemeWords : 0,
        links: tail.linksInUse > (STANDARD_LINKS * 3) / 4 ? tail.capacity.links : 0,
      };
      if (need.styles > 0 || need.graphemeWords > 0 || need.links > 0) {
        if (largeFits(this.cols, need)) return this.pool.acquireLarge(this.cols, this);
        return this.pool.allocateOversized(oversizedCapacity(this.cols, need), this);
      }
    }
    if (std !== null) return this.pool.acquireStandard(this.cols, this);
    return this.pool.allocateOversized(oversizedCapacity(this.cols, {}), this);
  }

  /**
   * Add a blank row at the bottom. Prunes first so that a head page freed by pruning is the
   * page the pool hands back for the new row (recycling) when one is needed.
   */
  appendRow(): void {
    if (this.totalRows + 1 - this.rows > this.maxScrollback) this.pruneOne();
    const last = this.pages.length - 1;
    // NOTE: the tail can be a compressed page after the screen shrank (popRow dropped the old
    // tail and the page above it was cold): restore it before writing into it.
    let tail = last < 0 ? undefined : this.pages[last].kind === 'compressed' ? this.restoreAt(last) : this.pages[last] as Page;
    if (tail === undefined || tail.size >= tail.capacity.rows) {
      tail = this.newPage();
      this.pages.push(tail);
      this.touched.set(tail, ++this.epoch);
      tail.appendRow();
      this.totalRows++;
      // A head page trimmed completely while it was the only page can go now.
      this.releaseTrimmedHead();
      // NOTE: no compression here: encoding a page costs about as much as parsing the bytes
      // that filled it, so the write path stays free of it; the owner sweeps cold pages with
      // `compressCold` when the terminal goes quiet (the service does, per session).
      return;
    }
    tail.appendRow();
    this.totalRows++;
  }

  /**
   * Compress every page that is cold: entirely above the active area and idle for
   * `pool.compressIdlePages` epoch ticks (see the file header). Runs after each tick; also
   * callable by an owner that wants to sweep (e.g. after a long read of an idle terminal);
   * `all` compresses every page above the active area whatever its age (only outside reads).
   */
  compressCold(all = false): void {
    if (this.pool.compressIdlePages === 0) return;
    // `all`: the owner's quiet sweep, between reads, when no caller holds a pinned page, so the
    // epoch rule (which protects a page pinned by the read before) has nothing to protect.
    const idle = all ? 0 : this.pool.compressIdlePages;
    let rowsBelow = 0;
    for (let i = this.pages.length - 1; i >= 0; i--) {
      const node = this.pages[i];
      if (rowsBelow >= this.rows && node.kind !== 'compressed' && node.size > 0 &&
          this.epoch - (this.touched.get(node) ?? 0) >= idle) {
        this.compressAt(i);
      }
      rowsBelow += node.size;
    }
  }

  /**
   * Move the screen's rows (the last `rows` rows) into one fresh small page, when compression
   * is on, the screen fits a small page and is not on one already: the pages they came from
   * keep only the rows above the screen (a page left empty goes back to the pool), so the
   * sweep that follows compresses them. Rows keep their numbers, history and screen read the
   * same. Nothing changes when a row does not fit the small page's tables (more styles,
   * graphemes or links than it holds): the small page goes back and the screen stays where it
   * is. Only between reads (the owner's sweep): it replaces the pages holding the screen.
   * Returns whether it moved the screen.
   */
  compactScreen(): boolean {
    if (this.pool.compressIdlePages === 0 || this.disposed) return false;
    const cap = smallCapacity(this.cols);
    if (cap === null || cap.rows < this.rows) return false;
    const tail = this.pages[this.pages.length - 1];
    // Already compact: the whole screen in a small tail page.
    if (tail.kind === 'small' && tail.size >= this.rows) return false;
    // The screen's pages must be live (a compressed one only after a resize pulled history in).
    let need = this.rows;
    for (let i = this.pages.length - 1; need > 0; i--) {
      if (this.pages[i].kind === 'compressed') return false;
      need -= this.pages[i].size;
    }
    const small = this.pool.acquireSmall(this.cols, this);
    for (let y = 0; y < this.rows; y++) {
      const src = this.pinActive(y);
      const sr = this.pinRow;
      small.appendRow();
      if (copyCells(small, y, src, sr, 0, this.cols) !== CopyFail.None) {
        this.pool.release(small);
        return false;
      }
      // copyCells takes the wrap flags of a whole row; the line size (DECDWL/DECDHL) too.
      small.rowFlags[y] |= src.rowFlags[sr] & ROW_SIZE_MASK;
    }
    // Drop the screen's rows from the pages they were in (an emptied page goes back; the last
    // one keeps its place until releaseTrimmedHead below). They move, so the count stays.
    for (let y = 0; y < this.rows; y++) this.popRow();
    this.totalRows += this.rows;
    this.pages.push(small);
    this.touched.set(small, ++this.epoch);
    // pages[0] left with only pruned rows (or none) goes too.
    this.releaseTrimmedHead();
    return true;
  }

  /**
   * Replace every row by `records` (a list restored from an archive), `headTrim` rows of the
   * first hidden as pruned. The current pages go back through `release`; the records are held
   * through `pool.holdCompressed` like pages compressed here, so reads restore them through the
   * pool (acquire/release) and the leak audit sees them. Throws, changing nothing, when the
   * records do not describe a valid list of this size.
   */
  adopt(records: CompressedPage[], headTrim: number): void {
    if (this.disposed) throw new Error('adopt into a disposed page list');
    let rows = 0;
    for (const rec of records) {
      if (rec.cols !== this.cols) throw new Error(`archived page has ${rec.cols} columns, the screen ${this.cols}`);
      if (rec.size < 0 || rec.size > rec.capacity.rows) throw new Error(`archived page holds ${rec.size} rows of ${rec.capacity.rows}`);
      rows += rec.size;
    }
    const total = rows - headTrim;
    if (records.length === 0 || headTrim < 0 || headTrim >= records[0].size) throw new Error(`archived head trim ${headTrim} is outside the first page`);
    if (total < this.rows) throw new Error(`archived screen has ${total} rows, fewer than ${this.rows}`);
    if (total - this.rows > this.maxScrollback) throw new Error(`archived scrollback ${total - this.rows} is above its limit ${this.maxScrollback}`);
    for (const p of this.pages) this.releaseNode(p);
    this.pages = [];
    this.touched.clear();
    this.lastTouched = null;
    for (const rec of records) {
      this.pool.holdCompressed(rec, this);
      this.pages.push(rec);
    }
    this.headTrim = headTrim;
    this.totalRows = total;
  }

  /** Nodes currently held in compressed form. */
  compressedCount(): number {
    let n = 0;
    for (const p of this.pages) if (p.kind === 'compressed') n++;
    return n;
  }

  private compressAt(i: number): void {
    const page = this.pages[i] as Page;
    const rec = compressPage(page);
    this.pool.holdCompressed(rec, this);
    this.pages[i] = rec;
    this.releaseNode(page);
  }

  /** Replace compressed node i by a restored page (one epoch tick), and return the page. */
  private restoreAt(i: number): Page {
    const rec = this.pages[i] as CompressedPage;
    const page = rec.pageKind === 'standard' ? this.pool.acquireStandard(rec.cols, this)
      : rec.pageKind === 'small' ? this.pool.acquireSmall(rec.cols, this)
        : rec.pageKind === 'large' ? this.pool.acquireLarge(rec.cols, this)
          : this.pool.allocateOversized(rec.capacity, this);
    try {
      restoreInto(page, rec);
    } catch (err) {
      this.pool.release(page);
      throw err;
    }
    this.pages[i] = page;
    this.pool.releaseCompressed(rec, 'restored');
    this.touched.set(page, ++this.epoch);
    // Reading through history keeps only the last few restored pages uncompressed.
    this.compressCold();
    return page;
  }

  /** Drop the oldest row; releases the head page once all its rows are gone. */
  private pruneOne(): void {
    if (this.pages.length === 0) return;
    this.headTrim++;
    this.totalRows--;
    this.droppedRows++;
    this.releaseTrimmedHead();
  }

  /**
   * Release head pages whose rows are all pruned, keeping at least one page. Trims beyond the
   * head's size carry over to the next page (fuzz regression: a 1-row screen with no
   * scrollback trims its only page completely before the next page exists; resetting the trim
   * to 0 then lost one row's worth and the list kept a row too many).
   */
  private releaseTrimmedHead(): void {
    while (this.pages.length > 1 && this.headTrim >= this.pages[0].size) {
      const head = this.pages.shift()!;
      this.headTrim -= head.size;
      this.releaseNode(head);
    }
  }

  /** Point pinPage/pinRow at active row y (0-based). */
  pinActive(y: number): Page {
    let remaining = this.rows - y;
    let i = this.pages.length - 1;
    let node = this.pages[i];
    while (remaining > node.size) {
      remaining -= node.size;
      node = this.pages[--i];
    }
    // Only after the screen grew into cold scrollback (resize pulls history rows back).
    const p = node.kind === 'compressed' ? this.restoreAt(i) : node;
    this.pinPage = p;
    this.pinRow = p.size - remaining;
    return p;
  }

  /** Point pinPage/pinRow at history row n (0 = oldest kept line). */
  pinHistory(n: number): Page {
    let r = n + this.headTrim;
    let i = 0;
    let node = this.pages[0];
    while (r >= node.size) {
      r -= node.size;
      node = this.pages[++i];
    }
    const p = node.kind === 'compressed' ? this.restoreAt(i) : node;
    if (p !== this.lastTouched || this.epoch !== this.lastTouchedEpoch) {
      this.touched.set(p, this.epoch);
      this.lastTouched = p;
      this.lastTouchedEpoch = this.epoch;
    }
    this.pinPage = p;
    this.pinRow = r;
    return p;
  }

  /** Index into `pages` of the page holding active row y. */
  private pageIndexOfActive(y: number): number {
    let remaining = this.rows - y;
    let i = this.pages.length - 1;
    while (remaining > this.pages[i].size) remaining -= this.pages[i--].size;
    return i;
  }

  /**
   * Replace the page holding active row y by a larger one (a standard page out of styles by a
   * large one, anything else by an oversized one), copying every row, and release the old one.
   * Called when a style/grapheme/link table is full.
   */
  growPageOfActive(y: number, what: CopyFail): void {
    this.growPageAt(this.pageIndexOfActive(y), what);
  }

  growPageAt(index: number, what: CopyFail): void {
    const node = this.pages[index];
    const old = node.kind === 'compressed' ? this.restoreAt(index) : node;
    // Styles that clears left counted may be unused: free them, and grow only when that freed
    // little (a recount scans the page: it must buy a quarter of the table to be worth it).
    if (what === CopyFail.Styles && old.recountStyles() >= old.capacity.styles / 4) return;
    const c = old.capacity;
    const cap = oversizedCapacity(this.cols, {
      rows: c.rows,
      styles: what === CopyFail.Styles ? grownStyleCapacity(c.styles, old.styles.count, c.rows, rowsWritten(old)) : c.styles,
      graphemeWords: what === CopyFail.Graphemes ? c.graphemeWords * 2 : c.graphemeWords,
      links: what === CopyFail.Links ? c.links * 2 : c.links,
    });
    // A standard or small page out of styles (colourful output) moves to the large pooled class.
    const next = (old.kind === 'standard' || old.kind === 'small') && what === CopyFail.Styles && largeFits(this.cols, c)
      ? this.pool.acquireLarge(this.cols, this)
      : this.pool.allocateOversized(cap, this);
    copyPageInto(next, old);
    this.pages[index] = next;
    this.touched.set(next, this.touched.get(old) ?? this.epoch);
    this.releaseNode(old);
  }

  /**
   * Intern `style` in the page holding active row y (growing the page when its style table
   * is full) and return the id with one reference held for the caller.
   * NOTE: leaves pinPage/pinRow on row y (the print path relies on it).
   */
  internStyle(y: number, style: StyleValue): number {
    const p = this.pinActive(y);
    if (style.isDefault()) return 0;
    const id = p.styles.intern(style);
    return id >= 0 ? id : this.internStyleGrowing(y, style);
  }

  /** internStyle's rare path, kept out of it so the print path inlines what it calls. */
  private internStyleGrowing(y: number, style: StyleValue): number {
    for (;;) {
      this.growPageOfActive(y, CopyFail.Styles);
      const p = this.pinActive(y);
      const id = p.styles.intern(style);
      if (id >= 0) return id;
    }
  }

  /** Copy active row src onto active row dst, columns [x0, x1), growing pages as needed. */
  copyActiveRow(dstY: number, srcY: number, x0: number, x1: number): void {
    for (;;) {
      const src = this.pinActive(srcY);
      const sr = this.pinRow;
      const dst = this.pinActive(dstY);
      const fail = copyCells(dst, this.pinRow, src, sr, x0, x1);
      if (fail === CopyFail.None) return;
      this.growPageOfActive(dstY, fail);
    }
  }

  /** Blank active row y over [x0, x1) with `fill` (its bg), clearing wrap flags when whole. */
  clearActiveRow(y: number, x0: number, x1: number, fill: StyleValue): void {
    const id = fill.bg === 0 ? 0 : this.internStyle(y, bgOnly(fill));
    const p = this.pinActive(y);
    const r = this.pinRow;
    p.clearCells(r, x0, x1, id);
    if (id !== 0) p.styles.unref(id);
    // A wholly blank row is a new line: no wrap, single width (a VT100 erases line size with it).
    if (x0 === 0 && x1 >= this.cols) p.rowFlags[r] &= ~(ROW_WRAPPED | ROW_WRAP_CONT | ROW_SIZE_MASK);
  }

  /** ED 3: forget all scrollback. */
  clearHistory(): void {
    while (this.scrollbackRows > 0) {
      const head = this.pages[0];
      const avail = head.size - this.headTrim;
      const take = Math.min(avail, this.scrollbackRows);
      this.headTrim += take;
      this.totalRows -= take;
      this.droppedRows += take;
      if (this.headTrim >= head.size && this.pages.length > 1) {
        this.pages.shift();
        this.headTrim = 0;
        this.releaseNode(head);
      } else break;
    }
  }

  /** Remove the bottom row of the list (used when the screen shrinks). */
  popRow(): void {
    // NOTE: the tail is usually live (it holds the bottom active row), but a list whose
    // screen grew after compression (reflow builds at 1 row, then takes the full height) can
    // have a compressed tail: restore it rather than crash (fuzz regression).
    const last = this.pages.length - 1;
    const node = this.pages[last];
    const tail = node.kind === 'compressed' ? this.restoreAt(last) : node;
    const r = tail.size - 1;
    tail.clearCells(r, 0, tail.cols, 0);
    tail.rowFlags[r] = 0;
    tail.size--;
    this.totalRows--;
    if (tail.size === 0 && this.pages.length > 1) {
      this.pages.pop();
      this.releaseNode(tail);
    }
  }

  /** Prune the oldest rows until the scrollback is within its limit (after a shrink). */
  pruneToLimit(): void {
    while (this.scrollbackRows > this.maxScrollback) this.pruneOne();
  }

  /** NOTE: integrity check used by tests and TERMPOOL_SLOW_CHECKS. Throws on violation. */
  assertIntegrity(): void {
    let rows = 0;
    for (const p of this.pages) {
      if (p.size > p.capacity.rows) throw new Error('page size above capacity');
      if (p.cols !== this.cols) throw new Error(`page cols ${p.cols} != list cols ${this.cols}`);
      rows += p.size;
    }
    if (rows - this.headTrim !== this.totalRows) throw new Error(`row count ${rows - this.headTrim} != ${this.totalRows}`);
    if (this.totalRows < this.rows) throw new Error('fewer rows than the screen');
    if (this.scrollbackRows > this.maxScrollback) throw new Error('scrollback above its limit');
  }
}

/** Rows of `p` with anything written in them (a non-zero extent). */
function rowsWritten(p: Page): number {
  let n = 0;
  for (let r = 0; r < p.size; r++) if (p.extentOf(r) > 0) n++;
  return n;
}

const bgScratch = new StyleValue();
/** Erased cells keep only the background colour (xterm's BCE). */
function bgOnly(s: StyleValue): StyleValue {
  bgScratch.bg = s.bg;
  return bgScratch;
}
