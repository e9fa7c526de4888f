/**
 * Margins: DECSTBM (top/bottom), DECOM (origin mode), DECSLRM with DECLRMM (mode 69).
 * xterm.js implements neither DECLRMM nor DECSLRM, and tmux neither, so the left/right margin
 * expectations follow the VT510 manual and real xterm (and Ghostty, which matches both).
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const ESC = '\x1b';
const CSI = '\x1b[';
const rows5 = '1\r\n2\r\n3\r\n4\r\n5';

describe('Terminal: DECSTBM scroll region', () => {
  it('sets the region and homes the cursor', () => {
    const t = term({ cols: 4, rows: 5 }).write(`${CSI}3;3H${CSI}2;4r`);
    expect(t.pos).toEqual([0, 0]);
    expect([t.scrollTop, t.scrollBottom]).toEqual([1, 3]);
  });

  it('LF at the bottom margin scrolls only the region; nothing reaches scrollback', async () => {
    const bytes = `${rows5}${CSI}2;4r${CSI}4;1H\nX`;
    const r = await both(bytes, 4, 5);
    expect(r.ours.lines).toEqual(['1', '3', '4', 'X', '5']);
    expect(r.ours.scrollback).toBe(0);
    expect(r.ours).toEqual(r.xterm);
  });

  it('a region starting at the top row still feeds the scrollback (as xterm.js)', async () => {
    const bytes = `${rows5}${CSI}1;3r${CSI}3;1H\n\nX`;
    const r = await both(bytes, 4, 5);
    expect(r.ours.lines).toEqual(['3', '', 'X', '4', '5']);
    expect(r.ours.scrollback).toBe(2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('RI at the top margin scrolls the region down', async () => {
    const bytes = `${rows5}${CSI}2;4r${CSI}2;1H${ESC}MX`;
    const r = await both(bytes, 4, 5);
    expect(r.ours.lines).toEqual(['1', 'X', '2', '3', '5']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('SU/SD scroll the region only', async () => {
    const bytes = `${rows5}${CSI}2;4r${CSI}S${CSI}2T`;
    const r = await both(bytes, 4, 5);
    expect(r.ours.lines).toEqual(['1', '', '', '3', '5']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('LF below the region at the last row does not scroll', async () => {
    const bytes = `${rows5}${CSI}1;3r${CSI}5;1H\n\nX`;
    const r = await both(bytes, 4, 5);
    expect(r.ours.lines).toEqual(['1', '2', '3', '4', 'X']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('invalid regions (top >= bottom) are ignored', () => {
    const t = term({ cols: 4, rows: 5 }).write(`${CSI}2;4r${CSI}3;3H${CSI}4;2r`);
    expect([t.scrollTop, t.scrollBottom]).toEqual([1, 3]);
    expect(t.pos).toEqual([2, 2]);
    t.write(`${CSI}r`);
    expect([t.scrollTop, t.scrollBottom]).toEqual([0, 4]);
  });
});

describe('Terminal: DECOM origin mode', () => {
  it('CUP is relative to the region and clamped to it', async () => {
    const bytes = `${CSI}2;4r${CSI}?6h${CSI}1;1HA${CSI}9;2HB`;
    const t = term({ cols: 4, rows: 5 }).write(bytes);
    expect(t.screenLines()).toEqual(['', 'A', '', ' B', '']);
    expect(t.snapshot().modes.originMode).toBe(true);
    const r = await both(bytes, 4, 5);
    expect(r.ours).toEqual(r.xterm);
  });

  it('setting and resetting DECOM homes the cursor (to the region origin when set)', () => {
    const t = term({ cols: 4, rows: 5 }).write(`${CSI}3;4r${CSI}5;4H${CSI}?6h`);
    expect(t.pos).toEqual([2, 0]);
    t.write(`${CSI}2;2H${CSI}?6l`);
    expect(t.pos).toEqual([0, 0]);
  });

  it('VPA is relative to the region under DECOM', async () => {
    const bytes = `${CSI}2;4r${CSI}?6h${CSI}2dX${CSI}9dY`;
    const r = await both(bytes, 4, 5);
    expect(r.ours.lines).toEqual(['', '', 'X', ' Y', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('with DECLRMM, CUP and CHA are relative to the left margin', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}?69h${CSI}3;6s${CSI}2;4r${CSI}?6h${CSI}1;1H`);
    expect(t.pos).toEqual([1, 2]);
    t.write(`${CSI}9;9H`);
    expect(t.pos).toEqual([3, 5]);
    t.write(`${CSI}2G`);
    expect(t.pos).toEqual([3, 3]);
  });
});

describe('Terminal: DECSLRM left/right margins (mode 69)', () => {
  const setup = `${CSI}?69h${CSI}3;6s`; // columns 3..6 (0-based 2..5)

  it('sets margins only while DECLRMM is on, and homes the cursor', () => {
    const t = term({ cols: 10, rows: 4 }).write(`${CSI}2;2H${setup}`);
    expect([t.leftMargin, t.rightMargin]).toEqual([2, 5]);
    expect(t.pos).toEqual([0, 0]);
    t.write(`${CSI}?69l`);
    expect([t.leftMargin, t.rightMargin]).toEqual([0, 9]);
  });

  it('without DECLRMM, CSI l;r s is SCOSC: it saves the cursor (xterm, xterm.js)', async () => {
    const bytes = `${CSI}2;3H${CSI}4;5s${CSI}H${CSI}uX`;
    const t = term({ cols: 10, rows: 4 }).write(bytes);
    expect([t.leftMargin, t.rightMargin]).toEqual([0, 9]);
    expect(t.screenLines()[1]).toBe('  X');
    const r = await both(bytes, 10, 4);
    expect(r.ours).toEqual(r.xterm);
  });

  it('printing wraps at the right margin to the left margin', () => {
    const t = term({ cols: 10, rows: 4 }).write(`${setup}${CSI}1;3Habcdefg`);
    expect(t.screenLines()).toEqual(['  abcd', '  efg', '', '']);
    expect(t.pos).toEqual([1, 5]);
    t.assertIntegrity();
  });

  it('CR goes to the left margin from inside, to column 0 from outside', () => {
    const t = term({ cols: 10, rows: 4 }).write(`${setup}${CSI}1;5H\rX${CSI}2;2H\rY`);
    expect(t.screenLines()).toEqual(['  X', 'Y', '', '']);
  });

  it('scrolling at the bottom margin moves only the columns inside the margins', () => {
    const t = term({ cols: 8, rows: 3 }).write(`abcdefgh\r\nijklmnop\r\nqrstuvwx${setup}${CSI}3;3H\n`);
    expect(t.screenLines()).toEqual(['abklmngh', 'ijstuvop', 'qr    wx']);
    expect(t.scrollbackLength).toBe(0);
    t.assertIntegrity();
  });

  it('IL and DL shift only the columns inside the margins', () => {
    const fill = `abcdefgh\r\nijklmnop\r\nqrstuvwx`;
    const t = term({ cols: 8, rows: 3 }).write(`${fill}${setup}${CSI}1;4H${CSI}L`);
    expect(t.screenLines()).toEqual(['ab    gh', 'ijcdefop', 'qrklmnwx']);
    expect(t.pos).toEqual([0, 2]);
    t.write(`${CSI}2M`);
    expect(t.screenLines()).toEqual(['abklmngh', 'ij    op', 'qr    wx']);
    t.assertIntegrity();
  });

  it('ICH and DCH stop at the right margin', () => {
    const t = term({ cols: 8, rows: 2 }).write(`abcdefgh${setup}${CSI}1;4H${CSI}@`);
    // 'f' falls off at the right margin; 'gh' outside the margins does not move.
    expect(t.screenLines()[0]).toBe('abc degh');
    t.assertIntegrity();
  });

  it('DCH pulls only from inside the right margin', () => {
    const t = term({ cols: 8, rows: 2 }).write(`abcdefgh${setup}${CSI}1;4H${CSI}2P`);
    expect(t.screenLines()[0]).toBe('abcf  gh');
    t.assertIntegrity();
  });

  it('SU/SD scroll only inside the margins', () => {
    const fill = `abcdefgh\r\nijklmnop\r\nqrstuvwx`;
    const t = term({ cols: 8, rows: 3 }).write(`${fill}${setup}${CSI}S`);
    expect(t.screenLines()).toEqual(['abklmngh', 'ijstuvop', 'qr    wx']);
    t.write(`${CSI}T`);
    expect(t.screenLines()).toEqual(['ab    gh', 'ijklmnop', 'qrstuvwx']);
    t.assertIntegrity();
  });

  it('DECSTR and RIS clear the margins', () => {
    const t = term({ cols: 8, rows: 3 }).write(`${setup}${CSI}!p`);
    expect(t.modes.leftRightMargins).toBe(false);
    expect([t.leftMargin, t.rightMargin]).toEqual([0, 7]);
    t.write(`${setup}${ESC}c`);
    expect([t.leftMargin, t.rightMargin]).toEqual([0, 7]);
  });
});
