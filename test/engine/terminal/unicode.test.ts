/**
 * Unicode: wide characters (CJK, emoji) as a head cell plus a spacer tail, overwriting either
 * half, a wide char at the last column leaving a spacer head and wrapping, combining marks,
 * ZWJ sequences, emoji modifiers and flags held in one cell.
 *
 * NOTE on purpose-built differences from xterm.js: xterm.js (with the Unicode 11 addon) does no
 * grapheme clustering, so a ZWJ family or a skin-toned emoji takes one wide cell per
 * pictograph there. We cluster (DECRQM 2027 reports "permanently set"), as Ghostty does: the
 * whole sequence is one 2-column cell. Flags keep xterm.js's 2 columns.
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const CSI = '\x1b[';

function cells(t: ReturnType<typeof term>, row = 0): [string, number][] {
  return t.snapshot().lines[row]!.cells.map((c) => [c.text, c.width]);
}

describe('Terminal: wide characters', () => {
  it('a CJK character takes a head cell and a spacer tail', async () => {
    const t = term({ cols: 5, rows: 2 }).write('中x');
    expect(cells(t)).toEqual([['中', 2], ['', 0], ['x', 1], ['', 1], ['', 1]]);
    expect(t.pos).toEqual([0, 3]);
    t.assertIntegrity();
    const r = await both('中x文字', 5, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('emoji presentation characters are wide', async () => {
    const t = term({ cols: 5, rows: 2 }).write('😀a');
    expect(cells(t).slice(0, 3)).toEqual([['😀', 2], ['', 0], ['a', 1]]);
    const r = await both('😀a🚀', 5, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('overwriting the head blanks the tail', async () => {
    const t = term({ cols: 5, rows: 2 }).write('中\b\bX');
    expect(cells(t).slice(0, 2)).toEqual([['X', 1], ['', 1]]);
    t.assertIntegrity();
    const r = await both('ab中cd\r\x1b[2CX', 6, 2);
    expect(r.ours.lines[0]).toBe('abX cd');
    expect(r.ours).toEqual(r.xterm);
  });

  it('overwriting the tail blanks the head', async () => {
    const t = term({ cols: 5, rows: 2 }).write('中\bX');
    expect(cells(t).slice(0, 2)).toEqual([['', 1], ['X', 1]]);
    t.assertIntegrity();
    const r = await both('ab中cd\r\x1b[3CX', 6, 2);
    expect(r.ours.lines[0]).toBe('ab Xcd');
    expect(r.ours).toEqual(r.xterm);
  });

  it('a wide character over the head of another wide character replaces it exactly', () => {
    const t = term({ cols: 6, rows: 2 }).write('中文\r字');
    expect(t.screenLines()[0]).toBe('字文');
    t.write('\r\x1b[C字');
    expect(t.screenLines()[0]).toBe(' 字');
    expect(cells(t).slice(0, 4)).toEqual([['', 1], ['字', 2], ['', 0], ['', 1]]);
    t.assertIntegrity();
  });

  it('a wide character at the last column leaves a spacer head and wraps', async () => {
    const t = term({ cols: 4, rows: 2 }).write('abc中');
    expect(t.screenLines()).toEqual(['abc', '中']);
    const s = t.snapshot();
    expect(s.lines[0]!.wrapped).toBe(true);
    expect(s.lines[0]!.cells[3]).toMatchObject({ text: '', width: 1 });
    expect(t.pos).toEqual([1, 2]);
    t.assertIntegrity();
    const r = await both('abc中d', 4, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('a wide character filling the last two columns sets pending wrap', () => {
    const t = term({ cols: 4, rows: 2 }).write('ab中');
    expect(t.pos).toEqual([0, 3]);
    expect(t.cursor.pendingWrap).toBe(true);
    t.write('c');
    expect(t.screenLines()).toEqual(['ab中', 'c']);
  });

  it('with DECAWM off a wide character does not fit the last column and is dropped', async () => {
    const bytes = `${CSI}?7labc中`;
    const r = await both(bytes, 4, 2);
    expect(r.ours.lines).toEqual(['abc', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('inserting (ICH) into the middle of a wide character blanks it', () => {
    const t = term({ cols: 6, rows: 2 }).write(`a中b\r${CSI}2C${CSI}@`);
    expect(t.screenLines()[0]).toBe('a   b');
    t.assertIntegrity();
  });

  it('deleting (DCH) half of a wide character blanks the other half', () => {
    const t = term({ cols: 6, rows: 2 }).write(`a中b\r${CSI}2C${CSI}P`);
    expect(t.screenLines()[0]).toBe('a b');
    t.assertIntegrity();
  });
});

describe('Terminal: grapheme clusters in one cell', () => {
  it('combining marks join the previous cell', async () => {
    const t = term({ cols: 5, rows: 2 }).write('e\u0301\u0302x');
    expect(cells(t).slice(0, 2)).toEqual([['e\u0301\u0302', 1], ['x', 1]]);
    expect(t.pos).toEqual([0, 2]);
    const r = await both('ae\u0301b', 5, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('a combining mark after a wide character joins the wide cell', () => {
    const t = term({ cols: 5, rows: 2 }).write('中\u0301x');
    expect(cells(t).slice(0, 3)).toEqual([['中\u0301', 2], ['', 0], ['x', 1]]);
  });

  it('a combining mark with a wrap pending joins the last column, not the next row', async () => {
    const t = term({ cols: 3, rows: 2 }).write('abc\u0301d');
    expect(t.screenLines()).toEqual(['abc\u0301', 'd']);
    const r = await both('abc\u0301d', 3, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('a ZWJ emoji sequence is one 2-column cell', () => {
    const family = '👨\u200d👩\u200d👧';
    const t = term({ cols: 6, rows: 2 }).write(`${family}x`);
    expect(cells(t).slice(0, 3)).toEqual([[family, 2], ['', 0], ['x', 1]]);
    expect(t.pos).toEqual([0, 3]);
    t.assertIntegrity();
  });

  it('an emoji modifier joins its base', () => {
    const t = term({ cols: 6, rows: 2 }).write('👍🏽x');
    expect(cells(t).slice(0, 3)).toEqual([['👍🏽', 2], ['', 0], ['x', 1]]);
  });

  it('a variation selector joins without changing the width (as xterm)', async () => {
    const t = term({ cols: 6, rows: 2 }).write('❤\uFE0Fx');
    expect(cells(t).slice(0, 2)).toEqual([['❤\uFE0F', 1], ['x', 1]]);
    const r = await both('❤\uFE0Fx', 6, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('a flag (two regional indicators) is one cell 2 columns wide, as wide as in xterm', async () => {
    const t = term({ cols: 6, rows: 2 }).write('🇺🇸x');
    expect(cells(t).slice(0, 3)).toEqual([['🇺🇸', 2], ['', 0], ['x', 1]]);
    expect(t.pos).toEqual([0, 3]);
    t.assertIntegrity();
    const r = await both('🇺🇸x🇩🇪', 6, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('a flag started in the last column wraps its second half (as xterm)', async () => {
    const bytes = 'abc🇺🇸x';
    const r = await both(bytes, 4, 2);
    expect(r.ours).toEqual(r.xterm);
    expect(term({ cols: 4, rows: 2 }).write(bytes).pos).toEqual([1, 2]);
  });

  it('a flag ending at the right edge parks the cursor with a pending wrap', () => {
    const t = term({ cols: 4, rows: 2 }).write('ab🇺🇸');
    expect(cells(t)).toEqual([['a', 1], ['b', 1], ['🇺🇸', 2], ['', 0]]);
    expect(t.cursor.pendingWrap).toBe(true);
    t.write('c');
    expect(t.screenLines()).toEqual(['ab🇺🇸', 'c']);
    t.assertIntegrity();
  });

  it('a combining mark at the start of an empty line is dropped', () => {
    // NOTE: xterm.js gives a lone mark a cell of its own; there is nothing for it to combine
    // with, and Ghostty drops it too.
    const t = term({ cols: 4, rows: 2 }).write('\u0301x');
    expect(t.screenLines()[0]).toBe('x');
  });

  it('Hangul jamo sequences compose into one wide cell', async () => {
    const r = await both('\u1100\u1161\u11a8x', 6, 2);
    expect(r.ours.cursor).toEqual([0, 3]);
    expect(r.ours).toEqual(r.xterm);
  });
});
