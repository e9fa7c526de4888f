/**
 * Packed cells (cell.ts): a standard page keeps each cell's style id in the word's top 7 bits
 * (4 B a cell), large and oversized pages in a Uint16 array beside the words (6 B). What a
 * reader sees must not depend on the layout: styled blanks, rows copied from a packed page into
 * a split one when a standard page runs out of styles, and the memory a hot page costs.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../../src/engine/index.js';
import { largeCapacity, layoutFor, standardCapacity, STANDARD_PAGE_BYTES } from '../../../src/engine/page/capacity.js';
import { STYLE_SHIFT } from '../../../src/engine/page/cell.js';
import type { Page } from '../../../src/engine/page/page.js';

const pagesOf = (t: Terminal): Page[] => t.primary.list.pages.filter((p): p is Page => p.kind !== 'compressed');

function styledLines(n: number, from = 0): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += `\x1b[3${i % 8}mline ${i}\x1b[0m \x1b[44m\x1b[K\x1b[0m\r\n`;
  return s;
}

describe('Page: packed cells', () => {
  it('a standard page is packed: no style array, the id in the word, 377 rows at 80 columns', () => {
    const cap = standardCapacity(80)!;
    expect(cap.rows).toBe(377);
    const l = layoutFor(cap, true);
    expect(l.total).toBeLessThanOrEqual(STANDARD_PAGE_BYTES);
    // Cells take 4 bytes each in a standard page: the rest is the row and style/grapheme tables.
    expect((l.total - cap.rows * cap.cols * 4) / (cap.rows * cap.cols)).toBeLessThan(0.4);
    // The large class holds every row of a standard page it replaces, at every width.
    for (const cols of [1, 20, 80, 132, 300, 1000]) {
      const s = standardCapacity(cols);
      if (s !== null) expect(largeCapacity(cols)!.rows).toBeGreaterThanOrEqual(s.rows);
    }
    const t = new Terminal({ cols: 80, rows: 24 });
    t.write('\x1b[31mred\x1b[0m');
    const p = pagesOf(t).at(-1)!;
    expect(p.kind).toBe('standard');
    expect(p.packed).toBe(true);
    expect(p.styleIds.length).toBe(0);
    const i = p.rowStart(0);
    expect(p.content[i]! >>> STYLE_SHIFT).toBe(p.styleAt(i));
    expect(p.styleAt(i)).not.toBe(0);
    expect(p.wordAt(i)).toBe(0x72); // 'r'
    t.dispose();
  });

  it('hot scrollback costs at most 4.5 bytes a cell (6.55 with 6-byte cells)', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 10000, pool });
    let s = '';
    for (let i = 0; i < 10024; i++) s += `${i} ${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3)}`.slice(0, 80) + '\r\n';
    t.write(s);
    const cells = t.scrollbackLength * 80;
    expect(t.scrollbackLength).toBe(10000);
    expect(pool.stats().bytesLent / cells).toBeLessThan(4.5);
    t.dispose();
  });

  it('styled blanks read the same on packed and split pages, and survive growth into a large page', () => {
    // The same rows on a standard (packed) page and, after a burst of styles, on a large one.
    const t = new Terminal({ cols: 40, rows: 10, scrollback: 300 });
    t.write(styledLines(30));
    expect(pagesOf(t).every((p) => p.kind === 'standard')).toBe(true);
    const before = t.snapshot(t.scrollbackLength);
    const text = t.scrollbackLines(0, t.scrollbackLength);
    // Trailing styled blanks are not text (trimmed as before), but their style is kept.
    expect(text[3]).toBe('line 3');
    const row = before.lines[3]!;
    expect(before.styles[row.cells[39]!.style]!.bg).not.toBeNull();
    // 200 distinct styles on the bottom row: the page (with every row above) grows to large.
    let burst = '';
    for (let k = 0; k < 200; k++) burst += `\x1b[38;2;${k};7;9mx`;
    t.write(`${burst}\x1b[0m`);
    expect(pagesOf(t).some((p) => p.kind === 'large' && !p.packed)).toBe(true);
    const after = t.snapshot(t.scrollbackLength);
    // Rows written before the growth read exactly as before (styles resolved by value).
    const resolve = (snap: typeof before, r: number) => snap.lines[r]!.cells.map((c) => [c.text, snap.styles[c.style]]);
    for (let r = 0; r < 30; r++) expect(resolve(after, r)).toEqual(resolve(before, r));
    t.assertIntegrity();
    t.dispose();
  });
});
