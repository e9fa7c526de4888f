/**
 * The engine reads a wait makes on every check (src/engine/format/cell-at.ts) agree with the
 * snapshot they stand in for: every cell's text, width and style as `snapshot()` gives them, and
 * untrimmed rows that are the trimmed ones plus blanks, one character per cell (wide characters
 * once), on the primary and the alternate screen, after scrolling and with graphemes.
 */
import { describe, expect, it } from 'vitest';
import { cellAt, screenLinesUntrimmed } from '../../src/engine/index.js';
import { term, type TestTerminal } from '../helpers/term.js';

function screens(): [string, TestTerminal][] {
  const styled = term({ cols: 12, rows: 4 })
    .write('\x1b[1;31mred\x1b[0m \x1b[7minv\x1b[0m\r\n')
    .write('\x1b[38;2;1;2;3;48;5;200;4:3mrgb\x1b[0m 中文 e\u0301\r\n')
    .write('\x1b[3;9H\x1b[3;53mx\x1b[0m   ');
  const scrolled = term({ cols: 8, rows: 3, scrollback: 10 });
  for (let i = 0; i < 7; i++) scrolled.write(`\x1b[${31 + (i % 7)}mline${i}\x1b[0m\r\n`);
  const alt = term({ cols: 10, rows: 3 }).write('main\x1b[?1049h\x1b[2;3H\x1b[44malt 👍🏽\x1b[0m');
  const wrapEdge = term({ cols: 5, rows: 2 }).write('abcd中');
  return [['styled', styled], ['scrolled', scrolled], ['alternate screen', alt], ['a wide char that wrapped', wrapEdge]];
}

describe('cellAt and screenLinesUntrimmed: the snapshot, cheaper', () => {
  it.each(screens())('%s: every cell equals the snapshot\'s', (_name, t) => {
    const snap = t.snapshot(0);
    for (let row = 0; row < t.rows; row++) {
      for (let col = 0; col < t.cols; col++) {
        const c = snap.lines[row]!.cells[col]!;
        expect(cellAt(t, row, col), `${row},${col}`).toEqual({ text: c.text, width: c.width, style: snap.styles[c.style] });
      }
    }
  });

  it.each(screens())('%s: untrimmed rows are the trimmed ones plus blanks', (_name, t) => {
    const trimmed = t.screenLines();
    const full = screenLinesUntrimmed(t);
    const snap = t.snapshot(0);
    expect(full).toHaveLength(t.rows);
    for (let row = 0; row < t.rows; row++) {
      expect(full[row]!.startsWith(trimmed[row]!)).toBe(true);
      expect(full[row]!.slice(trimmed[row]!.length).trim()).toBe('');
      // One character (grapheme) per cell that is not a wide character's spacer.
      const cells = snap.lines[row]!.cells.filter((c) => c.width !== 0).length;
      expect([...new Intl.Segmenter().segment(full[row]!)].length).toBe(cells);
    }
  });

  it('outside the screen: null', () => {
    const t = term({ cols: 4, rows: 2 });
    for (const [r, c] of [[-1, 0], [0, -1], [2, 0], [0, 4]] as const) expect(cellAt(t, r, c)).toBeNull();
  });
});
