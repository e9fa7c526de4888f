/**
 * Leak audit, computed independently of the pool's ledger counters: walk every page the
 * pool has lent or keeps free, walk every live owner's page list, and compare.
 *
 *   leakedBytes   = bytes held for pages − bytes referenced by live page lists − free-list bytes
 *                 + compressed bytes held − compressed bytes referenced by live page lists
 *   strandedBytes = Σ (real buffer size − bytes the page's metadata says it occupies)
 *
 * Compressed (cold) pages hold no page buffer: their page went back through `release` when
 * they were made. Their bytes are a separate figure (`compressedBytes`), walked from the pool's
 * record of what it holds and from the lists, and folded into the leak so one figure still says
 * "nothing was lost". They cannot be stranded (the record is exactly its bytes).
 *
 * Sizes come from `buffer.byteLength` (the allocation itself), never from the ledger, so a
 * page recycled with the wrong metadata (Ghostty's oversized-as-standard leak) shows up as
 * stranded bytes, and a page dropped from a list without `release` shows up as leaked.
 *
 * Size classes: each free list must hold only its own class (kind and buffer size); a page on
 * another class's list (recycled across classes) is counted in `misfiledBytes`.
 */
import { LARGE_PAGE_BYTES, SMALL_PAGE_BYTES, STANDARD_PAGE_BYTES } from '../page/capacity.js';
import type { CompressedPage } from '../page/compressed-page.js';
import type { Page } from '../page/page.js';
import type { PagePool } from './page-pool.js';

export interface OwnerAudit {
  label: string;
  pages: number;
  /** Bytes of pages reachable from this terminal's page lists. */
  referencedBytes: number;
  /** Bytes the pool lent to this terminal that none of its lists reach. */
  leakedBytes: number;
  strandedBytes: number;
  /** Bytes of compressed pages reachable from this terminal's page lists. */
  compressedBytes: number;
}

export interface AuditReport {
  heldBytes: number;
  referencedBytes: number;
  freeBytes: number;
  /** Bytes of compressed pages the pool records as held (walked, not the ledger). */
  compressedBytes: number;
  /** Of those, bytes reachable from live page lists. */
  compressedReferencedBytes: number;
  leakedBytes: number;
  strandedBytes: number;
  /** Bytes of free pages on a free list that is not their class's (kind or buffer size). */
  misfiledBytes: number;
  /**
   * Bytes of pages (or compressed pages) reachable from a live list that the pool no longer
   * counts as lent or held (use after release).
   */
  danglingBytes: number;
  /**
   * Ledger minus walk: (bytesAllocated − heldBytes) + (ledger compressedBytes − walked
   * compressedBytes). Non-zero means the counters drifted.
   */
  ledgerDriftBytes: number;
  owners: OwnerAudit[];
}

function stranded(p: Page): number {
  return p.buffer.byteLength - p.allocatedBytes;
}

export function auditPool(pool: PagePool): AuditReport {
  const lent = pool.lentPages();
  let heldBytes = 0;
  let strandedBytes = 0;
  const lentByLabel = new Map<string, number>();
  for (const [page, owner] of lent) {
    heldBytes += page.buffer.byteLength;
    strandedBytes += stranded(page);
    lentByLabel.set(owner.label, (lentByLabel.get(owner.label) ?? 0) + page.buffer.byteLength);
  }
  let freeBytes = 0;
  let misfiledBytes = 0;
  const walkFree = (pages: readonly Page[], kind: Page['kind'], bytes: number): void => {
    for (const page of pages) {
      freeBytes += page.buffer.byteLength;
      strandedBytes += stranded(page);
      if (page.kind !== kind || page.buffer.byteLength !== bytes) misfiledBytes += page.buffer.byteLength;
    }
  };
  walkFree(pool.freeSmallPages(), 'small', SMALL_PAGE_BYTES);
  walkFree(pool.freePages(), 'standard', STANDARD_PAGE_BYTES);
  walkFree(pool.freeLargePages(), 'large', LARGE_PAGE_BYTES);
  heldBytes += freeBytes;

  let compressedBytes = 0;
  const heldByLabel = new Map<string, number>();
  for (const [rec, owner] of pool.heldCompressed()) {
    compressedBytes += rec.bytes.byteLength;
    heldByLabel.set(owner.label, (heldByLabel.get(owner.label) ?? 0) + rec.bytes.byteLength);
  }

  const byLabel = new Map<string, OwnerAudit>();
  let referencedBytes = 0;
  let danglingBytes = 0;
  let compressedReferencedBytes = 0;
  const seen = new Set<Page>();
  const seenCompressed = new Set<CompressedPage>();
  const held = pool.heldCompressed();
  for (const owner of pool.liveOwners()) {
    let a = byLabel.get(owner.label);
    if (a === undefined) {
      a = emptyOwner(owner.label);
      byLabel.set(owner.label, a);
    }
    const audit = a;
    owner.forEachPage((page) => {
      if (seen.has(page)) return; // a page linked twice is counted once
      seen.add(page);
      audit.pages++;
      audit.referencedBytes += page.buffer.byteLength;
      audit.strandedBytes += stranded(page);
      if (lent.has(page)) referencedBytes += page.buffer.byteLength;
      else danglingBytes += page.buffer.byteLength;
    });
    owner.forEachCompressed((rec) => {
      if (seenCompressed.has(rec)) return;
      seenCompressed.add(rec);
      audit.pages++;
      audit.compressedBytes += rec.bytes.byteLength;
      if (held.has(rec)) compressedReferencedBytes += rec.bytes.byteLength;
      else danglingBytes += rec.bytes.byteLength;
    });
  }
  for (const label of new Set([...lentByLabel.keys(), ...heldByLabel.keys()])) {
    let a = byLabel.get(label);
    if (a === undefined) {
      // Owner gone (disposed without releasing): everything it was lent is leaked.
      a = emptyOwner(label);
      byLabel.set(label, a);
    }
    a.leakedBytes = Math.max(0, (lentByLabel.get(label) ?? 0) - a.referencedBytes) +
      Math.max(0, (heldByLabel.get(label) ?? 0) - a.compressedBytes);
  }
  const stats = pool.stats();
  return {
    heldBytes,
    referencedBytes,
    freeBytes,
    compressedBytes,
    compressedReferencedBytes,
    leakedBytes: heldBytes - referencedBytes - freeBytes + compressedBytes - compressedReferencedBytes,
    strandedBytes,
    misfiledBytes,
    danglingBytes,
    ledgerDriftBytes: stats.bytesAllocated - heldBytes + stats.compressedBytes - compressedBytes,
    owners: [...byLabel.values()],
  };
}

/** Audit of one terminal (all page lists carrying its label). */
export function auditOwner(pool: PagePool, label: string): OwnerAudit {
  return auditPool(pool).owners.find((o) => o.label === label) ?? emptyOwner(label);
}

function emptyOwner(label: string): OwnerAudit {
  return { label, pages: 0, referencedBytes: 0, leakedBytes: 0, strandedBytes: 0, compressedBytes: 0 };
}
