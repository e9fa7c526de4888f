/**
 * The two consumers of page-codec.ts's row reader (EncodedRows) agree: a compressed page restored
 * into a pool page (restoreInto → decodePage) and the same record decoded into flat arrays for
 * reads (DecodedPage.read) hold the same rows — flags (wrap, line size), content words, style
 * values, grapheme clusters and link URIs — on random pages of wide characters, graphemes, styles
 * (standard and large pages), hyperlinks and double-width/height lines.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../../src/engine/index.js';
import { CONTENT_MASK, CP_MASK, GRAPHEME_BIT, ROW_SIZE_MASK, WIDTH_SHIFT } from '../../../src/engine/page/cell.js';
import { compressPage, restoreInto, type CompressedPage } from '../../../src/engine/page/compressed-page.js';
import { DecodedPage } from '../../../src/engine/page/decoded-page.js';
import type { Page } from '../../../src/engine/page/page.js';
import { StyleValue } from '../../../src/engine/page/style-table.js';
import { rng } from '../../../bench/corpora.js';

const PIECES = [
  'plain ', 'x', '日本語', '中', '👍', '👨‍👩‍👧', 'e\u0301', '🇫🇷', 'é', 'λ', '   ', '\t',
  '\x1b[31mred\x1b[0m', '\x1b[1;38;2;1;2;3mrgb\x1b[0m', '\x1b[4:3;58;5;9mcurly\x1b[0m', '\x1b[7m inv \x1b[27m',
  '\x1b]8;;https://x.test/a\x07link\x1b]8;;\x07', '\x1b]8;id=k;https://y.test/\x07y\x1b]8;;\x07', '\x1b[3C', '\x1b[44m  \x1b[49m',
];

function randomInput(lines: number, seed: number, colours: boolean): string {
  const r = rng(seed);
  let s = '';
  for (let i = 0; i < lines; i++) {
    const n = Math.floor(r() * 10);
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(r() * PIECES.length)];
    // A style per word on some lines: enough styles for large pages.
    if (colours && r() < 0.5) s += `\x1b[38;2;${Math.floor(r() * 256)};${i & 255};7mw${i}\x1b[0m`;
    const size = r();
    if (size < 0.04) s += '\x1b#6';
    else if (size < 0.06) s += '\x1b#3';
    else if (size < 0.08) s += '\x1b#4';
    if (r() < 0.05) s += 'w'.repeat(30) + '中'; // wraps, with a spacer head at the edge
    s += '\r\n';
  }
  return s;
}

/** Row r as a reader sees it: flags, then per cell [content word, text, style fields, link]. */
type RowView = [number, unknown[]];

function liveRow(p: Page, r: number): RowView {
  const sv = new StyleValue();
  const cps: number[] = [];
  const cells: unknown[] = [];
  const base = p.rowStart(r);
  for (let x = 0; x < p.cols; x++) {
    const i = base + x;
    p.styles.read(p.styleAt(i), sv);
    cells.push([p.wordAt(i), String.fromCodePoint(...p.cellCodepoints(i, cps)), sv.fg, sv.bg, sv.ul, sv.flags, p.linkOf(i)?.uri ?? null]);
  }
  return [p.rowFlags[r]!, cells];
}

function decodedRow(d: DecodedPage, r: number): RowView {
  const cells: unknown[] = [];
  const base = r * d.cols;
  for (let x = 0; x < d.cols; x++) {
    const i = base + x;
    const w = d.content[i]!;
    let text = '';
    if ((w & GRAPHEME_BIT) !== 0) {
      const off = w & CP_MASK;
      const len = d.graphemes[off]!;
      for (let k = 1; k <= len; k++) text += String.fromCodePoint(d.graphemes[off + k]!);
    } else if ((w & CP_MASK) !== 0) text = String.fromCodePoint(w & CP_MASK);
    const id = d.styleIds[i]!;
    if (id > d.styleCount) throw new Error(`style id ${id} past ${d.styleCount}`);
    const rec = d.records;
    cells.push([w & CONTENT_MASK, text, rec[id * 4], rec[id * 4 + 1], rec[id * 4 + 2], rec[id * 4 + 3], d.links.get(i) ?? null]);
  }
  return [d.rowFlags[r]!, cells];
}

describe('EncodedRows: restore and decode agree', () => {
  for (const [seed, colours] of [[1, false], [2, true]] as const) {
    it(`random pages, seed ${seed}${colours ? ', a style per word' : ''}`, () => {
      const pool = new PagePool({ compressIdlePages: 0 });
      const t = new Terminal({ cols: 50, rows: 10, scrollback: 3000, pool });
      t.write(randomInput(1500, seed, colours));
      const list = t.primary.list;
      const decoded = new DecodedPage();
      const seen = { graphemes: 0, wide: 0, styled: 0, links: 0, sized: 0, large: 0 };
      for (const node of list.pages) {
        const p = node as Page;
        if (p.kind === 'large') seen.large++;
        const rec: CompressedPage = compressPage(p);
        const fresh = p.kind === 'standard' ? pool.acquireStandard(p.cols, list)
          : p.kind === 'large' ? pool.acquireLarge(p.cols, list) : pool.allocateOversized(p.capacity, list);
        restoreInto(fresh, rec);
        const d = decoded.read(rec);
        expect(d.size).toBe(fresh.size);
        const restored: RowView[] = [];
        const flat: RowView[] = [];
        const original: RowView[] = [];
        for (let r = 0; r < fresh.size; r++) {
          restored.push(liveRow(fresh, r));
          flat.push(decodedRow(d, r));
          original.push(liveRow(p, r));
        }
        // Compared as JSON (toEqual on ~100,000 cells is seconds); both are the page compressed.
        const want = JSON.stringify(original);
        expect(JSON.stringify(restored)).toBe(want);
        expect(JSON.stringify(flat)).toBe(want);
        for (const [flags, cells] of restored) {
          if ((flags & ROW_SIZE_MASK) !== 0) seen.sized++;
          for (const c of cells as [number, string, number, number, number, number, string | null][]) {
            if (c[1].length > 2) seen.graphemes++;
            if (((c[0] >>> WIDTH_SHIFT) & 3) === 1) seen.wide++;
            if (c[2] !== 0 || c[5] !== 0) seen.styled++;
            if (c[6] !== null) seen.links++;
          }
        }
        pool.release(fresh);
      }
      expect(seen.graphemes).toBeGreaterThan(0);
      expect(seen.wide).toBeGreaterThan(0);
      expect(seen.styled).toBeGreaterThan(0);
      expect(seen.links).toBeGreaterThan(0);
      expect(seen.sized).toBeGreaterThan(0);
      if (colours) expect(seen.large).toBeGreaterThan(0);
      t.dispose();
    });
  }
});
