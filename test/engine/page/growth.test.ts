/**
 * How far a page grows when its style table is full: a rule (grownStyleCapacity, for pages
 * past the large class) and what it does to a terminal printing a new colour per word (one
 * growth per page, into the large pooled class) and to one that prints a burst of colours in a
 * couple of rows (the large class too: no oversized allocation).
 */
import { describe, expect, it } from 'vitest';
import { grownStyleCapacity, LARGE_STYLES, MAX_STYLE_GROWTH, MIN_ROWS_TO_PROJECT } from '../../../src/engine/page/capacity.js';
import { Terminal } from '../../../src/engine/index.js';
import { PagePool } from '../../../src/engine/pool/page-pool.js';
import { assertPageIntegrity } from '../../../src/engine/page/integrity.js';

describe('grownStyleCapacity', () => {
  it('doubles without enough rows to go by', () => {
    expect(grownStyleCapacity(128, 127, 256, MIN_ROWS_TO_PROJECT - 1)).toBe(256);
    expect(grownStyleCapacity(128, 127, 256, 0)).toBe(256);
  });
  it('sizes for the whole page at the rate seen so far, as a power of two', () => {
    // 127 styles in 16 of 256 rows: about 2032 for the page.
    expect(grownStyleCapacity(128, 127, 256, 16)).toBe(2048);
    // 127 styles in 64 rows: 508 → 512.
    expect(grownStyleCapacity(128, 127, 256, 64)).toBe(512);
    // Half the page used up its table: doubling is enough.
    expect(grownStyleCapacity(128, 127, 256, 200)).toBe(256);
  });
  it('is capped per growth and by the 16-bit id space', () => {
    expect(grownStyleCapacity(128, 127, 4096, 8)).toBe(128 * MAX_STYLE_GROWTH);
    expect(grownStyleCapacity(0x8000, 0x7fff, 256, 8)).toBe(0xffff);
  });
});

function growths(write: (t: Terminal) => void): { grown: number; oversized: number; styles: number[] } {
  const pool = new PagePool();
  const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
  const before = pool.stats();
  write(t);
  const after = pool.stats();
  const oversized = after.oversizedCreated - before.oversizedCreated;
  const grown = oversized + after.largeCreated - before.largeCreated;
  const list = t.active.list;
  for (const p of list.pages) if (p.kind !== 'compressed') assertPageIntegrity(p);
  const styles = list.pages.map((p) => (p.kind === 'compressed' ? -1 : p.capacity.styles));
  t.dispose();
  return { grown, oversized, styles };
}

describe('page growth on a full style table', () => {
  it('a colour per word grows each page once', () => {
    let k = 0;
    const { grown, oversized, styles } = growths((t) => {
      for (let line = 0; line < 200; line++) {
        let s = '';
        for (let w = 0; w < 8; w++, k++) s += `\x1b[38;2;${k & 255};${(k >> 8) & 255};7mword \x1b[0m`;
        t.write(`${s}\r\n`);
      }
    });
    // 1,600 styles in 200 rows: one growth, into the large pooled class (4,096 styles).
    expect(styles[0]).toBe(LARGE_STYLES);
    expect(grown).toBe(1);
    expect(oversized).toBe(0);
  });
  it('a burst of colours in two rows moves to the large class, not an oversized page', () => {
    const { styles, oversized } = growths((t) => {
      let s = '';
      for (let k = 0; k < 150; k++) s += `\x1b[38;5;${k}m\x1b[48;5;${k & 7}mx`;
      t.write(`${s}\x1b[0m\r\n`);
      for (let line = 0; line < 50; line++) t.write('plain text\r\n');
    });
    expect(styles[0]).toBe(LARGE_STYLES);
    expect(oversized).toBe(0);
  });
});
