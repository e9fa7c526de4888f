/**
 * Substring search over history that reads compressed pages' low bytes first (format/history-find.ts):
 * only rows holding the query's longest space-free run, and rows with wide characters, graphemes or
 * code points above U+00FF, are turned into text. The hits must be exactly those of indexOf on every
 * line's text (the reference), compressed or hot, for queries with spaces, Latin-1, CJK, graphemes,
 * quotes, and runs that span two rows' bytes; and compressed pages stay compressed.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../../src/engine/index.js';
import { searchLines } from '../../../src/sessions/search.js';
import { rng } from '../../../bench/corpora.js';

const PIECES = ['alpha', 'beta ', 'gamma', 'ab', 'cd', '日本語', '中', 'e\u0301', 'éß', 'λx', '   ', '"q"', '\\', '\x1b[3C', 'x', '\x1b[31mred\x1b[0m', 'needle'];

function mixed(lines: number, seed: number): string {
  const r = rng(seed);
  let s = '';
  for (let i = 0; i < lines; i++) {
    const n = Math.floor(r() * 7);
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(r() * PIECES.length)];
    s += r() < 0.1 ? '' : '\r\n'; // some lines run on (wrapped rows)
  }
  return s + '\r\n';
}

const QUERIES = ['alpha', 'a beta', 'beta  ', 'abcd', 'dab', 'éß', 'ß', '中', '日本', 'e\u0301', 'e', '"q', '\\', ' ', '', 'needle', 'zzz', 'redalpha', 'λ', 'ex'];

function reference(lines: string[], query: string): { index: number; column: number; text: string }[] {
  const out: { index: number; column: number; text: string }[] = [];
  lines.forEach((text, index) => { const column = text.indexOf(query); if (column >= 0) out.push({ index, column, text }); });
  return out;
}

describe('scrollbackFind', () => {
  it('finds what indexOf finds on every line, on compressed pages (left compressed) and hot ones', () => {
    const t = new Terminal({ cols: 40, rows: 4, scrollback: 2500, pool: new PagePool() });
    t.write(mixed(3000, 5));
    const list = t.primary.list;
    const n = t.scrollbackLength;
    const lines = t.scrollbackLines(0, n);
    t.compressColdPages({ all: true });
    const compressed = list.compressedCount();
    expect(compressed).toBeGreaterThanOrEqual(3);
    for (const q of QUERIES) {
      const want = reference(lines, q);
      expect(t.scrollbackFind(0, n, q), q).toEqual(want);
      // A range across page edges: indexes from its start.
      expect(t.scrollbackFind(301, 1200, q), q).toEqual(reference(lines.slice(301, 1501), q));
    }
    expect(reference(lines, 'abcd').length).toBeGreaterThan(0);
    expect(reference(lines, 'éß').length).toBeGreaterThan(0);
    expect(list.compressedCount()).toBe(compressed);
    // The same on hot pages (and through the session search's numbering).
    const hot = new Terminal({ cols: 40, rows: 4, scrollback: 2500, pool: new PagePool({ compressIdlePages: 0 }) });
    hot.write(mixed(3000, 5));
    expect(hot.primary.list.compressedCount()).toBe(0);
    for (const q of QUERIES) {
      expect(hot.scrollbackFind(0, n, q), q).toEqual(reference(lines, q));
      expect(searchLines(t, t.screenLines(), q, 10_000), q).toEqual(searchLines(hot, hot.screenLines(), q, 10_000));
    }
    const some = searchLines(t, t.screenLines(), 'alpha', 7);
    expect(some.truncated).toBe(true);
    expect(some.matches.map((m) => m.line)).toEqual(reference(lines, 'alpha').slice(0, 7).map((h) => h.index));
    hot.dispose();
    t.dispose();
  });
});
