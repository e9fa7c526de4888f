/**
 * The process-wide page pool. Hands out pages of three pooled size classes (small, 32 KiB;
 * standard, 128 KiB; large, 320 KiB: see capacity.ts), takes them back on one free list per
 * class, and drops free pages above a bound so memory goes back to the runtime. Oversized pages
 * are allocated here too (so the ledger sees them) but never enter a free list: `release` is the
 * one path pages leave a PageList by, and it routes each kind to its only correct destination
 * (a small page to the small list, a standard page to the standard list, a large page to the
 * large list: a class is never recycled as another, so no page is ever laid out for a capacity
 * its buffer does not have).
 *
 * A free list's bound follows its class's demand: at most `freeShare` free pages per page lent
 * (at least FREE_FLOOR), and never more than maxFreePages. A burst's pages are reused while
 * the burst lasts; once the sessions are quiet (their history compressed, their screens on
 * small pages) the list is back near the floor at the next release, not after trimIdle's
 * minute: 1,000 quiet sessions kept 256 free standard pages (34 kB a session) before.
 *
 * The ledger (counters) is what the pool believes; `leak-audit.ts` recomputes the same
 * figures by walking pages and compares.
 */
import { type Capacity, LARGE_PAGE_BYTES, layoutFor, SMALL_PAGE_BYTES, STANDARD_PAGE_BYTES } from '../page/capacity.js';
import type { CompressedPage } from '../page/compressed-page.js';
import { LargePage, OversizedPage, type Page, SmallPage, StandardPage } from '../page/page.js';

/** Something that holds pages lent by the pool (a PageList); the audit walks it. */
export interface PageOwner {
  /** Terminal the owner belongs to (audit figures are grouped by it). */
  readonly label: string;
  forEachPage(fn: (page: Page) => void): void;
  /** Compressed (cold) pages the owner holds instead of pages; the audit counts them too. */
  forEachCompressed(fn: (rec: CompressedPage) => void): void;
}

export interface PoolOptions {
  /**
   * Free standard pages kept for reuse at most; beyond this, released pages are dropped. The
   * large class keeps half as many, the small class four times as many (the same bytes).
   */
  maxFreePages?: number;
  /**
   * Free pages a class keeps per page of it lent (at least FREE_FLOOR): default 1/4. Infinity
   * leaves only maxFreePages.
   */
  freeShare?: number;
  /**
   * Idle rule for cold-page compression: a page entirely in scrollback is compressed once this
   * many epoch ticks (pages appended or restored by its list) passed without it being created,
   * read or restored. 0 turns compression off. Default 2; the PageList needs at least 2 (a
   * caller may hold the page of its previous read while the next read restores another).
   */
  compressIdlePages?: number;
}

export interface PoolStats {
  smallPageBytes: number;
  /** Small pages alive (lent + free). */
  smallPages: number;
  lentSmallPages: number;
  freeSmallPages: number;
  standardPageBytes: number;
  /** Standard pages alive (lent + free). */
  standardPages: number;
  lentStandardPages: number;
  freeStandardPages: number;
  largePageBytes: number;
  /** Large-class pages alive (lent + free). */
  largePages: number;
  lentLargePages: number;
  freeLargePages: number;
  oversizedPages: number;
  /** All page bytes the pool accounts for: lent + free (every class) + oversized. */
  bytesAllocated: number;
  bytesLent: number;
  bytesFree: number;
  oversizedBytes: number;
  /** Running totals since the pool was made. */
  smallCreated: number;
  smallRecycled: number;
  smallDropped: number;
  standardCreated: number;
  standardRecycled: number;
  standardDropped: number;
  largeCreated: number;
  largeRecycled: number;
  largeDropped: number;
  oversizedCreated: number;
  oversizedFreed: number;
  /** Compressed pages held (their buffers were released) and their bytes: not in bytesAllocated. */
  compressedPages: number;
  compressedBytes: number;
  /** Running totals: pages compressed, restored on read, and dropped (pruned or disposed). */
  compressedCreated: number;
  compressedRestored: number;
  compressedDropped: number;
  owners: number;
}

/** Free pages a class may always keep, whatever it has lent (a few sessions' start). */
export const FREE_FLOOR = 16;

