/**
 * Memory that idle terminals and an idle pool give back: the quiet sweep compresses every page
 * above the screen (not only those idle for two epoch ticks), and PagePool.trimIdle drops the
 * free pages nobody reused over an interval, down to a floor.
 */
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../../src/engine/index.js';
import { PagePool, type PageOwner } from '../../../src/engine/pool/page-pool.js';
import { auditPool } from '../../../src/engine/pool/leak-audit.js';

const owner: PageOwner = { label: 'test', forEachPage() {}, forEachCompressed() {} };

function fill(t: Terminal, lines: number): void {
  let s = '';
  for (let i = 0; i < lines; i++) s += `${i} GET /api/v1/items/${(i * 7919) % 10007} 200 ${(i * 31) % 997}ms\r\n`;
  t.write(s);
}

describe('quiet sweep', () => {
  it('leaves only the pages holding the screen uncompressed', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 5000, pool });
    fill(t, 3000);
    const rowsPerPage = t.pageCount > 1 ? Math.ceil(3024 / t.pageCount) : 3024;
    t.compressColdPages();
    // The epoch rule keeps the page before the tail hot: the sweep that a read may run.
    const hotAfterEpochRule = pool.stats().lentStandardPages;
    t.compressColdPages({ all: true });
    const hot = pool.stats().lentStandardPages;
    expect(rowsPerPage).toBeLessThan(1000); // several pages, so there is something to compress
    expect(hotAfterEpochRule).toBeGreaterThan(hot);
    // The screen's 24 rows are on one small page (PageList.compactScreen), no standard page is hot.
    expect(hot).toBe(0);
    expect(pool.stats().lentSmallPages).toBe(1);
    // History reads back through the restores.
    expect(t.scrollbackLines(0, 1)[0]).toContain('0 GET');
    expect(auditPool(pool).leakedBytes + auditPool(pool).ledgerDriftBytes + auditPool(pool).danglingBytes).toBe(0);
    t.dispose();
  });
});

describe('PagePool.trimIdle', () => {
  it('drops the free pages not reused since the last call, down to the floor', () => {
    // freeShare: Infinity, so only trimIdle shrinks the list here (small-class.test.ts has the bound).
    const pool = new PagePool({ maxFreePages: 64, freeShare: Infinity });
    const pages = Array.from({ length: 40 }, () => pool.acquireStandard(80, owner));
    for (const p of pages) pool.release(p);
    expect(pool.stats().freeStandardPages).toBe(40);
    // First call: the low-water mark starts at what the list held then (nothing was idle yet).
    expect(pool.trimIdle(4)).toBe(0);
    // 10 pages are taken and given back during the interval: 30 stayed unused throughout.
    const busy = Array.from({ length: 10 }, () => pool.acquireStandard(80, owner));
    for (const p of busy) pool.release(p);
    expect(pool.trimIdle(4)).toBe(30);
    expect(pool.stats().freeStandardPages).toBe(10);
    // Nothing reused in the next interval: all but the floor go.
    expect(pool.trimIdle(4)).toBe(6);
    expect(pool.stats().freeStandardPages).toBe(4);
    expect(pool.stats().standardDropped).toBe(36);
    expect(auditPool(pool).leakedBytes + auditPool(pool).ledgerDriftBytes + auditPool(pool).danglingBytes).toBe(0);
  });
});
