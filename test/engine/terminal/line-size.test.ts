/**
 * DECDWL / DECDHL / DECSWL (ESC # 6 / 3 / 4 / 5): the row's size is a row attribute — in the
 * snapshot, moved with the row by scrolling, kept by archives — and, as in xterm, a double-size
 * row holds only cols/2 columns. Neither @xterm/headless nor Ghostty implements line sizes (both
 * print such rows at single width), so the expectations are xterm's.
 */
import { describe, expect, it } from 'vitest';
import { applyTerminal, decodeTerminal, encodeTerminal } from '../../../src/engine/archive/terminal-codec.js';
import { Terminal } from '../../../src/engine/index.js';
import { term } from '../../helpers/term.js';

const E = '\x1b';

function sizes(t: Terminal): (string | undefined)[] {
  return t.snapshot().lines.map((l) => l.size);
}

describe('Terminal: line size', () => {
  it('ESC # 6 / # 3 / # 4 / # 5 set the cursor row size; text keeps the characters', () => {
    const t = term({ cols: 10, rows: 4 }).write(`${E}#6wide\r\n${E}#3top\r\n${E}#4bot\r\n${E}#6x${E}#5y`);
    t.assertIntegrity();
    expect(sizes(t)).toEqual(['double-width', 'double-height-top', 'double-height-bottom', undefined]);
    expect(t.screenLines()).toEqual(['wide', 'top', 'bot', 'xy']);
  });

  it('a double-size row holds cols/2 columns: printing wraps and the cursor stops there', () => {
    const t = term({ cols: 10, rows: 3 }).write(`${E}#6abcdefgh`);
    expect(t.screenLines()).toEqual(['abcde', 'fgh', '']);
    t.write(`${E}[1;1H${E}[99C`);
    expect(t.pos).toEqual([0, 4]);
    const c = term({ cols: 10, rows: 3 }).write(`${E}[1;9H${E}#6`);
    expect(c.pos).toEqual([0, 4]);
  });

  it('moves with its row when the screen scrolls; new and ED-erased rows are single, EL keeps it', () => {
    const t = term({ cols: 10, rows: 3 }).write(`a\r\n${E}#6b\r\nc\r\nd`);
    expect(sizes(t)).toEqual(['double-width', undefined, undefined]);
    expect(t.screenLines()).toEqual(['b', 'c', 'd']);
    t.write(`${E}[1;1H${E}[2K`);
    expect(sizes(t)[0]).toBe('double-width');
    t.write(`${E}[2J`);
    expect(sizes(t)).toEqual([undefined, undefined, undefined]);
    t.write(`${E}#6x${E}#8`);
    expect(sizes(t)).toEqual([undefined, undefined, undefined]);
    t.write(`${E}#6${E}c`);
    expect(sizes(t)).toEqual([undefined, undefined, undefined]);
    t.assertIntegrity();
  });

  it('survives an archive round trip', () => {
    const t = term({ cols: 10, rows: 3 }).write(`${E}#3hi\r\n${E}#4hi`);
    const restored = new Terminal({ cols: 10, rows: 3, scrollback: 1000 });
    applyTerminal(restored, decodeTerminal(encodeTerminal(t)));
    expect(sizes(restored)).toEqual(['double-height-top', 'double-height-bottom', undefined]);
    restored.dispose();
  });
});

describe('Terminal: line size across a column resize (reflow)', () => {
  it('a double-width line is re-wrapped at the new cols/2, every row it makes double-width', () => {
    const t = term({ cols: 20, rows: 4 }).write(`top\r\n${E}#6abcdefgh\r\nend`);
    expect(sizes(t)).toEqual([undefined, 'double-width', undefined, undefined]);
    t.resize(10, 4);
    t.assertIntegrity();
    expect(t.screenLines()).toEqual(['top', 'abcde', 'fgh', 'end']);
    expect(sizes(t)).toEqual([undefined, 'double-width', 'double-width', undefined]);
    t.resize(20, 4);
    t.assertIntegrity();
    expect(t.screenLines()).toEqual(['top', 'abcdefgh', 'end', '']);
    expect(sizes(t)).toEqual([undefined, 'double-width', undefined, undefined]);
  });

  it('double-height halves keep their size; a line is never joined with a row of another size', () => {
    // At 10 columns the double-width row wraps after 5 characters into a single-width row.
    const t = term({ cols: 10, rows: 4 }).write(`${E}#3tall\r\n${E}#4tall\r\n${E}#6abcdefgh`);
    expect(sizes(t)).toEqual(['double-height-top', 'double-height-bottom', 'double-width', undefined]);
    t.resize(16, 4);
    t.assertIntegrity();
    expect(t.screenLines()).toEqual(['tall', 'tall', 'abcde', 'fgh']);
    expect(sizes(t)).toEqual(['double-height-top', 'double-height-bottom', 'double-width', undefined]);
  });

  it('the cursor keeps its place in a double-width line; a pending wrap stays at cols/2', () => {
    const t = term({ cols: 20, rows: 3 }).write(`${E}#6abcdefg${E}[1;3H`);
    t.resize(10, 3);
    expect(t.pos).toEqual([0, 2]);
    const w = term({ cols: 20, rows: 3 }).write(`${E}#6abcdefghij`); // fills the 10 columns: wrap pending
    w.resize(22, 3);
    expect(w.pos).toEqual([0, 10]);
    w.write('K');
    expect(w.screenLines()[0]).toBe('abcdefghijK');
    expect(sizes(w)[0]).toBe('double-width');
  });

  it('the alternate screen is cut or padded, its rows keeping their size', () => {
    const t = term({ cols: 20, rows: 3 }).write(`${E}[?1049h${E}#6wide\r\nplain`);
    t.resize(12, 3);
    t.assertIntegrity();
    expect(sizes(t)).toEqual(['double-width', undefined, undefined]);
    expect(t.screenLines()).toEqual(['wide', 'plain', '']);
  });
});