export class PagePool {
  readonly maxFreePages: number;
  readonly maxFreeLargePages: number;
  readonly maxFreeSmallPages: number;
  readonly freeShare: number;
  readonly compressIdlePages: number;
  // NOTE: one free list per class, typed by kind: a LargePage cannot be pushed on the standard
  // list (or the reverse) without a cast, and the audit checks every entry's kind and size.
  private readonly free: StandardPage[] = [];
  private readonly freeLarge: LargePage[] = [];
  private readonly freeSmall: SmallPage[] = [];
  /** Fewest free pages since the last trimIdle: that many sat unused for the whole interval. */
  private freeLowWater = 0;
  private freeLargeLowWater = 0;
  private freeSmallLowWater = 0;
  /** Every page currently lent, and to whom: the audit's view of what the pool holds. */
  private readonly lent = new Map<Page, PageOwner>();
  private readonly owners = new Set<PageOwner>();
  /** Every compressed page an owner holds, and whose: the audit's view of compressed bytes. */
  private readonly held = new Map<CompressedPage, PageOwner>();

  // Ledger counters (updated on every acquire/release; never derived from the maps).
  private lentStandard = 0;
  private lentLarge = 0;
  private lentSmall = 0;
  private smallCreated = 0;
  private smallRecycled = 0;
  private smallDropped = 0;
  private largeCreated = 0;
  private largeRecycled = 0;
  private largeDropped = 0;
  private oversizedLentBytes = 0;
  private oversizedLent = 0;
  private created = 0;
  private recycled = 0;
  private dropped = 0;
  private oversizedCreated = 0;
  private oversizedFreed = 0;
  private compressedCount = 0;
  private compressedLedgerBytes = 0;
  private compressedCreated = 0;
  private compressedRestored = 0;
  private compressedDropped = 0;

  constructor(opts: PoolOptions = {}) {
    this.maxFreePages = opts.maxFreePages ?? 256;
    this.maxFreeLargePages = Math.ceil(this.maxFreePages / 2);
    this.maxFreeSmallPages = this.maxFreePages * 4;
    this.freeShare = opts.freeShare ?? 0.25;
    if (!(this.freeShare >= 0)) throw new Error(`freeShare must be >= 0, got ${opts.freeShare}`);
    const idle = Math.floor(opts.compressIdlePages ?? 2);
    if (idle !== 0 && !(idle >= 2)) throw new Error(`compressIdlePages must be 0 (off) or at least 2, got ${opts.compressIdlePages}`);
    this.compressIdlePages = idle;
  }

  register(owner: PageOwner): void { this.owners.add(owner); }
  unregister(owner: PageOwner): void { this.owners.delete(owner); }

  /** A zeroed standard page laid out for `cols`, from the free list when possible. */
  acquireStandard(cols: number, owner: PageOwner): StandardPage {
    let page = this.free.pop();
    if (this.free.length < this.freeLowWater) this.freeLowWater = this.free.length;
    if (page !== undefined) {
      page.reinit(cols);
      this.recycled++;
    } else {
      page = new StandardPage(new ArrayBuffer(STANDARD_PAGE_BYTES), cols);
      this.created++;
    }
    this.lentStandard++;
    this.lent.set(page, owner);
    return page;
  }

  /** A zeroed small page laid out for `cols`, from the small free list when possible. */
  acquireSmall(cols: number, owner: PageOwner): SmallPage {
    let page = this.freeSmall.pop();
    if (this.freeSmall.length < this.freeSmallLowWater) this.freeSmallLowWater = this.freeSmall.length;
    if (page !== undefined) {
      page.reinit(cols);
      this.smallRecycled++;
    } else {
      page = new SmallPage(new ArrayBuffer(SMALL_PAGE_BYTES), cols);
      this.smallCreated++;
    }
    this.lentSmall++;
    this.lent.set(page, owner);
    return page;
  }

  /** A zeroed large-class page laid out for `cols`, from the large free list when possible. */
  acquireLarge(cols: number, owner: PageOwner): LargePage {
    let page = this.freeLarge.pop();
    if (this.freeLarge.length < this.freeLargeLowWater) this.freeLargeLowWater = this.freeLarge.length;
    if (page !== undefined) {
      page.reinit(cols);
      this.largeRecycled++;
    } else {
      page = new LargePage(new ArrayBuffer(LARGE_PAGE_BYTES), cols);
      this.largeCreated++;
    }
    this.lentLarge++;
    this.lent.set(page, owner);
    return page;
  }

