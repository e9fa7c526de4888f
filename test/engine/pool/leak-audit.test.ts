/**
 * The leak audit and Ghostty's scrollback-pruning leak (oversized page at the head of the
 * scrollback when pruning starts). The audit sizes pages from their buffers, not from the
 * ledger, so these tests also prove it can see a leak when one is injected.
 */
import { describe, expect, it } from 'vitest';
import { auditPool, PagePool, STANDARD_PAGE_BYTES, Terminal } from '../../../src/engine/index.js';
import { StandardPage, type OversizedPage, type Page } from '../../../src/engine/page/page.js';
import type { PageNode } from '../../../src/engine/page/page-list.js';

/** Lines with many distinct RGB styles: forces the first page past the standard style budget. */
function manyStylesLines(lines: number, cols: number): string {
  let s = '';
  let n = 0;
  for (let l = 0; l < lines; l++) {
    for (let x = 0; x < cols; x++, n++) s += `\x1b[38;2;${n & 255};${(n >> 8) & 255};7mx`;
    s += '\x1b[0m\r\n';
  }
  return s;
}

function headPage(t: Terminal): Page {
  const p = t.primary.list.pages[0];
  if (p.kind === 'compressed') throw new Error('head page is compressed');
  return p;
}

/** Bytes a list node holds: its buffer, or its compressed bytes. */
function nodeBytes(n: PageNode): number {
  return n.kind === 'compressed' ? n.bytes.byteLength : n.buffer.byteLength;
}

describe('leak audit: Ghostty scenario (oversized page at the head when pruning starts)', () => {
  it('ends with 0 leaked and 0 stranded bytes and frees the oversized page', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 500, pool });
    // 60 rows × 80 distinct styles = 4,800 styles in the first page: past the standard class
    // (128) and the large class (4,096), so it grows into an oversized page.
    t.write(manyStylesLines(60, 80));
    expect(headPage(t).kind).toBe('oversized');
    const oversized = headPage(t) as OversizedPage;
    expect(oversized.buffer.byteLength).toBeGreaterThan(STANDARD_PAGE_BYTES);
    expect(pool.stats().oversizedPages).toBe(1);

    // Thousands more lines: pruning starts with the oversized page at the head.
    for (let i = 0; i < 5000; i++) t.write(`plain line ${i}\r\n`);
    t.assertIntegrity();

    const a = auditPool(pool);
    expect(a.leakedBytes).toBe(0);
    expect(a.strandedBytes).toBe(0);
    expect(a.danglingBytes).toBe(0);
    expect(a.ledgerDriftBytes).toBe(0);
    expect(pool.stats().oversizedPages).toBe(0);
    // Every oversized page made was freed, none recycled.
    expect(pool.stats().oversizedFreed).toBe(pool.stats().oversizedCreated);
    // The oversized buffer never entered the free list nor any live list.
    for (const p of pool.freePages()) expect(p.buffer).not.toBe(oversized.buffer);
    t.primary.list.forEachPage((p) => expect(p.buffer).not.toBe(oversized.buffer));
    // Scrollback is exact and still readable after the prune.
    expect(t.scrollbackLength).toBe(500);
    expect(t.scrollbackLines(499, 1)).toEqual(['plain line 4976']);
    expect(a.misfiledBytes).toBe(0);

    t.dispose();
    const end = auditPool(pool);
    expect(end.referencedBytes).toBe(0);
    expect(end.leakedBytes).toBe(0);
    expect(pool.stats().bytesLent).toBe(0);
  });

  it('recycles standard pages from the head when pruning (no new allocations in steady state)', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    for (let i = 0; i < 3000; i++) t.write(`warm ${i}\r\n`);
    const created = pool.stats().standardCreated;
    for (let i = 0; i < 20000; i++) t.write(`steady ${i}\r\n`);
    expect(pool.stats().standardCreated).toBe(created);
    expect(pool.stats().standardRecycled).toBeGreaterThan(50);
    expect(auditPool(pool).leakedBytes).toBe(0);
    t.dispose();
  });
});

describe('leak audit: injected faults are seen', () => {
  it("reports the stranded bytes of an oversized page recycled as a standard one (Ghostty's bug)", () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 500, pool });
    t.write(manyStylesLines(60, 80));
    const list = t.primary.list;
    const oversized = list.pages[0] as OversizedPage;
    expect(oversized.kind).toBe('oversized');
    const extra = oversized.buffer.byteLength - STANDARD_PAGE_BYTES;
    expect(extra).toBeGreaterThan(0);

    // The deliberately wrong release: drop it from the list and put its buffer, re-laid out
    // as a standard page, on the free list. Only a cast lets this be written.
    list.pages.shift();
    list.totalRows -= oversized.size - list.headTrim;
    list.headTrim = 0;
    const internals = pool as unknown as { free: StandardPage[]; lent: Map<Page, unknown> };
    internals.lent.delete(oversized);
    internals.free.push(new StandardPage(oversized.buffer, 80));

    const a = auditPool(pool);
    expect(a.strandedBytes).toBe(extra);
    expect(a.leakedBytes).toBe(0);
    // The counters did not see that buffer move, so the ledger disagrees with the walk too.
    expect(a.ledgerDriftBytes).not.toBe(0);
  });

  // Compression off: the head is a page; on (default): the head is a cold compressed page.
  for (const compressIdlePages of [0, 2]) {
    it(`reports a ${compressIdlePages ? 'compressed page' : 'page'} dropped from a list without release as leaked, per terminal and per pool`, () => {
      const pool = new PagePool({ compressIdlePages });
      const a1 = new Terminal({ cols: 80, rows: 24, scrollback: 2000, pool, label: 'a' });
      const b1 = new Terminal({ cols: 80, rows: 24, scrollback: 2000, pool, label: 'b' });
      for (let i = 0; i < 1500; i++) { a1.write(`a ${i}\r\n`); b1.write(`b ${i}\r\n`); }
      // The owner's quiet-time sweep (the service runs it when output pauses).
      a1.compressColdPages();
      b1.compressColdPages();
      const list = a1.primary.list;
      const victim = list.pages[0];
      expect(victim.kind === 'compressed').toBe(compressIdlePages > 0);
      list.pages.shift(); // forgot pool.release(victim)
      list.totalRows -= victim.size - list.headTrim;
      list.headTrim = 0;

      const rep = auditPool(pool);
      expect(rep.leakedBytes).toBe(nodeBytes(victim));
      expect(rep.danglingBytes).toBe(0);
      expect(rep.owners.find((o) => o.label === 'a')!.leakedBytes).toBe(nodeBytes(victim));
      expect(rep.owners.find((o) => o.label === 'b')!.leakedBytes).toBe(0);
    });
  }
});

describe('page kinds are part of the type', () => {
  it('an oversized page cannot be put on a standard free list without a cast', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, pool });
    t.write(manyStylesLines(60, 80));
    const p = t.primary.list.pages[0];
    const free: StandardPage[] = [];
    if (p.kind === 'oversized') {
      // @ts-expect-error an OversizedPage is not a StandardPage (checked by `tsc --noEmit` in npm test)
      free.push(p);
    }
    expect(p.kind).toBe('oversized');
    expect('reinit' in p).toBe(false);
    t.dispose();
  });
});
