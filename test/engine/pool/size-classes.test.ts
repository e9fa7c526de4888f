/**
 * Size classes (issue 27): colourful output (a style per word) lives on pooled pages of the
 * large class instead of a fresh oversized allocation per page, and each class is recycled only
 * within itself: a page on another class's free list is caught by the leak audit (misfiled
 * bytes, ledger drift) and cannot be written without a cast.
 */
import { describe, expect, it } from 'vitest';
import { styledCorpus } from '../../../bench/corpora.js';
import { auditPool, PagePool, Terminal } from '../../../src/engine/index.js';
import { LARGE_PAGE_BYTES, STANDARD_PAGE_BYTES } from '../../../src/engine/page/capacity.js';
import type { LargePage, Page, StandardPage } from '../../../src/engine/page/page.js';

/** Nothing lost, nothing stranded, every free page on its own class's list. */
function expectClean(pool: PagePool): void {
  const a = auditPool(pool);
  expect(a.leakedBytes).toBe(0);
  expect(a.strandedBytes).toBe(0);
  expect(a.danglingBytes).toBe(0);
  expect(a.ledgerDriftBytes).toBe(0);
  expect(a.misfiledBytes).toBe(0);
}

function kinds(t: Terminal): string[] {
  return t.primary.list.pages.map((p) => (p.kind === 'compressed' ? p.pageKind : p.kind));
}

/** The throughput bench's styled corpus: a random 16/256/RGB colour per word. */
const STYLED = styledCorpus(1536 * 1024); // 1.5 MiB, about 6,800 lines

describe('size classes: styled output stays on pooled pages', () => {
  it('a style per word over thousands of lines: no oversized page, large pages recycled', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    for (let o = 0; o < STYLED.length; o += 4096) t.write(STYLED.subarray(o, Math.min(o + 4096, STYLED.length)));
    const st = pool.stats();
    expect(t.primary.list.historyEnd).toBeGreaterThan(6000); // thousands of lines went through
    expect(st.oversizedCreated).toBe(0);
    expect(kinds(t).every((k) => k === 'standard' || k === 'large')).toBe(true);
    expect(kinds(t).filter((k) => k === 'large').length).toBeGreaterThan(0);
    // Pruning hands the head page back and the next new page reuses it: a handful allocated
    // (1,024 rows over 330-row pages, plus the one in flight), every later one recycled.
    expect(st.largeCreated).toBeLessThanOrEqual(6);
    expect(st.largeRecycled).toBeGreaterThan(10);
    expectClean(pool);
    t.assertIntegrity();
    t.dispose();
    expectClean(pool);
    expect(pool.stats().bytesLent).toBe(0);
  });

  it('recycles each class only within itself', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const styled = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool, label: 'styled' });
    styled.write(STYLED.subarray(0, 256 * 1024));
    const plain = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool, label: 'plain' });
    for (let i = 0; i < 3000; i++) plain.write(`plain line ${i}\r\n`);
    styled.dispose();
    plain.dispose();
    let st = pool.stats();
    expect(st.freeLargePages).toBeGreaterThan(0);
    expect(st.freeStandardPages).toBeGreaterThan(0);
    expectClean(pool);

    // Plain output takes standard pages only, styled output large ones, from their own lists.
    const created = { standard: st.standardCreated, large: st.largeCreated };
    const plain2 = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    for (let i = 0; i < 3000; i++) plain2.write(`again ${i}\r\n`);
    plain2.primary.list.forEachPage((p: Page) => {
      expect(p.kind).toBe('standard');
      expect(p.buffer.byteLength).toBe(STANDARD_PAGE_BYTES);
    });
    plain2.dispose();
    const styled2 = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    styled2.write(STYLED.subarray(0, 256 * 1024));
    styled2.primary.list.forEachPage((p: Page) => {
      expect(p.buffer.byteLength).toBe(p.kind === 'large' ? LARGE_PAGE_BYTES : STANDARD_PAGE_BYTES);
    });
    st = pool.stats();
    expect(st.largeCreated).toBe(created.large);
    expect(st.standardCreated).toBe(created.standard);
    expectClean(pool);
    styled2.dispose();
    expectClean(pool);
  });
});

describe('size classes: a page recycled across classes is seen', () => {
  it('the audit reports a large page on the standard free list as misfiled and as ledger drift', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    t.write(STYLED.subarray(0, 64 * 1024));
    const list = t.primary.list;
    const large = list.pages.find((p) => p.kind === 'large') as LargePage;
    expect(large).toBeDefined();
    // The deliberately wrong release: the large page onto the standard free list. Only a cast
    // lets this be written (see the type test below).
    const internals = pool as unknown as { free: StandardPage[]; lent: Map<Page, unknown>; lentLarge: number };
    list.pages.splice(list.pages.indexOf(large), 1);
    internals.lent.delete(large);
    internals.lentLarge--;
    internals.free.push(large as unknown as StandardPage);
    const a = auditPool(pool);
    expect(a.misfiledBytes).toBe(LARGE_PAGE_BYTES);
    expect(a.ledgerDriftBytes).toBe(STANDARD_PAGE_BYTES - LARGE_PAGE_BYTES);
  });

  it('a large page cannot be put on a standard free list (or the reverse) without a cast', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, pool });
    t.write(STYLED.subarray(0, 16 * 1024));
    const p = t.primary.list.pages[0]!;
    const freeStandard: StandardPage[] = [];
    const freeLarge: LargePage[] = [];
    if (p.kind === 'large') {
      // @ts-expect-error a LargePage is not a StandardPage (checked by `tsc --noEmit` in npm test)
      freeStandard.push(p);
    }
    if (p.kind === 'standard') {
      // @ts-expect-error a StandardPage is not a LargePage
      freeLarge.push(p);
    }
    expect(p.kind).toBe('large');
    t.dispose();
  });
});