  /** A page of capacity `cap`, allocated outside the pooled classes. */
  allocateOversized(cap: Capacity, owner: PageOwner): OversizedPage {
    const page = new OversizedPage(new ArrayBuffer(layoutFor(cap, false).total), cap);
    this.oversizedCreated++;
    this.oversizedLent++;
    this.oversizedLentBytes += page.allocatedBytes;
    this.lent.set(page, owner);
    return page;
  }

  /** Free pages a class with `lent` pages lent keeps at most (see the file header). */
  private freeBound(lent: number, max: number): number {
    if (this.freeShare === Infinity) return max; // (0 * Infinity is NaN)
    return Math.min(max, Math.max(FREE_FLOOR, Math.ceil(lent * this.freeShare)));
  }

  /**
   * Push `page` on `list` if its bound allows, dropping free pages above the bound (the class's
   * demand fell since they came back). Returns how many pages were dropped, `page` included.
   */
  private keepFree<T extends Page>(list: T[], page: T, bound: number): number {
    let dropped = 0;
    while (list.length > bound) { list.pop(); dropped++; }
    if (list.length < bound) list.push(page);
    else dropped++;
    return dropped;
  }

  /**
   * The single way a page goes back. Pooled pages are kept for reuse on their own class's
   * free list (up to its bound); oversized pages are forgotten so the runtime frees their
   * memory.
   */
  release(page: Page): void {
    if (!this.lent.delete(page)) throw new Error('release of a page this pool did not lend');
    switch (page.kind) {
      case 'small':
        this.lentSmall--;
        this.smallDropped += this.keepFree(this.freeSmall, page, this.freeBound(this.lentSmall, this.maxFreeSmallPages));
        this.freeSmallLowWater = Math.min(this.freeSmallLowWater, this.freeSmall.length);
        break;
      case 'standard':
        this.lentStandard--;
        this.dropped += this.keepFree(this.free, page, this.freeBound(this.lentStandard, this.maxFreePages));
        this.freeLowWater = Math.min(this.freeLowWater, this.free.length);
        break;
      case 'large':
        this.lentLarge--;
        this.largeDropped += this.keepFree(this.freeLarge, page, this.freeBound(this.lentLarge, this.maxFreeLargePages));
        this.freeLargeLowWater = Math.min(this.freeLargeLowWater, this.freeLarge.length);
        break;
      case 'oversized':
        this.oversizedLent--;
        this.oversizedLentBytes -= page.allocatedBytes;
        this.oversizedFreed++;
        break;
      default: {
        const never: never = page;
        throw new Error(`unknown page kind ${String(never)}`);
      }
    }
  }

  /**
   * Record that `owner` now holds `rec` in place of a page (which the caller releases through
   * `release`): compressed bytes are ledgered and audited like lent pages.
   */
  holdCompressed(rec: CompressedPage, owner: PageOwner): void {
    if (this.held.has(rec)) throw new Error('compressed page held twice');
    this.held.set(rec, owner);
    this.compressedCount++;
    this.compressedLedgerBytes += rec.byteLength;
    this.compressedCreated++;
  }

  /** The single way a compressed page goes: restored into a page, or dropped with its rows. */
  releaseCompressed(rec: CompressedPage, why: 'restored' | 'dropped'): void {
    if (!this.held.delete(rec)) throw new Error('release of a compressed page this pool does not hold');
    this.compressedCount--;
    this.compressedLedgerBytes -= rec.byteLength;
    if (why === 'restored') this.compressedRestored++;
    else this.compressedDropped++;
  }

  /** Drop every free page (memory pressure, tests); `keep` standard pages (half as many large, four times as many small). */
  trim(keep = 0): void {
    while (this.freeSmall.length > keep * 4) {
      this.freeSmall.pop();
      this.smallDropped++;
    }
    this.freeSmallLowWater = Math.min(this.freeSmallLowWater, this.freeSmall.length);
    while (this.free.length > keep) {
      this.free.pop();
      this.dropped++;
    }
    this.freeLowWater = Math.min(this.freeLowWater, this.free.length);
    const keepLarge = Math.ceil(keep / 2);
    while (this.freeLarge.length > keepLarge) {
      this.freeLarge.pop();
      this.largeDropped++;
    }
    this.freeLargeLowWater = Math.min(this.freeLargeLowWater, this.freeLarge.length);
  }

