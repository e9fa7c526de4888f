/**
 * The process-wide page pool. Hands out standard pages of one fixed byte size, takes them
 * back on a free list, and drops free pages above a high-water mark so memory goes back to
 * the runtime. Oversized pages are allocated here too (so the ledger sees them) but never
 * enter the free list: `release` is the one path pages leave a PageList by, and it routes
 * each kind to its only correct destination.
 *
 * The ledger (counters) is what the pool believes; `leak-audit.ts` recomputes the same
 * figures by walking pages and compares.
 */
import { type Capacity, layoutFor, STANDARD_PAGE_BYTES } from '../page/capacity.js';
import { OversizedPage, type Page, StandardPage } from '../page/page.js';

/** Something that holds pages lent by the pool (a PageList); the audit walks it. */
export interface PageOwner {
  /** Terminal the owner belongs to (audit figures are grouped by it). */
  readonly label: string;
  forEachPage(fn: (page: Page) => void): void;
}

export interface PoolOptions {
  /** Free standard pages kept for reuse; beyond this, released pages are dropped. */
  maxFreePages?: number;
}

export interface PoolStats {
  standardPageBytes: number;
  /** Standard pages alive (lent + free). */
  standardPages: number;
  lentStandardPages: number;
  freeStandardPages: number;
  oversizedPages: number;
  /** All page bytes the pool accounts for: lent + free + oversized. */
  bytesAllocated: number;
  bytesLent: number;
  bytesFree: number;
  oversizedBytes: number;
  /** Running totals since the pool was made. */
  standardCreated: number;
  standardRecycled: number;
  standardDropped: number;
  oversizedCreated: number;
  oversizedFreed: number;
  owners: number;
}

export class PagePool {
  readonly maxFreePages: number;
  private readonly free: StandardPage[] = [];
  /** Every page currently lent, and to whom: the audit's view of what the pool holds. */
  private readonly lent = new Map<Page, PageOwner>();
  private readonly owners = new Set<PageOwner>();

  // Ledger counters (updated on every acquire/release; never derived from the maps).
  private lentStandard = 0;
  private oversizedLentBytes = 0;
  private oversizedLent = 0;
  private created = 0;
  private recycled = 0;
  private dropped = 0;
  private oversizedCreated = 0;
  private oversizedFreed = 0;

  constructor(opts: PoolOptions = {}) {
    this.maxFreePages = opts.maxFreePages ?? 256;
  }

  register(owner: PageOwner): void { this.owners.add(owner); }
  unregister(owner: PageOwner): void { this.owners.delete(owner); }

  /** A zeroed standard page laid out for `cols`, from the free list when possible. */
  acquireStandard(cols: number, owner: PageOwner): StandardPage {
    let page = this.free.pop();
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

  /** A page of capacity `cap`, allocated outside the standard budget. */
  allocateOversized(cap: Capacity, owner: PageOwner): OversizedPage {
    const page = new OversizedPage(new ArrayBuffer(layoutFor(cap).total), cap);
    this.oversizedCreated++;
    this.oversizedLent++;
    this.oversizedLentBytes += page.allocatedBytes;
    this.lent.set(page, owner);
    return page;
  }

  /**
   * The single way a page goes back. Standard pages are kept for reuse (up to the
   * high-water mark); oversized pages are forgotten so the runtime frees their memory.
   */
  release(page: Page): void {
    if (!this.lent.delete(page)) throw new Error('release of a page this pool did not lend');
    switch (page.kind) {
      case 'standard':
        this.lentStandard--;
        if (this.free.length < this.maxFreePages) this.free.push(page);
        else this.dropped++;
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

  /** Drop every free page (memory pressure, tests). */
  trim(keep = 0): void {
    while (this.free.length > keep) {
      this.free.pop();
      this.dropped++;
    }
  }

  stats(): PoolStats {
    const freeN = this.free.length;
    return {
      standardPageBytes: STANDARD_PAGE_BYTES,
      standardPages: this.lentStandard + freeN,
      lentStandardPages: this.lentStandard,
      freeStandardPages: freeN,
      oversizedPages: this.oversizedLent,
      bytesAllocated: (this.lentStandard + freeN) * STANDARD_PAGE_BYTES + this.oversizedLentBytes,
      bytesLent: this.lentStandard * STANDARD_PAGE_BYTES + this.oversizedLentBytes,
      bytesFree: freeN * STANDARD_PAGE_BYTES,
      oversizedBytes: this.oversizedLentBytes,
      standardCreated: this.created,
      standardRecycled: this.recycled,
      standardDropped: this.dropped,
      oversizedCreated: this.oversizedCreated,
      oversizedFreed: this.oversizedFreed,
      owners: this.owners.size,
    };
  }

  // --- read-only views for the audit (leak-audit.ts) ---

  /** @internal */ lentPages(): ReadonlyMap<Page, PageOwner> { return this.lent; }
  /** @internal */ freePages(): readonly StandardPage[] { return this.free; }
  /** @internal */ liveOwners(): ReadonlySet<PageOwner> { return this.owners; }
}

/** The process-wide pool every terminal shares unless told otherwise. */
export const defaultPool = new PagePool();
