/**
 * Editing: ICH, DCH, ECH, EL, ED (incl. ED 3 and the scrollback), IL, DL, IRM and REP.
 * Erased cells take the cursor's background (BCE) as xterm does.
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const CSI = '\x1b[';

describe('Terminal: character editing (ICH, DCH, ECH, REP, IRM)', () => {
  it('ICH inserts blanks at the cursor and pushes the rest off the right edge', () => {
    const t = term({ cols: 6, rows: 2 }).write(`abcdef${CSI}1;3H${CSI}2@`);
    expect(t.screenLines()[0]).toBe('ab  cd');
    expect(t.pos).toEqual([0, 2]);
    t.write(`${CSI}99@`);
    expect(t.screenLines()[0]).toBe('ab');
    t.assertIntegrity();
  });

  it('DCH deletes at the cursor and pulls the rest left', () => {
    const t = term({ cols: 6, rows: 2 }).write(`abcdef${CSI}1;2H${CSI}2P`);
    expect(t.screenLines()[0]).toBe('adef');
    t.write(`${CSI}P`);
    expect(t.screenLines()[0]).toBe('aef');
    t.write(`${CSI}99P`);
    expect(t.screenLines()[0]).toBe('a');
    t.assertIntegrity();
  });

  it('ECH erases n cells without moving anything', () => {
    const t = term({ cols: 6, rows: 2 }).write(`abcdef${CSI}1;2H${CSI}3X`);
    expect(t.screenLines()[0]).toBe('a   ef');
    expect(t.pos).toEqual([0, 1]);
    t.write(`${CSI}X`);
    t.write(`${CSI}1;6H${CSI}9X`);
    expect(t.screenLines()[0]).toBe('a   e');
    t.assertIntegrity();
  });

  it('erased cells take the current background colour (BCE)', () => {
    const t = term({ cols: 6, rows: 2 }).write(`abcdef${CSI}1;2H${CSI}41m${CSI}2X${CSI}0m`);
    const s = t.snapshot();
    const st = s.styles[s.lines[0]!.cells[1]!.style]!;
    expect(st.bg).toBe(1);
    expect(s.lines[0]!.cells[3]!.style).toBe(0);
  });

  it('IRM inserts printed text instead of overwriting', () => {
    const t = term({ cols: 8, rows: 2 }).write(`abcdef${CSI}1;3H${CSI}4hXY${CSI}4lZ`);
    expect(t.screenLines()[0]).toBe('abXYZdef');
    t.assertIntegrity();
  });

  it('IRM pushes text off the right edge without wrapping it', async () => {
    const bytes = `abcdefgh${CSI}1;1H${CSI}4hXYZ`;
    const r = await both(bytes, 8, 2);
    expect(r.ours.lines).toEqual(['XYZabcde', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('REP repeats the last printed character', () => {
    const t = term({ cols: 10, rows: 2 }).write(`a-${CSI}4b|`);
    expect(t.screenLines()[0]).toBe('a-----|');
  });

  it('REP wraps like printing and repeats a wide character', async () => {
    const bytes = `x${CSI}12b\r\n中${CSI}2b`;
    const r = await both(bytes, 6, 4);
    expect(r.ours.lines).toEqual(['xxxxxx', 'xxxxxx', 'x', '中中中']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('REP with nothing printed before does nothing', () => {
    const t = term({ cols: 5, rows: 2 }).write(`${CSI}3b`);
    expect(t.screenLines()).toEqual(['', '']);
  });
});

describe('Terminal: line and display erase (EL, ED)', () => {
  const fill = 'abcde'.repeat(3);

  it('EL 0 / 1 / 2 erase right, left (inclusive) and all', () => {
    const t = term({ cols: 5, rows: 3 }).write(`${fill}${CSI}1;3H${CSI}K`);
    expect(t.screenLines()[0]).toBe('ab');
    t.write(`${CSI}2;3H${CSI}1K`);
    expect(t.screenLines()[1]).toBe('   de');
    t.write(`${CSI}3;3H${CSI}2K`);
    expect(t.screenLines()[2]).toBe('');
    expect(t.pos).toEqual([2, 2]);
    t.assertIntegrity();
  });

  it('EL clears a pending wrap', () => {
    const t = term({ cols: 5, rows: 3 }).write(`abcde${CSI}KX`);
    expect(t.screenLines()).toEqual(['abcdX', '', '']);
  });

  it('ED 0 erases from the cursor to the end, ED 1 from the start through the cursor', () => {
    const t = term({ cols: 5, rows: 3 }).write(`${fill}${CSI}2;3H${CSI}J`);
    expect(t.screenLines()).toEqual(['abcde', 'ab', '']);
    const u = term({ cols: 5, rows: 3 }).write(`${fill}${CSI}2;3H${CSI}1J`);
    expect(u.screenLines()).toEqual(['', '   de', 'abcde']);
    t.assertIntegrity();
    u.assertIntegrity();
  });

  it('ED 2 erases the screen, keeps the cursor and leaves the scrollback alone', () => {
    const t = term({ cols: 5, rows: 2 }).write(`1\r\n2\r\n3\r\n4${CSI}2J`);
    expect(t.screenLines()).toEqual(['', '']);
    expect(t.pos).toEqual([1, 1]);
    expect(t.scrollbackLines(0, 10)).toEqual(['1', '2']);
  });

  it('ED 3 clears the scrollback and leaves the screen', () => {
    const t = term({ cols: 5, rows: 2 }).write(`1\r\n2\r\n3\r\n4`);
    expect(t.scrollbackLength).toBe(2);
    t.write(`${CSI}3J`);
    expect(t.scrollbackLength).toBe(0);
    expect(t.screenLines()).toEqual(['3', '4']);
    t.write('\r\n5');
    expect(t.scrollbackLines(0, 5)).toEqual(['3']);
    t.assertIntegrity();
  });

  it('erasing across half of a wide character erases the whole character', () => {
    const t = term({ cols: 6, rows: 2 }).write(`a中b${CSI}1;3H${CSI}1K`);
    expect(t.screenLines()[0]).toBe('   b');
    const u = term({ cols: 6, rows: 2 }).write(`a中b${CSI}1;3H${CSI}K`);
    expect(u.screenLines()[0]).toBe('a');
    t.assertIntegrity();
    u.assertIntegrity();
  });
});

describe('Terminal: line editing (IL, DL)', () => {
  const rows = 'a\r\nb\r\nc\r\nd';

  it('IL inserts blank lines at the cursor row and homes the column', () => {
    const t = term({ cols: 4, rows: 4 }).write(`${rows}${CSI}2;3H${CSI}2L`);
    expect(t.screenLines()).toEqual(['a', '', '', 'b']);
    expect(t.pos).toEqual([1, 0]);
    t.assertIntegrity();
  });

  it('DL deletes lines and pulls up blanks at the bottom', () => {
    const t = term({ cols: 4, rows: 4 }).write(`${rows}${CSI}2;1H${CSI}2M`);
    expect(t.screenLines()).toEqual(['a', 'd', '', '']);
    t.write(`${CSI}9M`);
    expect(t.screenLines()).toEqual(['a', '', '', '']);
    expect(t.scrollbackLength).toBe(0);
    t.assertIntegrity();
  });

  it('IL/DL act only inside the scroll region and are ignored outside it', async () => {
    const bytes = `${rows}${CSI}2;3r${CSI}2;1H${CSI}L${CSI}4;1H${CSI}L${CSI}3;1H${CSI}M`;
    const r = await both(bytes, 4, 4);
    expect(r.ours.lines).toEqual(['a', '', '', 'd']);
    expect(r.ours).toEqual(r.xterm);
  });
});