  /**
   * Drop the free pages nobody needed since the previous call (the free list's low-water mark),
   * keeping `floor`: the owner calls it on a slow timer, so a burst's pages are reused while
   * the burst lasts and go back to the runtime after it (deleted sessions do not leave
   * maxFreePages × 128 KiB behind for good). Each class by its own low-water mark (the large
   * class keeps half the floor, the small class four times it). Returns how many pages it dropped.
   */
  trimIdle(floor = 0): number {
    const k = Math.max(0, Math.min(this.freeSmallLowWater, this.freeSmall.length - floor * 4));
    for (let i = 0; i < k; i++) this.freeSmall.pop();
    this.smallDropped += k;
    this.freeSmallLowWater = this.freeSmall.length;
    const n = Math.max(0, Math.min(this.freeLowWater, this.free.length - floor));
    for (let i = 0; i < n; i++) this.free.pop();
    this.dropped += n;
    this.freeLowWater = this.free.length;
    const m = Math.max(0, Math.min(this.freeLargeLowWater, this.freeLarge.length - Math.ceil(floor / 2)));
    for (let i = 0; i < m; i++) this.freeLarge.pop();
    this.largeDropped += m;
    this.freeLargeLowWater = this.freeLarge.length;
    return n + m + k;
  }

  stats(): PoolStats {
    const freeN = this.free.length;
    const freeL = this.freeLarge.length;
    const freeS = this.freeSmall.length;
    const lentPooledBytes = this.lentSmall * SMALL_PAGE_BYTES + this.lentStandard * STANDARD_PAGE_BYTES + this.lentLarge * LARGE_PAGE_BYTES;
    const freeBytes = freeS * SMALL_PAGE_BYTES + freeN * STANDARD_PAGE_BYTES + freeL * LARGE_PAGE_BYTES;
    return {
      smallPageBytes: SMALL_PAGE_BYTES,
      smallPages: this.lentSmall + freeS,
      lentSmallPages: this.lentSmall,
      freeSmallPages: freeS,
      standardPageBytes: STANDARD_PAGE_BYTES,
      standardPages: this.lentStandard + freeN,
      lentStandardPages: this.lentStandard,
      freeStandardPages: freeN,
      largePageBytes: LARGE_PAGE_BYTES,
      largePages: this.lentLarge + freeL,
      lentLargePages: this.lentLarge,
      freeLargePages: freeL,
      oversizedPages: this.oversizedLent,
      bytesAllocated: lentPooledBytes + freeBytes + this.oversizedLentBytes,
      bytesLent: lentPooledBytes + this.oversizedLentBytes,
      bytesFree: freeBytes,
      oversizedBytes: this.oversizedLentBytes,
      smallCreated: this.smallCreated,
      smallRecycled: this.smallRecycled,
      smallDropped: this.smallDropped,
      standardCreated: this.created,
      standardRecycled: this.recycled,
      standardDropped: this.dropped,
      largeCreated: this.largeCreated,
      largeRecycled: this.largeRecycled,
      largeDropped: this.largeDropped,
      oversizedCreated: this.oversizedCreated,
      oversizedFreed: this.oversizedFreed,
      compressedPages: this.compressedCount,
      compressedBytes: this.compressedLedgerBytes,
      compressedCreated: this.compressedCreated,
      compressedRestored: this.compressedRestored,
      compressedDropped: this.compressedDropped,
      owners: this.owners.size,
    };
  }

  // --- read-only views for the audit (leak-audit.ts) ---

  /** @internal */ lentPages(): ReadonlyMap<Page, PageOwner> { return this.lent; }
  /** @internal */ freePages(): readonly StandardPage[] { return this.free; }
  /** @internal */ freeLargePages(): readonly LargePage[] { return this.freeLarge; }
  /** @internal */ freeSmallPages(): readonly SmallPage[] { return this.freeSmall; }
  /** @internal */ heldCompressed(): ReadonlyMap<CompressedPage, PageOwner> { return this.held; }
  /** @internal */ liveOwners(): ReadonlySet<PageOwner> { return this.owners; }
}

/** The process-wide pool every terminal shares unless told otherwise. */
export const defaultPool = new PagePool();
