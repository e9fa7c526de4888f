/**
 * Leak audit, computed independently of the pool's ledger counters: walk every page the
 * pool has lent or keeps free, walk every live owner's page list, and compare.
 *
 *   leakedBytes   = bytes held for pages − bytes referenced by live page lists − free-list bytes
 *   strandedBytes = Σ (real buffer size − bytes the page's metadata says it occupies)
 *
 * Sizes come from `buffer.byteLength` (the allocation itself), never from the ledger, so a
 * page recycled with the wrong metadata (Ghostty's oversized-as-standard leak) shows up as
 * stranded bytes, and a page dropped from a list without `release` shows up as leaked.
 */
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
}

export interface AuditReport {
  heldBytes: number;
  referencedBytes: number;
  freeBytes: number;
  leakedBytes: number;
  strandedBytes: number;
  /** Pages reachable from a live list that the pool no longer counts as lent (use after release). */
  danglingBytes: number;
  /** Ledger's bytesAllocated minus the walked heldBytes: non-zero means the counters drifted. */
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
  for (const page of pool.freePages()) {
    freeBytes += page.buffer.byteLength;
    strandedBytes += stranded(page);
  }
  heldBytes += freeBytes;

  const byLabel = new Map<string, OwnerAudit>();
  let referencedBytes = 0;
  let danglingBytes = 0;
  const seen = new Set<Page>();
  for (const owner of pool.liveOwners()) {
    let a = byLabel.get(owner.label);
    if (a === undefined) {
      a = { label: owner.label, pages: 0, referencedBytes: 0, leakedBytes: 0, strandedBytes: 0 };
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
  }
  for (const [label, bytes] of lentByLabel) {
    let a = byLabel.get(label);
    if (a === undefined) {
      // Owner gone (disposed without releasing): everything it was lent is leaked.
      a = { label, pages: 0, referencedBytes: 0, leakedBytes: 0, strandedBytes: 0 };
      byLabel.set(label, a);
    }
    a.leakedBytes = Math.max(0, bytes - a.referencedBytes);
  }
  return {
    heldBytes,
    referencedBytes,
    freeBytes,
    leakedBytes: heldBytes - referencedBytes - freeBytes,
    strandedBytes,
    danglingBytes,
    ledgerDriftBytes: pool.stats().bytesAllocated - heldBytes,
    owners: [...byLabel.values()],
  };
}

/** Audit of one terminal (all page lists carrying its label). */
export function auditOwner(pool: PagePool, label: string): OwnerAudit {
  return auditPool(pool).owners.find((o) => o.label === label) ??
    { label, pages: 0, referencedBytes: 0, leakedBytes: 0, strandedBytes: 0 };
}
