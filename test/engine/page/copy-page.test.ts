/**
 * copyPageInto (a page growing into an oversized one) copies memory instead of re-interning
 * each cell: every logical cell must come out with the same text, style record and link, the
 * style table must keep working (hits, frees, new ids), and both pages must pass the
 * integrity checker, extents included.
 */
import { describe, expect, it } from 'vitest';
import { copyPageInto } from '../../../src/engine/page/copy-cells.js';
import { assertPageIntegrity } from '../../../src/engine/page/integrity.js';
import { OversizedPage, type Page, StandardPage } from '../../../src/engine/page/page.js';
import { layoutFor, oversizedCapacity, STANDARD_PAGE_BYTES } from '../../../src/engine/page/capacity.js';
import { StyleValue } from '../../../src/engine/page/style-table.js';

const COLS = 12;

function styleOf(p: Page, i: number): string {
  const s = new StyleValue();
  p.styles.read(p.styleAt(i), s);
  return `${s.fg}/${s.bg}/${s.ul}/${s.flags}`;
}

/** Every logical cell as text: code points, style record, link. */
function dump(p: Page): string[] {
  const out: string[] = [];
  const cps: number[] = [];
  for (let r = 0; r < p.size; r++) {
    for (let x = 0; x < COLS; x++) {
      const i = p.rowStart(r) + x;
      p.cellCodepoints(i, cps);
      out.push(`${r}:${x} ${cps.join(',')} ${(p.content[i] >>> 21) & 3} ${styleOf(p, i)} ${p.linkOf(i)?.uri ?? '-'}`);
    }
  }
  return out;
}

function filled(): StandardPage {
  const p = new StandardPage(new ArrayBuffer(STANDARD_PAGE_BYTES), COLS);
  const s = new StyleValue();
  for (let r = 0; r < 6; r++) {
    p.appendRow();
    for (let x = 0; x < Math.min(COLS, (r * 5) % COLS + 3); x++) {
      s.fg = 0x1000000 | (r * 40 + x); // distinct styles, some cells unstyled
      const id = x % 4 === 0 ? 0 : p.styles.intern(s);
      p.setCell(r, x, 0x61 + x, id);
    }
  }
  // A freed style id (its cell overwritten), so the copy has a free list to keep.
  p.setCell(1, 1, 0x7a, 0);
  p.appendToGrapheme(2, 0, 0x301);
  const k = p.internLink('https://example.test/a', '');
  p.setCellLink(4, 2, k); // row 4 moves to another slot below
  // Physical slots out of logical order, as region scrolls leave them.
  const s0 = p.rowSlot[0];
  p.rowSlot[0] = p.rowSlot[4];
  p.rowSlot[4] = s0;
  const f0 = p.rowFlags[0];
  p.rowFlags[0] = p.rowFlags[4];
  p.rowFlags[4] = f0;
  return p;
}

describe('copyPageInto', () => {
  it('keeps every cell, style, grapheme and link, and the table keeps working', () => {
    const src = filled();
    assertPageIntegrity(src);
    const cap = oversizedCapacity(COLS, { rows: src.capacity.rows, styles: src.capacity.styles * 4 });
    const dst = new OversizedPage(new ArrayBuffer(layoutFor(cap, false).total), cap);
    copyPageInto(dst, src);
    assertPageIntegrity(dst);
    expect(dump(dst)).toEqual(dump(src));
    expect(dst.styles.count).toBe(src.styles.count);

    // An existing style hits its old id; new styles get fresh ids; freeing works.
    const s = new StyleValue();
    s.fg = 0x1000000 | (2 * 40 + 1);
    const id = src.styleAt(src.rowStart(2) + 1);
    expect(dst.styles.intern(s)).toBe(id);
    dst.styles.unref(id);
    for (let k = 0; k < 200; k++) {
      s.fg = 0x2000000 | k;
      const nid = dst.styles.intern(s);
      expect(nid).toBeGreaterThan(0);
      dst.setCell(5, k % COLS, 0x41, nid);
    }
    assertPageIntegrity(dst);
    // Every id the source had free (its free list included) is still there to hand out.
    for (let k = 0; dst.styles.intern(Object.assign(s, { fg: 0x3000000 | k })) > 0; k++);
    expect(dst.styles.count).toBe(dst.styles.capacity - 1);
    // The source is untouched by writes to the copy.
    assertPageIntegrity(src);
    expect(dump(src)).toEqual(dump(filled()));
  });

  it('refuses a destination smaller than its source', () => {
    const src = filled();
    const small = new StandardPage(new ArrayBuffer(STANDARD_PAGE_BYTES), COLS + 1);
    expect(() => copyPageInto(small, src)).toThrow(/at least as large/);
  });
});
