/**
 * History text read fast (issue 27): rows converted through a code-unit buffer (row-text.ts), and
 * compressed pages turned into text without being restored (history-text.ts). Both must give
 * exactly the strings of the per-cell conversion they replaced (kept here as the reference):
 * wide characters once, spacer heads as a space, graphemes whole, astral code points, trailing
 * blanks trimmed; and reading compressed pages must leave them compressed.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, SnapshotReader, Terminal } from '../../../src/engine/index.js';
import { CP_MASK, GRAPHEME_BIT, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../../../src/engine/page/cell.js';
import type { Page } from '../../../src/engine/page/page.js';
import type { PageList } from '../../../src/engine/page/page-list.js';
import { rng } from '../../../bench/corpora.js';

/** The conversion before issue 27: a string built cell by cell. */
function referenceRowText(p: Page, r: number): string {
  const base = p.rowStart(r);
  let end = p.cols;
  while (end > 0) {
    const w = p.content[base + end - 1]!;
    if ((w & GRAPHEME_BIT) === 0 && ((w & CP_MASK) === 0 || (w & CP_MASK) === 0x20)) end--;
    else break;
  }
  let s = '';
  const cps: number[] = [];
  for (let x = 0; x < end; x++) {
    const w = p.content[base + x]!;
    const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
    if (wide === Wide.SpacerTail) continue;
    if (wide === Wide.SpacerHead) { s += ' '; continue; }
    if ((w & GRAPHEME_BIT) !== 0) { p.cellCodepoints(base + x, cps); s += String.fromCodePoint(...cps); continue; }
    const cp = w & CP_MASK;
    s += cp === 0 ? ' ' : String.fromCodePoint(cp);
  }
  return s;
}

function referenceHistory(list: PageList): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.scrollbackRows; i++) out.push(referenceRowText(list.pinHistory(i), list.pinRow));
  return out;
}

const PIECES = ['alpha', 'beta ', '日本語', '中', '👍', '👨‍👩‍👧', 'e\u0301', 'na\u0308ive', '🇫🇷', '𝄞', 'é', 'λ', '   ', 'x', '\t', '\x1b[31mred\x1b[0m'];

/** Lines of random pieces; some end in spaces, some wrap with a wide character at the edge. */
function mixed(lines: number, seed: number): string {
  const r = rng(seed);
  let s = '';
  for (let i = 0; i < lines; i++) {
    const n = Math.floor(r() * 14);
    let line = `${i} `;
    for (let k = 0; k < n; k++) line += PIECES[Math.floor(r() * PIECES.length)];
    if (i % 11 === 0) line = 'w'.repeat(19) + '日本'; // the wide char does not fit at column 19: a spacer head
    if (i % 13 === 0) line += '    ';
    if (i % 17 === 0) line = '';
    s += line + '\r\n';
  }
  return s;
}

describe('history text', () => {
  it('is the per-cell conversion\'s text, hot and compressed, and leaves compressed pages compressed', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 20, rows: 5, scrollback: 3000, pool });
    t.write(mixed(4000, 7));
    const list = t.primary.list;
    expect(list.scrollbackRows).toBe(3000);
    const expected = referenceHistory(list);
    expect(expected.some((l) => l.includes('👨‍👩‍👧'))).toBe(true);
    expect(expected.some((l) => l === 'w'.repeat(19))).toBe(true); // its spacer head trimmed
    // Compressed pages.
    t.compressColdPages({ all: true });
    const compressed = list.compressedCount();
    expect(compressed).toBeGreaterThanOrEqual(2);
    expect(t.scrollbackLines(0, 3000)).toEqual(expected);
    expect(list.compressedCount()).toBe(compressed); // read without restoring
    // Any range, across page edges.
    expect(t.scrollbackLines(137, 1111)).toEqual(expected.slice(137, 137 + 1111));
    const reader = new SnapshotReader(t, 3000);
    const snap = t.snapshot(3000);
    expect(reader.texts(0, reader.lineCount)).toEqual(snap.lines.map((l) => l.text));
    // All pages restored (snapshot() pins every row): the live-page path gives the same.
    const hot = new Terminal({ cols: 20, rows: 5, scrollback: 3000, pool: new PagePool({ compressIdlePages: 0 }) });
    hot.write(mixed(4000, 7));
    expect(hot.primary.list.compressedCount()).toBe(0);
    expect(hot.scrollbackLines(0, 3000)).toEqual(expected);
    expect(hot.screenLines()).toEqual(t.screenLines());
    hot.dispose();
    t.dispose();
  });

  it('converts rows longer than one fromCharCode chunk', () => {
    const t = new Terminal({ cols: 4096, rows: 3, scrollback: 10, pool: new PagePool() });
    const row = '𝄞'.repeat(2000) + 'x'.repeat(96); // 2,000 astral (4,000 units) + ...
    t.write(row.repeat(3) + '\r\n'.repeat(4));
    const list = t.primary.list;
    const expected = referenceHistory(list);
    expect(t.scrollbackLines(0, list.scrollbackRows)).toEqual(expected);
    t.compressColdPages({ all: true });
    expect(t.scrollbackLines(0, list.scrollbackRows)).toEqual(expected);
    t.dispose();
  });

  it('writes JSON lines byte for byte as JSON.stringify of the line objects', () => {
    const t = new Terminal({ cols: 20, rows: 5, scrollback: 600, pool: new PagePool() });
    t.write(mixed(500, 9));
    // Styles (SGR, RGB), a hyperlink, control-like and quoting characters, a double-width line.
    t.write('\x1b[1;38;2;1;2;3mbold\x1b[0m "q" \\ \x1b]8;;https://x.test/a\x07link\x1b]8;;\x07\r\n\x1b#6wide line\r\n');
    t.compressColdPages({ all: true });
    const reader = new SnapshotReader(t, 600);
    while (!reader.scan(64));
    const lines = reader.lines(0, reader.lineCount);
    expect(lines.some((l) => l.cells.some((c) => c.link !== undefined))).toBe(true);
    expect(lines.some((l) => l.size === 'double-width')).toBe(true);
    expect(reader.linesJsonText(0, reader.lineCount)).toBe(lines.map((l) => JSON.stringify(l)).join(','));
    expect(reader.linesJsonText(17, 230)).toBe(lines.slice(17, 230).map((l) => JSON.stringify(l)).join(','));
    t.dispose();
  });
});
