/**
 * Index and scrolling: IND, RI, NEL, LF at the bottom, SU, SD, and which scrolled-off lines
 * reach the scrollback (only lines leaving the top of the primary screen by an index).
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const ESC = '\x1b';
const CSI = '\x1b[';
const rows4 = 'a\r\nb\r\nc\r\nd';

describe('Terminal: index and scrolling (IND, RI, NEL, SU, SD)', () => {
  it('IND moves down keeping the column; at the bottom it scrolls into scrollback', () => {
    const t = term({ cols: 4, rows: 4 }).write(`${rows4}${CSI}2;2H${ESC}D`);
    expect(t.pos).toEqual([2, 1]);
    t.write(`${CSI}4;2H${ESC}D`);
    expect(t.screenLines()).toEqual(['b', 'c', 'd', '']);
    expect(t.pos).toEqual([3, 1]);
    expect(t.scrollbackLines(0, 5)).toEqual(['a']);
    t.assertIntegrity();
  });

  it('RI moves up; at the top it scrolls the screen down and drops the bottom line', () => {
    const t = term({ cols: 4, rows: 4 }).write(`${rows4}${CSI}2;3H${ESC}M`);
    expect(t.pos).toEqual([0, 2]);
    t.write(`${ESC}M`);
    expect(t.screenLines()).toEqual(['', 'a', 'b', 'c']);
    expect(t.pos).toEqual([0, 2]);
    expect(t.scrollbackLength).toBe(0);
    t.assertIntegrity();
  });

  it('NEL is CR + IND', () => {
    const t = term({ cols: 4, rows: 4 }).write(`${rows4}${CSI}4;3H${ESC}Ex`);
    expect(t.screenLines()).toEqual(['b', 'c', 'd', 'x']);
    expect(t.pos).toEqual([3, 1]);
  });

  it('C1 IND/NEL/RI (8-bit) behave like their ESC forms', () => {
    const t = term({ cols: 4, rows: 4 }).write(`ab\u0085c\u0084d\u008dX`);
    expect(t.screenLines()).toEqual(['ab', 'c X', ' d', '']);
  });

  it('SU scrolls up n lines and does not feed the scrollback (as xterm)', async () => {
    const bytes = `${rows4}${CSI}2S`;
    const r = await both(bytes, 4, 4);
    expect(r.ours.lines).toEqual(['c', 'd', '', '']);
    expect(r.ours.scrollback).toBe(0);
    expect(r.ours).toEqual(r.xterm);
  });

  it('SD scrolls down n lines, cursor stays', async () => {
    const bytes = `${rows4}${CSI}2;2H${CSI}T`;
    const t = term({ cols: 4, rows: 4 }).write(bytes);
    expect(t.screenLines()).toEqual(['', 'a', 'b', 'c']);
    expect(t.pos).toEqual([1, 1]);
    const r = await both(bytes, 4, 4);
    expect(r.ours).toEqual(r.xterm);
  });

  it('SU/SD by more than the screen height blank it', () => {
    const t = term({ cols: 4, rows: 4 }).write(`${rows4}${CSI}99S`);
    expect(t.screenLines()).toEqual(['', '', '', '']);
    const u = term({ cols: 4, rows: 4 }).write(`${rows4}${CSI}99T`);
    expect(u.screenLines()).toEqual(['', '', '', '']);
    t.assertIntegrity();
    u.assertIntegrity();
  });

  it('scrolled-in lines take the current background (BCE)', () => {
    const t = term({ cols: 4, rows: 2 }).write(`a\r\nb${CSI}44m\n${CSI}0m`);
    const s = t.snapshot();
    expect(s.styles[s.lines[1]!.cells[0]!.style]!.bg).toBe(4);
    expect(s.lines[0]!.cells[0]!.text).toBe('b');
  });

  it('scrollback is capped by the scrollback option', () => {
    const t = term({ cols: 4, rows: 2, scrollback: 3 });
    for (let i = 0; i < 10; i++) t.write(`${i}\r\n`);
    expect(t.scrollbackLength).toBe(3);
    expect(t.scrollbackLines(0, 3)).toEqual(['6', '7', '8']);
    expect(t.screenLines()).toEqual(['9', '']);
    t.assertIntegrity();
  });
});

describe('Terminal: a top-anchored scroll region feeding the scrollback', () => {
  it('moves a row of 200 styles below the region across page boundaries (fuzz find: the scratch row was too small)', () => {
    const cols = 200;
    const t = term({ cols, rows: 5, scrollback: 1000 });
    let row = '';
    for (let x = 0; x < cols; x++) row += `${CSI}38;2;${x};${255 - x};7m${String.fromCharCode(0x41 + (x % 26))}`;
    t.write(`${CSI}5;1H${row}${CSI}m${CSI}1;4r${CSI}4;1H`);
    const below = t.screenLines()[4];
    for (let k = 0; k < 600; k++) t.write(`line${k}${ESC}D\r`);
    expect(t.screenLines()[4]).toBe(below);
    const cells = t.snapshot().lines[4]!.cells;
    expect(new Set(cells.map((c) => c.style)).size).toBe(cols);
    expect(t.scrollbackLines(t.scrollbackLength - 1, 1)).toEqual(['line596']);
    t.assertIntegrity();
  });

  it('the same with a row of 150 links and of 150 grapheme clusters', () => {
    const cols = 150;
    const t = term({ cols, rows: 6, scrollback: 1000 });
    let links = '';
    let marks = '';
    for (let x = 0; x < cols; x++) {
      links += `${ESC}]8;;https://e.x/${x}\x07L`;
      marks += 'e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308'; // 9 code points a cell
    }
    t.write(`${CSI}5;1H${links}${ESC}]8;;\x07\r\n${marks}${CSI}1;4r${CSI}4;1H`);
    const [l5, l6] = t.screenLines().slice(4);
    for (let k = 0; k < 600; k++) t.write(`line${k}${ESC}D\r`);
    expect(t.screenLines().slice(4)).toEqual([l5, l6]);
    const snap = t.snapshot();
    expect(new Set(snap.lines[4]!.cells.map((c) => c.link)).size).toBe(cols);
    expect(snap.lines[5]!.cells[cols - 1]!.text).toBe('e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308');
    t.assertIntegrity();
  });
});

describe('Terminal.scrollbackEnd: a history position that pruning does not shift', () => {
  const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `${from + i}\r\n`).join('');

  it('counts every line that scrolls in, also once the scrollback is at its limit', () => {
    const t = term({ cols: 6, rows: 3, scrollback: 5 });
    expect(t.scrollbackEnd).toBe(0);
    t.write(lines(1, 4)); // 4 lines + the cursor row: 2 scrolled off
    expect([t.scrollbackEnd, t.scrollbackLength]).toEqual([2, 2]);
    t.write(lines(5, 10));
    expect([t.scrollbackEnd, t.scrollbackLength]).toEqual([12, 5]);
    // The lines that came in since an earlier reading are the last (end - e) of the scrollback.
    const e = t.scrollbackEnd;
    t.write(lines(15, 3));
    expect(t.scrollbackEnd - e).toBe(3);
    expect(t.scrollbackLines(t.scrollbackLength - 3, 3)).toEqual(['13', '14', '15']);
    t.assertIntegrity();
  });

  it('ED 3 and RIS do not move it back; a reflow moves it past all the old history', () => {
    const t = term({ cols: 6, rows: 3, scrollback: 100 }).write(lines(1, 10));
    expect(t.scrollbackEnd).toBe(8);
    t.write('\x1b[3J');
    expect([t.scrollbackEnd, t.scrollbackLength]).toEqual([8, 0]);
    t.write(lines(11, 4));
    expect(t.scrollbackEnd).toBe(12);
    t.write('\x1bc'); // RIS: history gone, numbering goes on
    expect([t.scrollbackEnd, t.scrollbackLength]).toEqual([12, 0]);
    t.write(lines(20, 5));
    expect(t.scrollbackEnd).toBe(15);
    const before = t.scrollbackEnd;
    t.resize(4, 3); // reflow: every kept line counts as new
    expect(t.scrollbackEnd - before).toBeGreaterThanOrEqual(t.scrollbackLength);
    t.assertIntegrity();
  });

  it('rows pulled back onto a taller screen move it back by as many', () => {
    const t = term({ cols: 6, rows: 3, scrollback: 100 }).write(lines(1, 10));
    expect(t.scrollbackEnd).toBe(8);
    t.resize(6, 5);
    expect([t.scrollbackEnd, t.scrollbackLength]).toEqual([6, 6]);
    t.resize(6, 3);
    expect(t.scrollbackEnd).toBe(8);
    t.assertIntegrity();
  });
});
