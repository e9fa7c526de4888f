/**
 * Shrinking and growing the screen over compressed history: popRow and appendRow may meet a
 * compressed page at the tail (the soak hit `tail.clearCells is not a function` there); both
 * restore it first. This scenario walks the screen over swept history in both directions.
 */
import { describe, expect, it } from 'vitest';
import { auditPool, PagePool, Terminal } from '../../../src/engine/index.js';

describe('compress: resizing over compressed history', () => {
  it('shrinks, sweeps, grows and shrinks again with intact rows and a clean audit', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 300, scrollback: 5000, pool });
    const list = t.primary.list;
    const perPage = list.pages[0].capacity.rows;
    // Fill so that the screen (300 rows) spans the last page and part of the one before.
    for (let i = 0; i < perPage * 4; i++) t.write(`line ${i}\r\n`);
    t.write('\x1b[H'); // cursor to the top: shrinking pops rows from the bottom
    // Shrink to 1 row: the active area moves up into history; then sweep.
    t.resize(80, 1);
    t.compressColdPages();
    // Grow again and shrink: rows come back from compressed history, the tail changes.
    t.resize(80, 200);
    t.compressColdPages();
    t.resize(80, 2);
    t.write('after\r\nmore\r\n');
    t.assertIntegrity();
    expect(t.screenLines().join('\n')).toContain('more');
    const n = t.scrollbackLength;
    expect(t.scrollbackLines(0, n).length).toBe(n);
    t.dispose();
    const a = auditPool(pool);
    expect([a.leakedBytes, a.strandedBytes, a.danglingBytes, a.ledgerDriftBytes]).toEqual([0, 0, 0, 0]);
  });
});
