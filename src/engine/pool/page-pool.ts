/**
 * The process-wide page pool. Hands out pages of two pooled size classes (standard, 128 KiB;
 * large, 320 KiB: see capacity.ts), takes them back on one free list per class, and drops free
 * pages above a high-water mark so memory goes back to the runtime. Oversized pages are
 * allocated here too (so the ledger sees them) but never enter a free list: `release` is the
 * one path pages leave a PageList by, and it routes each kind to its only correct destination
 * (a standard page to the standard list, a large page to the large list: a class is never
 * recycled as another, so no page is ever laid out for a capacity its buffer does not have).
 *
 * The ledger (counters) is what the pool believes; `leak-audit.ts` recomputes the same
 * figures by walking pages and compares.
 */
import { type Capacity, LARGE_PAGE_BYTES, layoutFor, STANDARD_PAGE_BYTES } from '../page/capacity.js';
import type { CompressedPage } from '../page/compressed-page.js';
import { LargePage, OversizedPage, type Page, StandardPage } from '../page/page.js';

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
   * Free standard pages kept for reuse; beyond this, released pages are dropped. The large
   * class keeps half as many (the same bytes).
   */
  maxFreePages?: number;
  /**
   * Idle rule for cold-page compression: a page entirely in scrollback is compressed once this
   * many epoch ticks (pages appended or restored by its list) passed without it being created,
   * read or restored. 0 turns compression off. Default 2; the PageList needs at least 2 (a
   * caller may hold the page of its previous read while the next read restores another).
   */
  compressIdlePages?: number;
}

export interface PoolStats {
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
  /** All page bytes the pool accounts for: lent + free (both classes) + oversized. */
  bytesAllocated: number;
  bytesLent: number;
  bytesFree: number;
  oversizedBytes: number;
  /** Running totals since the pool was made. */
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

export class PagePool {
  readonly maxFreePages: number;
  readonly maxFreeLargePages: number;
  readonly compressIdlePages: number;
  // NOTE: one free list per class, typed by kind: a LargePage cannot be pushed on the standard
  // list (or the reverse) without a cast, and the audit checks every entry's kind and size.
  private readonly free: StandardPage[] = [];
  private readonly freeLarge: LargePage[] = [];
  /** Fewest free pages since the last trimIdle: that many sat unused for the whole interval. */
  private freeLowWater = 0;
  private freeLargeLowWater = 0;
  /** Every page currently lent, and to whom: the audit's view of what the pool holds. */
  private readonly lent = new Map<Page, PageOwner>();
  private readonly owners = new Set<PageOwner>();
  /** Every compressed page an owner holds, and whose: the audit's view of compressed bytes. */
  private readonly held = new Map<CompressedPage, PageOwner>();

  // Ledger counters (updated on every acquire/release; never derived from the maps).
  private lentStandard = 0;
  private lentLarge = 0;
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

  /**
   * The single way a page goes back. Pooled pages are kept for reuse on their own class's
   * free list (up to its high-water mark); oversized pages are forgotten so the runtime frees
   * their memory.
   */
  release(page: Page): void {
    if (!this.lent.delete(page)) throw new Error('release of a page this pool did not lend');
    switch (page.kind) {
      case 'standard':
        this.lentStandard--;
        if (this.free.length < this.maxFreePages) this.free.push(page);
        else this.dropped++;
        break;
      case 'large':
        this.lentLarge--;
        if (this.freeLarge.length < this.maxFreeLargePages) this.freeLarge.push(page);
        else this.largeDropped++;
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

  /** Drop every free page (memory pressure, tests); `keep` standard pages (half as many large). */
  trim(keep = 0): void {
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
   * class keeps half the floor). Returns how many pages it dropped.
   */
  trimIdle(floor = 0): number {
    const n = Math.max(0, Math.min(this.freeLowWater, this.free.length - floor));
    for (let i = 0; i < n; i++) this.free.pop();
    this.dropped += n;
    this.freeLowWater = this.free.length;
    const m = Math.max(0, Math.min(this.freeLargeLowWater, this.freeLarge.length - Math.ceil(floor / 2)));
    for (let i = 0; i < m; i++) this.freeLarge.pop();
    this.largeDropped += m;
    this.freeLargeLowWater = this.freeLarge.length;
    return n + m;
  }

  stats(): PoolStats {
    const freeN = this.free.length;
    const freeL = this.freeLarge.length;
    const lentPooledBytes = this.lentStandard * STANDARD_PAGE_BYTES + this.lentLarge * LARGE_PAGE_BYTES;
    const freeBytes = freeN * STANDARD_PAGE_BYTES + freeL * LARGE_PAGE_BYTES;
    return {
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
  /** @internal */ heldCompressed(): ReadonlyMap<CompressedPage, PageOwner> { return this.held; }
  /** @internal */ liveOwners(): ReadonlySet<PageOwner> { return this.owners; }
}

/** The process-wide pool every terminal shares unless told otherwise. */
export const defaultPool = new PagePool();
