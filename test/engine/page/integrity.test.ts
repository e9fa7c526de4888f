/**
 * The integrity checker (page/integrity.ts) must catch what it claims to: each test breaks one
 * invariant of an otherwise healthy page by hand and expects the named failure.
 */
import { describe, expect, it } from 'vitest';
import { WIDE_BITS, SPACER_TAIL_BITS, GRAPHEME_BIT } from '../../../src/engine/page/cell.js';
import { assertPageIntegrity } from '../../../src/engine/page/integrity.js';
import { StandardPage } from '../../../src/engine/page/page.js';
import { STANDARD_PAGE_BYTES } from '../../../src/engine/page/capacity.js';

function page(cols = 10, rows = 3): StandardPage {
  const p = new StandardPage(new ArrayBuffer(STANDARD_PAGE_BYTES), cols);
  for (let r = 0; r < rows; r++) p.appendRow();
  for (let x = 0; x < cols; x++) p.setCell(0, x, 0x61 + x, 0);
  return p;
}

describe('assertPageIntegrity: catches each broken invariant', () => {
  it('passes a healthy page', () => {
    expect(() => assertPageIntegrity(page())).not.toThrow();
  });
  it('an unused row that is not blank', () => {
    const p = page();
    p.content[p.rowStart(p.size) + 4] = 0x41; // appendRow does not clear: a stale cell past size
    expect(() => assertPageIntegrity(p)).toThrow(/unused row 3 col 4 not blank/);
  });
  it('a stale style id in an unused row', () => {
    const p = page();
    p.setStyleAt(p.rowStart(p.capacity.rows - 1) + 9, 1);
    expect(() => assertPageIntegrity(p)).toThrow(/unused row .* col 9 not blank/);
  });
  it('a wide head without its spacer tail, and a tail without a head', () => {
    const p = page();
    p.setCell(1, 2, 0x6f22 | WIDE_BITS, 0);
    expect(() => assertPageIntegrity(p)).toThrow(/wide head without a spacer tail/);
    const q = page();
    q.setCell(1, 5, SPACER_TAIL_BITS, 0);
    expect(() => assertPageIntegrity(q)).toThrow(/spacer tail without a wide head/);
  });
  it('a grapheme cell in a row without ROW_HAS_GRAPHEME', () => {
    const p = page();
    p.setCell(2, 0, GRAPHEME_BIT, 0);
    expect(() => assertPageIntegrity(p)).toThrow(/without ROW_HAS_GRAPHEME/);
  });
  it('a style id nobody holds a reference to', () => {
    const p = page();
    p.setStyleAt(p.rowStart(1), 3);
    expect(() => assertPageIntegrity(p)).toThrow(/style id 3/);
  });
  it('a cell written right of its row extent without raising it', () => {
    const p = page();
    p.setCell(1, 2, 0x41, 0);
    expect(() => assertPageIntegrity(p)).not.toThrow();
    // What a writer that forgets rowExtent leaves: the print fast path would overwrite it blind.
    p.content[p.rowStart(1) + 6] = 0x42;
    expect(() => assertPageIntegrity(p)).toThrow(/row 1 col 6: not blank at or right of the row's extent 3/);
  });
});
