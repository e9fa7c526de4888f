/**
 * The page codec on its own: a page encoded, compressed and restored into a fresh page of the
 * same kind has the same rows, cell words, style values and reference counts, grapheme arena,
 * row flags (wrap and continuation included) and links, even when its row slots were rotated
 * by region scrolls before it went cold.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../../src/engine/index.js';
import { compressPage, restoreInto } from '../../../src/engine/page/compressed-page.js';
import { assertPageIntegrity } from '../../../src/engine/page/integrity.js';
import type { Page } from '../../../src/engine/page/page.js';
import { StyleValue } from '../../../src/engine/page/style-table.js';

/** Logical view of a page: what must survive, independent of slots and ids. */
function logical(p: Page): unknown[] {
  const rows: unknown[] = [];
  const sv = new StyleValue();
  const cps: number[] = [];
  for (let r = 0; r < p.size; r++) {
    const base = p.rowStart(r);
    const cells: unknown[] = [];
    for (let x = 0; x < p.cols; x++) {
      const i = base + x;
      p.styles.read(p.styleAt(i), sv);
      const link = p.linkOf(i);
      cells.push([p.wordAt(i), [...p.cellCodepoints(i, cps)], sv.fg, sv.bg, sv.ul, sv.flags,
        p.styleAt(i) === 0 ? 0 : p.styles.refs[p.styleAt(i)], link ? [link.uri, link.id, link.refs] : null]);
    }
    rows.push([p.rowFlags[r], cells]);
  }
  return rows;
}

function feed(t: Terminal): void {
  let s = '';
  for (let i = 0; i < 900; i++) {
    if (i % 50 === 0) {
      // A scroll region inside the screen rotates row slots; those rows later reach history.
      s += '\x1b[3;20r\x1b[20;1H';
      for (let k = 0; k < 7; k++) s += `\x1b[3${k % 8}mregion ${i}.${k} e\u0301 👨‍👩‍👧\x1b[0m\n`;
      s += '\x1b[r\x1b[24;1H';
    }
    s += `\x1b]8;id=${i % 3};https://x.test/${i % 4}\x07${i}\x1b]8;;\x07 `;
    s += `\x1b[38;2;${i & 255};1;2m${'wrapped '.repeat(i % 17)}\x1b[0m 漢字🇯🇵\r\n`;
  }
  t.write(s);
}

describe('compress: page codec', () => {
  it('restores every page of varied history exactly (standard and large pages)', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 5000, pool });
    feed(t);
    const pages = t.primary.list.pages as Page[];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    let rotated = 0;
    for (const p of pages) {
      for (let r = 0; r < p.size; r++) if (p.rowSlot[r] !== r) { rotated++; break; }
      const rec = compressPage(p); // compacts p's arena first: compare after
      const before = logical(p);
      expect(rec.size).toBe(p.size);
      expect(rec.byteLength).toBeLessThan(p.size * p.cols);
      const fresh = p.kind === 'standard' ? pool.acquireStandard(p.cols, t.primary.list)
        : p.kind === 'large' ? pool.acquireLarge(p.cols, t.primary.list) : pool.allocateOversized(p.capacity, t.primary.list);
      restoreInto(fresh, rec);
      assertPageIntegrity(fresh);
      expect(logical(fresh)).toEqual(before);
      expect(fresh.styles.count).toBe(p.styles.count);
      expect(fresh.linksInUse).toBe(p.linksInUse);
      expect(fresh.graphemeUsed).toBe(p.graphemeUsed);
      pool.release(fresh);
    }
    expect(rotated).toBeGreaterThan(0);
    expect(pages.some((p) => p.kind === 'large')).toBe(true);
    t.dispose();
  });

  it('refuses to restore into a page of another kind or shape', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    feed(t);
    const rec = compressPage(t.primary.list.pages[0] as Page);
    const other = pool.acquireStandard(81, t.primary.list);
    expect(() => restoreInto(other, rec)).toThrow(/does not match/);
    pool.release(other);
    t.dispose();
  });
});
